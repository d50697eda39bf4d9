"""The run-of-show of each exercise session: rows back to back, totals against the session."""

from __future__ import annotations

from pathlib import Path

from detente.meeting.loader import load_meeting
from detente.meeting.model import Meeting
from detente.ttx.documents.run_of_show import move_starts, run_of_show
from detente.ttx.pack import load_pack
from detente.ttx.scenario import Break, RunOfShow, Scenario

ROOT = Path(__file__).resolve().parents[3]
KOREA = ROOT / "examples" / "korea-2024"
SULU = ROOT / "examples" / "sulu-sea-2026"


def _scenario(root: Path) -> tuple[Scenario, Meeting]:
    folder = load_meeting(root)
    return load_pack(root, meeting=folder).scenario, folder.meeting


def test_korea_rows_follow_each_other_and_fill_the_session() -> None:
    scenario, meeting = _scenario(KOREA)
    (show,) = run_of_show(meeting, scenario)
    kinds = [r.kind for r in show.rows]
    assert kinds[0] == "brief" and kinds[-1] == "hotwash" and "break" in kinds
    assert [r.move for r in show.rows if r.kind == "move"] == [m.number for m in scenario.moves]
    for a, b in zip(show.rows, show.rows[1:], strict=False):
        assert a.end == b.start
    assert show.available == 240 and show.total == 240 and show.balance == 0


def test_without_run_of_show_the_gap_is_reported() -> None:
    scenario, meeting = _scenario(KOREA)
    bare = scenario.model_copy(update={"run_of_show": RunOfShow()})
    (show,) = run_of_show(meeting, bare)
    moves = sum(m.minutes for m in scenario.moves)
    assert show.total == moves and show.balance == 240 - moves


def test_overrun_is_negative_and_breaks_delay_later_moves() -> None:
    scenario, meeting = _scenario(KOREA)
    timing = RunOfShow(opening_brief=30, breaks=[Break(after_move=1, minutes=60)])
    long = scenario.model_copy(update={"run_of_show": timing})
    (show,) = run_of_show(meeting, long)
    assert show.balance is not None and show.balance < 0
    starts = move_starts(meeting, long)
    move1 = starts[1][0]
    assert show.rows[0].kind == "brief" and move1 == show.rows[0].end
    assert (starts[2][0] - move1).total_seconds() / 60 == scenario.moves[0].minutes + 60


def test_split_exercise_brief_in_first_part_hotwash_in_last() -> None:
    scenario, meeting = _scenario(SULU)
    timed = scenario.model_copy(update={"run_of_show": RunOfShow(opening_brief=10, hotwash=20)})
    shows = run_of_show(meeting, timed)
    assert len(shows) >= 2
    assert shows[0].rows[0].kind == "brief"
    assert all(r.kind != "hotwash" for s in shows[:-1] for r in s.rows)
    assert shows[-1].rows[-1].kind == "hotwash"
    played = [r.move for s in shows for r in s.rows if r.move is not None]
    assert played == sorted(m.number for m in scenario.moves)
