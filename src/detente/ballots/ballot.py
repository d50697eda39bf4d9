"""One ballot mechanism for the room: open it, ask every delegation's seat for its members'
entries, keep the valid ones, record each, close it; replay it from a record; fold a record into
per-item tallies.

Votes on statements (:mod:`detente.deliberation.votes`) and ratings of measures
(:mod:`detente.roadmap.ratings`) are two configurations of this mechanism, each a
:class:`BallotKind` that says which events open, fill and close the ballot, which request a seat
answers, and what makes an entry invalid. The mechanism never decides what an entry means.

Voters are recorded under *seat positions*, not names (:func:`voter_ids`): the k-th delegate of
delegation `USA` in `meeting.yaml` is `USA-k`, the k-th voting observer `observer-k`. Seats answer
for delegations only, so when no seat answers for observers (the case in simulation) the closing
event says that observers did not take part rather than inventing their entries. An entry for
someone outside the delegation, on a subject not put to the room or failing the kind's check is
dropped and noted (facilitator only), never recorded.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import ValidationError

from detente.meeting.context import ActivityContext
from detente.meeting.events import FacilitatorNote
from detente.meeting.model import Meeting
from detente.seats.base import Request, SeatCannotAnswer
from detente.seats.replay import ballot_window
from detente.store.events import SYSTEM, Event, decode
from detente.store.log import Record
from detente.store.visibility import FACILITATOR

E = TypeVar("E")
"""One member's entry in a seat's answer (a vote on a statement, a rating of a measure)."""
A = TypeVar("A")
"""A seat's answer: its members' entries."""
V = TypeVar("V")
"""What a tally keeps per (participant, subject)."""
Entry = TypeVar("Entry", bound=Event)


def voter_ids(meeting: Meeting, delegation: str) -> tuple[str, ...]:
    """The seat positions of a delegation's delegates, `<delegation>-1` … in file order."""
    return tuple(f"{delegation}-{k}" for k in range(1, len(meeting.members(delegation)) + 1))


def observer_ids(meeting: Meeting) -> tuple[str, ...]:
    """The seat positions of the voting observers, `observer-k` for the k-th observer in file
    order (a non-voting observer, `votes: false`, has none; the others keep their numbers)."""
    return tuple(f"observer-{k}" for k, p in enumerate(meeting.observers, start=1) if p.voting)


class BallotKind(ABC, Generic[E, A, Entry]):
    """One configuration of the ballot: votes or ratings.

    `E` is a member's entry in a seat's answer `A`; `Entry` the event that records one entry.
    The texts (`entry_noun`, `verb`, `preposition`, `subject_noun`) only word the notes and
    errors; the event kinds and payloads are the configuration's own.
    """

    entry_noun: str
    """`vote`, `rating`: named in a dropped entry's note."""
    verb: str
    """`vote`, `rate`: what observers did not do."""
    preposition: str
    """`on`, `of`: a vote *on* a statement, a rating *of* a measure."""
    subject_noun: str
    """What a dropped entry's subject was not: `a statement of this item` …"""
    minutes: int
    """Simulated time the room takes to fill the ballot."""
    entry_event: type[Entry]
    opened_event: type[Event]
    closed_event: type[Event]

    @abstractmethod
    def opened(self, item_id: str, subject_ids: list[str]) -> Event:
        """The event that opens the ballot on `subject_ids`."""

    @abstractmethod
    def closed(self, item_id: str, count: int, note: str) -> Event:
        """The event that closes the ballot after `count` recorded entries."""

    @abstractmethod
    def entries(self, answer: A) -> Sequence[E]:
        """The members' entries of one seat's answer."""

    @abstractmethod
    def answer(self, entries: Sequence[E]) -> A:
        """A seat's answer holding `entries` (replay builds answers from the record)."""

    @abstractmethod
    def participant(self, entry: E) -> str:
        """The seat position an entry speaks for."""

    @abstractmethod
    def subject(self, entry: E) -> str:
        """The statement or measure an entry is about."""

    def problem(self, entry: E) -> str | None:
        """Why an entry cannot be recorded although its member and subject are right (a value
        out of range), or None. By default every entry is valid."""
        return None

    @abstractmethod
    def recorded(self, item_id: str, entry: E, delegation: str) -> Entry:
        """The event that records one entry of `delegation`."""

    @abstractmethod
    def from_event(self, event: Entry) -> E:
        """The entry a recorded event holds (for replay)."""

    def dropped(self, delegation: str, entry: E) -> str:
        """The note for an entry by a non-member or on a subject not put to the room."""
        return (
            f"{delegation}: dropped a {self.entry_noun} by '{self.participant(entry)}' "
            f"{self.preposition} '{self.subject(entry)}' (not a member, or not "
            f"{self.subject_noun})"
        )


def collect(
    ctx: ActivityContext,
    item_id: str,
    kind: BallotKind[E, A, Any],
    subject_ids: list[str],
    requests: Mapping[str, Request[A]],
    members_of: Mapping[str, Sequence[str]],
) -> None:
    """Open the ballot on `subject_ids`, ask every delegation's seat (`requests`, by delegation;
    all at once, so live seats answer in parallel), record each valid entry, note what was
    dropped, advance the clock and close the ballot.

    A seat that is missing or cannot answer is noted and its delegation simply has no entries.
    """
    ctx.emit(kind.opened(item_id, subject_ids), actor=FACILITATOR)
    answers = ctx.ask_all(requests)
    count = 0
    problems: list[str] = []
    known = set(subject_ids)
    for delegation, answer in answers.items():
        if isinstance(answer, SeatCannotAnswer):
            problems.append(f"{delegation}: {answer}")
            continue
        for entry in kind.entries(answer):
            if kind.participant(entry) not in members_of[delegation] or (
                kind.subject(entry) not in known
            ):
                problems.append(kind.dropped(delegation, entry))
                continue
            problem = kind.problem(entry)
            if problem is not None:
                problems.append(f"{delegation}: dropped {problem}")
                continue
            ctx.emit(kind.recorded(item_id, entry, delegation), actor=delegation)
            count += 1
    for text in problems:
        ctx.emit(FacilitatorNote(item_id=item_id, text=text), actor=SYSTEM, visibility=FACILITATOR)
    observers = len(observer_ids(ctx.folder.meeting))
    note = (
        f"{observers} observer(s) did not {kind.verb}: seats answer for delegations, and no seat "
        "answers for observers in this run"
        if observers
        else ""
    )
    ctx.advance(kind.minutes)
    ctx.emit(kind.closed(item_id, count, note), actor=FACILITATOR)


def replayed(
    kind: BallotKind[E, A, Entry],
    item_id: str,
    members: Sequence[str],
    subject_ids: Sequence[str],
    events: Sequence[Event],
) -> A | None:
    """The members' final entries in the item's first recorded window of this kind (a later
    entry replaces an earlier one), members in request order and subjects in request order
    within each; None when the record holds no complete window."""

    def fold(event: Entry) -> tuple[tuple[str, str], E] | None:
        entry = kind.from_event(event)
        if kind.participant(entry) not in members:
            return None
        return (kind.participant(entry), kind.subject(entry)), entry

    window = ballot_window(
        events,
        item_id,
        opened=kind.opened_event,
        entry=kind.entry_event,
        closed=kind.closed_event,
        fold=fold,
    )
    if window is None:
        return None
    return kind.answer([window[(m, s)] for m in members for s in subject_ids if (m, s) in window])


# --- the record's tallies ----------------------------------------------------------------------


@dataclass
class Tally(Generic[V]):
    """The final entries of one item's ballot, folded from the record.

    `final` maps (participant, subject id) to the last entry; `changes` counts entries that
    replaced an earlier one; `delegation` maps each delegate to their delegation; `observers` are
    participants whose entries carry the observer flag.
    """

    item_id: str
    final: dict[tuple[str, str], V] = field(default_factory=dict)
    delegation: dict[str, str] = field(default_factory=dict)
    observers: set[str] = field(default_factory=set)
    changes: int = 0

    @property
    def participants(self) -> list[str]:
        """Participants in order of first entry."""
        return list(dict.fromkeys(p for p, _ in self.final))

    def groups(self) -> dict[str, str | None]:
        """Participant → delegation, None for observers."""
        return {
            p: (None if p in self.observers else self.delegation.get(p)) for p in self.participants
        }

    def enter(
        self, participant: str, subject: str, value: V, *, observer: bool, delegation: str | None
    ) -> None:
        """Keep `value` as the participant's final entry on `subject`."""
        key = (participant, subject)
        if key in self.final:
            self.changes += 1
        self.final[key] = value
        if observer:
            self.observers.add(participant)
        elif delegation is not None:
            self.delegation[participant] = delegation


def decode_or_raise(record: Record, error: type[ValueError]) -> Event:
    """The record's event; a payload that does not validate raises `error` naming the event's
    position and each problem."""
    try:
        return decode(record)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise error(f"event #{record.seq} ({record.kind}): {problems}") from None


def records_of(records: Iterable[Record], *kinds: type[Event]) -> Iterable[Record]:
    """The records of the given event classes, in log order."""
    names = {k.kind for k in kinds}
    return (r for r in records if r.kind in names)
