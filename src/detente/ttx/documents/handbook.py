"""The facilitator handbook (controller/evaluator guide), marked CONFIDENTIAL on every page.

Everything the facilitation team needs and the players must not see: the programme with each
session's running notes, the full Master Scenario Events List (facilitation rows, expected
player actions and evaluator notes included), timings per move, the adjudication rules
(control-actor reactions, chance events, outcome conditions), every player's decision questions
and options, the state the engine tracks, and hotwash questions for the debrief.

The tabletop sections come from the scenario pack; a meeting without an exercise gets the
programme and session notes only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from detente.document.common import span
from detente.document.context import ReportContext, item_label, ttx_items
from detente.document.model import (
    Block,
    BulletList,
    Heading,
    KeyValue,
    Marking,
    Paragraph,
    Section,
    Table,
)
from detente.document.sections import document_header, report_section
from detente.meeting.model import Day, Item
from detente.ttx.documents.run_of_show import move_starts, run_of_show
from detente.ttx.explain import describe_condition, describe_effects, describe_probability
from detente.ttx.parts import plan_parts
from detente.ttx.scenario import Actor, Inject, InjectType, Move, Scenario

CONFIDENTIAL = "CONFIDENTIAL — facilitation team only"


@document_header("handbook")
def _header(ctx: ReportContext) -> tuple[str, str, Marking, str, tuple[tuple[str, str], ...]]:
    info = ctx.folder.meeting.meeting
    cover: list[tuple[str, str]] = [
        ("Organiser", info.organizer),
        ("Venue", info.location),
        ("Dates", ctx.strings.dates(info.start_date, info.end_date)),
    ]
    if ctx.scenario is not None and ttx_items(ctx.folder):
        cover.append(("Exercise", ctx.scenario.scenario.title.en))
    return (
        f"Facilitator handbook — {info.title}",
        "Controller and evaluator guide",
        Marking.CONFIDENTIAL,
        CONFIDENTIAL,
        tuple(cover),
    )


def _scenario(ctx: ReportContext) -> Scenario | None:
    return ctx.scenario if ttx_items(ctx.folder) else None


@report_section(document="handbook", order=5)
def about(ctx: ReportContext) -> Section:
    text = (
        "This handbook is for the facilitation team only — controllers and evaluators. "
        "Participants receive their own packs; never hand this one out or project it."
    )
    blocks: list[Block] = [Paragraph(text, tone="note")]
    if _scenario(ctx) is not None:
        blocks.append(
            Paragraph(
                "It holds the full Master Scenario Events List with the facilitation rows, the "
                "expected player action and evaluator notes of every inject, the timings of "
                "each move, the adjudication rules and the hotwash questions."
            )
        )
    return Section("about", "About this handbook", tuple(blocks))


@report_section(document="handbook", order=7)
def programme_checks(ctx: ReportContext) -> Section:
    """Every finding `detente validate` reports for this folder (programme timing and the
    optional files), in words, so the facilitation team fixes or plans around them."""
    from detente import registry
    from detente.diagnostics import Severity
    from detente.meeting.checks import check_programme
    from detente.ttx.documents.run_of_show import declared_breaks

    folder = ctx.folder
    checks = registry.file_checks()
    pauses = declared_breaks(folder.meeting, ctx.scenario) if ctx.scenario is not None else {}
    findings = check_programme(folder.meeting, folder.source, pauses) + [
        d for name in sorted(checks) for d in checks[name](folder)
    ]
    if not findings:
        body: list[Block] = [
            Paragraph("detente validate finds no problem in the programme or its files.")
        ]
        return Section("programme-checks", "Programme checks", tuple(body))
    lines = []
    for d in findings:
        kind = "Error" if d.severity is Severity.ERROR else "Check"
        where = f"{Path(d.file).name}, line {d.line}" if d.line else Path(d.file).name
        message = d.message[:1].upper() + d.message[1:]
        lines.append(f"{kind}: {message.rstrip('.')}. ({where})")
    body = [
        Paragraph(
            f"detente validate reports {len(findings)} "
            f"{'finding' if len(findings) == 1 else 'findings'} for this meeting folder. Fix "
            "them in the file, or plan the room around them (the record follows the programme "
            "as it is held, so an overlap moves the later item):"
        ),
        BulletList(tuple(lines)),
    ]
    return Section("programme-checks", "Programme checks", tuple(body))


@report_section(document="handbook", order=10)
def session_notes(ctx: ReportContext) -> Section:
    """Each session's time, activity, speaking order and questions, as the facilitator runs it."""
    blocks: list[Block] = []
    for day, item in ctx.folder.meeting.items():
        if item.session is None and item.activity is None:
            continue
        title = f"Session {item.session}: {item.title}" if item.session else item.title
        blocks.append(Heading(f"{title} ({ctx.date(day.date)}, {span(item)})"))
        rows: list[tuple[str, str]] = []
        if item.activity:
            rows.append(("Activity", item.activity))
        for part in item.parts:
            who = f" — {ctx.delegation_name(part.delegation)}" if part.delegation else ""
            minutes = f" ({part.minutes} min)" if part.minutes else ""
            rows.append((f"{part.start:%H:%M}", f"{part.title}{who}{minutes}"))
        if rows:
            blocks.append(KeyValue(tuple(rows)))
        if item.description:
            blocks.append(Paragraph(" ".join(item.description.split())))
        if item.questions:
            if item.questions_intro:
                blocks.append(Paragraph(item.questions_intro))
            blocks.append(BulletList(tuple(q.text for q in item.questions)))
        for step in item.steps:
            blocks.append(Paragraph("; ".join(step.questions), lead=step.title))
        if item.note:
            blocks.append(Paragraph(item.note, tone="muted"))
    return Section("sessions", "Sessions and running notes", tuple(blocks))


@report_section(document="handbook", order=20)
def exercise_overview(ctx: ReportContext) -> Section | None:
    scenario = _scenario(ctx)
    if scenario is None:
        return None
    info = scenario.scenario
    rows: list[tuple[str, str]] = [
        ("Scenario", info.title.en),
        ("Baseline date", f"{info.baseline_date:%d %B %Y}"),
        ("Languages", ", ".join(info.languages)),
        ("Moves", str(len(scenario.moves))),
        ("Injects", f"{len(scenario.msel)} in the MSEL"),
        ("Actions per move", f"up to {info.max_actions_per_move} per player"),
    ]
    if info.sponsor:
        rows.append(("Sponsor", info.sponsor))
    actors = []
    for actor in scenario.actors:
        if actor.delegation:
            who = f"player — {ctx.delegation_name(actor.delegation)}"
        else:
            who = f"{actor.role.value} — played by the {actor.played_by}"
        actors.append((actor.id, actor.name.en, who))
    blocks: list[Block] = [
        KeyValue(tuple(rows)),
        Heading("Exercise objectives"),
        BulletList(tuple(f"{o.id}: {o.text.en}" for o in info.objectives)),
        Heading("Actors"),
        Table(("id", "name", "role"), tuple(actors), widths=(1, 2, 3)),
    ]
    return Section("exercise", "Exercise overview", tuple(blocks), page_break=True)


def move_times(ctx: ReportContext, scenario: Scenario) -> dict[int, tuple[dt.datetime, int]]:
    """Room start time and minutes of each move, from the run-of-show
    (:mod:`detente.ttx.documents.run_of_show`): brief and breaks included, so MSEL delivery times
    and the run-of-show agree."""
    return move_starts(ctx.folder.meeting, scenario)


def _session_minutes(day: Day, item: Item) -> int | None:
    if item.start is None or item.end is None:
        return None
    a = dt.datetime.combine(day.date, item.start)
    b = dt.datetime.combine(day.date, item.end)
    return int((b - a).total_seconds() // 60) % (24 * 60)


def _minutes(n: int) -> str:
    return f"{n} minute{'s' if n != 1 else ''}"


@report_section(document="handbook", order=25)
def run_of_show_section(ctx: ReportContext) -> Section | None:
    """Minute by minute, each exercise session: brief, moves, breaks, hotwash, with a warning
    where the rows do not add up to the session's scheduled length."""
    scenario = _scenario(ctx)
    if scenario is None:
        return None
    shows = run_of_show(ctx.folder.meeting, scenario)
    if not shows:
        return None
    blocks: list[Block] = [
        Paragraph(
            "The exercise as the facilitator runs it. The opening brief, breaks and hotwash come "
            "from the scenario's run_of_show; each move takes the minutes the scenario gives it."
        )
    ]
    for show in shows:
        label = item_label(show.item)
        blocks.append(Heading(f"{label} ({ctx.date(show.day.date)}, {span(show.item)})"))
        rows = tuple((f"{r.start:%H:%M}–{r.end:%H:%M}", r.title, str(r.minutes)) for r in show.rows)
        total = ("", "Total", str(show.total))
        blocks.append(Table(("time", "what", "minutes"), (*rows, total), widths=(1.4, 5, 1)))
        balance = show.balance
        if balance is None:
            blocks.append(
                Paragraph(
                    f"{label} has no end time in the programme, so the plan of "
                    f"{_minutes(show.total)} cannot be checked against it.",
                    tone="note",
                )
            )
        elif balance > 0:
            blocks.append(
                Paragraph(
                    f"Warning: the rows take {_minutes(show.total)} but {label} lasts "
                    f"{_minutes(show.available or 0)}: {_minutes(balance)} are unassigned. Give "
                    "them to the brief, a break or the hotwash (run_of_show in scenario.yaml), "
                    "or lengthen moves.",
                    tone="note",
                )
            )
        elif balance < 0:
            blocks.append(
                Paragraph(
                    f"Warning: the rows take {_minutes(show.total)} but {label} lasts "
                    f"{_minutes(show.available or 0)}: the plan overruns by "
                    f"{_minutes(-balance)}. Shorten moves, breaks or the hotwash.",
                    tone="note",
                )
            )
        else:
            blocks.append(
                Paragraph(f"The rows fill {label} exactly ({_minutes(show.total)}).", tone="muted")
            )
    return Section("run-of-show", "Run-of-show", tuple(blocks), page_break=True)


@report_section(document="handbook", order=27)
def staffing(ctx: ReportContext) -> Section | None:
    """Who the facilitation team needs, from the meeting file and the scenario: a controller,
    a control cell when control actors are played by the facilitator, and per playing delegation
    (each deliberates at its own table or room) an evaluator and a note-taker, with an
    interpreter where the delegation works in another language than the meeting's first."""
    scenario = _scenario(ctx)
    if scenario is None:
        return None
    meeting = ctx.folder.meeting
    facilitators = [p.name for p in meeting.people if p.role.value == "facilitator"]
    players = [a for a in scenario.players if a.delegation]
    control = _control_post(scenario)
    posts = [
        _Post(
            "Exercise controller",
            "whole exercise",
            "Runs the clock, releases injects, accepts or overrides the engine's adjudication "
            "(with a recorded reason), leads brief and hotwash.",
        ),
        *([control] if control is not None else []),
        *_delegation_posts(ctx, players),
    ]
    team = _assign(posts, facilitators)
    total = len(team)
    blocks: list[Block] = [
        Paragraph(
            f"The exercise needs {total} staff: one controller"
            + (", a control cell" if control is not None else "")
            + f" and, for each of the {len(players)} playing delegations, an evaluator and a "
            "note-taker (and an interpreter where its working language differs). Facilitators "
            "named in the meeting file are assigned in order; the rest are to be named."
        ),
        Table(("role", "where", "duties", "who"), team, widths=(1.4, 2.2, 4, 1.4)),
    ]
    observers = [p for p in meeting.people if p.role.value == "observer"]
    if observers:
        blocks.append(
            Paragraph(
                f"{len(observers)} observer{'s' if len(observers) != 1 else ''} follow the "
                "exercise without playing; the controller briefs them with the delegations.",
                tone="muted",
            )
        )
    if len(facilitators) > total:
        spare = len(facilitators) - total
        blocks.append(
            Paragraph(f"{spare} named facilitator{'s have' if spare != 1 else ' has'} no role yet.")
        )
    return Section("staffing", "Roles and staffing", tuple(blocks))


@dataclass(frozen=True)
class _Post:
    """One row of the staffing table before names are assigned."""

    role: str
    where: str
    duties: str
    facilitator: bool = True
    """Filled from the meeting file's facilitators (interpreters are not: always to be named)."""


def _control_post(scenario: Scenario) -> _Post | None:
    """The control cell, when the scenario has control actors: it plays those the facilitator
    plays, or reads the engine's moves for them to the room."""
    hand_played = [a.name.en for a in scenario.controls if a.played_by == "facilitator"]
    engine_played = [a.name.en for a in scenario.controls if a.played_by != "facilitator"]
    control_actors = ", ".join(hand_played + engine_played)
    if not control_actors:
        return None
    duty = (
        f"Plays the control actors ({control_actors}) and drafts their responses"
        if hand_played
        else f"Reads the engine's moves for the control actors ({control_actors}) to the room"
    )
    return _Post("Control cell", "control", duty + "; keeps the MSEL on time.")


def _delegation_posts(ctx: ReportContext, players: list[Actor]) -> list[_Post]:
    """Per playing delegation, in the scenario's order: an evaluator, a note-taker and, when it
    works in another language than the meeting's first, an interpreter."""
    meeting = ctx.folder.meeting
    working = meeting.meeting.languages[0]
    seats: dict[str, int] = {}
    for person in meeting.people:
        if person.role.value == "delegate" and person.delegation:
            seats[person.delegation] = seats.get(person.delegation, 0) + 1
    posts: list[_Post] = []
    for actor in players:
        delegation = actor.delegation or ""
        name = ctx.delegation_name(delegation)
        language = next((d.language for d in meeting.delegations if d.id == delegation), working)
        where = f"{name} ({seats.get(delegation, 0)} seats, works in {language})"
        posts.append(
            _Post(
                "Evaluator",
                where,
                "Follows the delegation's deliberation against the exercise objectives and the "
                "expected player actions of the MSEL; records evidence for the after-action "
                "report.",
            )
        )
        posts.append(
            _Post(
                "Note-taker",
                where,
                "Records the decisions, reasons and statements of the delegation, without "
                "attributing views to persons.",
            )
        )
        if language != working:
            posts.append(
                _Post(
                    "Interpreter",
                    where,
                    f"Interprets between {language} and {working} at the table and in plenary.",
                    facilitator=False,
                )
            )
    return posts


def _assign(posts: list[_Post], facilitators: list[str]) -> tuple[tuple[str, str, str, str], ...]:
    """The staffing table's rows: the named facilitators fill the facilitation posts in order;
    the posts left over, and every interpreter, are `to be named`."""
    named = iter(facilitators)
    return tuple(
        (
            post.role,
            post.where,
            post.duties,
            next(named, "to be named") if post.facilitator else "to be named",
        )
        for post in posts
    )


@report_section(document="handbook", order=30)
def timings(ctx: ReportContext) -> Section | None:
    scenario = _scenario(ctx)
    if scenario is None:
        return None
    times = move_times(ctx, scenario)
    rows = []
    for move in sorted(scenario.moves, key=lambda m: m.number):
        start, minutes = times[move.number]
        end = start + dt.timedelta(minutes=minutes)
        injects = [i for i in scenario.msel if i.move == move.number]
        rows.append(
            (
                str(move.number),
                move.title.en,
                f"{start:%H:%M}–{end:%H:%M}",
                str(minutes),
                f"{move.scenario_time:%Y-%m-%d %H:%M}",
                str(len(injects)),
            )
        )
    blocks: list[Block] = [
        Table(
            ("move", "title", "room time", "minutes", "scenario time", "injects"),
            tuple(rows),
            widths=(0.6, 3, 1.4, 0.9, 1.8, 0.8),
        )
    ]
    plans = plan_parts(ctx.folder.meeting, [(m.number, m.minutes) for m in scenario.moves])
    days = {item.id: (day, item) for day, item in ttx_items(ctx.folder)}
    move_minutes = {m.number: m.minutes for m in scenario.moves}
    for plan in plans:
        day, item = days[plan.item_id]
        total = sum(move_minutes.get(n, 0) for n in plan.moves)
        available = _session_minutes(day, item)
        if available is None:
            continue
        verdict = "fits" if total <= available else "does NOT fit"
        if len(plans) == 1:
            text = (
                f"The moves take {total} minutes; {item_label(item)} has {available} minutes, so "
                f"the exercise {verdict} its session."
            )
        else:
            what = f"part {plan.part} ({_span(plan.moves)})"
            text = (
                f"The moves of {what} take {total} minutes; {item_label(item)} has {available} "
                f"minutes, so {what} {verdict} its session."
            )
        blocks.append(Paragraph(text))
    unplanned = [m.number for m in scenario.moves if all(m.number not in p.moves for p in plans)]
    if plans and unplanned:
        blocks.append(
            Paragraph(
                f"No part of the programme plays move(s) {', '.join(map(str, unplanned))}.",
                tone="note",
            )
        )
    return Section("timings", "Timings per move", tuple(blocks))


def _names(scenario: Scenario) -> dict[str, str]:
    """Actor ids by English name, for the plain-language rules (`trust between the United
    States and China`)."""
    return {a.id: a.name.en for a in scenario.actors}


def _span(moves: tuple[int, ...]) -> str:
    if not moves:
        return "no move"
    return f"moves {moves[0]}–{moves[-1]}" if len(moves) > 1 else f"move {moves[0]}"


def trigger_text(inject: Inject) -> str:
    trigger = inject.trigger
    parts = []
    if trigger.scheduled:
        parts.append("scheduled")
    if trigger.condition:
        parts.append(f"when {trigger.condition}")
    if trigger.after is not None:
        parts.append(f"after #{trigger.after}")
    return "; ".join(parts) or "—"


def _scoring(scenario: Scenario, inject: Inject) -> str:
    """How the row counts on the escalation ladder (:mod:`detente.ttx.inject_scores`)."""
    from detente.ttx.inject_scores import inject_score

    scored = inject_score(scenario, inject)
    if scored is None:
        return "not scored (no actor and rung declared or derivable from its effects)"
    names = _names(scenario)
    rungs = {r.id: r for r in scenario.ladder}
    rung = rungs.get(scored.rung)
    label = f"{rung.label.en} ({rung.score:+g})" if rung else scored.rung
    how = f", derived from its effects (like {scored.like})" if scored.like else ""
    return f"{names.get(scored.actor, scored.actor)} — {label}{how}"


def _inject_card(inject: Inject, delivery: str, scenario: Scenario) -> list[Block]:
    kind = (
        inject.type.value.upper() if inject.type is InjectType.FACILITATION else inject.type.value
    )
    rows: list[tuple[str, str]] = [
        ("Type", kind + (" (contingency)" if inject.contingency else "")),
        ("Delivery", delivery),
        ("Method", inject.method or "—"),
        ("From → to", f"{inject.sender or 'control'} → {', '.join(inject.to)}"),
        ("Trigger", trigger_text(inject)),
        ("Text", inject.text.en),
    ]
    if inject.expected_action:
        rows.append(("Expected player action", inject.expected_action))
    if inject.expected_actions:
        rows.append(("Expected actions (ids)", ", ".join(inject.expected_actions)))
    if inject.objective:
        rows.append(("Objective", inject.objective))
    if inject.evaluator_notes:
        rows.append(("Evaluator notes", inject.evaluator_notes))
    if inject.effects:
        rows.append(("Effects", inject.effects))
    if inject.type is not InjectType.FACILITATION:
        rows.append(("Escalation score", _scoring(scenario, inject)))
    return [Heading(f"#{inject.number} {inject.title.en}", level=3), KeyValue(tuple(rows))]


@report_section(document="handbook", order=40)
def msel(ctx: ReportContext) -> Section | None:
    scenario = _scenario(ctx)
    if scenario is None or not scenario.msel:
        return None
    times = move_times(ctx, scenario)
    blocks: list[Block] = [
        Paragraph(
            "Rows of type FACILITATION are for the facilitation team only and are never shown "
            "to players. Delivery times are room times (move start plus the delivery offset); "
            "rows are in delivery order within each move."
        )
    ]
    moves: dict[int | None, Move | None] = {m.number: m for m in scenario.moves}
    groups = sorted({i.move for i in scenario.msel}, key=lambda m: (m is None, m or 0))
    for number in groups:
        injects = sorted(
            (i for i in scenario.msel if i.move == number), key=lambda i: (i.offset, i.number)
        )
        move = moves.get(number)
        heading = f"Move {number}: {move.title.en}" if move else "Any move (triggered)"
        blocks.append(Heading(heading))
        rows = []
        cards: list[Block] = []
        for inject in injects:
            if number is not None and number in times:
                at = times[number][0] + dt.timedelta(minutes=inject.offset)
                delivery = f"{at:%H:%M} (+{inject.offset} min)"
            else:
                delivery = "when triggered"
            rows.append(
                (
                    str(inject.number),
                    delivery,
                    inject.type.value,
                    f"{inject.sender or 'control'} → {', '.join(inject.to)}",
                    inject.title.en,
                    inject.expected_action or "—",
                )
            )
            cards += _inject_card(inject, delivery, scenario)
        blocks.append(
            Table(
                ("#", "delivery", "type", "from → to", "title", "expected player action"),
                tuple(rows),
                widths=(0.4, 1.2, 1.0, 1.4, 2.2, 3.2),
            )
        )
        blocks += cards
    return Section("msel", "Master Scenario Events List", tuple(blocks), page_break=True)


@report_section(document="handbook", order=50)
def questions(ctx: ReportContext) -> Section | None:
    scenario = _scenario(ctx)
    if scenario is None:
        return None
    names = {a.id: a.name.en for a in scenario.actors}
    blocks: list[Block] = []
    for move in sorted(scenario.moves, key=lambda m: m.number):
        blocks.append(Heading(f"Move {move.number}: {move.title.en}"))
        blocks.append(Paragraph(" ".join(move.brief.en.split()), lead="Brief"))
        for actor, qs in move.questions.items():
            blocks.append(Paragraph(names.get(actor, actor), lead="Questions for"))
            blocks.append(BulletList(tuple(q.en for q in qs), ordered=True))
    return Section("questions", "Situation briefs and decision questions", tuple(blocks), True)


@report_section(document="handbook", order=60)
def state_and_ladder(ctx: ReportContext) -> Section | None:
    scenario = _scenario(ctx)
    if scenario is None:
        return None
    rows = [
        (
            v.id,
            v.meaning,
            f"{v.min:g}…{v.max:g}",
            f"{v.initial:g}{(' ' + v.unit) if v.unit else ''}",
        )
        for v in scenario.state
    ]
    blocks: list[Block] = [
        Table(("variable", "meaning", "range", "initial"), tuple(rows), widths=(1.5, 4, 1, 1))
    ]
    if scenario.dyadic:
        dyads = []
        for d in scenario.dyadic:
            pairs = ", ".join(f"{k}: {v:g}" for k, v in d.pairs.items())
            initial = f"{d.initial:g}" + (f" ({pairs})" if pairs else "")
            dyads.append((d.id, d.meaning, f"{d.min:g}…{d.max:g}", initial))
        blocks.append(Heading("Variables between pairs of actors"))
        blocks.append(
            Table(("variable", "meaning", "range", "initial"), tuple(dyads), widths=(1.5, 4, 1, 2))
        )
    blocks.append(Heading("Escalation ladder"))
    blocks.append(
        Table(
            ("rung", "label", "score"),
            tuple((r.id, r.label.en, f"{r.score:g}") for r in scenario.ladder),
        )
    )
    return Section("state", "State and escalation ladder", tuple(blocks))


@report_section(document="handbook", order=65)
def actions(ctx: ReportContext) -> Section | None:
    scenario = _scenario(ctx)
    if scenario is None:
        return None
    names = _names(scenario)
    rows = []
    for a in scenario.actions:
        rule = "; ".join(
            x for x in (f"if {a.precondition}" if a.precondition else "", a.effects or "") if x
        )
        words = "; ".join(
            x
            for x in (
                f"only when {describe_condition(a.precondition, names)}" if a.precondition else "",
                describe_effects(a.effects, names) if a.effects else "",
            )
            if x
        )
        rows.append(
            (a.id, a.label.en, ", ".join(a.actors), a.visibility.value, a.escalation, rule, words)
        )
    table = Table(
        (
            "id",
            "label",
            "actors",
            "visibility",
            "escalation",
            "precondition; effects",
            "in plain words",
        ),
        tuple(rows),
        widths=(1.2, 1.8, 0.9, 0.9, 1.1, 2.2, 2.6),
    )
    return Section("actions", "Actions", (table,), page_break=True)


@report_section(document="handbook", order=70)
def adjudication(ctx: ReportContext) -> Section | None:
    scenario = _scenario(ctx)
    if scenario is None:
        return None
    blocks: list[Block] = [
        Paragraph(
            "Each move the engine releases scheduled and triggered injects, applies the "
            "players' actions, draws chance events, runs the control actors' reactions, scores "
            "escalation per actor and checks the outcome conditions. The facilitator may accept "
            "the engine's proposal or override it with a recorded rationale."
        )
    ]
    names = _names(scenario)
    if scenario.reactions:
        blocks += _reaction_rules(scenario, names)
    if scenario.chance:
        blocks += _chance_rules(scenario, names)
    if scenario.outcomes:
        blocks += _outcome_rules(scenario, names)
    return Section("adjudication", "Adjudication rules", tuple(blocks))


def _reaction_rules(scenario: Scenario, names: dict[str, str]) -> list[Block]:
    """The control actors' reactions as a table: each rule as written, then in plain words."""
    actions = {a.id: a.label.en for a in scenario.actions}
    rows = []
    for r in scenario.reactions:
        moves = ", ".join(map(str, r.moves)) or "all"
        chance = describe_probability(r.probability, names)
        words = (
            f"When {describe_condition(r.when, names)}: {names.get(r.actor, r.actor)} takes "
            f"“{actions.get(r.action, r.action)}” — {chance}"
            + (f", in moves {moves}." if r.moves else ", in any move.")
        )
        rows.append((r.id, r.actor, r.when, r.action, str(r.probability), moves, words))
    return [
        Heading("Control-actor reactions"),
        Table(
            ("id", "actor", "when", "action", "probability", "moves", "in plain words"),
            tuple(rows),
            widths=(1.1, 0.7, 2.1, 1.2, 1.5, 0.8, 3),
        ),
    ]


def _chance_rules(scenario: Scenario, names: dict[str, str]) -> list[Block]:
    """The chance events as a table: each event's rule as written, with a row under it giving
    the rule in plain words."""
    chances = []
    for c in scenario.chance:
        when = f"When {describe_condition(c.when, names)}: " if c.when else "In any move: "
        words = (
            f"{when}{describe_probability(c.probability, names)}; then "
            f"{describe_effects(c.effects, names)}."
        )
        chances.append((c.id, c.label.en, c.when or "always", str(c.probability), c.effects))
        chances.append(("", "", "", "", words))
    return [
        Heading("Chance events"),
        Paragraph("Under each chance event, its rule in plain words.", tone="muted"),
        Table(("id", "label", "when", "probability", "effects"), tuple(chances)),
    ]


def _outcome_rules(scenario: Scenario, names: dict[str, str]) -> list[Block]:
    """The outcome conditions as a table, in plain words too, with whether each ends the
    exercise."""
    outcomes = [
        (
            o.id,
            o.label.en,
            o.when,
            f"Occurs when {describe_condition(o.when, names)}.",
            "ends the exercise" if o.terminal else "recorded",
        )
        for o in scenario.outcomes
    ]
    return [
        Heading("Outcome conditions"),
        Table(
            ("id", "label", "when", "in plain words", "effect"),
            tuple(outcomes),
            widths=(1.1, 1.8, 2.4, 2.8, 1.2),
        ),
    ]


@report_section(document="handbook", order=80)
def hotwash(ctx: ReportContext) -> Section | None:
    """Questions for the debrief right after the exercise: the standard hotwash prompts, then
    one per exercise objective and one per inject that names the player actions it looks for
    (`expected_actions`): an inject that expects nothing gets no question."""
    scenario = _scenario(ctx)
    if scenario is None:
        return None
    general = (
        "What did your delegation see as the turning point of the exercise, and why?",
        "Which decision was hardest to take, and what information was missing when you took it?",
        "Where did another delegation's move surprise you? What had you expected instead?",
        "Which channel or mechanism would have changed the course of events had it existed?",
        "What would your delegation do differently if the crisis happened tomorrow?",
    )
    per_objective = tuple(
        f"Objective “{o.text.en}”: what did the exercise show about it, and what remains open?"
        for o in scenario.scenario.objectives
    )
    labels = {a.id: a.label.en for a in scenario.actions}
    per_inject = tuple(
        f"Inject #{i.number} “{i.title.en}” looked for: "
        f"{'; '.join(labels.get(x, x) for x in i.expected_actions)}. Was that done, and what "
        "helped or hindered it?"
        for i in sorted(
            scenario.msel, key=lambda i: (i.move is None, i.move or 0, i.offset, i.number)
        )
        if i.expected_actions and i.type is not InjectType.FACILITATION
    )
    blocks: list[Block] = [
        Heading("For the whole room"),
        BulletList(general, ordered=True),
        Heading("Per objective"),
        BulletList(per_objective, ordered=True),
    ]
    if per_inject:
        blocks += [Heading("Per inject"), BulletList(per_inject, ordered=True)]
    return Section("hotwash", "Hotwash questions", tuple(blocks), page_break=True)
