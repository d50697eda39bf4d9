"""Loading a scenario pack: the small fixture compiles; every kind of bad input is located."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from detente.diagnostics import InputError
from detente.meeting.loader import load_meeting
from detente.ttx.expressions import State
from detente.ttx.modifiers import combine, compile_modifier
from detente.ttx.pack import load_pack, load_scenario_file
from detente.ttx.scenario import Factor, Modifier

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "ttx-small"


def edited(tmp_path: Path, old: str, new: str, *, file: str = "scenario.yaml") -> Path:
    """A copy of the small meeting with one exact text edit in `file` (which must apply)."""
    target = tmp_path / "ttx-small"
    if not target.exists():
        shutil.copytree(SMALL, target)
    path = target / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"edit target not unique: {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return target


def errors(folder: Path, *, with_meeting: bool = True) -> list[str]:
    meeting = load_meeting(folder) if with_meeting else None
    with pytest.raises(InputError) as caught:
        load_pack(folder, meeting=meeting)
    return [str(d) for d in caught.value.diagnostics]


def position(folder: Path, needle: str, *, occurrence: int = 0) -> tuple[int, int]:
    """1-based line and column of `needle` in the folder's scenario.yaml."""
    lines = (folder / "scenario.yaml").read_text(encoding="utf-8").splitlines()
    seen = 0
    for number, line in enumerate(lines, start=1):
        column = line.find(needle)
        while column >= 0:
            if seen == occurrence:
                return number, column + 1
            seen += 1
            column = line.find(needle, column + 1)
    raise AssertionError(f"{needle!r} not in file")


# --- the fixture ---------------------------------------------------------------------------------


def test_the_small_pack_compiles_with_every_feature() -> None:
    meeting = load_meeting(SMALL)
    pack = load_pack(SMALL, meeting=meeting)
    c = pack.compiled
    assert c.actor_ids == ("ALD", "BRV", "FLT")
    assert c.players == (0, 1)
    assert len(c.actions) == 12 and len(c.injects) == 7
    assert any(a.private for a in c.actions)
    assert any(j.facilitation for j in c.injects) and any(j.contingency for j in c.injects)
    assert any(j.after is not None for j in c.injects)
    assert any(j.condition is not None for j in c.injects)
    assert {o.terminal for o in c.outcomes} == {True, False}
    assert not isinstance(c.reactions[0].probability, float)  # an expression
    state = c.new_state(2)
    hotline = c.symbols.dyadics["hotline"].index
    assert state.dyadic[:, hotline, 0, 1].tolist() == [1.0, 1.0]
    assert state.dyadic[:, hotline, 1, 0].tolist() == [1.0, 1.0]  # symmetric pair
    assert state.dyadic[:, hotline, 0, 2].tolist() == [0.0, 0.0]
    assert state.scalars[0].tolist() == [30.0, 4.0, 0.0, 0.0]
    order = list(c.release_order)
    assert order.index(3) < order.index(4)  # inject 5 waits for inject 4
    # ladder scores come from the default ladder, by rung id
    assert {a.id: a.score for a in c.actions}["brv-ram"] == 28.0


def test_the_pack_loads_without_a_meeting() -> None:
    assert load_scenario_file(SMALL / "scenario.yaml").scenario.scenario.id == "corvan-strait"


def test_a_missing_pack_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no scenario pack"):
        load_pack(tmp_path)


# --- expressions, located inside the YAML --------------------------------------------------------


def test_unknown_variable_in_a_plain_scalar(tmp_path: Path) -> None:
    folder = edited(tmp_path, "when: tension >= 35", "when: tenson >= 35")
    line, column = position(folder, "tenson")
    assert errors(folder) == [
        f"scenario.yaml:{line}:{column} reactions[0].when: unknown variable 'tenson'; "
        "did you mean 'tension'?"
    ]


def test_unknown_actor_in_a_literal_block_scalar(tmp_path: Path) -> None:
    folder = edited(tmp_path, "      trust[BRV,ALD] += 0.2\n", "      trust[BRV,XLD] += 0.2\n")
    line, column = position(folder, "XLD")
    (message,) = errors(folder)
    assert message.startswith(f"scenario.yaml:{line}:{column} actions[0].effects: unknown actor")
    assert "'XLD'" in message and "did you mean 'ALD'" in message


def test_unknown_variable_in_a_quoted_scalar(tmp_path: Path) -> None:
    folder = edited(
        tmp_path, '"tension -= 8; trust[ALD,BRV] += 0.2"', '"tension -= 8; trist[ALD,BRV] += 0.2"'
    )
    line, column = position(folder, "trist")
    (message,) = errors(folder)
    assert message.startswith(f"scenario.yaml:{line}:{column} actions[1].effects:")


def test_unknown_variable_on_the_second_line_of_a_plain_scalar(tmp_path: Path) -> None:
    folder = edited(
        tmp_path,
        "      condition: talks == 0 and tension >= 50",
        "      condition: talks == 0 and\n        tensio >= 50",
    )
    line, column = position(folder, "tensio ")
    (message,) = errors(folder)
    assert message.startswith(f"scenario.yaml:{line}:{column} msel[6].trigger.condition:")


def test_effect_on_an_undefined_variable(tmp_path: Path) -> None:
    folder = edited(
        tmp_path, "effects: fleet += 2; tension += 6", "effects: morale += 2; tension += 6"
    )
    line, column = position(folder, "morale")
    assert errors(folder) == [
        f"scenario.yaml:{line}:{column} actions[10].effects: cannot assign to unknown variable "
        "'morale'"
    ]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("__import__(os)", "'__import__' cannot be called"),
        ("tension.real > 3", "attribute access ('.') is not allowed"),
        ("lambda: 1", "lambda expressions are not allowed"),
    ],
)
def test_code_in_expressions_is_rejected_with_a_location(
    tmp_path: Path, code: str, expected: str
) -> None:
    folder = edited(tmp_path, "when: tension > 80", f'when: "{code}"')
    line, _ = position(folder, code)
    (message,) = errors(folder)
    assert message.startswith(f"scenario.yaml:{line}:")
    assert expected in message


# --- whole-pack checks ---------------------------------------------------------------------------


def test_an_inject_after_itself(tmp_path: Path) -> None:
    folder = edited(tmp_path, "      after: 4", "      after: 5")
    line, _ = position(folder, "after: 5")
    assert errors(folder) == [
        f"scenario.yaml:{line}:14 msel[4].trigger.after: inject 5 is released after itself"
    ]


def test_an_inject_trigger_cycle(tmp_path: Path) -> None:
    folder = edited(tmp_path, "      condition: tension >= 45", "      after: 5")
    (message,) = errors(folder)
    assert "msel[3].trigger.after: inject trigger cycle: 4 → 5 → 4" in message
    line, _ = position(folder, "after: 5")
    assert message.startswith(f"scenario.yaml:{line}:")


def test_an_action_without_escalation_rung(tmp_path: Path) -> None:
    folder = edited(
        tmp_path,
        "    escalation: status-quo\n    tags: {stability: 0.2}\n",
        "    tags: {stability: 0.2}\n",
    )
    (message,) = errors(folder)
    assert "actions[9].escalation: is required" in message


def test_an_action_with_an_unknown_rung(tmp_path: Path) -> None:
    folder = edited(
        tmp_path, "    escalation: violent-escalation", "    escalation: violent-escalaton"
    )
    line, column = position(folder, "violent-escalaton")
    assert errors(folder) == [
        f"scenario.yaml:{line}:{column} actions[6].escalation: unknown escalation rung "
        "'violent-escalaton' (did you mean 'violent-escalation'?); "
        "every action maps to exactly one rung of the ladder"
    ]


def test_a_move_without_questions_for_a_player(tmp_path: Path) -> None:
    folder = edited(
        tmp_path,
        "      BRV:\n        - Do you accept responsibility for the collision?\n"
        "        - What would make talks acceptable to you?\n",
        "",
    )
    (message,) = errors(folder)
    assert "moves[1].questions: move 2 has no decision questions for player 'BRV'" in message


def test_too_few_and_too_many_questions(tmp_path: Path) -> None:
    edited(tmp_path, "        - What do you say in public?\n", "")
    folder = edited(
        tmp_path,
        "        - How do you handle the crowds at home?\n",
        "        - How do you handle the crowds at home?\n        - A?\n        - B?\n",
    )
    found = errors(folder)
    assert any("BRV has 1 decision question(s) in move 1; give 2 to 4" in m for m in found)
    assert any("ALD has 5 decision question(s) in move 2; give 2 to 4" in m for m in found)


def test_unknown_actors_of_actions_and_reactions(tmp_path: Path) -> None:
    edited(
        tmp_path,
        "    actors: [ALD, BRV]\n    precondition: talks == 0",
        "    actors: [ALD, BVR]\n    precondition: talks == 0",
    )
    folder = edited(
        tmp_path, "    actor: FLT\n    when: talks == 1", "    actor: FLX\n    when: talks == 1"
    )
    found = errors(folder)
    assert any(
        "actions[8].actors[1]: unknown actor 'BVR' (did you mean 'BRV'?)" in m for m in found
    )
    assert any("reactions[1].actor: unknown actor 'FLX' (did you mean 'FLT'?)" in m for m in found)


def test_a_reaction_whose_action_the_actor_may_not_take(tmp_path: Path) -> None:
    folder = edited(tmp_path, "    action: militia-withdraw", "    action: propose-talks")
    (message,) = errors(folder)
    assert "reactions[1].action: 'FLT' may not take action 'propose-talks'" in message


def test_a_reaction_rule_for_a_player(tmp_path: Path) -> None:
    edited(tmp_path, "    actor: FLT\n    when: talks == 1", "    actor: ALD\n    when: talks == 1")
    folder = edited(tmp_path, "    action: militia-withdraw", "    action: hold")
    (message,) = errors(folder)
    assert "reactions[1].actor: 'ALD' is a player; reaction rules are for control actors" in message


def test_a_player_whose_delegation_is_not_in_the_meeting(tmp_path: Path) -> None:
    folder = edited(
        tmp_path, "    role: player\n    delegation: BRV", "    role: player\n    delegation: BRA"
    )
    (message,) = errors(folder)
    assert (
        "actors[1].delegation: unknown delegation 'BRA' (did you mean 'BRV'?) in meeting.yaml"
        in message
    )
    load_pack(folder)  # without the meeting there is nothing to check it against


def test_action_tags_name_the_profiles_dimensions(tmp_path: Path) -> None:
    folder = edited(tmp_path, "    tags: {stability: 0.2}", "    tags: {stabilty: 0.2}")
    (message,) = errors(folder)
    assert "actions[9].tags.stabilty: unknown interest dimension 'stabilty'" in message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    contingency: true\n    trigger:\n      condition: talks == 0 and tension >= 50\n",
            "    contingency: true\n",
            "contingency inject 7 needs a condition or after trigger",
        ),
        (
            "    trigger:\n      after: 4\n",
            "    trigger:\n      after: 4\n      scheduled: true\n",
            "inject 5 has scheduled and after triggers; use exactly one",
        ),
        ("  - number: 6\n    move: 2\n", "  - number: 6\n", "scheduled inject 6 needs the 'move'"),
        ("    trigger:\n      after: 4\n", "    trigger: {}\n", "inject 5 is never released"),
        (
            "    expected_actions: [propose-talks]\n    objective: off-ramps\n    trigger:\n"
            "      condition: tension >= 45",
            "    expected_actions: [propose-talk]\n    objective: off-ramps\n    trigger:\n"
            "      condition: tension >= 45",
            "unknown action 'propose-talk'",
        ),
    ],
)
def test_msel_rows_are_checked(tmp_path: Path, old: str, new: str, expected: str) -> None:
    found = errors(edited(tmp_path, old, new))
    assert any(expected in m for m in found), found
    assert all(m.startswith("scenario.yaml:") and ":0:" not in m.split(" ")[0] for m in found)


def test_initial_values_outside_the_range(tmp_path: Path) -> None:
    folder = edited(tmp_path, "    initial: 30\n", "    initial: 130\n")
    (message,) = errors(folder)
    assert "state[0].initial: initial 130.0 is outside [0.0, 100.0]" in message


# --- modifiers -----------------------------------------------------------------------------------


def test_a_modifier_changes_initial_state_probabilities_and_actions() -> None:
    c = load_pack(SMALL).compiled
    m = compile_modifier(
        Modifier(
            effects="hotline[ALD,BRV] = 0; tension = 50",
            reactions={"swarm-when-tense": Factor(factor=0.5)},
            chance={"misperception": Factor(factor=0.0)},
            disable_actions=["brv-ram"],
            appeal={"propose-talks": 1.5},
        ),
        c,
    )
    state: State = c.new_state(3)
    m.apply_initial(state)
    hotline = c.symbols.dyadics["hotline"].index
    assert state.dyadic[:, hotline, 1, 0].tolist() == [0.0] * 3
    assert state.scalars[:, 0].tolist() == [50.0] * 3
    both = combine(c, [m, m])
    assert both.reaction_factor.tolist() == [0.25, 1.0]
    assert both.chance_factor.tolist() == [0.0]
    assert both.disabled[c.action_index("brv-ram")] and both.disabled.sum() == 1
    assert both.appeal[c.action_index("propose-talks")] == 3.0


def test_a_modifier_with_unknown_ids_is_reported() -> None:
    c = load_pack(SMALL).compiled
    bad = Modifier(
        effects="tension = 1; moral = 2",
        reactions={"swarm": Factor(factor=0.5)},
        disable_actions=["brv-rm"],
    )
    with pytest.raises(InputError) as caught:
        compile_modifier(bad, c, name="measures.yaml", path=("measures", 0, "modifier"))
    found = [str(d) for d in caught.value.diagnostics]
    assert any("measures[0].modifier.reactions.swarm: unknown reaction 'swarm'" in m for m in found)
    assert any("unknown action 'brv-rm' (did you mean 'brv-ram'?)" in m for m in found)
    assert any(
        m.startswith("measures.yaml:1:14 measures[0].modifier.effects: cannot assign")
        for m in found
    )
    assert np.all(combine(c, []).reaction_factor == 1.0)
