"""The tabletop exercise's after-action report (AAR).

Modelled on the HSEEP after-action report, adapted to a Track-2 dialogue: an overview table
(exercise, date, scope, objectives, scenario, sponsor, participants by delegation), the timeline
of moves, the escalation chart, decisions against each inject's expected player action,
strengths and areas for further dialogue per objective, and recommendations with addressee and
horizon (instead of HSEEP's owner and due date).

Everything after the overview is read from the record: the exercise's own events
(`ttx_*`: moves, narratives, the end and its outcomes) and the after-action analysis the
reflection session records (`reflection_*`: timeline, escalation curve, turning points, each
inject's expected action assessed per delegation, hotwash questions). The document is made
once the exercise session has run — before that :class:`DocumentUnavailable` names the
session; sections that need the reflection session say so until it has run.

Two editions. The participants' edition (audience `participants`) is built from the public
record plus what was released after the exercise: private decisions, facilitation injects,
adjudication proposals, overrides and the mechanics audit stay out, and so do the MSEL's
expected actions — it never says which action the scenario expected, nor that one was not
taken; its decisions, strengths and areas for improvement and improvement plan are judged from
the shared record (:mod:`detente.ttx.documents.aar_public`), and what a delegation did in private is
"not observable". The facilitation team's edition (audience `facilitator`) is the full evaluation
against the MSEL's expected actions, private moves included, with record references as
evidence. Delegations are named, people never are. Recommendations (addressee, horizon) plug
in from the recommendations issue with ``@report_section(document="aar", order=70)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from detente.document.attribution import plural
from detente.document.context import DocumentUnavailable, ReportContext, item_label, ttx_items
from detente.document.drafted import drafted_note
from detente.document.model import (
    Block,
    BulletList,
    Figure,
    Heading,
    KeyValue,
    Marking,
    Paragraph,
    Section,
    Table,
)
from detente.document.sections import document_header, document_ready, report_section
from detente.meeting.model import Day, Item
from detente.store.log import Record
from detente.ttx.documents.aar_public import action_label
from detente.ttx.events import (
    ReflectionEscalationCurve,
    ReflectionHotwashQuestion,
    ReflectionInjectAssessed,
    ReflectionTimeline,
    ReflectionTurningPoint,
    TtxMoveStarted,
    TtxNarrative,
)
from detente.ttx.results import ExerciseResult, exercise_result

MARKING = "Restricted — exercise participants and organisers"
FACILITATOR_MARKING = (
    "Confidential — facilitation team only: private moves and the MSEL's expected actions"
)


def exercise_item(ctx: ReportContext) -> tuple[Day, Item]:
    items = ttx_items(ctx.folder)
    if not items:
        raise DocumentUnavailable(
            "this meeting's programme has no tabletop exercise (no item with `activity: ttx`), "
            "so there is no after-action report to make"
        )
    return items[0]


@document_ready("aar")
def _ready(ctx: ReportContext) -> None:
    _, item = exercise_item(ctx)
    if ctx.scenario is None:
        raise DocumentUnavailable(
            f"the after-action report needs the scenario pack (scenario.yaml in {ctx.folder.root})"
        )
    held = ctx.held(item.id or "")
    if held is None:
        raise DocumentUnavailable(
            f"the after-action report needs {item_label(item)}, which has not run yet"
        )
    if held.unavailable:
        raise DocumentUnavailable(
            f"{item_label(item)} was held but the exercise did not run: {held.unavailable}"
        )
    if not any(e.item_id == item.id for _, e in ctx.events(TtxMoveStarted)):
        raise DocumentUnavailable(f"{item_label(item)} recorded no move of the exercise")


@document_header("aar")
def _header(ctx: ReportContext) -> tuple[str, str, Marking, str, tuple[tuple[str, str], ...]]:
    info = ctx.folder.meeting.meeting
    assert ctx.scenario is not None
    title = ctx.scenario.scenario.title.en
    cover = (
        ("Meeting", info.title),
        ("Organiser", info.organizer),
        ("Venue", info.location),
    )
    if ctx.audience.facilitation:
        return (
            f"After-action report — {title}",
            "Tabletop exercise · facilitation team's edition",
            Marking.CONFIDENTIAL,
            FACILITATOR_MARKING,
            cover,
        )
    return (
        f"After-action report — {title}",
        "Tabletop exercise · participants' edition",
        Marking.CONFIDENTIAL,
        MARKING,
        cover,
    )


def _held_date(ctx: ReportContext, day: Day, item: Item) -> dt.date:
    held = ctx.held(item.id or "")
    return ctx.local(held.started).date() if held is not None else day.date


@report_section(document="aar", order=10)
def overview(ctx: ReportContext) -> Section | None:
    scenario = ctx.scenario
    if scenario is None:
        return None
    day, item = exercise_item(ctx)
    meeting = ctx.folder.meeting
    info = scenario.scenario
    minutes = sum(m.minutes for m in scenario.moves)
    controls = ", ".join(a.name.en for a in scenario.controls) or "none"
    scope = (
        f"{len(scenario.moves)} moves ({minutes} minutes of play) in "
        f"{' and '.join(item_label(i) for _, i in ttx_items(ctx.folder))}; "
        f"{len(scenario.players)} player delegations; control actors: {controls}; "
        f"{len(scenario.msel)} injects in the MSEL"
    )
    by_delegation = [
        f"{d.name}: {len(meeting.members(d.id))}"
        for d in meeting.delegations
        if any(a.delegation == d.id for a in scenario.players)
    ]
    if meeting.observers:
        by_delegation.append(f"observers: {len(meeting.observers)}")
    rows: list[tuple[str, str]] = [
        ("Exercise", info.title.en),
        ("Date", ctx.date(_held_date(ctx, day, item))),
        ("Scope", scope),
        ("Objectives", "\n".join(o.text.en for o in info.objectives)),
        ("Scenario", f"Hypothetical, set as of {ctx.date(info.baseline_date)}."),
        ("Sponsor", info.sponsor or meeting.meeting.organizer),
        ("Participants by delegation", "\n".join(by_delegation)),
    ]
    blocks: list[Block] = [KeyValue(tuple(rows))]
    first = info.background.en.split("\n\n")[0]
    blocks.append(Paragraph(" ".join(first.split()), lead="Scenario"))
    opened = ctx.state.opened
    drafted = drafted_note(ctx.folder, opened.seats if opened is not None else {}, ctx.records)
    if drafted:  # the decisions and statements below include a language model's
        blocks.append(Paragraph(drafted, tone="note"))
    return Section("overview", "Exercise overview", tuple(blocks))


# --- from the record ---------------------------------------------------------------------------


def _exercise_id(ctx: ReportContext) -> str:
    return exercise_item(ctx)[1].id or ""


def _reflection_item(ctx: ReportContext) -> str | None:
    """The item whose after-action analysis covers this exercise."""
    exercise = _exercise_id(ctx)
    for _, timeline in ctx.events(ReflectionTimeline):
        if timeline.exercise_item == exercise:
            return timeline.item_id
    return None


def _actor_names(ctx: ReportContext) -> dict[str, str]:
    assert ctx.scenario is not None
    names = {a.id: a.name.en for a in ctx.scenario.actors}
    for a in ctx.scenario.actors:
        if a.delegation:
            names[a.delegation] = ctx.delegation_name(a.delegation)
    return names


def _reflection_pending(ctx: ReportContext) -> str:
    items = [i for _, i in ctx.folder.meeting.items() if i.activity == "reflection"]
    if not items:
        return "The programme has no reflection session, so no after-action analysis was recorded."
    return f"{item_label(items[0])} has not run yet: its after-action analysis is not recorded."


def _played(ctx: ReportContext) -> ExerciseResult | None:
    """The exercise as recorded, every part of it (see :func:`exercise_result`)."""
    return exercise_result(ctx.visible, _exercise_id(ctx))


@report_section(document="aar", order=15)
def result(ctx: ReportContext) -> Section | None:
    played = _played(ctx)
    if played is None or not played.finished:
        return None
    blocks: list[Block] = []
    text = f"The exercise ran for {plural(len(played.moves_played), 'move')}"
    if played.split:
        text += f" in {len(played.parts)} parts"
    if played.ended_by:
        label = next((o.label for o in played.outcomes if o.id == played.ended_by), "")
        early = "early " if played.ended_early else ""
        text += f" and ended {early}with “{label or played.ended_by}”"
    blocks.append(Paragraph(text + "."))
    if played.outcomes:
        rows = tuple(
            (o.label, str(o.move), "ended the exercise" if o.terminal else "recorded")
            for o in played.outcomes
        )
        blocks.append(Table(("outcome", "move", "effect"), rows, widths=(4, 1, 2)))
    else:
        blocks.append(Paragraph("None of the scenario's outcome conditions occurred."))
    if _reflection_item(ctx) is None:
        blocks.append(Paragraph(_reflection_pending(ctx), tone="note"))
    return Section("result", "Result", tuple(blocks))


@report_section(document="aar", order=20)
def timeline(ctx: ReportContext) -> Section | None:
    played = _played(ctx)
    parts = set(played.item_ids) if played is not None else {_exercise_id(ctx)}
    reflection = _reflection_item(ctx)
    entries = [
        entry
        for _, t in ctx.events(ReflectionTimeline)
        if t.item_id == reflection
        for entry in t.entries
    ]
    moves = {e.move: e for _, e in ctx.events(TtxMoveStarted) if e.item_id in parts}
    narratives = {e.move: e for _, e in ctx.events(TtxNarrative) if e.item_id in parts}
    if not entries and not moves:
        return None
    blocks: list[Block] = []
    if entries:
        rows = []
        for entry in sorted(entries, key=lambda e: e.move):
            started = moves.get(entry.move)
            rows.append(
                (
                    str(entry.move),
                    started.scenario_time.replace("T", " ")[:16] if started else "",
                    entry.title,
                    "\n".join(entry.injects) or "—",
                    "\n".join(entry.actions) or "—",
                    "\n".join(entry.outcomes) or "—",
                )
            )
        blocks.append(
            Table(
                ("move", "scenario time", "title", "injects", "public actions", "outcomes"),
                tuple(rows),
                widths=(0.6, 1.3, 1.8, 2.4, 2.6, 1.4),
            )
        )
    for number in sorted(narratives):
        move = moves.get(number)
        title = f"Move {number}: {move.title}" if move else f"Move {number}"
        blocks.append(Heading(title, level=3))
        blocks.append(Paragraph(narratives[number].text))
    return Section("timeline", "Timeline", tuple(blocks), page_break=True)


@report_section(document="aar", order=30)
def escalation(ctx: ReportContext) -> Section | None:
    from detente.document.plots import escalation_chart

    assert ctx.scenario is not None
    reflection = _reflection_item(ctx)
    curves = [e for _, e in ctx.events(ReflectionEscalationCurve) if e.item_id == reflection]
    if not curves:
        return None
    curve = curves[-1]
    names = _actor_names(ctx)
    series = {names.get(a, a): values for a, values in curve.by_actor.items()}
    rungs = [(r.label.en, r.score) for r in ctx.scenario.ladder if r.score > 0]
    svg = escalation_chart(curve.moves, series, rungs=rungs)
    rows = tuple((name, *(f"{v:g}" for v in values)) for name, values in series.items())
    columns = ("actor", *(f"move {m}" for m in curve.moves))
    blocks: list[Block] = [
        Figure(
            svg,
            caption="Escalation score per actor and move (ladder rungs as guides).",
            alt="Line chart of each actor's escalation score over the moves: "
            + "; ".join(f"{n}: {', '.join(f'{v:g}' for v in vals)}" for n, vals in series.items()),
        ),
        Table(columns, rows, widths=(2.4, *(1.0 for _ in curve.moves))),
    ]
    turning = [e for _, e in ctx.events(ReflectionTurningPoint) if e.item_id == reflection]
    if turning:
        blocks.append(Heading("Turning points", level=2))
        blocks.append(
            BulletList(
                tuple(
                    f"Move {t.move} — {t.reason}: {t.detail}"
                    for t in sorted(turning, key=lambda t: t.move)
                )
            )
        )
    return Section("escalation", "Escalation", tuple(blocks))


VERDICT = {"met": "met", "partly": "partly met", "not met": "not met"}


@dataclass(frozen=True)
class Evaluation:
    """One delegation's response to one inject, as the reflection assessed it against the
    MSEL's expected actions: `verdict` is `met`, `partly` or `not met`."""

    inject: int
    move: int
    title: str
    delegation: str
    expected: tuple[str, ...]
    taken: tuple[str, ...]
    verdict: str
    seqs: tuple[int, ...]


def _actors_of(ctx: ReportContext, action_id: str) -> list[str]:
    assert ctx.scenario is not None
    try:
        return list(ctx.scenario.action(action_id).actors)
    except KeyError:
        return []


def _evaluation(record: Record, e: ReflectionInjectAssessed) -> Evaluation:
    """The evaluation as recorded, with its record as evidence."""
    return Evaluation(
        e.inject,
        e.move,
        e.title,
        e.delegation,
        tuple(e.expected),
        tuple(e.taken),
        e.verdict,
        (record.seq,),
    )


def evaluations(ctx: ReportContext) -> list[Evaluation]:
    """Every (inject, delegation) evaluation against the MSEL's expected actions, by inject then
    delegation, as recorded — for the facilitation team only. Expected actions are MSEL content,
    so any other audience gets none (the participants' edition judges from the shared record,
    :mod:`detente.ttx.documents.aar_public`), whatever was released."""
    if not ctx.audience.facilitation:
        return []
    reflection = _reflection_item(ctx)
    out = {
        (e.inject, e.delegation): _evaluation(r, e)
        for r, e in ctx.events(ReflectionInjectAssessed)
        if e.item_id == reflection
    }
    return [out[k] for k in sorted(out)]


def _evidence(ctx: ReportContext, seqs: Sequence[int]) -> str:
    """Record references, in the facilitation team's edition only."""
    if not ctx.audience.facilitation or not seqs:
        return ""
    return " [record " + ", ".join(f"#{s}" for s in seqs) + "]"


@report_section(document="aar", order=40)
def decisions(ctx: ReportContext) -> Section | None:
    assert ctx.scenario is not None
    if not ctx.audience.facilitation:  # expected actions are the facilitation team's
        from detente.ttx.documents.aar_public import decisions_section

        return decisions_section(ctx)
    found = evaluations(ctx)
    if not found:
        return None
    msel = {i.number: i for i in ctx.scenario.msel}
    intro = (
        "For every inject that expected a player action, what each delegation did, against "
        "the MSEL's expected actions (private options included): met (it took every "
        "expected action open to it), partly met, or not met."
    )
    blocks: list[Block] = [Paragraph(intro)]
    by_inject: dict[int, list[Evaluation]] = {}
    for e in found:
        by_inject.setdefault(e.inject, []).append(e)
    for number in sorted(by_inject):
        rows = by_inject[number]
        first = rows[0]
        blocks.append(Heading(f"Inject {number} (move {first.move}): {first.title}", level=2))
        inject = msel.get(number)
        if inject is not None and inject.expected_action:
            blocks.append(Paragraph(inject.expected_action, lead="Expected player action"))
        blocks.append(
            Table(
                ("delegation", "expected", "taken", "verdict"),
                tuple(
                    (
                        ctx.delegation_name(e.delegation),
                        ", ".join(action_label(ctx, a) for a in e.expected) or "—",
                        ", ".join(action_label(ctx, a) for a in e.taken) or "—",
                        VERDICT[e.verdict] + _evidence(ctx, e.seqs),
                    )
                    for e in rows
                ),
                widths=(2, 3, 3, 1.4),
            )
        )
    return Section("decisions", "Decisions against expected player actions", tuple(blocks), True)


def objective_label(ctx: ReportContext, objective_id: str) -> str:
    """A short name for an objective in a table: "Objective 2 (Conflict prevention)" when its
    text opens with a name and a colon, else "Objective 2"; "—" for no or an unknown one."""
    assert ctx.scenario is not None
    for n, o in enumerate(ctx.scenario.scenario.objectives, start=1):
        if o.id == objective_id:
            head, colon, _ = o.text.en.partition(":")
            return (
                f"Objective {n} ({head.strip()})"
                if colon and len(head) <= 40
                else (f"Objective {n}")
            )
    return "—"


@report_section(document="aar", order=50)
def per_objective(ctx: ReportContext) -> Section | None:
    """Per exercise objective (HSEEP practice), each line with its evidence (the inject and
    the record). In the facilitation team's edition:

    - strengths: the expected responses a delegation took — all of them (met) or some (partly
      met: what it took is a strength, what it did not an area for improvement);
    - areas for improvement: expected responses partly or not taken.

    The participants' edition judges from the shared record instead
    (:func:`detente.ttx.documents.aar_public.objectives_section`).
    """
    assert ctx.scenario is not None
    if not ctx.audience.facilitation:  # judged from the shared record, not the MSEL
        from detente.ttx.documents.aar_public import objectives_section

        return objectives_section(ctx)
    found = evaluations(ctx)
    if not found:
        return None
    objective_of = {i.number: i.objective for i in ctx.scenario.msel}
    blocks: list[Block] = [
        Paragraph(
            "Strengths are expected responses a delegation took; areas for improvement are "
            "expected responses it did not take (private options included)."
        )
    ]
    for n, objective in enumerate(ctx.scenario.scenario.objectives, start=1):
        mine = [e for e in found if objective_of.get(e.inject) == objective.id]
        blocks.append(Heading(f"{n}. {objective.text.en}", level=2))
        if not mine:
            blocks.append(Paragraph("No evaluated inject serves this objective.", tone="muted"))
            continue
        blocks += _strengths_and_improvements(ctx, mine)
    return Section(
        "objectives", "Strengths and areas for improvement", tuple(blocks), page_break=True
    )


def _strengths_and_improvements(ctx: ReportContext, mine: list[Evaluation]) -> list[Block]:
    """One objective's strengths (expected responses taken, with `every expected response`
    when all were) and areas for improvement (those not taken), each with its evidence; a
    muted line when there is no strength, nothing when there is no area for improvement."""

    def where(e: Evaluation) -> str:
        return f"{ctx.delegation_name(e.delegation)}, inject {e.inject} “{e.title}”"

    def labels(actions: Sequence[str]) -> str:
        return "; ".join(action_label(ctx, a) for a in actions)

    strengths = [
        f"{where(e)}: took {labels(e.taken)}"
        + (" (every expected response)" if e.verdict == "met" else "")
        + _evidence(ctx, e.seqs)
        for e in mine
        if e.verdict in ("met", "partly") and e.taken
    ]
    improvements = [
        f"{where(e)}: did not take {labels([a for a in e.expected if a not in e.taken])}"
        + _evidence(ctx, e.seqs)
        for e in mine
        if e.verdict in ("partly", "not met")
    ]
    blocks: list[Block] = [Heading(f"Strengths ({len(strengths)})", level=3)]
    if strengths:
        blocks.append(BulletList(tuple(strengths)))
    else:
        blocks.append(
            Paragraph(
                "No delegation took an expected response to the injects serving this objective.",
                tone="muted",
            )
        )
    if improvements:
        blocks.append(Heading(f"Areas for improvement ({len(improvements)})", level=3))
        blocks.append(BulletList(tuple(improvements)))
    return blocks


@report_section(document="aar", order=55)
def improvement_plan(ctx: ReportContext) -> Section | None:
    """The improvement plan (HSEEP practice, adapted): one row per expected response that was
    not taken and per objective, naming every delegation that could have taken it and did not
    (the addressees) and the injects where it was expected, so a response missed at several
    injects or by several delegations is one row. Horizon: before the next exercise or meeting;
    status: open (the plan is followed up outside this record)."""
    assert ctx.scenario is not None
    if not ctx.audience.facilitation:  # from the shared record's outcomes and escalation
        from detente.ttx.documents.aar_public import improvement_plan_section

        return improvement_plan_section(ctx)
    found = [e for e in evaluations(ctx) if e.verdict in ("partly", "not met")]
    if not found:
        return None
    objective_of = {i.number: i.objective for i in ctx.scenario.msel}
    grouped: dict[tuple[str, str], tuple[set[str], set[int]]] = {}
    for e in found:
        for action in e.expected:
            if action in e.taken:
                continue
            who, injects = grouped.setdefault(
                (action, objective_of.get(e.inject) or ""), (set(), set())
            )
            who.add(e.delegation)
            injects.add(e.inject)
    rows = []
    order = {o.id: n for n, o in enumerate(ctx.scenario.scenario.objectives)}
    for (action, objective), (who, injects) in sorted(
        grouped.items(), key=lambda kv: (order.get(kv[0][1], len(order)), -len(kv[1][0]), kv[0])
    ):
        label = action_label(ctx, action)
        where = ", ".join(str(n) for n in sorted(injects))
        rows.append(
            (
                f"Prepare, and agree in advance when to use: {label[:1].lower() + label[1:]} "
                f"(expected at {'inject' if len(injects) == 1 else 'injects'} {where})",
                objective_label(ctx, objective),
                "\n".join(ctx.delegation_name(d) for d in sorted(who)),
                "before the next exercise",
                "open",
            )
        )
    blocks: list[Block] = [
        Paragraph(
            "Each row is a response the exercise expected and did not see, addressed to the "
            "delegations that could have taken it. The plan is for the participants' own "
            "preparation; it is followed up outside this record, so every row starts open."
        ),
        Table(
            ("recommendation", "objective", "addressee", "horizon", "status"),
            tuple(rows),
            widths=(4.4, 2.4, 2.2, 1.6, 0.9),
        ),
    ]
    return Section("improvement-plan", "Improvement plan", tuple(blocks))


@report_section(document="aar", order=60)
def hotwash_questions(ctx: ReportContext) -> Section | None:
    """The questions put to the room, as recorded (their text never names an expected action).
    The facilitation team's edition adds, under a question about an inject, what the MSEL
    expected of the delegations it names, so the facilitator can steer the discussion."""
    reflection = _reflection_item(ctx)
    questions = [e for _, e in ctx.events(ReflectionHotwashQuestion) if e.item_id == reflection]
    if not questions:
        return None
    assert ctx.scenario is not None
    msel = {i.number: i for i in ctx.scenario.msel}
    items = []
    for q in sorted(questions, key=lambda q: q.number):
        if q.inject is not None and not ctx.audience.facilitation:
            continue  # it says an inject's anticipated response did not come: MSEL content
        text = (f"For {ctx.delegation_name(q.delegation)}: " if q.delegation else "") + q.text
        inject = msel.get(q.inject) if q.inject is not None else None
        if ctx.audience.facilitation and inject is not None and inject.expected_actions:
            players = {a.id for a in ctx.scenario.players if a.delegation in q.delegations}
            expected = [
                action_label(ctx, a)
                for a in inject.expected_actions
                if players & set(_actors_of(ctx, a))
            ]
            if expected:
                text += f" (MSEL, facilitator only — expected: {'; '.join(expected)})"
        items.append(text)
    return Section(
        "hotwash", "Hotwash questions put to the room", (BulletList(tuple(items), True),)
    )
