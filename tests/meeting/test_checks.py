"""Programme checks: the founding example's real inconsistencies, and each rule on its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from detente.diagnostics import Severity
from detente.meeting.checks import check_programme
from detente.meeting.loader import load_meeting
from detente.ttx.documents.run_of_show import folder_breaks

Edit = Callable[[Path, Callable[[str], str]], Path]


def findings(folder: Path) -> list[str]:
    loaded = load_meeting(folder)
    return [str(d) for d in check_programme(loaded.meeting, loaded.source)]


def line_of(folder: Path, needle: str, after: str = "") -> int:
    lines = (folder / "meeting.yaml").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines[start:], start=start + 1) if needle in line)


def test_korea_reports_the_seeds_real_inconsistencies(korea: Path) -> None:
    loaded = load_meeting(korea)
    found = check_programme(loaded.meeting, loaded.source)
    assert all(d.severity is Severity.WARNING for d in found)
    texts = [str(d) for d in found]
    s2 = line_of(korea, 'start: "10:10"')
    assert (
        f"meeting.yaml:{s2}:16 programme[1].items[2].start: warning: Session 2 (10:10–11:10) "
        "overlaps Session 1 (09:00–10:40) by 30 minutes"
    ) in texts
    part = line_of(korea, '"10:50"')
    assert (
        f"meeting.yaml:{part}:20 programme[2].items[4].parts[0].start: warning: 'Groups refine "
        "their policy recommendations and develop a Framework for Future Engagement' is timed "
        "10:50, before Session 7 (11:40–12:40) starts"
    ) in texts
    assert any("Session 4 (13:30–17:30) runs 4h00 without a break" in t for t in texts)
    assert len(texts) == 3


def test_harbour_is_clean(harbour: Path) -> None:
    assert findings(harbour) == []


def test_item_ending_before_it_starts_is_an_error(harbour: Path, edited_meeting: Edit) -> None:
    folder = edited_meeting(harbour, lambda t: t.replace('end: "11:15"', 'end: "10:45"', 1))
    loaded = load_meeting(folder)
    found = check_programme(loaded.meeting, loaded.source)
    errors = [str(d) for d in found if d.severity is Severity.ERROR]
    assert errors == [
        f"meeting.yaml:{line_of(folder, '10:45')}:14 programme[0].items[3].end: "
        "'Coffee break' (11:00–10:45) ends before it starts"
    ]


def test_out_of_order_items(harbour: Path, edited_meeting: Edit) -> None:
    folder = edited_meeting(
        harbour,
        lambda t: t.replace(
            'start: "11:00"\n        end: "11:15"', 'start: "08:00"\n        end: "08:15"'
        ),
    )
    texts = findings(folder)
    assert any(
        "'Coffee break' (08:00–08:15) starts before the item listed above it" in t for t in texts
    )


def test_sessions_out_of_sequence(harbour: Path, edited_meeting: Edit) -> None:
    folder = edited_meeting(harbour, lambda t: t.replace("session: 2", "session: 3", 1))
    assert any(
        "expected session 2 (sessions numbered out of sequence)" in t for t in findings(folder)
    )


def test_three_hours_without_a_break(harbour: Path, edited_meeting: Edit) -> None:
    def edit(text: str) -> str:
        text = text.replace(
            "kind: break\n        title: Coffee break",
            "kind: session\n        session: 3\n        title: More talk",
        )
        return text.replace('end: "11:15"', 'end: "12:10"', 1)

    texts = findings(edited_meeting(harbour, edit))
    assert any("Session 1 (09:00–10:00) to Session 3 (11:00–12:10) runs 3h10" in t for t in texts)


def test_crossing_midnight(harbour: Path, edited_meeting: Edit) -> None:
    folder = edited_meeting(
        harbour,
        lambda t: t.replace(
            'start: "11:30"\n        end: "12:30"', 'start: "22:30"\n        end: "00:30"'
        ),
    )
    assert any("'Lunch' (22:30–00:30) crosses midnight" in t for t in findings(folder))


def test_a_pause_declared_inside_an_item_ends_the_run(harbour: Path, edited_meeting: Edit) -> None:
    def edit(text: str) -> str:
        text = text.replace(
            "kind: break\n        title: Coffee break",
            "kind: session\n        session: 3\n        title: More talk",
        )
        return text.replace('end: "11:15"', 'end: "12:10"', 1)

    loaded = load_meeting(edited_meeting(harbour, edit))
    items = [i for _, i in loaded.meeting.items() if i.session == 3]
    assert items and items[0].id is not None

    def texts(pauses: dict[str, list[tuple[dt.time, dt.time]]]) -> list[str]:
        found = check_programme(loaded.meeting, loaded.source, pauses)
        return [str(d) for d in found if "without a break" in str(d)]

    assert texts({})  # the run of 3h10 warns without the pause
    inside = {items[0].id: [(dt.time(11, 30), dt.time(11, 45))]}
    assert texts(inside) == []  # 09:00–11:30 and 11:45–12:10: both under three hours
    outside = {items[0].id: [(dt.time(13, 0), dt.time(13, 15))]}
    assert texts(outside)  # a pause outside the item's span does not count


def test_korea_counts_the_break_its_run_of_show_declares(korea: Path) -> None:
    loaded = load_meeting(korea)
    pauses = folder_breaks(loaded)
    assert pauses  # the scenario's run_of_show schedules a break inside the exercise session
    found = [str(d) for d in check_programme(loaded.meeting, loaded.source, pauses)]
    assert not any("Session 4" in t and "without a break" in t for t in found)
