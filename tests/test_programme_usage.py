"""`validate` warns about statements, exercise parts and remarks no programme item will use as
intended (detente.programme_usage)."""

from __future__ import annotations

import shutil
from pathlib import Path

from detente.diagnostics import Severity
from detente.meeting.loader import load_meeting
from detente.programme_usage import check_usage
from tests.ttx.test_split_exercise import split_folder

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "fixtures" / "ttx-small"
HARBOUR = ROOT / "tests" / "fixtures" / "harbour-2025"


def messages(folder: Path) -> list[str]:
    found = check_usage(load_meeting(folder))
    assert all(d.severity is Severity.WARNING for d in found)
    return [f"{Path(d.file).name}:{d.line} {d.message}" for d in found]


def test_the_fixtures_use_everything() -> None:
    assert messages(SMALL) == []
    assert messages(HARBOUR) == []


def test_statements_for_an_item_that_never_votes(tmp_path: Path) -> None:
    folder = tmp_path / "harbour"
    shutil.copytree(HARBOUR, folder)
    (folder / "statements.yaml").write_text(
        (folder / "statements.yaml").read_text(encoding="utf-8")
        + "  - item: session-1\n    statements:\n      - id: x1\n        text: A statement.\n",
        encoding="utf-8",
    )
    (found,) = messages(folder)
    assert found.startswith("statements.yaml:")
    assert "item 'session-1' will never be put to a vote" in found
    assert "'activity: presentations'" in found


def test_a_part_without_moves_and_a_move_without_a_part(tmp_path: Path) -> None:
    folder = split_folder(tmp_path)
    path = folder / "meeting.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        '        end: "09:40"\n', '        end: "09:40"\n        moves: [1, 2]\n', 1
    )
    path.write_text(text, encoding="utf-8")
    found = messages(folder)
    assert any("part 2 of the exercise (item 'session-2') gets no move" in m for m in found)
    assert any(
        "the moves of part 1 take 90 minutes but item 'session-1' has 40" in m for m in found
    )
    path.write_text(
        text.replace("moves: [1, 2]", "moves: [1]").replace(
            '        end: "11:00"\n', '        end: "11:00"\n        moves: [1]\n', 1
        ),
        encoding="utf-8",
    )
    found = messages(folder)
    assert any("move 1 is already played in part 1" in m for m in found)
    assert any("no part of the exercise plays move(s) 2" in m for m in found)


def test_a_scenario_nobody_plays(tmp_path: Path) -> None:
    folder = tmp_path / "small"
    shutil.copytree(SMALL, folder)
    path = folder / "meeting.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("activity: ttx", "activity: discussion"),
        encoding="utf-8",
    )
    assert any(
        m.startswith("scenario.yaml:1 no programme item has 'activity: ttx'")
        for m in messages(folder)
    )


def test_remarks_before_any_session_are_not_opening_remarks(tmp_path: Path) -> None:
    folder = tmp_path / "small"
    shutil.copytree(SMALL, folder)
    path = folder / "meeting.yaml"
    opening = (
        "      - kind: remarks\n        activity: remarks\n        title: Opening remarks\n"
        '        start: "08:45"\n        end: "09:00"\n'
    )
    text = path.read_text(encoding="utf-8").replace("    items:\n", "    items:\n" + opening, 1)
    path.write_text(text, encoding="utf-8")
    (found,) = messages(folder)
    assert "use 'activity: opening' for opening remarks" in found
    path.write_text(text.replace("activity: remarks", "activity: opening"), encoding="utf-8")
    assert messages(folder) == []
