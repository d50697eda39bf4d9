"""The seats' events record the request's stable kind; records naming its class still read."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.names import snake_case
from detente.seats.base import Request
from detente.seats.events import ModelCalled, PlausibilityFlagged, SeatFellBack
from detente.store.events import decode
from detente.store.log import Record

WHEN = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _v1(kind: str, payload: dict[str, object]) -> Record:
    return Record("m", 3, WHEN, "USA", kind, "facilitator", payload, 1)


@pytest.mark.parametrize(
    ("kind", "payload"),
    [
        (
            "model_called",
            {
                "delegation": "USA",
                "request": "TtxDecisionRequest",
                "item_id": "s3",
                "attempt": 1,
                "model": "m",
                "server": "s",
                "parameters": {},
                "prompt_hash": "0" * 64,
                "raw": "{}",
                "outcome": "error",
            },
        ),
        (
            "seat_fell_back",
            {"delegation": "USA", "request": "VoteRequest", "item_id": "s2", "reason": "down"},
        ),
        (
            "plausibility_flagged",
            {
                "delegation": "USA",
                "seat": "model",
                "request": "RatingRequest",
                "item_id": "s4",
                "flags": ["against its interests"],
            },
        ),
    ],
)
def test_v1_records_naming_the_request_class_read_as_its_kind(
    kind: str, payload: dict[str, object]
) -> None:
    event = decode(_v1(kind, payload))
    assert isinstance(event, ModelCalled | SeatFellBack | PlausibilityFlagged)
    assert (
        event.request
        == {
            "TtxDecisionRequest": "ttx_decision_request",
            "VoteRequest": "vote_request",
            "RatingRequest": "rating_request",
        }[str(payload["request"])]
    )


def test_the_upcaster_gives_every_request_type_its_recorded_kind() -> None:
    """v1 recorded `type(request).__name__`; the upcaster's snake case is the kind each type is
    recorded under now (no type sets a `request_kind` of its own that would differ)."""
    import detente.deliberation.votes
    import detente.roadmap.ratings
    import detente.ttx.requests  # noqa: F401  (importing the domains defines their request types)

    assert {"vote_request", "rating_request", "ttx_decision_request"} <= set(Request.kinds)
    for kind, cls in Request.kinds.items():
        assert snake_case(cls.__name__) == kind, cls
