"""The participant pack: what a delegation (or the observers) carries into the room.

Contents, in the pack's language where translations exist: welcome, background, objectives,
logistics, programme, participants, the tabletop exercise's background and rules of play, each
move's situation brief with *this delegation's* decision questions, the options open to it, and
one join code with QR code per member for the live meeting app.

Confidentiality by construction: the pack reads only the scenario's player-facing fields and the
parts addressed to its own delegation — never the MSEL (injects are delivered live; facilitation
rows, expected actions and evaluator notes are the facilitator's), never reactions, chance
events or outcomes, never another player's questions or private actions. Observers get the
briefs without any delegation's questions or options.
"""

from __future__ import annotations

from detente.access import join_code, join_url, qr_svg
from detente.meeting.model import Person
from detente.report.common import participants_blocks, programme_blocks
from detente.report.context import ReportContext, ttx_items
from detente.report.documents import document_header, report_section
from detente.report.model import (
    Block,
    BulletList,
    Figure,
    Heading,
    KeyValue,
    Marking,
    PageBreak,
    Paragraph,
    Section,
    Table,
)
from detente.ttx.scenario import Actor, Visibility


def _own_actor(ctx: ReportContext) -> Actor | None:
    if ctx.scenario is None or ctx.audience.delegation is None:
        return None
    for actor in ctx.scenario.players:
        if actor.delegation == ctx.audience.delegation:
            return actor
    return None


def _has_ttx(ctx: ReportContext) -> bool:
    return ctx.scenario is not None and bool(ttx_items(ctx.folder))


def _members(ctx: ReportContext) -> list[Person]:
    meeting = ctx.folder.meeting
    if ctx.audience.delegation is not None:
        return meeting.members(ctx.audience.delegation)
    return meeting.observers


@document_header("pack")
def _header(ctx: ReportContext) -> tuple[str, str, Marking, str, tuple[tuple[str, str], ...]]:
    info = ctx.folder.meeting.meeting
    if ctx.audience.delegation is not None:
        subtitle = ctx.t("pack.for_delegation", name=ctx.delegation_name(ctx.audience.delegation))
    else:
        subtitle = ctx.t("pack.for_observers")
    marking, marking_text = Marking.NONE, ""
    if ctx.secret is not None:
        marking, marking_text = Marking.PERSONAL, ctx.t("marking.personal")
    cover = (
        (ctx.t("cover.organizer"), info.organizer),
        (ctx.t("cover.venue"), info.location),
        (ctx.t("cover.dates"), ctx.strings.dates(info.start_date, info.end_date)),
    )
    return f"{ctx.t('pack.title')} — {info.title}", subtitle, marking, marking_text, cover


@report_section(document="pack", order=10)
def welcome(ctx: ReportContext) -> Section:
    info = ctx.folder.meeting.meeting
    blocks: list[Block] = [
        Paragraph(
            ctx.t(
                "welcome.text",
                title=info.title,
                organizer=info.organizer,
                location=info.location,
                dates=ctx.strings.dates(info.start_date, info.end_date),
            )
        )
    ]
    if _has_ttx(ctx):
        blocks.append(Paragraph(ctx.t("welcome.ttx")))
    return Section("welcome", ctx.t("section.welcome"), tuple(blocks))


@report_section(document="pack", order=15)
def background(ctx: ReportContext) -> Section | None:
    info = ctx.folder.meeting.meeting
    paragraphs = [p for text in (info.background, info.purpose) for p in _paragraphs(text)]
    if not paragraphs:
        return None
    return Section("background", ctx.t("section.background"), tuple(paragraphs))


@report_section(document="pack", order=20)
def objectives(ctx: ReportContext) -> Section:
    info = ctx.folder.meeting.meeting
    blocks = [Paragraph(o.text, lead=o.title) for o in info.objectives]
    return Section("objectives", ctx.t("section.objectives"), tuple(blocks))


@report_section(document="pack", order=25)
def logistics(ctx: ReportContext) -> Section | None:
    info = ctx.folder.meeting.meeting
    if not info.logistics:
        return None
    blocks: list[Block] = [Paragraph(info.logistics)]
    blocks.append(Paragraph(ctx.t("cover.times", zone=info.timezone), tone="muted"))
    return Section("logistics", ctx.t("section.logistics"), tuple(blocks))


@report_section(document="pack", order=30)
def programme(ctx: ReportContext) -> Section:
    return Section(
        "programme", ctx.t("section.programme"), tuple(programme_blocks(ctx)), page_break=True
    )


@report_section(document="pack", order=40)
def participants(ctx: ReportContext) -> Section:
    return Section("participants", ctx.t("section.participants"), tuple(participants_blocks(ctx)))


@report_section(document="pack", order=50)
def ttx_background(ctx: ReportContext) -> Section | None:
    scenario = ctx.scenario
    if scenario is None or not _has_ttx(ctx):
        return None
    info = scenario.scenario
    blocks: list[Block] = [Heading(ctx.text(info.title))]
    blocks += _paragraphs(ctx.text(info.background))
    blocks.append(Paragraph(ctx.t("ttx.baseline", date=ctx.date(info.baseline_date)), tone="note"))
    own = _own_actor(ctx)
    if own is not None:
        blocks.append(Paragraph(ctx.t("ttx.you_play", actor=ctx.text(own.name))))
    players = ", ".join(ctx.text(a.name) for a in scenario.players)
    blocks.append(Paragraph(ctx.t("ttx.players", actors=players)))
    if scenario.controls:
        controls = ", ".join(ctx.text(a.name) for a in scenario.controls)
        blocks.append(Paragraph(ctx.t("ttx.controls", actors=controls)))
    return Section("ttx-background", ctx.t("section.ttx_background"), tuple(blocks), True)


@report_section(document="pack", order=55)
def rules_of_play(ctx: ReportContext) -> Section | None:
    scenario = ctx.scenario
    if scenario is None or not _has_ttx(ctx):
        return None
    blocks: list[Block] = list(_paragraphs(ctx.text(scenario.scenario.rules_of_play)))
    if _own_actor(ctx) is not None:
        blocks.append(Paragraph(ctx.t("rules.actions", n=scenario.scenario.max_actions_per_move)))
    return Section("rules-of-play", ctx.t("section.rules"), tuple(blocks))


@report_section(document="pack", order=60)
def moves(ctx: ReportContext) -> Section | None:
    scenario = ctx.scenario
    if scenario is None or not _has_ttx(ctx):
        return None
    own = _own_actor(ctx)
    blocks: list[Block] = []
    for move in sorted(scenario.moves, key=lambda m: m.number):
        blocks.append(Heading(ctx.t("move.heading", n=move.number, title=ctx.text(move.title))))
        blocks.append(
            Paragraph(
                ctx.t(
                    "move.meta", time=f"{move.scenario_time:%Y-%m-%d %H:%M}", minutes=move.minutes
                ),
                tone="muted",
            )
        )
        blocks += _paragraphs(ctx.text(move.brief))
        if own is not None and move.questions.get(own.id):
            blocks.append(Heading(ctx.t("move.questions"), level=3))
            blocks.append(
                BulletList(tuple(ctx.text(q) for q in move.questions[own.id]), ordered=True)
            )
    return Section("moves", ctx.t("section.moves"), tuple(blocks))


@report_section(document="pack", order=65)
def options(ctx: ReportContext) -> Section | None:
    own = _own_actor(ctx)
    if ctx.scenario is None or own is None or not _has_ttx(ctx):
        return None
    rows = []
    for action in ctx.scenario.actions:
        if own.id not in action.actors:
            continue
        description = ctx.text(action.description) if action.description else ""
        if action.visibility is Visibility.PRIVATE:
            note = ctx.t("options.private")
            description = f"{description} ({note})" if description else note
        rows.append((ctx.text(action.label), description))
    if not rows:
        return None
    table = Table((ctx.t("col.action"), ctx.t("col.description")), tuple(rows), widths=(3, 4))
    return Section("options", ctx.t("section.options"), (table,))


@report_section(document="pack", order=90)
def join(ctx: ReportContext) -> Section | None:
    """One card per member: name, join code, link and QR code, each on its own page so the
    delegation can hand every member their own."""
    if ctx.secret is None:
        return None
    people = _members(ctx)
    if not people:
        return None
    blocks: list[Block] = []
    for index, person in enumerate(people):
        if index:
            blocks.append(PageBreak())
        code = join_code(ctx.secret, person.id)
        url = join_url(ctx.base_url, code)
        blocks.append(Heading(person.name))
        blocks.append(Paragraph(ctx.t("join.text")))
        blocks.append(
            KeyValue(
                (
                    (ctx.t("join.person"), person.name),
                    (ctx.t("join.code"), code),
                    (ctx.t("join.link"), url),
                )
            )
        )
        alt = ctx.t("join.qr", name=person.name)
        blocks.append(Figure(qr_svg(url), caption=code, alt=alt, width=0.35))
    return Section("join", ctx.t("section.join"), tuple(blocks), page_break=True)


def _paragraphs(text: str) -> list[Paragraph]:
    """Split text at blank lines into paragraphs (the YAML files write paragraphs that way)."""
    return [Paragraph(" ".join(p.split())) for p in text.split("\n\n") if p.strip()]
