"""The meeting report, under the Chatham House Rule.

Sections: about this report, executive summary, background and objectives, programme as held,
outcome of every session, then the sections later issues register (common ground and
divergences, the roadmap, recommendations and the Framework for Future Engagement), and the
participants annex (switchable off with ``annex=False``).

The rule, made mechanical: outside the annex the report never names a participant or their
affiliation. Views are attributed to delegations (or "a participant"); the section functions
only ever receive public events (the context's audience is `public`), and the test suite
renders the report and checks every sentence outside the annex against every name and
affiliation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from detente.meeting.model import Item
from detente.meeting.state import HeldItem
from detente.report.common import participants_blocks
from detente.report.context import DocumentUnavailable, ReportContext
from detente.report.documents import (
    document_header,
    document_ready,
    outcomes_for,
    report_section,
    session_outcome,
)
from detente.report.model import Block, BulletList, Heading, Marking, Paragraph, Section, Table
from detente.seats.drafted import model_drafted_note
from detente.store.events import ClarificationExchanged, PresentationDelivered

MARKING = "Chatham House Rule — no view is attributed to a named person or affiliation"


@document_ready("meeting")
def _ready(ctx: ReportContext) -> None:
    if ctx.state.opened is None or not ctx.state.items:
        first = next((i for _, i in ctx.folder.meeting.items() if i.session is not None), None)
        which = f"Session {first.session} “{first.title}”" if first and first.session else "any"
        raise DocumentUnavailable(
            f"the meeting report needs the meeting's record, and {which} has not run yet "
            f"(run `detente run {ctx.folder.root}` first)"
        )


@document_header("meeting")
def _header(ctx: ReportContext) -> tuple[str, str, Marking, str, tuple[tuple[str, str], ...]]:
    info = ctx.folder.meeting.meeting
    meeting = ctx.folder.meeting
    delegates = sum(len(meeting.members(d.id)) for d in meeting.delegations)
    who = f"{delegates} experts in {len(meeting.delegations)} delegations"
    if meeting.observers:
        who += f", {len(meeting.observers)} observer(s)"
    cover = (
        ("Organiser", info.organizer),
        ("Venue", info.location),
        ("Dates", ctx.strings.dates(info.start_date, info.end_date)),
        ("Participants", who),
    )
    return (
        f"Meeting report — {info.title}",
        "Held under the Chatham House Rule",
        (Marking.CHATHAM_HOUSE),
        MARKING,
        cover,
    )


def _session_label(item: Item | HeldItem) -> str:
    return f"Session {item.session}: {item.title}" if item.session else item.title


@report_section(document="meeting", order=5)
def about(ctx: ReportContext) -> Section:
    blocks: list[Block] = [
        Paragraph(
            "The meeting was held under the Chatham House Rule: the information received may be "
            "used, but neither the identity nor the affiliation of any speaker may be revealed. "
            "This report attributes views to delegations, or to “a participant”, and never to a "
            "person."
        )
    ]
    opened = ctx.state.opened
    if opened is not None and opened.mode == "simulation":
        seed = f" (seed {opened.seed})" if opened.seed is not None else ""
        blocks.append(
            Paragraph(
                f"This record was produced in simulation{seed}. Its views are simulated national "
                "perspectives built from public sources; they are not statements by the "
                "participants listed in the annex.",
                tone="note",
            )
        )
    drafted = model_drafted_note(ctx.folder, opened.seats if opened is not None else {})
    if drafted:
        blocks.append(Paragraph(drafted, tone="note"))
    return Section("about", "About this report", tuple(blocks))


@report_section(document="meeting", order=10)
def executive_summary(ctx: ReportContext) -> Section:
    meeting = ctx.folder.meeting
    info = meeting.meeting
    names = [d.name for d in meeting.delegations]
    delegates = sum(len(meeting.members(d.id)) for d in meeting.delegations)
    opening = (
        f"The {info.title} brought together {delegates} experts in {len(names)} delegations "
        f"({', '.join(names)})"
    )
    if meeting.observers:
        opening += f" with {len(meeting.observers)} observer(s)"
    opening += (
        f", in {info.location}, {ctx.strings.dates(info.start_date, info.end_date)}, "
        f"convened by {info.organizer}."
    )
    planned = [i for _, i in meeting.items() if i.session is not None]
    held = [h for h in ctx.state.items if h.session is not None]
    ran = [h for h in held if not h.unavailable]
    blocks: list[Block] = [Paragraph(opening)]
    blocks.append(
        Paragraph(
            f"Of the {len(planned)} sessions in the programme, {len(held)} were held"
            + (f" and {len(ran)} produced a record" if len(ran) != len(held) else "")
            + "."
        )
    )
    lines = []
    for h in held:
        lines.append(f"{_session_label(h)} — {_one_line(ctx, h)}")
    if lines:
        blocks.append(BulletList(tuple(lines)))
    if not ctx.state.closed:
        blocks.append(Paragraph(_record_ends(ctx), tone="note"))
    return Section("executive-summary", "Executive summary", tuple(blocks))


def _record_ends(ctx: ReportContext) -> str:
    held_ids = {h.item_id for h in ctx.state.items}
    pending = [i for _, i in ctx.folder.meeting.items() if i.session and i.id not in held_ids]
    if not pending:
        return "The record ends before the meeting was closed."
    names = "; ".join(_session_label(i) for i in pending)
    return f"The record ends before the meeting closed; not yet held: {names}."


SummaryLine = Callable[[ReportContext, HeldItem], str | None]
_summary_lines: dict[str, list[SummaryLine]] = {}


def summary_line(activity: str) -> Callable[[SummaryLine], SummaryLine]:
    """Register how a held item run by `activity` reads in the executive summary: one sentence
    (ending with a full stop) after the session's name, or None to fall back to the generic
    line. Domain modules (e.g. the roadmap's) register theirs; the first non-None answer wins."""

    def decorate(fn: SummaryLine) -> SummaryLine:
        registered = _summary_lines.setdefault(activity, [])
        if fn not in registered:
            registered.append(fn)
        return fn

    return decorate


def _one_line(ctx: ReportContext, held: HeldItem) -> str:
    if held.unavailable:
        return f"not run: {held.unavailable}."
    for fn in _summary_lines.get(held.activity or "", []):
        line = fn(ctx, held)
        if line:
            return line
    presentations = [e for _, e in held.outputs if isinstance(e, PresentationDelivered)]
    if presentations:
        who = ", ".join(ctx.delegation_name(e.delegation) for e in presentations)
        clar = sum(isinstance(e, ClarificationExchanged) for _, e in held.outputs)
        text = f"interventions by {who}"
        return text + (f", then {clar} questions and clarifications." if clar else ".")
    public = [e for r, e in held.outputs if r.visibility == "all"]
    if public:
        return f"{len(public)} recorded acts (see the outcome of the session below)."
    return "held; nothing was recorded."


@report_section(document="meeting", order=20)
def background(ctx: ReportContext) -> Section:
    info = ctx.folder.meeting.meeting
    blocks: list[Block] = [
        Paragraph(" ".join(p.split())) for p in info.purpose.split("\n\n") if p.strip()
    ]
    blocks += [Paragraph(o.text, lead=o.title) for o in info.objectives]
    return Section("objectives", "Purpose and objectives", tuple(blocks))


@report_section(document="meeting", order=30)
def programme_as_held(ctx: ReportContext) -> Section:
    rows = []
    for held in ctx.state.items:
        start = ctx.local(held.started)
        untimed = start.time() == dt.time(0, 0) and held.ended in (None, held.started)
        when = f"{start:%a %d %b}" if untimed else f"{start:%a %d %b %H:%M}"
        if held.ended is not None and held.ended != held.started:
            when += f"–{ctx.local(held.ended):%H:%M}"
        if held.unavailable:
            outcome = "not run"
        elif held.activity:
            outcome = held.activity
        else:
            outcome = held.kind
        rows.append((when, _session_label(held), outcome))
    table = Table(("when", "item", "outcome"), tuple(rows), widths=(2, 5, 1.6))
    return Section("programme", "Programme as held", (table,), page_break=True)


@report_section(document="meeting", order=40)
def session_outcomes(ctx: ReportContext) -> Section:
    blocks: list[Block] = []
    held_by_id = {h.item_id: h for h in ctx.state.items}
    for _, item in ctx.folder.meeting.items():
        if item.session is None:
            continue
        blocks.append(Heading(_session_label(item)))
        held = held_by_id.get(item.id or "")
        if held is None:
            blocks.append(Paragraph("Not yet held.", tone="muted"))
            continue
        if held.unavailable:
            blocks.append(Paragraph(f"Not run: {held.unavailable}.", tone="muted"))
            continue
        body: list[Block] = []
        for fn in outcomes_for(held.activity or ""):
            body += fn(ctx, held) or []
        blocks += body or [Paragraph("Held; nothing was recorded for this session.", tone="muted")]
    return Section("sessions", "Outcome of every session", tuple(blocks), page_break=True)


@session_outcome("presentations")
def presentations_outcome(ctx: ReportContext, held: HeldItem) -> Sequence[Block] | None:
    blocks: list[Block] = []
    for _, event in ((r, e) for r, e in held.outputs if r.visibility == "all"):
        if isinstance(event, PresentationDelivered):
            name = ctx.delegation_name(event.delegation)
            blocks.append(Heading(f"{name} ({event.minutes} minutes)", level=3))
            blocks.append(
                BulletList(
                    tuple(f"{p.topic}: {p.statement} (source: {p.source})" for p in event.points)
                )
            )
    clarifications = [e for r, e in held.outputs if isinstance(e, ClarificationExchanged)]
    if clarifications:
        blocks.append(Heading("Questions and clarifications", level=3))
        blocks.append(
            BulletList(
                tuple(
                    f"{ctx.delegation_name(e.asked_by)} asked {ctx.delegation_name(e.asked_of)} "
                    f"about {e.topic}: {e.question} — Answer: {e.answer}"
                    for e in clarifications
                )
            )
        )
    return blocks or None


@report_section(document="meeting", order=90)
def participants_annex(ctx: ReportContext) -> Section | None:
    if not ctx.annex:
        return None
    blocks: list[Block] = [
        Paragraph(
            "The participants are listed for the record only. Nothing in this report attributes "
            "a view to any of them.",
            tone="muted",
        )
    ]
    blocks += participants_blocks(ctx)
    return Section(
        "annex-participants", "Annex: participants", tuple(blocks), annex=True, page_break=True
    )
