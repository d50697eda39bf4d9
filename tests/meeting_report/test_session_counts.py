"""The executive summary counts sessions (not programme items): an exercise split over two items,
or a session with several items, is one session."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from detente.meeting.loader import load_meeting
from detente.meeting.model import Meeting
from detente.meeting.state import HeldItem
from detente.meeting_report.executive_summary import session_counts

KOREA = Path(__file__).resolve().parents[2] / "examples" / "korea-2024"
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _held(session: int, unavailable: str | None = None) -> HeldItem:
    return HeldItem(f"i{session}", "T", "session", session, None, START, unavailable=unavailable)


@pytest.fixture(scope="module")
def korea() -> Meeting:
    return load_meeting(KOREA).meeting


def _one_session(meeting: Meeting) -> Meeting:
    """The meeting with every session numbered 1 (several items, one session)."""
    data = meeting.model_dump(by_alias=True)
    for day in data["programme"]:
        for item in day["items"]:
            if item.get("session") is not None:
                item["session"] = 1
    return Meeting.model_validate(data)


def test_all_some_none_held(korea: Meeting) -> None:
    sessions = sorted({i.session for _, i in korea.items() if i.session is not None})
    total = len(sessions)
    assert total > 2
    every = [_held(s) for s in sessions]
    assert session_counts(korea, every) == (total, total, total)
    assert session_counts(korea, every[:1]) == (total, 1, 1)
    assert session_counts(korea, []) == (total, 0, 0)
    partly = [_held(sessions[0]), _held(sessions[1], unavailable="no record")]
    assert session_counts(korea, partly) == (total, 2, 1)


def test_items_sharing_a_session_count_once(korea: Meeting) -> None:
    sessions = sorted({i.session for _, i in korea.items() if i.session is not None})
    twice = [_held(s) for s in sessions] + [_held(sessions[0])]
    assert session_counts(korea, twice) == (len(sessions), len(sessions), len(sessions))
    one = _one_session(korea)
    assert session_counts(one, [_held(1), _held(1, unavailable="x")]) == (1, 1, 1)
    assert session_counts(one, [_held(1, unavailable="x")]) == (1, 1, 0)
