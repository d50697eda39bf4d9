"""The meeting report, under the Chatham House Rule.

Sections: about this report, executive summary, background and objectives, programme as held,
outcome of every session, then the sections later issues register (common ground and
divergences, the roadmap, recommendations and the Framework for Future Engagement), and the
participants annex (switchable off with ``annex=False``).

The rule, made mechanical: outside the annex the report never names a participant or their
affiliation, and by default never a delegation as holding a view — views are worded for the
room as a whole by :mod:`detente.report.attribution` (`attribution: delegation` in meeting.yaml
allows a delegation's majority stance, never a split inside it). The section functions only
ever receive public events (the context's audience is `public`), and the test suite renders
the report and checks every sentence outside the annex against every name and affiliation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from detente.meeting.model import Item
from detente.meeting.state import HeldItem
from detente.report.attribution import by_delegation, nameable, plural, sentence_list
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
from detente.report.summary import acts
from detente.seats.drafted import drafted_note
from detente.store.events import ClarificationExchanged, PresentationDelivered
from detente.ttx.results import exercise_result

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
        who += f", {plural(len(meeting.observers), 'observer')}"
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
    if by_delegation(ctx):
        how = (
            "This report gives views for the room as a whole and, where the organisers agreed "
            "to it, the majority view of a delegation of at least three participants; it never "
            "attributes a view to a person or reports a division inside a delegation."
        )
    else:
        how = (
            "This report gives views for the room as a whole (“most participants”, “a "
            "minority”, “participants were divided”); it attributes no view to any person or "
            "delegation. Participants took part in a personal capacity."
        )
    blocks: list[Block] = [
        Paragraph(
            "The meeting was held under the Chatham House Rule: the information received may be "
            "used, but neither the identity nor the affiliation of any speaker may be revealed. "
            + how
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
    drafted = drafted_note(ctx.folder, opened.seats if opened is not None else {}, ctx.records)
    if drafted:
        blocks.append(Paragraph(drafted, tone="note"))
    return Section("about", "About this report", tuple(blocks))


@report_section(document="meeting", order=10)
def executive_summary(ctx: ReportContext) -> Section:
    """The executive summary in the document's language (:mod:`detente.report.executive_summary`):
    opening, prose by theme, the sessions at a glance."""
    from detente.report.executive_summary import (
        glance_line,
        opening,
        prose,
        prose_of,
        register,
        session_label,
    )

    register()
    p = prose_of(ctx)
    held = [h for h in ctx.state.items if h.session is not None]
    blocks: list[Block] = [*opening(ctx), *prose(ctx)]
    lines = [
        p._(
            "%(session)s — %(line)s",
            session=session_label(ctx, h.session, _planned_title(ctx, h)),
            line=glance_line(ctx, h) or _one_line(ctx, h),
        )
        for h in held
    ]
    if lines:
        blocks.append(Heading(p._("The sessions at a glance"), level=3))
        blocks.append(BulletList(tuple(lines)))
    if not ctx.state.closed:
        blocks.append(Paragraph(_record_ends(ctx), tone="note"))
    return Section("executive-summary", p._("Executive summary"), tuple(blocks))


def _planned_title(ctx: ReportContext, held: HeldItem) -> object:
    """The held item's title as the programme gives it (with its translations), else as held."""
    for _, item in ctx.folder.meeting.items():
        if item.id == held.item_id:
            return item.title
    return held.title


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
        topics = list(dict.fromkeys(p.topic for e in presentations for p in e.points))
        clar = sum(isinstance(e, ClarificationExchanged) for _, e in held.outputs)
        text = f"{plural(len(presentations), 'intervention')} on {sentence_list(topics)}"
        if clar:
            text += f", then {plural(clar, 'question')} and answers"
        return text + "."
    _, public = acts(held)
    if public:
        return f"{plural(public, 'public act')} recorded (see the outcome of the session below)."
    return "held; nothing public was recorded." if held.outputs else "held; nothing was recorded."


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
    planned = {item.id: (day, item) for day, item in ctx.folder.meeting.items()}
    moved = 0
    for held in ctx.state.items:
        start = ctx.local(held.started)
        untimed = start.time() == dt.time(0, 0) and held.ended in (None, held.started)
        when = f"{start:%a %d %b}" if untimed else f"{start:%a %d %b %H:%M}"
        if held.ended is not None and held.ended != held.started:
            when += f"–{ctx.local(held.ended):%H:%M}"
        found = planned.get(held.item_id)
        if found is not None and found[1].start is not None and not untimed:
            day, item = found
            if (start.date(), start.time()) != (day.date, item.start):
                span = f"{item.start:%H:%M}" + (f"–{item.end:%H:%M}" if item.end else "")
                when += f"\n(programme: {day.date:%a %d %b} {span})"
                moved += 1
        if held.unavailable:
            outcome = "not run"
        elif held.activity:
            outcome = held.activity
        else:
            outcome = held.kind
        rows.append((when, _session_label(held), outcome))
    table = Table(("when", "item", "outcome"), tuple(rows), widths=(2, 5, 1.6))
    blocks: list[Block] = []
    if moved:
        blocks.append(
            Paragraph(
                f"{plural(moved, 'item')} {'was' if moved == 1 else 'were'} held at another "
                "time than the programme gives, as recorded (an item starts when the one "
                "before it has ended); the programme's time is shown beneath.",
                tone="muted",
            )
        )
    return Section("programme", "Programme as held", (*blocks, table), page_break=True)


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
        blocks += body or [Paragraph(_recorded(ctx, held), tone="muted")]
    return Section("sessions", "Outcome of every session", tuple(blocks), page_break=True)


def _recorded(ctx: ReportContext, held: HeldItem) -> str:
    """What a session without an outcome section recorded (never "nothing" when it did)."""
    played = exercise_result(ctx.visible)
    if played is not None and (held.item_id in played.item_ids or held.activity == "ttx"):
        return played.describe(held.item_id)
    from detente.report.executive_summary import glance_line

    line = glance_line(ctx, held)
    if line:
        return "Held: " + line
    _, public = acts(held)
    if public:
        return f"Held; {plural(public, 'public act')} recorded for this session (see the record)."
    if held.outputs:
        return "Held; what was recorded is not visible to this document's readers."
    return "Held; nothing was recorded for this session."


@session_outcome("presentations")
def presentations_outcome(ctx: ReportContext, held: HeldItem) -> Sequence[Block] | None:
    """The positions presented, by topic. With `attribution: room` no presenter and no source
    is named (a source such as a ministry's statement would name the delegation); with
    `attribution: delegation` each intervention is headed by its delegation, if it may be named."""
    public = [e for r, e in held.outputs if r.visibility == "all"]
    presentations = [e for e in public if isinstance(e, PresentationDelivered)]
    blocks: list[Block] = []
    if by_delegation(ctx):
        for event in presentations:
            if nameable(ctx, event.delegation):
                name = ctx.delegation_name(event.delegation)
                blocks.append(Heading(f"Participants from {name}", level=3))
            else:
                blocks.append(Heading("Participants from another delegation", level=3))
            blocks.append(BulletList(tuple(f"{p.topic}: {p.statement}" for p in event.points)))
    elif presentations:
        by_topic: dict[str, list[str]] = {}
        for event in presentations:
            for point in event.points:
                by_topic.setdefault(point.topic, []).append(point.statement)
        blocks.append(
            Paragraph(
                f"The session heard {plural(len(presentations), 'intervention')}. The positions "
                "set out, by topic:"
            )
        )
        for topic, statements in by_topic.items():
            blocks.append(Heading(topic[:1].upper() + topic[1:], level=3))
            blocks.append(BulletList(tuple(statements)))
    clarifications = [e for e in public if isinstance(e, ClarificationExchanged)]
    if clarifications:
        blocks.append(Heading("Questions and clarifications", level=3))
        blocks.append(
            BulletList(
                tuple(f"On {e.topic}, a participant asked: {e.question}" for e in clarifications)
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
