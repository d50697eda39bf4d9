"""The participant pack: what a delegation (or the observers) carries into the room.

Contents, in the pack's language (a field without a translation is printed in English behind a
visible marker and counted, :mod:`detente.document.localize`): welcome, background, objectives,
logistics, programme, participants, the tabletop exercise's background (as of its baseline date)
and rules of play, the options open to the delegation, and one join code with QR code per member
for the live meeting app.

Exercise integrity by construction: the pack prints only what the scenario's release plan
(:mod:`detente.ttx.release`) releases *before the meeting* — by default no move at all: each
move's brief, questions and injects are handed out when the move opens (``--kind handouts``).
A move or MSEL row the designer marks ``release: before-meeting`` is printed (rows only when
addressed to this delegation or to all). Never the facilitator's MSEL columns (expected actions,
evaluator notes), reactions, chance events or outcomes, never another player's questions or
options. Observers get what is pre-released to all, without any delegation's questions or
options.
"""

from __future__ import annotations

import contextlib

from detente.access import join_code, join_url, qr_svg
from detente.document.common import participants_blocks, programme_blocks
from detente.document.context import ReportContext, ttx_items
from detente.document.localize import (
    join_names,
    local,
    local_blocks,
    missing_note,
    translations,
    typography,
)
from detente.document.messages import N_
from detente.document.model import (
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
from detente.document.sections import document_header, report_section
from detente.meeting.model import Person
from detente.ttx.release import pre_released_injects, pre_released_moves
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
        subtitle = ctx.gettext(
            "Delegation: %(name)s", name=delegation_name(ctx, ctx.audience.delegation)
        )
    else:
        subtitle = ctx.gettext("Observers")
    marking, marking_text = Marking.NONE, ""
    if ctx.secret is not None:
        marking, marking_text = (
            Marking.PERSONAL,
            ctx.gettext("Personal — contains join codes; do not share"),
        )
    cover = (
        (ctx.gettext("Organiser"), local(ctx, info.organizer)),
        (ctx.gettext("Venue"), local(ctx, info.location)),
        (ctx.gettext("Dates"), ctx.strings.dates(info.start_date, info.end_date)),
    )
    title = ctx.gettext("Participant pack — %(title)s", title=local(ctx, info.title))
    return title, subtitle, marking, marking_text, cover


def delegation_name(ctx: ReportContext, delegation_id: str) -> str:
    """A delegation's name in the document's language (the id when the meeting lacks it)."""
    try:
        return local(ctx, ctx.folder.meeting.delegation(delegation_id).name)
    except KeyError:
        return delegation_id


@report_section(document="pack", order=10)
def welcome(ctx: ReportContext) -> Section:
    info = ctx.folder.meeting.meeting
    blocks: list[Block] = [
        Paragraph(
            ctx.gettext(
                "Welcome to the %(title)s, organised by %(organizer)s in %(location)s, %(dates)s. "
                "This pack holds the programme, the list of participants, the objectives of the "
                "meeting and your personal code for the meeting app.",
                title=local(ctx, info.title),
                organizer=local(ctx, info.organizer),
                location=local(ctx, info.location),
                dates=ctx.strings.dates(info.start_date, info.end_date),
            )
        )
    ]
    if _has_ttx(ctx):
        blocks.append(
            Paragraph(
                ctx.gettext(
                    "It also holds the background and rules of play of the tabletop exercise "
                    "and the options open to your delegation. Each move's situation and "
                    "questions are handed out when the move opens."
                )
            )
        )
    return Section("welcome", ctx.gettext("Welcome"), tuple(blocks))


@report_section(document="pack", order=15)
def background(ctx: ReportContext) -> Section | None:
    info = ctx.folder.meeting.meeting
    paragraphs = [p for text in (info.background, info.purpose) for p in local_blocks(ctx, text)]
    if not paragraphs:
        return None
    return Section("background", ctx.gettext("Background"), tuple(paragraphs))


@report_section(document="pack", order=20)
def objectives(ctx: ReportContext) -> Section:
    info = ctx.folder.meeting.meeting
    blocks = [Paragraph(local(ctx, o.text), lead=local(ctx, o.title)) for o in info.objectives]
    return Section("objectives", ctx.gettext("Objectives"), tuple(blocks))


@report_section(document="pack", order=25)
def logistics(ctx: ReportContext) -> Section | None:
    info = ctx.folder.meeting.meeting
    if not info.logistics:
        return None
    blocks: list[Block] = list(local_blocks(ctx, info.logistics))
    blocks.append(
        Paragraph(ctx.gettext("Times are local (%(zone)s)", zone=info.timezone), tone="muted")
    )
    return Section("logistics", ctx.gettext("Logistics"), tuple(blocks))


@report_section(document="pack", order=30)
def programme(ctx: ReportContext) -> Section:
    return Section(
        "programme", ctx.gettext("Programme"), tuple(programme_blocks(ctx)), page_break=True
    )


@report_section(document="pack", order=40)
def participants(ctx: ReportContext) -> Section:
    blocks = participants_blocks(ctx)
    if ctx.language != "en":
        # delegation headings in the pack's language; people's rows keep the meeting file's form
        names = {str(d.name): local(ctx, d.name) for d in ctx.folder.meeting.delegations}
        blocks = [
            Heading(names[b.text], b.level) if isinstance(b, Heading) and b.text in names else b
            for b in blocks
        ]
    return Section("participants", ctx.gettext("Participants"), tuple(blocks))


@report_section(document="pack", order=50)
def ttx_background(ctx: ReportContext) -> Section | None:
    scenario = ctx.scenario
    if scenario is None or not _has_ttx(ctx):
        return None
    info = scenario.scenario
    blocks: list[Block] = [Heading(local(ctx, info.title))]
    blocks += local_blocks(ctx, info.background)
    blocks.append(
        Paragraph(
            ctx.gettext(
                "The scenario is set as of %(date)s. It is hypothetical.",
                date=ctx.date(info.baseline_date),
            ),
            tone="note",
        )
    )
    own = _own_actor(ctx)
    if own is not None:
        blocks.append(Paragraph(you_play(ctx, own)))
    players = join_names(ctx, (local(ctx, a.name) for a in scenario.players))
    blocks.append(Paragraph(ctx.gettext("Players: %(actors)s.", actors=players)))
    # a control actor is played by the facilitation team only when the scenario says so
    # (`played_by: facilitator`); the engine moves the others by the scenario's rules
    for played_by, key in (
        ("facilitator", N_("Played by the facilitation team: %(actors)s.")),
        (
            "engine",
            N_("Also in the scenario, moved by its rules rather than by a delegation: %(actors)s."),
        ),
    ):
        actors = [a for a in scenario.controls if a.played_by == played_by]
        if actors:
            names = join_names(ctx, (local(ctx, a.name) for a in actors))
            blocks.append(Paragraph(ctx.gettext(key, actors=names)))
    return Section(
        "ttx-background", ctx.gettext("Tabletop exercise: background"), tuple(blocks), True
    )


@report_section(document="pack", order=55)
def rules_of_play(ctx: ReportContext) -> Section | None:
    scenario = ctx.scenario
    if scenario is None or not _has_ttx(ctx):
        return None
    blocks: list[Block] = list(local_blocks(ctx, scenario.scenario.rules_of_play))
    if _own_actor(ctx) is not None:
        blocks.append(
            Paragraph(
                ctx.ngettext(
                    "In each move your delegation submits one decision: up to %(n)s action and "
                    "a short statement.",
                    "In each move your delegation submits one decision: up to %(n)s actions and "
                    "a short statement.",
                    scenario.scenario.max_actions_per_move,
                )
            )
        )
    return Section("rules-of-play", ctx.gettext("Rules of play"), tuple(blocks))


@report_section(document="pack", order=60)
def moves(ctx: ReportContext) -> Section | None:
    """Only what the release plan releases before the meeting: marked moves (brief, this
    delegation's questions) and marked MSEL rows to this delegation or to all."""
    scenario = ctx.scenario
    if scenario is None or not _has_ttx(ctx):
        return None
    own = _own_actor(ctx)
    blocks: list[Block] = []
    for move in pre_released_moves(scenario):
        blocks.append(
            Heading(
                ctx.gettext("Move %(n)s: %(title)s", n=move.number, title=local(ctx, move.title))
            )
        )
        blocks += local_blocks(ctx, move.brief)
        if own is not None and move.questions.get(own.id):
            blocks.append(Heading(ctx.gettext("Questions for your delegation"), level=3))
            blocks.append(
                BulletList(tuple(local(ctx, q) for q in move.questions[own.id]), ordered=True)
            )
    for inject in pre_released_injects(scenario, own.id if own is not None else None):
        blocks.append(Heading(local(ctx, inject.title), level=3))
        blocks += local_blocks(ctx, inject.text)
    if not blocks:
        return None
    return Section("moves", ctx.gettext("Released before the meeting"), tuple(blocks))


def you_play(ctx: ReportContext, actor: Actor) -> str:
    """ "Your delegation plays …", with the name in the case the language needs (the actor's
    `forms.accusative` in the scenario); without that form a wording that needs no case."""
    form = actor.forms.get("accusative")
    if form is not None and (ctx.language == "en" or form.translation(ctx.language)):
        return ctx.gettext("Your delegation plays %(actor)s.", actor=local(ctx, form))
    return ctx.gettext("Your delegation plays: %(actor)s.", actor=local(ctx, actor.name))


@report_section(document="pack", order=65)
def options(ctx: ReportContext) -> Section | None:
    own = _own_actor(ctx)
    if ctx.scenario is None or own is None or not _has_ttx(ctx):
        return None
    rows = []
    for action in ctx.scenario.actions:
        if own.id not in action.actors:
            continue
        description = local(ctx, action.description) if action.description else ""
        if action.visibility is Visibility.PRIVATE:
            note = ctx.gettext("private: not announced to the other delegations")
            description = f"{description} ({note})" if description else note
            description = typography(description, ctx.language)
        rows.append((local(ctx, action.label), description))
    if not rows:
        return None
    table = Table((ctx.gettext("Action"), ctx.gettext("Description")), tuple(rows), widths=(3, 4))
    return Section("options", ctx.gettext("Options open to your delegation"), (table,))


@report_section(document="pack", order=85)
def translations_note(ctx: ReportContext) -> Section | None:
    """How many texts above are shown in English for want of a translation (runs after every
    content section, before the join cards, so the count is complete)."""
    info = ctx.folder.meeting.meeting
    header: list[object] = [info.title, info.organizer, info.location]
    if ctx.audience.delegation is not None:
        with contextlib.suppress(KeyError):
            header.append(ctx.folder.meeting.delegation(ctx.audience.delegation).name)
    # the title block is built after the sections: count its untranslated fields here too
    pending = sum(translations(v, ctx.language)[1] is None for v in header if v)
    note = missing_note(ctx, pending=pending if ctx.language != "en" else 0)
    if note is None:
        return None
    return Section("translations", ctx.gettext("Translations"), (note,))


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
        blocks.append(
            Paragraph(
                ctx.gettext(
                    "On the venue network, open the link or scan the QR code with your phone. "
                    "The code is personal: do not share it. If it is lost, the facilitator can "
                    "issue a new one."
                )
            )
        )
        blocks.append(
            KeyValue(
                (
                    (ctx.gettext("Participant"), person.name),
                    (ctx.gettext("Join code"), code),
                    (ctx.gettext("Link"), url),
                )
            )
        )
        alt = ctx.gettext("QR code of the join link for %(name)s", name=person.name)
        blocks.append(Figure(qr_svg(url), caption=code, alt=alt, width=0.35))
    # page_room: the first card starts after the previous section only if it fits whole.
    return Section(
        "join",
        ctx.gettext("Joining the meeting app"),
        tuple(blocks),
        page_break=True,
        page_room=0.6,
    )
