"""The meeting report's count of sessions: sessions (not items), in grammatical English."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from detente.meeting.loader import load_meeting
from detente.meeting.model import Meeting
from detente.meeting.state import HeldItem
from detente.report.meeting_report import sessions_held

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
    assert sessions_held(korea, every) == f"All {total} sessions in the programme were held."
    assert sessions_held(korea, every[:1]) == (
        f"1 of the {total} sessions in the programme was held."
    )
    assert sessions_held(korea, every[:2]) == (
        f"2 of the {total} sessions in the programme were held."
    )
    assert sessions_held(korea, []) == f"None of the {total} sessions in the programme was held."
    partly = [_held(sessions[0]), _held(sessions[1], unavailable="no record")]
    assert sessions_held(korea, partly) == (
        f"2 of the {total} sessions in the programme were held, and 1 of them produced a record."
    )


def test_items_sharing_a_session_count_once(korea: Meeting) -> None:
    sessions = sorted({i.session for _, i in korea.items() if i.session is not None})
    twice = [_held(s) for s in sessions] + [_held(sessions[0])]
    assert (
        sessions_held(korea, twice) == f"All {len(sessions)} sessions in the programme were held."
    )


def test_one_session(korea: Meeting) -> None:
    one = _one_session(korea)
    assert sessions_held(one, [_held(1)]) == "The programme's one session was held."
    assert sessions_held(one, []) == "The programme's one session was not held."
    assert sessions_held(one, [_held(1, unavailable="x")]) == (
        "The programme's one session was held but produced no record."
    )
