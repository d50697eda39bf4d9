"""Votes on statements: the seat request, how simulated and replay seats answer it, and the fold
of a meeting's vote events into final ballots.

A vote is `agree`, `disagree` or `pass` (a pass is a vote cast without agreement: "I don't know"
or "not my issue", which the analysis treats as an information gap, not as dissent). Each vote is
a :class:`~detente.deliberation.events.VoteCast` event; a changed vote is a later event for the same
participant and statement, and the last one before voting closes counts.

Simulated experts vote from their delegation's interest weights plus a seeded individual
deviation (:func:`~detente.seats.simulated.expert_weights`): for expert weights `w` and a
statement's tags `t`, the utility is `u = w · t`; when `|u| <` :data:`PASS_BAND` the statement
barely touches the expert's interests and they pass, otherwise they agree with probability
`logistic(VOTE_SHARPNESS * u / temperature)`. Three experts of one delegation therefore need not
agree, and a statement tagged weakly for everyone ends in the "uncertain" tier — as in a real room.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

from detente.ballots import BallotKind, Tally, decode_or_raise, records_of, replayed
from detente.deliberation.events import (
    StatementAdded,
    StatementEdited,
    StatementWithdrawn,
    VoteCast,
    VotingClosed,
    VotingOpened,
)
from detente.seats.base import Request
from detente.seats.replay import replay_answer
from detente.seats.simulated import SimulatedDelegation, simulated_answer
from detente.store.events import Event
from detente.store.log import Record

VoteValue = Literal["agree", "disagree", "pass"]
VOTE_CODES: Final[Mapping[str, int]] = {"agree": 1, "disagree": -1, "pass": 0}
"""Vote names to the numeric convention of :mod:`detente.deliberation.consensus`."""

PASS_BAND: Final = 0.15
"""A simulated expert passes when the statement's utility for them is smaller than this in
absolute value: the statement hardly touches their weighted interests (an information gap)."""

VOTE_SHARPNESS: Final = 4.0
"""Scales utilities before the logistic. Utilities `w · t` are small (weights and tags in [-1, 1],
a statement touches two or three dimensions), so without scaling a statement a delegation clearly
favours (u ≈ 0.3) would be agreed only about 60 % of the time and a room of nine would look
divided by chance alone. With 4, u = 0.3 at temperature 0.6 is agreed about 88 % of the time;
the profile's temperature still sets how predictable a delegation is."""

VOTING_MINUTES: Final = 20
"""Simulated time the room takes to vote on a set of statements."""

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class VoteItem:
    """A statement as a seat sees it: id, text and interest tags (dimension, weight)."""

    statement_id: str
    text: str
    tags: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class MemberVote:
    """One member's vote on one statement."""

    participant: str
    statement_id: str
    vote: VoteValue


@dataclass(frozen=True)
class Votes:
    """A delegation's answer to a :class:`VoteRequest`: its members' votes. A member may be
    missing (did not vote); nobody outside the request's members may appear."""

    votes: tuple[MemberVote, ...]


@dataclass(frozen=True)
class VoteRequest(Request[Votes]):
    """Ask a delegation's members (person ids) to vote on `statements` of `item_id`."""

    item_id: str
    statements: tuple[VoteItem, ...]
    members: tuple[str, ...]


# --- simulated seats ---------------------------------------------------------------------------


def utilities(
    weights: FloatArray, dimensions: Sequence[str], statements: Sequence[VoteItem]
) -> FloatArray:
    """`weights · tags` for every (expert, statement); tags on unknown dimensions count 0."""
    index = {d: i for i, d in enumerate(dimensions)}
    tags = np.zeros((len(statements), len(dimensions)))
    for j, st in enumerate(statements):
        for dim, weight in st.tags:
            if dim in index:
                tags[j, index[dim]] = weight
    out: FloatArray = weights @ tags.T
    return out


@simulated_answer(VoteRequest)
def _simulated_votes(seat: SimulatedDelegation, request: VoteRequest) -> Votes:
    """Every member votes on every statement; see the module docstring for the rule."""
    if not request.members or not request.statements:
        return Votes(())
    u = utilities(seat.experts(request.members), seat.profiles.dimension_ids, request.statements)
    p_agree = 1.0 / (1.0 + np.exp(-VOTE_SHARPNESS * u / seat.profile.temperature))
    draws = seat.rng.random(u.shape)
    out: list[MemberVote] = []
    for i, member in enumerate(request.members):
        for j, st in enumerate(request.statements):
            vote: VoteValue
            if abs(u[i, j]) < PASS_BAND:
                vote = "pass"
            else:
                vote = "agree" if draws[i, j] < p_agree[i, j] else "disagree"
            out.append(MemberVote(member, st.statement_id, vote))
    return Votes(tuple(out))


# --- the ballot's configuration ----------------------------------------------------------------


class VoteKind(BallotKind[MemberVote, Votes, VoteCast]):
    """Votes as a ballot: `voting_opened`, a `vote_cast` per vote, `voting_closed`."""

    entry_noun, verb, preposition = "vote", "vote", "on"
    subject_noun = "a statement of this item"
    minutes = VOTING_MINUTES
    entry_event, opened_event, closed_event = VoteCast, VotingOpened, VotingClosed

    def opened(self, item_id: str, subject_ids: list[str]) -> Event:
        return VotingOpened(item_id=item_id, statement_ids=subject_ids)

    def closed(self, item_id: str, count: int, note: str) -> Event:
        return VotingClosed(item_id=item_id, votes_cast=count, note=note)

    def entries(self, answer: Votes) -> Sequence[MemberVote]:
        return answer.votes

    def answer(self, entries: Sequence[MemberVote]) -> Votes:
        return Votes(tuple(entries))

    def participant(self, entry: MemberVote) -> str:
        return entry.participant

    def subject(self, entry: MemberVote) -> str:
        return entry.statement_id

    def recorded(self, item_id: str, entry: MemberVote, delegation: str) -> VoteCast:
        return VoteCast(
            item_id=item_id,
            participant=entry.participant,
            statement_id=entry.statement_id,
            vote=entry.vote,
            delegation=delegation,
        )

    def from_event(self, event: VoteCast) -> MemberVote:
        return MemberVote(event.participant, event.statement_id, event.vote)


VOTES: Final = VoteKind()


@replay_answer(VoteRequest)
def _replayed_votes(delegation: str, request: VoteRequest, events: Sequence[Event]) -> Votes | None:
    """The members' final votes in the item's first recorded voting window (`voting_opened` to
    `voting_closed`; a later vote replaces an earlier one). A record without the window gives
    no answer."""
    ids = [s.statement_id for s in request.statements]
    return replayed(VOTES, request.item_id, request.members, ids, events)


# --- the record's ballots ----------------------------------------------------------------------


class VoteRecordError(ValueError):
    """A vote event in a record cannot be used; the message names the event's position."""


@dataclass
class ItemBallot(Tally[VoteValue]):
    """Everything voted on one item, folded from the record (see :class:`Tally`): the item's
    statements with their latest wording, the votes cast and whether voting was opened and
    closed."""

    statements: dict[str, StatementAdded] = field(default_factory=dict)
    votes_cast: int = 0
    opened: bool = False
    closed: bool = False

    def triples(self) -> list[tuple[str, str, int]]:
        """(participant, statement id, numeric vote) of the final votes."""
        return [(p, s, VOTE_CODES[v]) for (p, s), v in self.final.items()]


def ballots_from_records(records: Iterable[Record]) -> dict[str, ItemBallot]:
    """Fold the deliberation events of a record into one ballot per item, in log order; an
    edited statement carries its latest wording, a withdrawn one is left out.

    Raises :class:`VoteRecordError` for a vote on a statement that was never added to that item,
    a vote whose value is not agree/disagree/pass, or a vote cast outside an open voting window.
    """
    ballots: dict[str, ItemBallot] = {}
    kinds = (StatementAdded, StatementEdited, StatementWithdrawn, VotingOpened, VoteCast)
    for record in records_of(records, *kinds, VotingClosed):
        event = decode_or_raise(record, VoteRecordError)
        item = getattr(event, "item_id", "")
        ballot = ballots.setdefault(item, ItemBallot(item))
        if isinstance(event, VotingOpened):
            unknown = [s for s in event.statement_ids if s not in ballot.statements]
            if unknown:
                raise VoteRecordError(
                    f"event #{record.seq}: voting opened on statement(s) never added to item "
                    f"'{item}': {', '.join(unknown)}"
                )
            ballot.opened, ballot.closed = True, False
        elif isinstance(event, VoteCast):
            _add_vote(ballot, event, record.seq)
        elif isinstance(event, VotingClosed):
            ballot.closed = True
        else:
            _revise_statements(ballot.statements, event)
    return ballots


def latest_statements(events: Iterable[Event]) -> dict[str, StatementAdded]:
    """Every statement put to the room and not withdrawn, by id in order of addition, each with
    its latest wording (a `statement_edited` replaces the text of the `statement_added`). Reports
    and views read statements through this so they agree with the analysis."""
    out: dict[str, StatementAdded] = {}
    for event in events:
        _revise_statements(out, event)
    return out


def _revise_statements(statements: dict[str, StatementAdded], event: Event) -> None:
    """Apply one statement event (added, edited, withdrawn) to `statements`; others are ignored.
    An edit of a statement that was never added is ignored too."""
    if isinstance(event, StatementAdded):
        statements[event.statement_id] = event
    elif isinstance(event, StatementEdited) and event.statement_id in statements:
        statements[event.statement_id] = statements[event.statement_id].model_copy(
            update={"text": event.text}
        )
    elif isinstance(event, StatementWithdrawn):
        statements.pop(event.statement_id, None)


def _add_vote(ballot: ItemBallot, event: VoteCast, seq: int) -> None:
    if event.statement_id not in ballot.statements:
        known = ", ".join(sorted(ballot.statements)) or "none"
        raise VoteRecordError(
            f"event #{seq}: vote by '{event.participant}' on unknown statement "
            f"'{event.statement_id}' of item '{ballot.item_id}' (statements: {known})"
        )
    if not ballot.opened or ballot.closed:
        raise VoteRecordError(
            f"event #{seq}: vote by '{event.participant}' on '{event.statement_id}' while voting "
            f"on item '{ballot.item_id}' was not open"
        )
    ballot.enter(
        event.participant,
        event.statement_id,
        event.vote,
        observer=event.observer,
        delegation=event.delegation,
    )
    ballot.votes_cast += 1


def vote_items(statements: Iterable[Any]) -> tuple[VoteItem, ...]:
    """Vote items from statements with `id`/`statement_id`, `text` and `tags` attributes."""
    out = []
    for st in statements:
        sid = getattr(st, "statement_id", None) or st.id
        out.append(VoteItem(sid, st.text, tuple(sorted(st.tags.items()))))
    return tuple(out)


__all__ = [
    "PASS_BAND",
    "VOTES",
    "VOTE_CODES",
    "VOTING_MINUTES",
    "ItemBallot",
    "MemberVote",
    "VoteItem",
    "VoteKind",
    "VoteRecordError",
    "VoteRequest",
    "VoteValue",
    "Votes",
    "ballots_from_records",
    "latest_statements",
    "utilities",
    "vote_items",
]
