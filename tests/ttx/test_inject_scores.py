"""Scripted injects on the escalation ladder: declared or derived actor and rung, engine scores,
located errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from detente.ttx.engine import Engine
from detente.ttx.inject_scores import InjectScore, changes, inject_score
from detente.ttx.pack import load_pack
from tests.ttx.test_pack import SMALL, edited, errors, position

SWARM_LIKE = "    effects: fleet += 1\n  - number: 2"


def _with(tmp_path: Path, extra: str) -> Path:
    return edited(tmp_path, SWARM_LIKE, f"    effects: fleet += 1\n{extra}  - number: 2")


def test_changes_keep_direction() -> None:
    assert changes("a += 1; b -= 2; c = 0; d += -3; e -= -1") == {
        ("a", "+"),
        ("b", "-"),
        ("c", "="),
        ("d", "-"),
        ("e", "+"),
    }


def test_derived_from_the_most_alike_control_action(tmp_path: Path) -> None:
    folder = edited(tmp_path, SWARM_LIKE, "    effects: fleet += 2; tension += 3\n  - number: 2")
    pack = load_pack(folder)
    inject = pack.scenario.msel[0]
    assert inject_score(pack.scenario, inject) == InjectScore("FLT", "posturing", "militia-swarm")


def test_opposite_directions_do_not_make_a_likeness(tmp_path: Path) -> None:
    folder = edited(tmp_path, SWARM_LIKE, "    effects: fleet -= 2; tension -= 3\n  - number: 2")
    pack = load_pack(folder)
    score = inject_score(pack.scenario, pack.scenario.msel[0])
    assert score is None or score.like != "militia-swarm"


def test_one_shared_variable_is_not_enough() -> None:
    pack = load_pack(SMALL)
    assert inject_score(pack.scenario, pack.scenario.msel[0]) is None  # fleet += 1 only


def test_declared_and_opted_out(tmp_path: Path) -> None:
    pack = load_pack(_with(tmp_path, "    actor: FLT\n    escalation: violent-escalation\n"))
    assert inject_score(pack.scenario, pack.scenario.msel[0]) == InjectScore(
        "FLT", "violent-escalation"
    )
    other = tmp_path / "b"
    other.mkdir()
    pack = load_pack(_with(other, "    actor: FLT\n    escalation: none\n"))
    assert inject_score(pack.scenario, pack.scenario.msel[0]) is None


def test_facilitation_rows_are_never_scored() -> None:
    pack = load_pack(SMALL)
    row = next(i for i in pack.scenario.msel if i.type.value == "facilitation")
    declared = row.model_copy(update={"actor": "FLT", "escalation": "posturing"})
    assert inject_score(pack.scenario, declared) is None


def test_engine_adds_the_score_in_the_move_of_release(tmp_path: Path) -> None:
    plain = load_pack(SMALL).compiled
    scored = load_pack(_with(tmp_path, "    actor: FLT\n    escalation: posturing\n")).compiled
    flt = plain.actor_ids.index("FLT")
    a = Engine(plain).run(200, seed=5)
    b = Engine(scored).run(200, seed=5)
    difference = b.escalation - a.escalation
    expected = np.zeros_like(difference)
    expected[:, 0, flt] = 4.0  # inject 1 is scheduled in move 1; posturing scores 4
    assert np.array_equal(difference, expected)
    assert np.array_equal(a.scalars, b.scalars)


def test_unknown_actor_and_rung_are_located(tmp_path: Path) -> None:
    folder = _with(tmp_path, "    actor: FLX\n    escalation: posturng\n")
    found = errors(folder)
    line, column = position(folder, "FLX")
    assert any(
        m.startswith(f"scenario.yaml:{line}:{column} msel[0].actor: unknown actor") for m in found
    )
    line, column = position(folder, "posturng")
    assert any(
        m.startswith(f"scenario.yaml:{line}:{column} msel[0].escalation: unknown ladder rung")
        and "did you mean 'posturing'" in m
        for m in found
    )


def test_an_actor_without_a_derivable_rung_is_an_error(tmp_path: Path) -> None:
    (message,) = errors(_with(tmp_path, "    actor: FLT\n"))
    assert "msel[0]" in message and "give 'escalation'" in message


def test_a_break_after_a_missing_move_is_located(tmp_path: Path) -> None:
    target = tmp_path / "ttx-small"
    shutil.copytree(SMALL, target)
    path = target / "scenario.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "\nrun_of_show:\n  breaks:\n    - after_move: 99\n      minutes: 10\n",
        encoding="utf-8",
    )
    (message,) = errors(target)
    line, column = position(target, "99")
    assert (
        message
        == f"scenario.yaml:{line}:{column} run_of_show.breaks[0].after_move: there is no move 99"
    )
