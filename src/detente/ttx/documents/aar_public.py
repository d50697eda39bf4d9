"""The participants' edition of the after-action report, judged from the shared record only.

The MSEL's expected actions are the facilitation team's material: the participants' edition never
states which action the scenario expected of anyone, nor whether an expected action was taken
(that evaluation is the facilitation team's edition, :mod:`detente.ttx.documents.aar`). What this
edition states instead comes from records every participant may read:

- **decisions**: per move and delegation, the steps it took in public (the move's narrative),
  each with its rung on the published escalation ladder, plus the private decisions a
  delegation (or the facilitator) released after the exercise; a delegation with no public step
  in a move reads "not observable", because what it did in private is not in the shared record;
- **strengths and areas for improvement** per objective, over the moves in which an inject the
  whole room saw served that objective: strengths are public steps on a de-escalating rung;
  areas for improvement are outcomes that occurred, moves where total escalation jumped or
  peaked (the reflection's turning points) and public steps on an escalating rung;
- **improvement plan**: one row per outcome or escalation turning point above, addressed to
  every player delegation (the room as a whole could have prevented it).

Injects addressed to one delegation are that delegation's: they are left out here (the context
never hands them to this audience).
"""

from __future__ import annotations

from dataclasses import dataclass

from detente.document.context import ReportContext
from detente.document.model import Block, BulletList, Heading, Paragraph, Section, Table
from detente.store.log import Record
from detente.store.visibility import ALL
from detente.ttx.events import (
    ReflectionTurningPoint,
    TtxDecisionMade,
    TtxInjectReleased,
    TtxNarrative,
)

NOT_OBSERVABLE = "no public step; what it did in private is not observable from the shared record"
HORIZON = "before the next exercise"


@dataclass(frozen=True)
class Step:
    """One step a delegation was seen to take. `score` is its rung's score on the escalation
    ladder (None for an action the scenario no longer lists); `released` marks a private step
    its delegation or the facilitator released after the exercise."""

    move: int
    delegation: str
    label: str
    rung: str
    score: float | None
    released: bool = False

    def text(self) -> str:
        return f"{self.label} ({self.rung})" if self.rung else self.label


def _parts(ctx: ReportContext) -> tuple[str, ...]:
    from detente.ttx.documents.aar import _exercise_id, _played

    played = _played(ctx)
    return played.item_ids if played is not None else (_exercise_id(ctx),)


def _rung(ctx: ReportContext, action_id: str) -> tuple[str, float | None]:
    assert ctx.scenario is not None
    try:
        rung_id = ctx.scenario.action(action_id).escalation
    except KeyError:
        return "", None
    rung = next((r for r in ctx.scenario.ladder if r.id == rung_id), None)
    return (rung.label.en.lower(), rung.score) if rung is not None else ("", None)


def action_label(ctx: ReportContext, action_id: str) -> str:
    """An action's label (English, as the scenario writes it); the id for an action the scenario
    no longer lists."""
    assert ctx.scenario is not None
    try:
        return ctx.scenario.action(action_id).label.en
    except KeyError:
        return action_id


def players(ctx: ReportContext) -> dict[str, str]:
    """Player actor id → its delegation id."""
    assert ctx.scenario is not None
    return {a.id: a.delegation for a in ctx.scenario.players if a.delegation}


def moves(ctx: ReportContext) -> list[tuple[int, str]]:
    """(number, title) of every move with a public narrative, in order."""
    assert ctx.scenario is not None
    parts = set(_parts(ctx))
    titled = {e.move: e for _, e in ctx.events(TtxNarrative) if e.item_id in parts}
    titles = {m.number: m.title.en for m in ctx.scenario.moves}
    return [(m, titles.get(m, f"move {m}")) for m in sorted(titled)]


def steps(ctx: ReportContext) -> list[Step]:
    """Every step a player delegation was seen to take: its public decisions as the moves'
    narratives record them, and the private steps of decisions released after the exercise."""
    parts = set(_parts(ctx))
    delegation_of = players(ctx)
    out: list[Step] = []
    for _, narrative in ctx.events(TtxNarrative):
        if narrative.item_id not in parts:
            continue
        for r in narrative.actions:
            if r.by != "decision" or r.actor not in delegation_of:
                continue
            rung, score = _rung(ctx, r.action)
            out.append(Step(narrative.move, delegation_of[r.actor], r.label, rung, score))
    for _, decision in released_decisions(ctx):
        for action in decision.actions:
            if any(
                s.move == decision.move
                and s.delegation == decision.delegation
                and s.label == action_label(ctx, action)
                for s in out
            ):
                continue  # taken in public: already listed
            rung, score = _rung(ctx, action)
            out.append(
                Step(
                    decision.move, decision.delegation, action_label(ctx, action), rung, score, True
                )
            )
    return sorted(out, key=lambda s: (s.move, s.delegation, s.released))


def released_decisions(ctx: ReportContext) -> list[tuple[Record, TtxDecisionMade]]:
    """Private decisions this edition may read only because they were released."""
    parts = set(_parts(ctx))
    return [
        (r, e)
        for r, e in ctx.events(TtxDecisionMade)
        if r.visibility != ALL and r.seq in ctx.released and e.item_id in parts
    ]


def decisions_section(ctx: ReportContext) -> Section | None:
    """Per move and player delegation, the steps it took in public (see the module docstring);
    like the facilitation team's evaluation, made once the reflection session has run (until
    then the timeline shows the public steps)."""
    played = moves(ctx)
    if not played or _reflection(ctx) is None:
        return None
    seen = steps(ctx)
    statements = {
        (e.move, e.delegation): e.statement for _, e in released_decisions(ctx) if e.statement
    }
    delegations = sorted(set(players(ctx).values()), key=ctx.delegation_name)
    rows: list[tuple[str, str, str]] = []
    for number, title in played:
        for delegation in delegations:
            mine = [s for s in seen if s.move == number and s.delegation == delegation]
            public = [s.text() for s in mine if not s.released]
            cell = "\n".join(public) if public else NOT_OBSERVABLE
            released = [s.text() for s in mine if s.released]
            if released:
                cell += "\nReleased after the exercise: " + "; ".join(released)
            if (number, delegation) in statements:
                cell += f"\nStatement: “{statements[(number, delegation)]}”"
            rows.append((f"{number}. {title}", ctx.delegation_name(delegation), cell))
    blocks: list[Block] = [
        Paragraph(
            "What each delegation was seen to decide, move by move, with each step's rung on the "
            "escalation ladder. The report judges only what the shared record shows: steps a "
            "delegation took in private are not observable here, unless it released them after "
            "the exercise."
        ),
        Table(("move", "delegation", "decided in public"), tuple(rows), widths=(2.2, 2.2, 6)),
    ]
    return Section("decisions", "Decisions as the room saw them", tuple(blocks), True)


@dataclass(frozen=True)
class Findings:
    """One objective's findings from the shared record: the public injects serving it (number,
    title, move), its strengths, and its areas for improvement as (move, text)."""

    injects: tuple[tuple[int, str, int], ...]
    strengths: tuple[str, ...]
    improvements: tuple[tuple[int, str], ...]
    """Outcomes and escalation turning points in move order, then escalating steps grouped by
    delegation and step."""


def findings(ctx: ReportContext, objective_id: str) -> Findings:
    """The findings for one objective (see the module docstring)."""
    assert ctx.scenario is not None
    parts = set(_parts(ctx))
    objective_of = {i.number: i.objective for i in ctx.scenario.msel}
    injects = sorted(
        {
            (e.number, e.title, e.move)
            for _, e in ctx.events(TtxInjectReleased)
            if e.item_id in parts
            and e.inject_type != "facilitation"
            and "all" in e.to
            and objective_of.get(e.number) == objective_id
        },
        key=lambda i: (i[2], i[0]),
    )
    in_play = {move for _, _, move in injects}
    seen = [s for s in steps(ctx) if s.move in in_play]

    def lines(chosen: list[Step]) -> list[tuple[int, str]]:
        """(first move, line) per delegation and step, the moves it was taken in listed."""
        grouped: dict[tuple[str, str, bool], list[int]] = {}
        for s in chosen:
            grouped.setdefault((s.delegation, s.text(), s.released), []).append(s.move)
        out = [
            (
                min(ms),
                f"{ctx.delegation_name(d)}: {text}, "
                + ("move " if len(ms) == 1 else "moves ")
                + ", ".join(str(m) for m in sorted(set(ms)))
                + (" (released after the exercise)" if released else ""),
            )
            for (d, text, released), ms in grouped.items()
        ]
        return sorted(out)

    strengths = tuple(t for _, t in lines([s for s in seen if s.score is not None and s.score < 0]))
    improvements: list[tuple[int, str]] = []
    reflection = _reflection(ctx)
    for _, point in ctx.events(ReflectionTurningPoint):
        if point.item_id != reflection or point.move not in in_play:
            continue
        if point.reason == "outcome":
            improvements.append((point.move, f"Move {point.move}: occurred — {point.detail}"))
        elif point.reason in ("escalation", "peak"):
            improvements.append((point.move, f"Move {point.move}: {point.detail}"))
    improvements += lines([s for s in seen if s.score is not None and s.score > 0])
    return Findings(tuple(injects), strengths, tuple(improvements))


def _reflection(ctx: ReportContext) -> str | None:
    from detente.ttx.documents.aar import _reflection_item

    return _reflection_item(ctx)


def objectives_section(ctx: ReportContext) -> Section | None:
    """Strengths and areas for improvement per objective, from the shared record."""
    assert ctx.scenario is not None
    if not moves(ctx) or _reflection(ctx) is None:
        return None
    blocks: list[Block] = [
        Paragraph(
            "Judged from the shared record, over the moves in which an inject the whole room saw "
            "served the objective. Strengths are public steps on a de-escalating rung of the "
            "ladder; areas for improvement are outcomes that occurred, moves where escalation "
            "jumped or peaked, and public steps on an escalating rung. What delegations did in "
            "private is not observable here and is not judged."
        )
    ]
    for n, objective in enumerate(ctx.scenario.scenario.objectives, start=1):
        found = findings(ctx, objective.id)
        blocks.append(Heading(f"{n}. {objective.text.en}", level=2))
        if not found.injects:
            blocks.append(
                Paragraph("No inject the whole room saw served this objective.", tone="muted")
            )
            continue
        blocks.append(
            Paragraph(
                "; ".join(f"move {m}, inject {i} “{t}”" for i, t, m in found.injects) + ".",
                lead="Injects the room saw",
            )
        )
        blocks.append(Heading(f"Strengths ({len(found.strengths)})", level=3))
        blocks.append(
            BulletList(found.strengths)
            if found.strengths
            else Paragraph("No public step on a de-escalating rung in these moves.", tone="muted")
        )
        blocks.append(Heading(f"Areas for improvement ({len(found.improvements)})", level=3))
        blocks.append(
            BulletList(tuple(t for _, t in found.improvements))
            if found.improvements
            else Paragraph(
                "No outcome, escalation jump or escalating public step in these moves.",
                tone="muted",
            )
        )
    return Section(
        "objectives", "Strengths and areas for improvement", tuple(blocks), page_break=True
    )


def improvement_plan_section(ctx: ReportContext) -> Section | None:
    """One row per outcome or escalation turning point that is an area for improvement of some
    objective, naming those objectives; addressed to every player delegation."""
    from detente.ttx.documents.aar import objective_label

    assert ctx.scenario is not None
    rows: dict[str, list[str]] = {}
    reflection = _reflection(ctx)
    points = {
        (p.move, p.detail): p
        for _, p in ctx.events(ReflectionTurningPoint)
        if p.item_id == reflection and p.reason in ("outcome", "escalation", "peak")
    }
    for objective in ctx.scenario.scenario.objectives:
        in_play = {move for _, _, move in findings(ctx, objective.id).injects}
        for (move, detail), point in sorted(points.items(), key=lambda kv: kv[0]):
            if move not in in_play:
                continue
            if point.reason == "outcome":
                text = f"{detail} occurred in move {move}: agree which steps could have stopped it"
            else:
                text = (
                    f"{detail[:1].upper()}{detail[1:]}, in move {move}: identify the off-ramp "
                    "that was open then and prepare the steps to take it"
                )
            rows.setdefault(text, []).append(objective_label(ctx, objective.id))
    if not rows:
        return None
    addressees = "\n".join(sorted({ctx.delegation_name(d) for d in players(ctx).values()}))
    table = tuple(
        (text, "\n".join(objectives), addressees, HORIZON, "open")
        for text, objectives in rows.items()
    )
    blocks: list[Block] = [
        Paragraph(
            "Each row is an outcome or an escalation the shared record shows, in moves that served "
            "the objectives named; it is addressed to every delegation, since the room as a whole "
            "could have changed it. The plan is followed up outside this record, so every row "
            "starts open."
        ),
        Table(
            ("recommendation", "objective", "addressee", "horizon", "status"),
            table,
            widths=(4.4, 2.4, 2.2, 1.6, 0.9),
        ),
    ]
    return Section("improvement-plan", "Improvement plan", tuple(blocks))
