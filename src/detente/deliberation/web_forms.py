"""Forms for the discussion: every member's votes, and the facilitator's statements.

The facilitator's form adds a statement (``do=add``, `text`, `remark_by`), edits one added
during the session (``do=edit:<id>`` with ``edit-<id>``), withdraws one (``do=withdraw:<id>``)
or opens voting (``do=open``); once voting is open the statements are fixed.

Votes are a *member ballot* (:attr:`detente.web.forms.Form.assemble`): each member of a
delegation votes for themselves — agree, disagree or pass per statement — and may change a vote
while voting is open; every submission is a draft in the log (the history), visible to the
delegation only. When the facilitator closes voting, the app assembles the delegation's answer
from each member's latest vote per statement, under the member's **seat position** (the k-th
delegate of the delegation in meeting.yaml votes as `<delegation>-k`, as in simulation), so the
public record and every report stay unattributed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from detente.deliberation.activity import NewStatement, PrepareVoting, StatementChange, VotingPlan
from detente.deliberation.votes import MemberVote, VoteRequest, Votes, VoteValue
from detente.web.api import Fields, Form, FormError, decision_form_for, field, seat_form

VALUES: tuple[VoteValue, ...] = ("agree", "disagree", "pass")


def _votes(request: VoteRequest, fields: Fields) -> dict[str, str]:
    """One member's votes: `vote-<statement id>` → agree | disagree | pass (blank: not voted)."""
    ids = {s.statement_id for s in request.statements}
    marks: dict[str, str] = {}
    for name, value in fields.items():
        if not name.startswith("vote-") or not value:
            continue
        statement = name[len("vote-") :]
        if statement not in ids:
            raise FormError("No such statement in this vote.")
        if value not in VALUES:
            raise FormError("A vote is agree, disagree or pass.")
        marks[statement] = value
    if not marks:
        raise FormError("Vote on at least one statement.")
    return marks


def _assemble_votes(request: VoteRequest, marks: Mapping[str, Mapping[str, str]]) -> Votes:
    order = [s.statement_id for s in request.statements]
    out = []
    for member in request.members:
        mine = marks.get(member, {})
        for statement in order:
            value = mine.get(statement)
            if value in VALUES:
                out.append(MemberVote(member, statement, value))
    return Votes(tuple(out))


seat_form(
    Form(
        VoteRequest,
        "vote.html",
        _votes,
        lambda r: ("Vote on %(n)s statements", {"n": str(len(r.statements))}),
        assemble=_assemble_votes,
    )
)


def _prepare(request: PrepareVoting, fields: Fields) -> VotingPlan:
    do = fields.get("do", "")
    if do.startswith(("edit:", "withdraw:")):
        verb, _, sid = do.partition(":")
        if sid not in request.editable:
            raise FormError("Only a statement added during the session can be edited or withdrawn.")
        if verb == "withdraw":
            return VotingPlan(change=StatementChange(sid))
        return VotingPlan(change=StatementChange(sid, field(fields, f"edit-{sid}", limit=500)))
    if do == "open":
        if fields.get("text", "").strip():
            raise FormError(
                "A statement is typed but not added: add it first, or clear it to open voting."
            )
        return VotingPlan()
    if fields.get("do") != "add":
        raise FormError("Add a statement or open voting.")
    text = field(fields, "text", limit=500)
    remark_by = field(fields, "remark_by", required=False, limit=100) or None
    return VotingPlan(NewStatement(text=text, remark_by=remark_by))


def seat_positions(controller: Any) -> dict[str, str]:
    """Seat position (`NRD-1`) → person name, for every delegate of the served meeting."""
    meeting = controller.folder.meeting
    return {
        f"{d.id}-{k}": p.name
        for d in meeting.delegations
        for k, p in enumerate(meeting.members(d.id), start=1)
    }


def _check_prepare(_request: PrepareVoting, plan: VotingPlan, controller: Any) -> None:
    if plan.add is not None and plan.add.remark_by is not None:
        if plan.add.remark_by not in seat_positions(controller):
            raise FormError("No such seat position.")


def _too_late(fields: Fields) -> None:
    """An edit or a withdrawal submitted once the statements went to the vote."""
    if fields.get("do", "").startswith(("edit:", "withdraw:")):
        raise FormError("Voting has opened: statements can no longer be edited or withdrawn.")


decision_form_for(
    Form(
        PrepareVoting,
        "prepare_voting.html",
        _prepare,
        lambda r: ("Statements for the vote (%(n)s so far)", {"n": str(len(r.statements))}),
        check=_check_prepare,
        too_late=_too_late,
    )
)
