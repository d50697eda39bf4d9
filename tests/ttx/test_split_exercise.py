"""An exercise split over two programme items by a break: played once, each part in its time,
and every document reads both parts."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from typer.testing import CliRunner

from detente.cli import app
from detente.meeting.events import ItemEnded, ItemStarted
from detente.meeting.loader import load_meeting
from detente.meeting.runner import run_meeting
from detente.names import plural
from detente.store.events import decode
from detente.store.log import EventStore, Record
from detente.ttx.events import (
    ReflectionEscalationCurve,
    TtxExerciseEnded,
    TtxExerciseStarted,
    TtxMoveStarted,
    TtxPartEnded,
    TtxPartStarted,
)
from detente.ttx.results import exercise_result
from tests.ttx.test_activity import SMALL, scripted

PART_ONE = """        title: Tabletop Exercise — Standoff in the Corvan Strait
        start: "09:00"
        end: "10:45"
      - kind: break
        title: Coffee break
        start: "10:45"
        end: "11:00"
"""
SPLIT = """        title: Tabletop Exercise — part I
        start: "09:00"
        end: "09:40"
      - kind: break
        title: Coffee break
        start: "09:40"
        end: "10:00"
      - kind: session
        session: 2
        activity: ttx
        title: Tabletop Exercise — part II
        start: "10:00"
        end: "11:00"
"""


def split_folder(tmp_path: Path) -> Path:
    """ttx-small with its exercise split by a coffee break: part I has 40 minutes for a
    45-minute move, part II 60 minutes; the reflection becomes session 3."""
    folder = tmp_path / "split"
    shutil.copytree(SMALL, folder)
    path = folder / "meeting.yaml"
    text = path.read_text(encoding="utf-8")
    assert PART_ONE in text
    text = text.replace(PART_ONE, SPLIT).replace(
        "        session: 2\n        activity: reflection",
        "        session: 3\n        activity: reflection",
    )
    path.write_text(text, encoding="utf-8")
    return folder


def run(folder: Path, tmp_path: Path) -> list[Record]:
    store = EventStore(f"sqlite:///{tmp_path / 'split.db'}")
    seats = scripted({1: ["ald-hotline"], 2: ["hold"]}, {1: ["hold"], 2: ["hold"]})
    return run_meeting(load_meeting(folder), store, seed=0, seats=seats)


def decoded(records: list[Record]) -> list[tuple[Record, object]]:
    return [(r, decode(r)) for r in records]


def test_each_move_is_played_once_and_the_second_part_resumes(tmp_path: Path) -> None:
    events = decoded(run(split_folder(tmp_path), tmp_path))
    moves = [(e.item_id, e.move) for _, e in events if isinstance(e, TtxMoveStarted)]
    assert moves == [("session-1", 1), ("session-2", 2)]
    assert sum(isinstance(e, TtxExerciseStarted) for _, e in events) == 1
    (ended,) = [e for _, e in events if isinstance(e, TtxExerciseEnded)]
    assert ended.item_id == "session-2" and ended.moves_played == 2
    parts = [(e.part, e.item_id, e.moves) for _, e in events if isinstance(e, TtxPartStarted)]
    assert parts == [(1, "session-1", [1]), (2, "session-2", [2])]
    stops = [
        (e.part, e.moves_played, e.continues) for _, e in events if isinstance(e, TtxPartEnded)
    ]
    assert stops == [(1, [1], True), (2, [2], False)]


def test_each_part_keeps_within_its_item_and_the_break_is_kept(tmp_path: Path) -> None:
    records = run(split_folder(tmp_path), tmp_path)
    events = decoded(records)
    zone = load_meeting(SMALL).meeting.meeting.zone
    local = {
        (type(e).__name__, e.item_id): r.time.astimezone(zone).time()
        for r, e in events
        if isinstance(e, ItemStarted | ItemEnded)
    }
    assert local[("ItemEnded", "session-1")] == dt.time(9, 40)
    assert local[("ItemStarted", "d1-0940-break")] == dt.time(9, 40)
    assert local[("ItemStarted", "session-2")] == dt.time(10, 0)
    part_one = [r.time for r, e in events if getattr(e, "item_id", None) == "session-1"]
    assert max(part_one).astimezone(zone).time() <= dt.time(9, 40)


def test_the_exercise_result_reads_every_part(tmp_path: Path) -> None:
    result = exercise_result(run(split_folder(tmp_path), tmp_path))
    assert result is not None
    assert result.moves_played == (1, 2) and result.finished and result.split
    assert [(p.item_id, p.planned, p.played) for p in result.parts] == [
        ("session-1", (1,), (1,)),
        ("session-2", (2,), (2,)),
    ]
    assert result.duration == dt.timedelta(minutes=100)  # 40 + 60, the break left out
    assert "continues in the next part" in result.describe("session-1")


def test_the_reflection_covers_both_parts(tmp_path: Path) -> None:
    events = decoded(run(split_folder(tmp_path), tmp_path))
    (curve,) = [e for _, e in events if isinstance(e, ReflectionEscalationCurve)]
    assert curve.moves == [1, 2]


def test_an_exercise_in_one_item_records_no_parts(tmp_path: Path) -> None:
    store = EventStore(f"sqlite:///{tmp_path / 'one.db'}")
    records = run_meeting(load_meeting(SMALL), store, seed=0)
    assert not [r for r in records if r.kind in ("ttx_part_started", "ttx_part_ended")]
    result = exercise_result(records)
    assert result is not None and not result.split
    assert result.parts[0].planned == (1, 2)
    assert result.moves_played == tuple(range(1, len(result.moves_played) + 1))


def test_every_document_agrees_on_the_moves_played(tmp_path: Path) -> None:
    folder = split_folder(tmp_path)
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(app, ["run", str(folder), "--out", str(out)]).exit_code == 0
    made = runner.invoke(app, ["report", str(folder), "--out", str(out), "--format", "md"])
    assert made.exit_code == 0, made.output
    reports = out / "reports"
    store = EventStore(f"sqlite:///{out / 'detente.db'}")
    result = exercise_result(store.read("corvan-2025"))
    assert result is not None and result.finished
    played = len(result.moves_played)
    aar = (reports / "after-action-report.md").read_text(encoding="utf-8")
    assert f"The exercise ran for {plural(played, 'move')} in 2 parts" in aar
    meeting = (reports / "meeting-report.md").read_text(encoding="utf-8")
    assert "nothing was recorded" not in meeting
    assert f"the exercise ran for {played} of 2 moves" in meeting
    handbook = (reports / "facilitator-handbook.md").read_text(encoding="utf-8")
    assert "part 1 (move 1) does NOT fit its session" in handbook
    assert "part 2 (move 2) fits its session" in handbook
