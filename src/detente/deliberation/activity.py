"""The `discussion` activity: statements put to the room, votes from every seat, common ground.

For a discussion item the facilitator puts the item's prepared statements (`statements.yaml`) to
the room, opens voting, every delegation's seat votes for its members, voting closes, and the
analysis (:mod:`detente.deliberation.analysis`) is recorded as an event. Other activities reuse
the steps: the TTX reflection calls :func:`deliberate` (or :func:`collect_votes`) with its own
statements.

Votes are a configuration of the room's ballot (:mod:`detente.ballots`): voters are recorded
under seat positions (`USA-1`, `observer-1`), never names, and observers, for whom no seat
answers in simulation, are said not to have voted rather than given invented votes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from detente.ballots import collect, voter_ids
from detente.deliberation.analysis import RoomAnalysis, analyse_votes
from detente.deliberation.events import (
    AnalysisRecorded,
    StatementAdded,
    StatementEdited,
    StatementWithdrawn,
)
from detente.deliberation.plots import write_plots
from detente.deliberation.statements import Statement, load_statements
from detente.deliberation.votes import (
    VOTES,
    ItemBallot,
    VoteItem,
    VoteRequest,
    ballots_from_records,
    vote_items,
)
from detente.diagnostics import Diagnostic, InputError
from detente.meeting.context import ActivityContext
from detente.meeting.events import FacilitatorNote
from detente.meeting.facilitator import automatic_decision
from detente.meeting.loader import MeetingFolder
from detente.meeting.model import Item, Meeting
from detente.seats.base import Request
from detente.store.events import SYSTEM
from detente.store.visibility import FACILITATOR

Provenance = Literal["prepared", "facilitator", "participant-remark"]


def item_statements(ctx: ActivityContext, item: Item) -> list[Statement]:
    """The prepared statements of `item` (empty without `statements.yaml` or without any for
    the item). Raises :class:`~detente.diagnostics.InputError` for a malformed file."""
    loaded = load_statements(ctx.folder)
    if loaded is None or item.id is None:
        return []
    return loaded.statements.for_item(item.id)


def add_statement(
    ctx: ActivityContext,
    item: Item,
    statement: Statement,
    *,
    provenance: Provenance = "prepared",
    remark_by: str | None = None,
) -> StatementAdded:
    """Put one statement to the room (an event by the facilitator). A statement written from a
    participant's remark carries `provenance="participant-remark"` and the remark's seat
    position in `remark_by` (kept in the record, never shown in reports)."""
    assert item.id is not None
    if (provenance == "participant-remark") != (remark_by is not None):
        raise ValueError("remark_by is given exactly when provenance is 'participant-remark'")
    event = StatementAdded(
        item_id=item.id,
        statement_id=statement.id,
        text=statement.text,
        question=statement.question,
        tags=dict(statement.tags),
        provenance=provenance,
        remark_by=remark_by,
    )
    ctx.emit(event, actor=FACILITATOR)
    return event


# --- the facilitator adds statements before voting opens (live meetings) -------------------------


@dataclass(frozen=True)
class NewStatement:
    """A statement the facilitator writes during the session. `remark_by` is the seat position
    (`USA-1`) of the participant whose remark it rephrases, or None for the facilitator's own."""

    text: str
    question: str | None = None
    remark_by: str | None = None


@dataclass(frozen=True)
class StatementChange:
    """The facilitator edits (`text` given) or withdraws (`text` None) statement
    `statement_id`, one added live, before voting opens."""

    statement_id: str
    text: str | None = None


@dataclass(frozen=True)
class VotingPlan:
    """The facilitator's answer to :class:`PrepareVoting`: add `add`, or apply `change` to a
    statement added live, and be asked again; or (both None) open voting on the statements put
    so far."""

    add: NewStatement | None = None
    change: StatementChange | None = None


@dataclass(frozen=True)
class PrepareVoting(Request[VotingPlan]):
    """The statements put to the room so far: add one more, edit or withdraw one added live
    (`editable`: their ids), or open voting?"""

    item_id: str
    statements: tuple[VoteItem, ...]
    editable: tuple[str, ...] = ()


@automatic_decision(PrepareVoting)
def _open_voting_at_once(_request: PrepareVoting) -> VotingPlan:
    return VotingPlan()


def live_statements(
    ctx: ActivityContext, item: Item, statements: Sequence[Statement]
) -> list[Statement]:
    """Ask the facilitator for statements to add before voting opens, adding each one (the
    automatic facilitator adds none, so simulated records do not change); a statement added
    here may be edited or withdrawn (an event each) until the facilitator opens voting.
    Returns every statement put to the room and not withdrawn, prepared ones first, with their
    latest wording. A change to a statement that is not one added live is ignored (the form
    refuses it before it gets here)."""
    assert item.id is not None
    put = list(statements)
    live: list[str] = []
    added_count = 0
    while True:
        plan = ctx.facilitator.decide(PrepareVoting(item.id, vote_items(put), tuple(live)))
        if plan.change is not None:
            _change(ctx, item, put, live, plan.change)
            continue
        if plan.add is None:
            return put
        added_count += 1
        added = Statement(
            id=f"{item.id}-live-{added_count}",
            text=plan.add.text,
            question=plan.add.question,
        )
        if plan.add.remark_by is not None:
            add_statement(
                ctx, item, added, provenance="participant-remark", remark_by=plan.add.remark_by
            )
        else:
            add_statement(ctx, item, added, provenance="facilitator")
        put.append(added)
        live.append(added.id)


def _change(
    ctx: ActivityContext, item: Item, put: list[Statement], live: list[str], change: StatementChange
) -> None:
    """Apply one edit or withdrawal of a live statement to `put` and `live`, recording it."""
    assert item.id is not None
    sid = change.statement_id
    if sid not in live:
        return
    at = next(i for i, s in enumerate(put) if s.id == sid)
    if change.text is None:
        ctx.emit(StatementWithdrawn(item_id=item.id, statement_id=sid), actor=FACILITATOR)
        del put[at]
        live.remove(sid)
    else:
        ctx.emit(
            StatementEdited(item_id=item.id, statement_id=sid, text=change.text), actor=FACILITATOR
        )
        put[at] = Statement(id=sid, text=change.text, question=put[at].question)


def collect_votes(ctx: ActivityContext, item: Item, statements: Sequence[Statement]) -> ItemBallot:
    """Open voting on `statements` (already added to the item), ask every delegation's seat for
    its members' votes, record each vote, close voting, and return the item's ballot (the
    mechanism, with what is dropped and noted, is :func:`detente.ballots.collect`)."""
    assert item.id is not None
    meeting = ctx.folder.meeting
    request_items = vote_items(statements)
    members_of = {d.id: voter_ids(meeting, d.id) for d in meeting.delegations}
    requests = {d: VoteRequest(item.id, request_items, m) for d, m in members_of.items()}
    collect(ctx, item.id, VOTES, [s.id for s in statements], requests, members_of)
    return ballots_from_records(ctx.emitted)[item.id]


def analyse_ballot(meeting: Meeting, ballot: ItemBallot) -> RoomAnalysis:
    """The room analysis of one ballot, delegations in meeting-file order."""
    return analyse_votes(
        list(ballot.statements),
        ballot.triples(),
        known=ballot.groups(),
        delegations=[d.id for d in meeting.delegations],
    )


def deliberate(ctx: ActivityContext, item: Item, statements: Sequence[Statement]) -> RoomAnalysis:
    """Add the statements, collect the votes, record the analysis (and draw its plots when the
    run has an output folder); returns the analysis."""
    assert item.id is not None
    for statement in statements:
        add_statement(ctx, item, statement)
    statements = live_statements(ctx, item, statements)
    ctx.advance(5)
    ballot = collect_votes(ctx, item, statements)
    analysis = analyse_ballot(ctx.folder.meeting, ballot)
    ctx.emit(
        AnalysisRecorded(item_id=item.id, status=analysis.status, result=analysis.to_json()),
        actor=SYSTEM,
    )
    out = ctx.out_dir
    if isinstance(out, Path):
        texts = {s.id: s.text for s in statements}
        title = f"Session {item.session}" if item.session else item.title
        write_plots(analysis, out / "plots", prefix=item.id, texts=texts, title=title)
    return analysis


def check_statements_file(folder: MeetingFolder) -> list[Diagnostic]:
    """Every located error and warning of the folder's statements ([] when it has none)."""
    try:
        loaded = load_statements(folder)
    except InputError as exc:
        return exc.diagnostics
    return list(loaded.warnings) if loaded is not None else []


def discussion(ctx: ActivityContext, item: Item) -> None:
    """Run a discussion item; see the module docstring."""
    assert item.id is not None
    statements = item_statements(ctx, item)
    if not statements:
        ctx.emit(
            FacilitatorNote(
                item_id=item.id,
                text=f"No statements are prepared for {item.id} (statements.yaml); nothing was "
                "put to a vote.",
            ),
            actor=SYSTEM,
            visibility=FACILITATOR,
        )
        return
    deliberate(ctx, item, statements)


__all__ = [
    "NewStatement",
    "PrepareVoting",
    "StatementChange",
    "VotingPlan",
    "add_statement",
    "analyse_ballot",
    "collect_votes",
    "deliberate",
    "discussion",
    "item_statements",
    "live_statements",
]
