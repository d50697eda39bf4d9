"""Move handouts: per delegation and per move, the sheet handed out when the move opens.

Built from :func:`detente.ttx.handout.handout_content` (the one source the live delegate screen
can call too) in the delegation's language: the situation brief, the MSEL rows handed to the
delegation at the move's start, its decision questions, its options, and a decision form with
room to write and the sheet code the facilitator enters it under (:mod:`detente.paper.codes`).
Observers get the brief and the rows to all. The facilitator handbook keeps all of them
(:func:`handbook_section`).
"""

from __future__ import annotations

from detente.document.context import Audience, ReportContext, ttx_items
from detente.document.inputs import Made, ReportInputs
from detente.document.localize import local, local_blocks, missing_note
from detente.document.model import (
    Block,
    BulletList,
    Document,
    Heading,
    KeyValue,
    Marking,
    Paragraph,
    Section,
    Table,
)
from detente.document.sections import Request, document_maker, report_section
from detente.paper.codes import sheet_code
from detente.ttx.handout import HandoutContent, handout_content

HANDBOOK_ROOM = 0.4
"""Share of a page a handout in the handbook needs to start on it (its heading, the move's time
and the start of the situation brief)."""
WRITE_LINES = "\n\n\n"
"""Empty lines left in a form cell to write in."""


def handout_blocks(ctx: ReportContext, content: HandoutContent, code: str | None) -> list[Block]:
    """The body of one handout in the context's language."""
    blocks: list[Block] = [
        Paragraph(
            ctx.ngettext(
                "Scenario time: %(time)s · %(n)s minute",
                "Scenario time: %(time)s · %(n)s minutes",
                content.minutes,
                time=content.scenario_time,
            ),
            tone="muted",
        ),
        Heading(ctx.gettext("Situation")),
        *local_blocks(ctx, content.brief),
    ]
    if content.injects:
        blocks += _messages_received(ctx, content)
    if content.questions:
        blocks.append(Heading(ctx.gettext("Questions for your delegation")))
        blocks.append(BulletList(tuple(local(ctx, q) for q in content.questions), ordered=True))
    if content.options or content.questions:
        blocks.append(Heading(ctx.gettext("Options open to you in this move")))
        blocks += _options(ctx, content)
        blocks += _decision_form(ctx, content, code)
    return blocks


def _messages_received(ctx: ReportContext, content: HandoutContent) -> list[Block]:
    """The MSEL rows handed out at the move's start: title, sender and means, text."""
    blocks: list[Block] = [Heading(ctx.gettext("Messages received"))]
    for inject in content.injects:
        blocks.append(Heading(local(ctx, inject.title), level=3))
        rows = [(ctx.gettext("From"), local(ctx, inject.sender))] if inject.sender else []
        if inject.method:
            rows.append((ctx.gettext("By"), local(ctx, inject.method)))
        if rows:
            blocks.append(KeyValue(tuple(rows)))
        blocks += local_blocks(ctx, inject.text)
    return blocks


def _options(ctx: ReportContext, content: HandoutContent) -> list[Block]:
    """The table of options open to the delegation, with a tick box each (or a note that
    none is open)."""
    if not content.options:
        return [
            Paragraph(
                ctx.gettext("No option is open to your delegation at the start of this move.")
            )
        ]
    blocks: list[Block] = []
    if content.conditional:
        blocks.append(
            Paragraph(
                ctx.gettext(
                    "As the scenario stands at the start of the move; an option whose "
                    "condition no longer holds is refused at adjudication."
                ),
                tone="muted",
            )
        )
    options = tuple(
        (
            "☐",
            local(ctx, o.label),
            local(ctx, o.description) if o.description else "",
            ctx.gettext("private") if o.private else ctx.gettext("public"),
        )
        for o in content.options
    )
    columns = (
        ctx.gettext("Tick"),
        ctx.gettext("Action"),
        ctx.gettext("Description"),
        ctx.gettext("Visibility"),
    )
    blocks.append(Table(columns, options, widths=(0.6, 3, 4, 1.2)))
    return blocks


def _decision_form(ctx: ReportContext, content: HandoutContent, code: str | None) -> list[Block]:
    """The decision form: how to fill it in, then its sheet code and cells to write in."""
    blocks: list[Block] = [Heading(ctx.gettext("Decision form"))]
    blocks.append(
        Paragraph(
            ctx.ngettext(
                "Tick up to %(n)s action, write a short statement and answer the questions. "
                "The facilitator enters the form with its sheet code.",
                "Tick up to %(n)s actions, write a short statement and answer the questions. "
                "The facilitator enters the form with its sheet code.",
                content.max_actions,
            )
        )
    )
    form: list[tuple[str, str]] = []
    if code is not None:
        form.append((ctx.gettext("Sheet code"), code))
    form.append((ctx.pgettext("handout", "Statement"), WRITE_LINES))
    form += [
        (ctx.gettext("Answer %(n)s", n=i), WRITE_LINES)
        for i in range(1, len(content.questions) + 1)
    ]
    blocks.append(KeyValue(tuple(form)))
    return blocks


def handout_document(ctx: ReportContext, request: Request, move: int) -> Document:
    """One handout document (the context's audience is the delegation, or observers)."""
    scenario = ctx.scenario
    assert scenario is not None
    delegation = ctx.audience.delegation
    actor = next((a.id for a in scenario.players if a.delegation == delegation), None)
    content = handout_content(scenario, move, actor)
    meeting = ctx.folder.meeting.meeting
    code = (
        sheet_code(meeting.id, "D", f"m{move}", delegation)
        if delegation is not None and actor is not None
        else None
    )
    blocks = handout_blocks(ctx, content, code)
    if (note := missing_note(ctx, key="doc.missing_translations")) is not None:
        blocks.append(note)
    name = delegation or ctx.gettext("Observers")
    if delegation is not None:
        try:
            name = local(ctx, ctx.folder.meeting.delegation(delegation).name)
        except KeyError:
            name = delegation
    title = local(ctx, content.title)
    section = Section(
        f"move-{move}", ctx.gettext("Move %(n)s: %(title)s", n=move, title=title), tuple(blocks)
    )
    return Document(
        kind="handouts",
        slug=request.slug,
        title=ctx.gettext("Move handout"),
        subtitle=ctx.gettext(
            "%(delegation)s · Move %(n)s: %(title)s", delegation=name, n=move, title=title
        ),
        language=ctx.language,
        marking=Marking.NONE,
        marking_text="",
        cover=((ctx.gettext("Sheet code"), code),) if code else (),
        sections=(section,),
        footer=f"{local(ctx, meeting.title)} · {local(ctx, meeting.location)}",
        warnings=tuple(ctx.warnings()),
    )


def requests_for(folder_ctx: ReportContext) -> list[tuple[Request, int]]:
    """Every handout to make: each delegation playing an actor, and observers, per move."""
    scenario = folder_ctx.scenario
    folder = folder_ctx.folder
    if scenario is None or not ttx_items(folder):
        return []
    out: list[tuple[Request, int]] = []
    players = {a.delegation for a in scenario.players}
    for d in folder.meeting.delegations:
        if d.id not in players:
            continue
        for move in scenario.moves:
            slug = f"handout-{d.id}-move-{move.number}"
            audience = Audience("delegation", d.id)
            out.append((Request("handouts", audience, d.language, slug), move.number))
    if folder.meeting.observers:
        for move in scenario.moves:
            slug = f"handout-observers-move-{move.number}"
            out.append((Request("handouts", Audience("observers"), "en", slug), move.number))
    return out


@report_section(document="handbook", order=95)
def handbook_section(ctx: ReportContext) -> Section | None:
    """All handouts for the facilitation team, in English, one after the other: a reading copy
    (the sheets to hand out are the `handouts` documents), so a handout starts on a new page only
    when less than :data:`HANDBOOK_ROOM` of the page is left."""
    from detente.document.model import PageBreak

    scenario = ctx.scenario
    if scenario is None or not ttx_items(ctx.folder):
        return None
    blocks: list[Block] = []
    for move in scenario.moves:
        for actor in scenario.players:
            if blocks:
                blocks.append(PageBreak(room=HANDBOOK_ROOM))
            content = handout_content(scenario, move.number, actor.id)
            blocks.append(
                Heading(f"Move {move.number} — {ctx.text(actor.name)} ({actor.delegation})")
            )
            code = sheet_code(
                ctx.folder.meeting.meeting.id, "D", f"m{move.number}", actor.delegation or actor.id
            )
            blocks += handout_blocks(ctx, content, code)
    return Section(
        "handouts", "Appendix: move handouts", tuple(blocks), annex=True, page_break=True
    )


@document_maker("handouts")
def handout_documents(inputs: ReportInputs) -> list[Made]:
    """Every move handout of the meeting: per delegation (and observers) and move."""
    probe = inputs.context(Request("handouts", Audience("facilitator"), "en", "handouts"))
    out = []
    for request, move in requests_for(probe):
        doc = handout_document(inputs.context(request), request, move)
        out.append(Made(request, warnings=list(doc.warnings), document=doc))
    if not out:
        made = Made(Request("handouts", Audience("facilitator"), "en", "handouts"))
        made.unavailable = "the meeting has no tabletop exercise (scenario.yaml and a ttx item)"
        out.append(made)
    return out
