"""The meeting report, under the Chatham House Rule.

Sections: about this report, executive summary, background and objectives, programme as held,
outcome of every session, then the sections later issues register (common ground and
divergences, the roadmap, recommendations and the Framework for Future Engagement), and the
participants annex (switchable off with ``annex=False``).

The rule, made mechanical: outside the annex the report never names a participant or their
affiliation, and by default never a delegation as holding a view — views are worded for the
room as a whole by :mod:`detente.document.attribution` (`attribution: delegation` in meeting.yaml
allows a delegation's majority stance, never a split inside it). The section functions only
ever receive public events (the context's audience is `public`), and the test suite renders
the report and checks every sentence outside the annex against every name and affiliation.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence

from detente.deliberation.document_sections import discussion_outcome
from detente.document.attribution import by_delegation, nameable
from detente.document.common import participants_blocks
from detente.document.context import DocumentUnavailable, ReportContext
from detente.document.drafted import drafted_note
from detente.document.localize import MARKER, local, local_blocks
from detente.document.messages import N_
from detente.document.model import Block, BulletList, Heading, Marking, Paragraph, Section, Table
from detente.document.prose import Prose
from detente.document.sections import (
    document_header,
    document_ready,
    outcomes_for,
    report_section,
    session_outcome,
)
from detente.document.summary import acts
from detente.meeting.events import ClarificationExchanged, PresentationDelivered
from detente.meeting.model import Item
from detente.meeting.state import HeldItem
from detente.ttx.results import exercise_result

MARKING = N_("Chatham House Rule — no view is attributed to a named person or affiliation")


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
    p = Prose(ctx.language)
    delegates = sum(len(meeting.members(d.id)) for d in meeting.delegations)
    who = p._(
        "%(experts)s in %(delegations)s",
        experts=p._nc("nominative", "%(n)s expert", "%(n)s experts", delegates),
        delegations=p._nc(
            "genitive", "%(n)s delegation", "%(n)s delegations", len(meeting.delegations)
        ),
    )
    if meeting.observers:
        observers = p._nc("nominative", "%(n)s observer", "%(n)s observers", len(meeting.observers))
        who = p._("%(first)s, %(second)s", first=who, second=observers)
    cover = (
        (ctx.gettext("Organiser"), local(ctx, info.organizer)),
        (ctx.gettext("Venue"), local(ctx, info.location)),
        (ctx.gettext("Dates"), ctx.strings.dates(info.start_date, info.end_date)),
        (ctx.gettext("Participants"), who),
    )
    return (
        ctx.gettext("Meeting report — %(title)s", title=local(ctx, info.title)),
        ctx.gettext("Held under the Chatham House Rule"),
        (Marking.CHATHAM_HOUSE),
        ctx.gettext(MARKING),
        cover,
    )


def _session_label(item: Item | HeldItem, ctx: ReportContext | None = None) -> str:
    """`Session 4: Title` in the document's language (the programme's translation of the title
    when `ctx` is given; a held item's title is the recorded English one)."""
    if ctx is None:
        return f"Session {item.session}: {item.title}" if item.session else item.title
    from detente.meeting_report.executive_summary import session_label

    return session_label(ctx, item.session, _title_of(ctx, item))


def _title_of(ctx: ReportContext, item: Item | HeldItem) -> object:
    if isinstance(item, HeldItem):
        return _planned_title(ctx, item)
    return item.title


@report_section(document="meeting", order=5)
def about(ctx: ReportContext) -> Section:
    p = Prose(ctx.language)
    if by_delegation(ctx):
        how = p._(
            "This report gives views for the room as a whole and, where the organisers agreed "
            "to it, the majority view of a delegation of at least three participants; it never "
            "attributes a view to a person or reports a division inside a delegation."
        )
    else:
        how = p._(
            "This report gives views for the room as a whole (“most participants”, “a "
            "minority”, “participants were divided”); it attributes no view to any person or "
            "delegation. Participants took part in a personal capacity."
        )
    rule = p._(
        "The meeting was held under the Chatham House Rule: the information received may be "
        "used, but neither the identity nor the affiliation of any speaker may be revealed."
    )
    blocks: list[Block] = [Paragraph(p.sentence(rule + ("" if p.lang == "zh" else " ") + how))]
    opened = ctx.state.opened
    if opened is not None and opened.mode == "simulation":
        views = p._(
            "Its views are simulated national perspectives built from public sources; they are "
            "not statements by the participants listed in the annex."
        )
        made = (
            p._("This record was produced in simulation (seed %(seed)s).", seed=opened.seed)
            if opened.seed is not None
            else p._("This record was produced in simulation.")
        )
        blocks.append(
            Paragraph(p.sentence(made + ("" if p.lang == "zh" else " ") + views), tone="note")
        )
    drafted = drafted_note(ctx.folder, opened.seats if opened is not None else {}, ctx.records)
    if drafted:
        blocks.append(Paragraph(_english(ctx, drafted), tone="note"))
    return Section("about", p._("About this report"), tuple(blocks))


def _english(ctx: ReportContext, text: str) -> str:
    """A text written by another part of détente in English only (a recorded line, a note of
    the seats module), marked in a document in another language as the packs mark a missing
    translation (and counted)."""
    return local(ctx, {"en": text})


@report_section(document="meeting", order=10)
def executive_summary(ctx: ReportContext) -> Section:
    """The executive summary in the document's language
    (:mod:`detente.meeting_report.executive_summary`): opening, prose by theme, the sessions at a
    glance."""
    from detente.meeting_report.executive_summary import (
        glance_line,
        opening,
        prose,
        prose_of,
        session_label,
    )

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
    p = Prose(ctx.language)
    if not pending:
        return p._("The record ends before the meeting was closed.")
    names = p.series([_session_label(i, ctx) for i in pending])
    return p.sentence(
        p._("The record ends before the meeting closed; not yet held: %(names)s.", names=names)
    )


def _one_line(ctx: ReportContext, held: HeldItem) -> str:
    """The generic line of a held session no registered line describes (the executive
    summary's :func:`~detente.meeting_report.executive_summary.glance_line` answers first)."""
    p = Prose(ctx.language)
    _, public = acts(held)
    if public:
        return p._n(
            "%(n)s public act recorded (see the outcome of the session below).",
            "%(n)s public acts recorded (see the outcome of the session below).",
            public,
        )
    if held.outputs:
        return p._("held; nothing public was recorded.")
    return p._("held; nothing was recorded.")


@report_section(document="meeting", order=20)
def background(ctx: ReportContext) -> Section:
    info = ctx.folder.meeting.meeting
    blocks: list[Block] = list(local_blocks(ctx, info.purpose))
    lead = Prose(ctx.language).lead
    blocks += [
        Paragraph(local(ctx, o.text), lead=lead(local(ctx, o.title))) for o in info.objectives
    ]
    return Section("objectives", ctx.gettext("Purpose and objectives"), tuple(blocks))


@report_section(document="meeting", order=30)
def programme_as_held(ctx: ReportContext) -> Section:
    rows = []
    planned = {item.id: (day, item) for day, item in ctx.folder.meeting.items()}
    moved = 0
    m = ctx.strings
    for held in ctx.state.items:
        start = ctx.local(held.started)
        untimed = start.time() == dt.time(0, 0) and held.ended in (None, held.started)
        when = m.day(start.date()) if untimed else f"{m.day(start.date())} {start:%H:%M}"
        if held.ended is not None and held.ended != held.started:
            when += f"–{ctx.local(held.ended):%H:%M}"
        found = planned.get(held.item_id)
        if found is not None and found[1].start is not None and not untimed:
            day, item = found
            if (start.date(), start.time()) != (day.date, item.start):
                span = f"{item.start:%H:%M}" + (f"–{item.end:%H:%M}" if item.end else "")
                when += "\n" + ctx.gettext(
                    "(programme: %(day)s %(span)s)", day=m.day(day.date), span=span
                )
                moved += 1
        if held.unavailable:
            outcome = ctx.gettext("not run")
        else:
            outcome = _kind_name(ctx, held.activity or str(held.kind))
        rows.append((when, _session_label(held, ctx), outcome))
    columns = (ctx.gettext("When"), ctx.gettext("Item"), ctx.gettext("Outcome"))
    table = Table(columns, tuple(rows), widths=(2, 5, 1.6))
    blocks: list[Block] = []
    if moved:
        blocks.append(
            Paragraph(
                ctx.ngettext(
                    "%(n)s item was held at another time than the programme gives, as recorded "
                    "(an item starts when the one before it has ended); the programme's time is "
                    "shown beneath.",
                    "%(n)s items were held at another time than the programme gives, as recorded "
                    "(an item starts when the one before it has ended); the programme's time is "
                    "shown beneath.",
                    moved,
                ),
                tone="muted",
            )
        )
    return Section("programme", ctx.gettext("Programme as held"), (*blocks, table), page_break=True)


KIND_NAMES = {
    "discussion": N_("discussion"),
    "reflection": N_("reflection"),
    "roadmap": N_("roadmap"),
    "recommendations": N_("recommendations"),
    "remarks": N_("remarks"),
    "presentations": N_("presentations"),
    "ttx": N_("tabletop exercise"),
    "arrival": N_("arrival"),
    "meal": N_("meal"),
    "break": N_("break"),
    "session": N_("session"),
    "end": N_("end"),
}
"""What a held item was, in words: its activity, else its kind (another activity keeps its
registered name)."""


def _kind_name(ctx: ReportContext, name: str) -> str:
    found = KIND_NAMES.get(name)
    return ctx.gettext(found) if found is not None else name


@report_section(document="meeting", order=40)
def session_outcomes(ctx: ReportContext) -> Section:
    blocks: list[Block] = []
    held_by_id = {h.item_id: h for h in ctx.state.items}
    for _, item in ctx.folder.meeting.items():
        if item.session is None:
            continue
        blocks.append(Heading(_session_label(item, ctx)))
        held = held_by_id.get(item.id or "")
        if held is None:
            blocks.append(Paragraph(ctx.gettext("Not yet held."), tone="muted"))
            continue
        if held.unavailable:
            reason = _english(ctx, held.unavailable)
            blocks.append(
                Paragraph(ctx.gettext("Not run: %(reason)s.", reason=reason), tone="muted")
            )
            continue
        body: list[Block] = []
        for fn in outcomes_for(held.activity or ""):
            body += fn(ctx, held) or []
        blocks += body or [Paragraph(_recorded(ctx, held), tone="muted")]
    title = ctx.gettext("Outcome of every session")
    return Section("sessions", title, tuple(blocks), page_break=True)


def _recorded(ctx: ReportContext, held: HeldItem) -> str:
    """What a session without an outcome section recorded (never "nothing" when it did)."""
    from detente.meeting_report.executive_summary import glance_line

    line = glance_line(ctx, held)
    played = exercise_result(ctx.visible)
    if played is not None and (held.item_id in played.item_ids or held.activity == "ttx"):
        if ctx.language == "en" or not line:
            return _english(ctx, played.describe(held.item_id))
        return line[:1].upper() + line[1:]
    if line:
        return ctx.gettext("Held: %(line)s", line=line)
    _, public = acts(held)
    if public:
        return ctx.ngettext(
            "Held; %(n)s public act recorded for this session (see the record).",
            "Held; %(n)s public acts recorded for this session (see the record).",
            public,
        )
    if held.outputs:
        return ctx.gettext("Held; what was recorded is not visible to this document's readers.")
    return ctx.gettext("Held; nothing was recorded for this session.")


@session_outcome("presentations")
def presentations_outcome(ctx: ReportContext, held: HeldItem) -> Sequence[Block] | None:
    """The positions presented, by topic. With `attribution: room` no presenter and no source
    is named (a source such as a ministry's statement would name the delegation); with
    `attribution: delegation` each intervention is headed by its delegation, if it may be named."""
    public = [e for r, e in held.outputs if r.visibility == "all"]
    presentations = [e for e in public if isinstance(e, PresentationDelivered)]
    blocks: list[Block] = []
    en = functools.partial(_english, ctx)
    if by_delegation(ctx):
        for event in presentations:
            if nameable(ctx, event.delegation):
                name = local(ctx, ctx.folder.meeting.delegation(event.delegation).name)
                heading = ctx.gettext("Participants from %(delegation)s", delegation=name)
            else:
                heading = ctx.gettext("Participants from another delegation")
            blocks.append(Heading(heading, level=3))
            points = (
                ctx.gettext("%(topic)s: %(text)s", topic=en(pt.topic), text=en(pt.statement))
                for pt in event.points
            )
            blocks.append(BulletList(tuple(points)))
    elif presentations:
        by_topic: dict[str, list[str]] = {}
        for event in presentations:
            for point in event.points:
                by_topic.setdefault(point.topic, []).append(point.statement)
        heard = ctx.ngettext(
            "The session heard %(n)s intervention. The positions set out, by topic:",
            "The session heard %(n)s interventions. The positions set out, by topic:",
            len(presentations),
        )
        blocks.append(Paragraph(heard))
        for topic, statements in by_topic.items():
            blocks.append(Heading(en(topic[:1].upper() + topic[1:]), level=3))
            blocks.append(BulletList(tuple(en(s) for s in statements)))
    clarifications = [e for e in public if isinstance(e, ClarificationExchanged)]
    if clarifications:
        blocks.append(Heading(ctx.gettext("Questions and clarifications"), level=3))
        asked = (
            ctx.gettext(
                "On %(topic)s, a participant asked: %(question)s",
                topic=en(e.topic),
                question=en(e.question),
            )
            for e in clarifications
        )
        blocks.append(BulletList(tuple(asked)))
    return blocks or None


@session_outcome("reflection")
def reflection_outcome(ctx: ReportContext, held: HeldItem) -> Sequence[Block] | None:
    """The after-action review in a sentence, then the common ground of its vote, if it held one
    (the same tables as a discussion session's)."""
    from detente.meeting_report.executive_summary import glance_line

    line = glance_line(ctx, held)
    blocks: list[Block] = [Paragraph(_capital(line))] if line else []
    blocks += discussion_outcome(ctx, held) or []
    return blocks or None


def _capital(line: str) -> str:
    """A line starting a paragraph: its first letter upper-cased (a marker kept in front)."""
    if line.startswith(MARKER):
        return MARKER + _capital(line[len(MARKER) :])
    return line[:1].upper() + line[1:]


@report_section(document="meeting", order=90)
def participants_annex(ctx: ReportContext) -> Section | None:
    if not ctx.annex:
        return None
    blocks: list[Block] = [
        Paragraph(
            ctx.gettext(
                "The participants are listed for the record only. Nothing in this report "
                "attributes a view to any of them."
            ),
            tone="muted",
        )
    ]
    blocks += participants_blocks(ctx)
    title = ctx.gettext("Annex: participants")
    return Section("annex-participants", title, tuple(blocks), annex=True, page_break=True)
