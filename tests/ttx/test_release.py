"""The release plan: defaults, the plan `validate` prints, located errors for bad values."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from detente.cli import app
from detente.meeting.loader import load_meeting
from detente.ttx.pack import load_pack
from detente.ttx.release import (
    BEFORE_MEETING,
    format_plan,
    handout_injects,
    inject_stage,
    move_stage,
    pre_released_moves,
)
from tests.ttx.test_pack import SMALL, edited, errors, position

MOVE_1 = "  - number: 1\n    title: Trawlers in the strait\n"


def test_defaults_release_each_move_when_it_opens_and_nothing_before() -> None:
    scenario = load_pack(SMALL, meeting=load_meeting(SMALL)).scenario
    assert [move_stage(m) for m in scenario.moves] == [1, 2]
    assert pre_released_moves(scenario) == []
    assert all(inject_stage(i) != BEFORE_MEETING for i in scenario.msel)
    first = scenario.msel[0]
    assert inject_stage(first) == 1
    assert first in handout_injects(scenario, 1, "ALD")
    assert all(inject_stage(i) is None for i in scenario.msel if i.type.value == "facilitation")


def test_a_marked_starting_situation_is_pre_released(tmp_path: Path) -> None:
    folder = edited(tmp_path, MOVE_1, MOVE_1 + "    release: before-meeting\n")
    scenario = load_pack(folder, meeting=load_meeting(folder)).scenario
    assert [m.number for m in pre_released_moves(scenario)] == [1]
    assert "before the meeting (packs)" in format_plan(scenario)
    assert "brief and questions of move 1" in format_plan(scenario).splitlines()[1]


def test_validate_prints_the_release_plan() -> None:
    result = CliRunner().invoke(app, ["validate", str(SMALL)])
    assert result.exit_code == 0, result.output
    assert "release plan:" in result.output
    assert "move 2" in result.output


def test_an_unknown_release_value_is_located(tmp_path: Path) -> None:
    folder = edited(tmp_path, MOVE_1, MOVE_1 + "    release: tomorrow\n")
    found = errors(folder)
    line, column = position(folder, "tomorrow")
    assert any(
        e.startswith(f"scenario.yaml:{line}:{column} moves[0].release:") and "move-N" in e
        for e in found
    ), found


def test_a_move_released_after_it_opens_is_an_error(tmp_path: Path) -> None:
    folder = edited(tmp_path, MOVE_1, MOVE_1 + "    release: move-2\n")
    line, column = position(folder, "move-2")
    found = errors(folder)
    assert any(
        e.startswith(f"scenario.yaml:{line}:{column}") and "after move 1 opens" in e for e in found
    ), found


def test_a_release_at_a_move_the_scenario_lacks_is_an_error(tmp_path: Path) -> None:
    folder = edited(tmp_path, MOVE_1, MOVE_1 + "    release: move-9\n")
    line, column = position(folder, "move-9")
    assert any(
        e.startswith(f"scenario.yaml:{line}:{column}") and "has 2 moves" in e
        for e in errors(folder)
    )
