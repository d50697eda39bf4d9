"""The plan of a split exercise's parts: listed moves, and the default share by time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from detente.meeting.model import Meeting, with_item_ids
from detente.ttx.parts import plan_parts

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "ttx-small" / "meeting.yaml"


def meeting(*items: dict[str, Any]) -> Meeting:
    """The ttx-small meeting with one day holding `items` (each a ttx item unless kind says)."""
    data = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
    data["programme"] = [
        {
            "date": "2025-03-10",
            "title": "Day 1",
            "items": [{"kind": "session", "activity": "ttx", "title": "Part", **i} for i in items],
        }
    ]
    return with_item_ids(Meeting.model_validate(data))


FOUR = [(1, 40), (2, 40), (3, 40), (4, 40)]


def test_one_item_plays_every_move() -> None:
    (plan,) = plan_parts(meeting({"start": "09:00", "end": "10:00"}), FOUR)
    assert plan.moves == (1, 2, 3, 4) and plan.part == 1 and plan.minutes == 60


def test_two_equal_items_share_the_moves_evenly() -> None:
    m = meeting(
        {"id": "a", "start": "09:00", "end": "10:30"},
        {"id": "brk", "kind": "break", "activity": None, "start": "10:30", "end": "11:00"},
        {"id": "b", "start": "11:00", "end": "12:30"},
    )
    plans = plan_parts(m, FOUR)
    assert [(p.item_id, p.moves) for p in plans] == [("a", (1, 2)), ("b", (3, 4))]


def test_the_share_follows_the_time_available() -> None:
    m = meeting(
        {"id": "a", "start": "09:00", "end": "09:45"}, {"id": "b", "start": "10:00", "end": "12:15"}
    )
    assert [p.moves for p in plan_parts(m, FOUR)] == [(1,), (2, 3, 4)]


def test_every_later_part_keeps_a_move_when_possible() -> None:
    m = meeting(
        {"id": "a", "start": "09:00", "end": "12:00"},
        {"id": "b", "start": "12:00", "end": "12:05"},
    )
    assert [p.moves for p in plan_parts(m, FOUR)] == [(1, 2, 3), (4,)]


def test_listed_moves_are_kept_and_the_rest_shared() -> None:
    m = meeting(
        {"id": "a", "start": "09:00", "end": "10:00", "moves": [1]},
        {"id": "b", "start": "10:00", "end": "11:00"},
        {"id": "c", "start": "11:00", "end": "12:00", "moves": [4]},
    )
    plans = plan_parts(m, FOUR)
    assert [p.moves for p in plans] == [(1,), (2, 3), (4,)]
    assert [p.explicit for p in plans] == [True, False, True]


def test_a_part_after_the_moves_ran_out_gets_none() -> None:
    m = meeting(
        {"id": "a", "start": "09:00", "end": "10:00", "moves": [1, 2, 3, 4]},
        {"id": "b", "start": "10:00", "end": "11:00"},
    )
    assert [p.moves for p in plan_parts(m, FOUR)] == [(1, 2, 3, 4), ()]


def test_moves_must_be_consecutive() -> None:
    with pytest.raises(ValueError, match="consecutive"):
        meeting({"id": "a", "start": "09:00", "end": "10:00", "moves": [1, 3]})
