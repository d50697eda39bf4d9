"""The ballot mechanism, driven by a toy configuration that is neither votes nor ratings: what is
recorded, what is dropped and noted, how a record is replayed and folded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pytest

from detente.ballots import (
    BallotKind,
    Tally,
    collect,
    decode_or_raise,
    observer_ids,
    replayed,
    voter_ids,
)
from detente.deliberation.events import VoteCast, VotingClosed, VotingOpened
from detente.meeting.context import ActivityContext
from detente.meeting.events import FacilitatorNote
from detente.meeting.loader import load_meeting
from detente.seats.base import Request
from detente.store.events import Event, decode
from detente.store.log import Draft, Record
from detente.store.visibility import FACILITATOR
from tests.conftest import KOREA

T0 = dt.datetime(2024, 8, 26, 10, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Mark:
    who: str
    what: str
    value: str


@dataclass(frozen=True)
class Marks:
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class MarkRequest(Request[Marks]):
    item_id: str
    members: tuple[str, ...]


class MarkKind(BallotKind[Mark, Marks, VoteCast]):
    """A toy configuration on the vote events that refuses `pass` as a value."""

    entry_noun, verb, preposition = "mark", "mark", "on"
    subject_noun = "a subject of the toy"
    minutes = 7
    entry_event, opened_event, closed_event = VoteCast, VotingOpened, VotingClosed

    def opened(self, item_id: str, subject_ids: list[str]) -> Event:
        return VotingOpened(item_id=item_id, statement_ids=subject_ids)

    def closed(self, item_id: str, count: int, note: str) -> Event:
        return VotingClosed(item_id=item_id, votes_cast=count, note=note)

    def entries(self, answer: Marks) -> Sequence[Mark]:
        return answer.marks

    def answer(self, entries: Sequence[Mark]) -> Marks:
        return Marks(tuple(entries))

    def participant(self, entry: Mark) -> str:
        return entry.who

    def subject(self, entry: Mark) -> str:
        return entry.what

    def problem(self, entry: Mark) -> str | None:
        return f"'{entry.who}' may not pass" if entry.value == "pass" else None

    def recorded(self, item_id: str, entry: Mark, delegation: str) -> VoteCast:
        return VoteCast(
            item_id=item_id,
            participant=entry.who,
            statement_id=entry.what,
            vote=entry.value,  # type: ignore[arg-type]
            delegation=delegation,
        )

    def from_event(self, event: VoteCast) -> Mark:
        return Mark(event.participant, event.statement_id, event.vote)


MARKS = MarkKind()


class FixedSeat:
    """Answers every request with the same marks."""

    kind = "fixed"

    def __init__(self, delegation: str, marks: tuple[Mark, ...]) -> None:
        self.delegation = delegation
        self.marks = marks

    def answer(self, request: object) -> Marks:
        return Marks(self.marks)


def _context(seats: dict[str, FixedSeat]) -> ActivityContext:
    folder = load_meeting(KOREA)
    records: list[Record] = []

    def append(draft: Draft) -> Record:
        record = Record(
            "m", len(records) + 1, draft.time, draft.actor, draft.kind, draft.visibility,
            draft.payload, draft.version,
        )  # fmt: skip
        records.append(record)
        return record

    return ActivityContext(
        folder=folder, seats=seats, rng=np.random.default_rng(0), append=append, now=T0
    )


def test_collect_records_the_valid_entries_and_notes_every_dropped_one() -> None:
    seats = {
        "CHN": FixedSeat(
            "CHN",
            (
                Mark("CHN-1", "s1", "agree"),
                Mark("USA-1", "s1", "agree"),  # not a member of CHN
                Mark("CHN-2", "s9", "agree"),  # not a subject put to the room
                Mark("CHN-2", "s2", "pass"),  # the kind's own check refuses it
                Mark("CHN-2", "s2", "disagree"),
            ),
        ),
        "USA": FixedSeat("USA", (Mark("USA-1", "s2", "agree"),)),
    }  # RUS has no seat: it cannot answer
    ctx = _context(seats)  # type: ignore[arg-type]
    meeting = ctx.folder.meeting
    members = {d.id: voter_ids(meeting, d.id) for d in meeting.delegations}
    requests = {d: MarkRequest("s", m) for d, m in members.items()}
    collect(ctx, "s", MARKS, ["s1", "s2"], requests, members)

    events = [decode(r) for r in ctx.emitted]
    assert isinstance(events[0], VotingOpened) and events[0].statement_ids == ["s1", "s2"]
    cast = [e for e in events if isinstance(e, VoteCast)]
    assert [(e.participant, e.statement_id, e.vote, e.delegation) for e in cast] == [
        ("CHN-1", "s1", "agree", "CHN"),
        ("CHN-2", "s2", "disagree", "CHN"),
        ("USA-1", "s2", "agree", "USA"),
    ]
    notes = [(r.visibility, decode(r)) for r in ctx.emitted if r.kind == FacilitatorNote.kind]
    assert all(visibility == FACILITATOR for visibility, _ in notes)
    texts = [n.text for _, n in notes if isinstance(n, FacilitatorNote)]
    assert texts == [
        "CHN: dropped a mark by 'USA-1' on 's1' (not a member, or not a subject of the toy)",
        "CHN: dropped a mark by 'CHN-2' on 's9' (not a member, or not a subject of the toy)",
        "CHN: dropped 'CHN-2' may not pass",
        "RUS: no seat for RUS",
    ]
    closed = events[-1]
    assert isinstance(closed, VotingClosed) and closed.votes_cast == 3
    observers = len(observer_ids(meeting))
    assert observers > 0
    assert closed.note.startswith(f"{observers} observer(s) did not mark:")
    assert ctx.emitted[-1].time == T0 + dt.timedelta(minutes=7)


def _records(events: list[Event]) -> list[Record]:
    return [
        Record("m", i, T0, "x", e.kind, "all", e.payload()) for i, e in enumerate(events, start=1)
    ]


def test_replay_gives_the_final_entries_of_the_first_complete_window_in_request_order() -> None:
    def cast(who: str, what: str, vote: str) -> VoteCast:
        return VoteCast(item_id="s", participant=who, statement_id=what, vote=vote)  # type: ignore[arg-type]

    events: list[Event] = [
        VotingOpened(item_id="s", statement_ids=["a", "b"]),
        cast("X-1", "b", "agree"),
        cast("X-2", "a", "agree"),
        cast("X-1", "a", "disagree"),
        cast("X-1", "b", "pass"),  # replaces the first
        cast("Y-1", "a", "agree"),  # not asked for
        VotingClosed(item_id="s", votes_cast=5),
        VotingOpened(item_id="s", statement_ids=["a"]),
        cast("X-1", "a", "agree"),  # a later window does not count
        VotingClosed(item_id="s", votes_cast=1),
    ]
    answer = replayed(MARKS, "s", ["X-1", "X-2"], ["a", "b"], events)
    assert answer == Marks(
        (Mark("X-1", "a", "disagree"), Mark("X-1", "b", "pass"), Mark("X-2", "a", "agree"))
    )
    assert replayed(MARKS, "s", ["X-1"], ["a"], events[:-5]) is None  # never closed
    assert replayed(MARKS, "other", ["X-1"], ["a"], events) is None


def test_a_tally_keeps_the_last_entry_counts_changes_and_sets_observers_apart() -> None:
    tally: Tally[str] = Tally("s")
    tally.enter("A-1", "m", "first", observer=False, delegation="A")
    tally.enter("observer-1", "m", "x", observer=True, delegation=None)
    tally.enter("A-1", "m", "second", observer=False, delegation="A")
    assert tally.final == {("A-1", "m"): "second", ("observer-1", "m"): "x"}
    assert tally.changes == 1
    assert tally.participants == ["A-1", "observer-1"]
    assert tally.groups() == {"A-1": "A", "observer-1": None}


class Broken(ValueError):
    pass


def test_an_event_that_does_not_validate_is_an_error_naming_its_position() -> None:
    bad = Record("m", 12, T0, "x", VoteCast.kind, "all", {"item_id": "s", "vote": "maybe"})
    with pytest.raises(Broken, match=r"^event #12 \(vote_cast\): .*vote"):
        decode_or_raise(bad, Broken)
