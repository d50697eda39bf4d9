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
from pydantic import ValidationError

from detente.deliberation.events import (
    StatementAdded,
    StatementEdited,
    StatementWithdrawn,
    VoteCast,
    VotingClosed,
    VotingOpened,
)
from detente.seats.base import Request
from detente.seats.replay import ballot_window, replay_answer
from detente.seats.simulated import SimulatedDelegation, simulated_answer
from detente.store.events import Event, decode
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


# --- replay seats ------------------------------------------------------------------------------


@replay_answer(VoteRequest)
def _replayed_votes(delegation: str, request: VoteRequest, events: Sequence[Event]) -> Votes | None:
    """The members' final votes in the item's first recorded voting window (`voting_opened` to
    `voting_closed`; a later vote replaces an earlier one). A record without the window gives
    no answer."""

    def fold(event: VoteCast) -> tuple[tuple[str, str], VoteValue] | None:
        if event.participant not in request.members:
            return None
        return (event.participant, event.statement_id), event.vote

    window = ballot_window(
        events, request.item_id, opened=VotingOpened, entry=VoteCast, closed=VotingClosed, fold=fold
    )
    if window is None:
        return None
    return Votes(
        tuple(
            MemberVote(m, s.statement_id, window[(m, s.statement_id)])
            for m in request.members
            for s in request.statements
            if (m, s.statement_id) in window
        )
    )


# --- the record's ballots ----------------------------------------------------------------------


class VoteRecordError(ValueError):
    """A vote event in a record cannot be used; the message names the event's position."""


@dataclass
class ItemBallot:
    """Everything voted on one item, folded from the record.

    `final` maps (participant, statement id) to the last vote cast; `changes` counts votes that
    replaced an earlier vote; `observers` are participants whose votes carry the observer flag;
    `delegation` maps each voting delegate to their delegation.
    """

    item_id: str
    statements: dict[str, StatementAdded] = field(default_factory=dict)
    final: dict[tuple[str, str], VoteValue] = field(default_factory=dict)
    delegation: dict[str, str] = field(default_factory=dict)
    observers: set[str] = field(default_factory=set)
    votes_cast: int = 0
    changes: int = 0
    opened: bool = False
    closed: bool = False

    @property
    def participants(self) -> list[str]:
        """Voters in order of first vote."""
        return list(dict.fromkeys(p for p, _ in self.final))

    def triples(self) -> list[tuple[str, str, int]]:
        """(participant, statement id, numeric vote) of the final votes."""
        return [(p, s, VOTE_CODES[v]) for (p, s), v in self.final.items()]

    def groups(self) -> dict[str, str | None]:
        """Participant -> delegation, None for observers."""
        return {
            p: (None if p in self.observers else self.delegation.get(p)) for p in self.participants
        }


def _decode(record: Record) -> Event:
    try:
        return decode(record)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise VoteRecordError(f"event #{record.seq} ({record.kind}): {problems}") from None


def ballots_from_records(records: Iterable[Record]) -> dict[str, ItemBallot]:
    """Fold the deliberation events of a record into one ballot per item, in log order; an
    edited statement carries its latest wording, a withdrawn one is left out.

    Raises :class:`VoteRecordError` for a vote on a statement that was never added to that item,
    a vote whose value is not agree/disagree/pass, or a vote cast outside an open voting window.
    """
    ballots: dict[str, ItemBallot] = {}
    for record in records:
        if record.kind not in (
            StatementAdded.kind,
            StatementEdited.kind,
            StatementWithdrawn.kind,
            VotingOpened.kind,
            VoteCast.kind,
            VotingClosed.kind,
        ):
            continue
        event = _decode(record)
        item = getattr(event, "item_id", "")
        ballot = ballots.setdefault(item, ItemBallot(item))
        if isinstance(event, StatementAdded):
            ballot.statements[event.statement_id] = event
        elif isinstance(event, StatementEdited) and event.statement_id in ballot.statements:
            ballot.statements[event.statement_id] = ballot.statements[
                event.statement_id
            ].model_copy(update={"text": event.text})
        elif isinstance(event, StatementWithdrawn):
            ballot.statements.pop(event.statement_id, None)
        elif isinstance(event, VotingOpened):
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
    return ballots


def latest_statements(events: Iterable[Event]) -> dict[str, StatementAdded]:
    """Every statement put to the room and not withdrawn, by id in order of addition, each with
    its latest wording (a `statement_edited` replaces the text of the `statement_added`). Reports
    and views read statements through this so they agree with the analysis."""
    out: dict[str, StatementAdded] = {}
    for event in events:
        if isinstance(event, StatementAdded):
            out[event.statement_id] = event
        elif isinstance(event, StatementEdited) and event.statement_id in out:
            out[event.statement_id] = out[event.statement_id].model_copy(
                update={"text": event.text}
            )
        elif isinstance(event, StatementWithdrawn):
            out.pop(event.statement_id, None)
    return out


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
    key = (event.participant, event.statement_id)
    if key in ballot.final:
        ballot.changes += 1
    ballot.final[key] = event.vote
    ballot.votes_cast += 1
    if event.observer:
        ballot.observers.add(event.participant)
    elif event.delegation is not None:
        ballot.delegation[event.participant] = event.delegation


def vote_items(statements: Iterable[Any]) -> tuple[VoteItem, ...]:
    """Vote items from statements with `id`/`statement_id`, `text` and `tags` attributes."""
    out = []
    for st in statements:
        sid = getattr(st, "statement_id", None) or st.id
        out.append(VoteItem(sid, st.text, tuple(sorted(st.tags.items()))))
    return tuple(out)


__all__ = [
    "PASS_BAND",
    "VOTE_CODES",
    "ItemBallot",
    "MemberVote",
    "VoteItem",
    "VoteRecordError",
    "VoteRequest",
    "VoteValue",
    "Votes",
    "ballots_from_records",
    "latest_statements",
    "utilities",
    "vote_items",
]
