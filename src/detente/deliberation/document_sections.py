"""Common ground and divergences in the meeting report, from the discussion sessions' record.

Reads the public `statement_added` and `analysis_recorded` events (see
:mod:`detente.deliberation.analysis`): per discussion session, the statements every delegation
agreed with (tiers `unanimous` and `majority`, best first, with exact counts) and those that
divided the room or left it uncertain. Views are worded by :mod:`detente.document.attribution`:
for the room as a whole unless the meeting file allows naming delegations' majority stances.
A discussion session's line in the executive summary is registered here too
(:func:`discussion_summary`, through :func:`detente.document.sections.summary_line`).
"""

from __future__ import annotations

from collections.abc import Sequence

from detente.deliberation.consensus import StatementResult
from detente.deliberation.events import AnalysisRecorded
from detente.deliberation.recorded import recorded_analysis
from detente.deliberation.standing import STANDING, standing
from detente.deliberation.votes import latest_statements
from detente.diagnostics import InputError
from detente.document.attribution import Counts, view
from detente.document.context import ReportContext
from detente.document.localize import local
from detente.document.messages import N_
from detente.document.model import Block, Heading, Paragraph, Section, Table
from detente.document.prose import Prose
from detente.document.sections import report_section, session_outcome, summary_line
from detente.meeting.state import HeldItem
from detente.store.visibility import ALL

AGREED = tuple(t for t, kind in STANDING.items() if kind == "agreed")
OPEN = tuple(t for t, kind in STANDING.items() if kind in ("undecided", "divided", "gap"))
"""Common ground and the rest, by the one classification (:mod:`detente.deliberation.standing`)."""
TIER_TEXT = {
    "unanimous": N_("unanimous"),
    "majority": N_("majority in every delegation"),
    "one-neutral": N_("one delegation neutral"),
    "divided": N_("divided"),
    "uncertain": N_("uncertain (many passes)"),
    "insufficient": N_("too few votes"),
}


def statement_texts(ctx: ReportContext) -> dict[str, str]:
    """Statement id → text in the document's language: the statements file's translation when it
    has one, else the recorded English text (marked in a document in another language)."""
    from detente.deliberation.statements import load_statements

    try:
        loaded = load_statements(ctx.folder)
    except InputError:  # a record whose statements file is now broken still has its texts
        loaded = None
    translated: dict[str, object] = {}
    if loaded is not None:
        for block in loaded.statements.items:
            for s in block.statements:
                translated[s.id] = s.text
    texts = {}
    for e in latest_statements(e for _, e in ctx.decoded).values():
        source = translated.get(e.statement_id)
        texts[e.statement_id] = local(ctx, source if source is not None else e.text)
    return texts


def _statements(ctx: ReportContext) -> dict[str, str]:
    if ctx.language != "en":
        return statement_texts(ctx)
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
            ctx.gettext(TIER_TEXT[r.tier]) if r.tier in TIER_TEXT else r.tier,
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
    columns = _columns(ctx)
    if agreed:
        blocks.append(Heading(ctx.gettext("Common ground"), level=3))
        blocks.append(Table(columns, tuple(agreed), widths=(5, 1.6, 2.6)))
    if open_:
        blocks.append(Heading(ctx.gettext("Divergences and open questions"), level=3))
        blocks.append(Table(columns, tuple(open_), widths=(5, 1.6, 2.6)))
    if not blocks:
        notes = [local(ctx, {"en": n}) for n in recorded_analysis(event).notes]
        status = ctx.gettext("analysis status: %(status)s", status=event.status)
        reason = Prose(ctx.language).series(notes) or status
        text = ctx.gettext("No common-ground result: %(reason)s.", reason=reason)
        blocks.append(Paragraph(text, tone="muted"))
    return blocks


def _columns(ctx: ReportContext) -> tuple[str, str, str]:
    return (ctx.gettext("Statement"), ctx.gettext("Standing"), ctx.gettext("View"))


@session_outcome("discussion")
def discussion_outcome(ctx: ReportContext, held: HeldItem) -> Sequence[Block] | None:
    events = [
        e for r, e in held.outputs if isinstance(e, AnalysisRecorded) and r.visibility == "all"
    ]
    if not events:
        return None
    return _analysis_blocks(ctx, events[-1])


@summary_line("discussion")
def discussion_summary(ctx: ReportContext, held: HeldItem) -> str | None:
    """The session's line in the executive summary: how many statements were put to the room
    and how they stood (None when the session recorded no public common-ground result)."""
    events = [e for r, e in held.outputs if isinstance(e, AnalysisRecorded) and r.visibility == ALL]
    if not events:
        return None
    common = recorded_analysis(events[-1]).common
    if common is None:
        return None
    p = Prose(ctx.language)
    kinds = [standing(r.tier) for r in common.per_statement]
    parts = [
        p._("common ground on %(n)s", n=kinds.count("agreed")),
        p._("divided on %(n)s", n=kinds.count("divided")),
    ]
    if kinds.count("undecided"):
        parts.append(p._("one delegation undecided on %(n)s", n=kinds.count("undecided")))
    if kinds.count("gap"):
        parts.append(p._("many without a view on %(n)s", n=kinds.count("gap")))
    return p._n(
        "%(n)s statement put to the room: %(parts)s.",
        "%(n)s statements put to the room: %(parts)s.",
        len(kinds),
        parts=p.join(parts),
    )


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
    columns = _columns(ctx)
    blocks: list[Block] = [
        Paragraph(
            ctx.gettext(
                "Statements put to the room in the discussion sessions, with how the room "
                "received them. Observers' votes are not counted."
            )
        )
    ]
    if agreed:
        blocks += [
            Heading(ctx.gettext("Common ground")),
            Table(columns, tuple(agreed), widths=(5, 1.6, 2.6)),
        ]
    if open_:
        blocks += [
            Heading(ctx.gettext("Divergences and open questions")),
            Table(columns, tuple(open_), widths=(5, 1.6, 2.6)),
        ]
    title = ctx.gettext("Common ground and divergences")
    return Section("common-ground", title, tuple(blocks), True)
