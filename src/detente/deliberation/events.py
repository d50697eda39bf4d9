"""The deliberation's vocabulary in the log: statements, votes and the common-ground analysis.

Each class registers its `kind` on definition; the deliberation plugin returns them from
:func:`detente.hooks.detente_events`, which is how :func:`detente.store.events.decode` finds them.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from detente.store.events import Event

# --- statements, votes and common ground -----------------------------------------------------


class StatementAdded(Event):
    """A statement is put to the room for `item_id`.

    `provenance` says where it came from: `prepared` (statements.yaml, before the meeting),
    `facilitator` (written by the facilitator during the meeting) or `participant-remark`
    (written by the facilitator from a participant's remark; `remark_by` is that participant's
    id, kept in the record for audit and never shown in reports). `tags` are the interest
    dimensions simulated seats vote from (-1..1), empty for statements written live.
    """

    kind: ClassVar[str] = "statement_added"
    item_id: str
    statement_id: str
    text: str
    question: str | None = None
    tags: dict[str, float] = {}
    provenance: Literal["prepared", "facilitator", "participant-remark"] = "prepared"
    remark_by: str | None = None


class VotingOpened(Event):
    """The facilitator opens voting on these statements of `item_id`."""

    kind: ClassVar[str] = "voting_opened"
    item_id: str
    statement_ids: list[str]


class VoteCast(Event):
    """One participant's vote on one statement. A changed vote is a later `vote_cast` for the
    same participant and statement: the last one before `voting_closed` counts, the history
    stays in the log. `observer` votes are tallied apart and never count toward delegations."""

    kind: ClassVar[str] = "vote_cast"
    item_id: str
    participant: str
    statement_id: str
    vote: Literal["agree", "disagree", "pass"]
    delegation: str | None = None
    observer: bool = False


class VotingClosed(Event):
    """Voting on `item_id` is closed; `votes_cast` counts the `vote_cast` events (changes
    included) and `note` says who did not vote and why, when anyone did not."""

    kind: ClassVar[str] = "voting_closed"
    item_id: str
    votes_cast: int
    note: str = ""


class AnalysisRecorded(Event):
    """The common-ground analysis of the votes on `item_id`: delegation-aware tiers, ranking,
    divisions and splits, and (when run) Pol.is-compatible opinion groups compared with the
    delegations. `result` is the JSON document of :mod:`detente.deliberation.analysis`."""

    kind: ClassVar[str] = "analysis_recorded"
    item_id: str
    status: str
    result: dict[str, Any]


# --- live console: statements edited or withdrawn before voting opens ------------------------


class StatementEdited(Event):
    """Act: the facilitator rewrites statement `statement_id` of `item_id`, added live, before
    voting on it opens; the analysis, the live views and the reports use `text` from here on
    (the earlier wording stays in the log)."""

    kind: ClassVar[str] = "statement_edited"
    item_id: str
    statement_id: str
    text: str


class StatementWithdrawn(Event):
    """Act: the facilitator withdraws statement `statement_id` of `item_id`, added live, before
    voting on it opens; it is not put to the vote and the analysis and reports skip it."""

    kind: ClassVar[str] = "statement_withdrawn"
    item_id: str
    statement_id: str
