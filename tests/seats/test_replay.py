"""Replay seats: answers read from a record, with nothing kept between answers or seats."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from detente.deliberation.events import VoteCast, VotingClosed, VotingOpened
from detente.deliberation.votes import MemberVote, VoteItem, VoteRequest
from detente.seats.base import SeatCannotAnswer
from detente.seats.replay import ReplaySeat, ballot_window, first_recorded
from detente.store.events import Event
from detente.store.log import Record

ITEM = "session-2"


def _records(events: Sequence[Event]) -> list[Record]:
    time = dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.UTC)
    return [
        Record("m", seq, time, "system", e.kind, "all", e.payload())
        for seq, e in enumerate(events, start=1)
    ]


def _vote(participant: str, statement: str, vote: str, item: str = ITEM) -> VoteCast:
    return VoteCast.model_validate(
        {"item_id": item, "participant": participant, "statement_id": statement, "vote": vote}
    )


def _request(members: tuple[str, ...] = ("a1", "a2")) -> VoteRequest:
    return VoteRequest(ITEM, (VoteItem("s1", "one"), VoteItem("s2", "two")), members)


def _fold(event: VoteCast) -> tuple[tuple[str, str], str]:
    return (event.participant, event.statement_id), event.vote


def _window(events: Sequence[Event]) -> dict[tuple[str, str], str] | None:
    return ballot_window(
        events, ITEM, opened=VotingOpened, entry=VoteCast, closed=VotingClosed, fold=_fold
    )


def test_window_takes_the_last_vote_between_opening_and_closing() -> None:
    events = [
        _vote("a1", "s1", "agree"),  # before the window: not counted
        VotingOpened(item_id=ITEM, statement_ids=["s1", "s2"]),
        _vote("a1", "s1", "disagree"),
        _vote("a1", "s1", "agree"),
        _vote("a2", "s2", "pass"),
        _vote("a2", "s2", "agree", item="session-9"),  # another item
        VotingClosed(item_id=ITEM, votes_cast=3),
        _vote("a2", "s2", "disagree"),  # after the window
    ]
    assert _window(events) == {("a1", "s1"): "agree", ("a2", "s2"): "pass"}


def test_reopening_starts_afresh_and_a_close_without_opening_is_no_window() -> None:
    opened = VotingOpened(item_id=ITEM, statement_ids=["s1"])
    closed = VotingClosed(item_id=ITEM, votes_cast=1)
    assert _window([closed, _vote("a1", "s1", "agree")]) is None
    assert _window([opened, _vote("a1", "s1", "agree")]) is None
    again = [opened, _vote("a1", "s1", "agree"), opened, _vote("a2", "s1", "pass"), closed]
    assert _window(again) == {("a2", "s1"): "pass"}


def test_replay_seats_share_no_state() -> None:
    """A window one seat left open must not collect another seat's votes (the matchers once
    kept their windows in a module-level dict keyed by delegation and item, so the second seat
    below answered with a vote cast outside any window)."""
    unfinished = [VotingOpened(item_id=ITEM, statement_ids=["s1"]), _vote("a1", "s1", "pass")]
    unopened = [_vote("a1", "s1", "agree"), VotingClosed(item_id=ITEM, votes_cast=1)]
    request = _request()
    with pytest.raises(SeatCannotAnswer):
        ReplaySeat("ALD", _records(unfinished)).answer(request)
    with pytest.raises(SeatCannotAnswer):
        ReplaySeat("ALD", _records(unopened)).answer(request)


def test_replay_seat_answers_the_members_votes_and_the_same_twice() -> None:
    seat = ReplaySeat(
        "ALD",
        _records(
            [
                VotingOpened(item_id=ITEM, statement_ids=["s1", "s2"]),
                _vote("a1", "s1", "agree"),
                _vote("x9", "s1", "agree"),  # not a member of the request
                VotingClosed(item_id=ITEM, votes_cast=2),
            ]
        ),
    )
    expected = (MemberVote("a1", "s1", "agree"),)
    assert seat.answer(_request()).votes == expected
    assert seat.answer(_request()).votes == expected


def test_first_recorded_matches_kind_item_and_fields() -> None:
    events = [
        _vote("a1", "s1", "agree", item="session-9"),
        _vote("a2", "s1", "pass"),
        _vote("a1", "s1", "disagree"),
        _vote("a1", "s1", "agree"),
    ]
    found = first_recorded(events, VoteCast, ITEM, participant="a1")
    assert found is events[2]
    assert first_recorded(events, VotingClosed, ITEM) is None
    assert first_recorded(events, VoteCast, ITEM, participant="b1") is None
