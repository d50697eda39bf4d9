"""Common ground and divergences in the meeting report, from the discussion sessions' record.

Reads the public `statement_added` and `analysis_recorded` events (see
:mod:`detente.deliberation.analysis`): per discussion session, the statements every delegation
agreed with (tiers `unanimous` and `majority`, best first, with exact counts) and those that
divided the room or left it uncertain. Views are worded by :mod:`detente.document.attribution`:
for the room as a whole unless the meeting file allows naming delegations' majority stances.
"""

from __future__ import annotations

from collections.abc import Sequence

from detente.deliberation.consensus import StatementResult
from detente.deliberation.events import AnalysisRecorded
from detente.deliberation.recorded import recorded_analysis
from detente.deliberation.standing import STANDING
from detente.deliberation.votes import latest_statements
from detente.document.attribution import Counts, view
from detente.document.context import ReportContext
from detente.document.model import Block, Heading, Paragraph, Section, Table
from detente.document.sections import report_section, session_outcome
from detente.meeting.state import HeldItem

AGREED = tuple(t for t, kind in STANDING.items() if kind == "agreed")
OPEN = tuple(t for t, kind in STANDING.items() if kind in ("undecided", "divided", "gap"))
"""Common ground and the rest, by the one classification (:mod:`detente.deliberation.standing`)."""
TIER_TEXT = {
    "unanimous": "unanimous",
    "majority": "majority in every delegation",
    "one-neutral": "one delegation neutral",
    "divided": "divided",
    "uncertain": "uncertain (many passes)",
    "insufficient": "too few votes",
}


def _statements(ctx: ReportContext) -> dict[str, str]:
    latest = latest_statements(e for _, e in ctx.decoded)
    return {sid: e.text for sid, e in latest.items()}


def statement_counts(result: StatementResult) -> dict[str, Counts]:
    """Counts per delegation of one statement's delegation-aware result."""
    return {t.group: Counts(t.agree, t.disagree, t.passes) for t in result.groups}


def _rows(
    ctx: ReportContext, event: AnalysisRecorded, texts: dict[str, str], tiers: Sequence[str]
) -> list[tuple[str, ...]]:
    return [
        (
            texts.get(r.statement_id, r.statement_id),
            str(TIER_TEXT.get(r.tier, r.tier)),
            view(ctx, statement_counts(r)),
        )
        for r in recorded_analysis(event).ranked()
        if r.tier in tiers
    ]


def _analysis_blocks(ctx: ReportContext, event: AnalysisRecorded) -> list[Block]:
    texts = _statements(ctx)
    agreed = _rows(ctx, event, texts, AGREED)
    open_ = _rows(ctx, event, texts, OPEN)
    blocks: list[Block] = []
    columns = ("statement", "standing", "view")
    if agreed:
        blocks.append(Heading("Common ground", level=3))
        blocks.append(Table(columns, tuple(agreed), widths=(5, 1.6, 2.6)))
    if open_:
        blocks.append(Heading("Divergences and open questions", level=3))
        blocks.append(Table(columns, tuple(open_), widths=(5, 1.6, 2.6)))
    if not blocks:
        notes = recorded_analysis(event).notes
        reason = "; ".join(notes) or f"analysis status: {event.status}"
        blocks.append(Paragraph(f"No common-ground result: {reason}.", tone="muted"))
    return blocks


@session_outcome("discussion")
def discussion_outcome(ctx: ReportContext, held: HeldItem) -> Sequence[Block] | None:
    events = [
        e for r, e in held.outputs if isinstance(e, AnalysisRecorded) and r.visibility == "all"
    ]
    if not events:
        return None
    return _analysis_blocks(ctx, events[-1])


@report_section(document="meeting", order=50)
def common_ground(ctx: ReportContext) -> Section | None:
    """Across the discussion sessions: every statement with cross-delegation agreement, then
    every statement that divided the room."""
    texts = _statements(ctx)
    agreed: list[tuple[str, ...]] = []
    open_: list[tuple[str, ...]] = []
    for _, event in ctx.events(AnalysisRecorded):
        agreed += _rows(ctx, event, texts, AGREED)
        open_ += _rows(ctx, event, texts, OPEN)
    if not agreed and not open_:
        return None
    columns = ("statement", "standing", "view")
    blocks: list[Block] = [
        Paragraph(
            "Statements put to the room in the discussion sessions, with how the room received "
            "them. Observers' votes are not counted."
        )
    ]
    if agreed:
        blocks += [Heading("Common ground"), Table(columns, tuple(agreed), widths=(5, 1.6, 2.6))]
    if open_:
        blocks += [
            Heading("Divergences and open questions"),
            Table(columns, tuple(open_), widths=(5, 1.6, 2.6)),
        ]
    return Section("common-ground", "Common ground and divergences", tuple(blocks), True)
