"""After-action analysis of an exercise, as a pure function of its record and its scenario.

From the events of one exercise (:mod:`detente.ttx.live`) it derives:

- the **timeline** the room saw: per move its public injects, public actions and outcomes;
- the **escalation curve**: each actor's escalation score per move (from the adjudications);
- **turning points**: moves where an outcome occurred, where total escalation rose by at least
  :data:`JUMP` (one "non-violent escalation" class on the default ladder) or reached its peak,
  where it turned negative after rising, and where a chance event intervened;
- **inject assessments**: for each released inject with `expected_actions`, and each player it
  was addressed to, which of the expected actions that player could take it decided on in the
  inject's move — all of them: `met`, some: `partly`, none: `not met`;
- **hotwash questions** for the room: one per inject some delegations did not respond to as
  expected (naming them, never the expected actions, and never about an inject whose expected
  actions include private options), and the turning points where escalation jumped or peaked —
  at most :data:`MAX_PER_MOVE` per move, ranked by what was at stake — then the ending and the
  scenario's objectives.

Private actions stay private and the MSEL stays with the facilitation team: inject assessments
name the scenario's expected actions, so they are visible to the facilitator only (a question put
to the room names neither them nor a private option); the timeline lists public actions only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from detente.store.events import Event, decode
from detente.store.log import Record
from detente.ttx.events import (
    ReflectionInjectAssessed,
    ReflectionTimelineEntry,
    ReflectionTurningPoint,
    TtxAdjudicationProposed,
    TtxDecisionMade,
    TtxExerciseEnded,
    TtxExerciseStarted,
    TtxInjectReleased,
    TtxMoveStarted,
    TtxNarrative,
    TtxPartStarted,
)
from detente.ttx.pack import CompiledScenario

JUMP = 12.0
"""A rise in total escalation of at least this much in one move is a turning point."""


@dataclass
class Reflection:
    """Everything the reflection session records, in order."""

    exercise_item: str
    timeline: list[ReflectionTimelineEntry] = field(default_factory=list)
    moves: list[int] = field(default_factory=list)
    curve: dict[str, list[float]] = field(default_factory=dict)
    turning_points: list[ReflectionTurningPoint] = field(default_factory=list)
    assessments: list[ReflectionInjectAssessed] = field(default_factory=list)
    """Recorded for the facilitator only: they name the MSEL's expected actions."""
    questions: list[Question] = field(default_factory=list)


def exercise_events(records: Iterable[Record], exercise_item: str | None = None) -> list[Event]:
    """The events of one exercise, every part of it, in log order (the last exercise in the
    record unless `exercise_item`, the item of its first part, is given)."""
    decoded = [(r, decode(r)) for r in records if r.kind.startswith("ttx_")]
    if exercise_item is None:
        starts = [e.item_id for _, e in decoded if isinstance(e, TtxExerciseStarted)]
        if not starts:
            return []
        exercise_item = starts[-1]
    items = {exercise_item} | {
        e.item_id
        for _, e in decoded
        if isinstance(e, TtxPartStarted) and e.exercise_item == exercise_item
    }
    return [e for _, e in decoded if getattr(e, "item_id", None) in items]


def _turning_points(
    item_id: str,
    moves: list[int],
    titles: dict[int, str],
    totals: list[float],
    outcomes: dict[int, list[str]],
    chance: dict[int, list[str]],
) -> list[ReflectionTurningPoint]:
    points: list[ReflectionTurningPoint] = []
    peak = max(totals, default=0.0)
    for i, move in enumerate(moves):
        title = titles.get(move, f"move {move}")
        previous = totals[i - 1] if i else 0.0
        for label in outcomes.get(move, []):
            points.append(
                ReflectionTurningPoint(
                    item_id=item_id, move=move, reason="outcome", detail=f"{label} ({title})"
                )
            )
        if totals[i] - previous >= JUMP:
            points.append(
                ReflectionTurningPoint(
                    item_id=item_id,
                    move=move,
                    reason="escalation",
                    detail=f"total escalation rose from {previous:g} to {totals[i]:g} ({title})",
                )
            )
        elif totals[i] == peak and peak >= JUMP:
            points.append(
                ReflectionTurningPoint(
                    item_id=item_id,
                    move=move,
                    reason="peak",
                    detail=f"escalation peaked at {peak:g} ({title})",
                )
            )
        if i and previous > 0 and totals[i] < 0:
            points.append(
                ReflectionTurningPoint(
                    item_id=item_id,
                    move=move,
                    reason="de-escalation",
                    detail=f"total escalation turned from {previous:g} to {totals[i]:g} ({title})",
                )
            )
        for label in chance.get(move, []):
            points.append(
                ReflectionTurningPoint(
                    item_id=item_id, move=move, reason="chance", detail=f"{label} ({title})"
                )
            )
    return points


def _timeline(
    events: list[Event],
    compiled: CompiledScenario,
    titles: dict[int, str],
    narratives: dict[int, TtxNarrative],
) -> list[ReflectionTimelineEntry]:
    """Per move started, in order: the injects released to every player (facilitation ones
    left out), the public actions (from the narrative, actors by name) and the outcomes."""
    public_injects: dict[int, list[str]] = defaultdict(list)
    for e in events:
        if isinstance(e, TtxInjectReleased):
            if e.inject_type != "facilitation" and "all" in e.to:
                public_injects[e.move].append(f"{e.number}. {e.title}")
    names = {a.id: a.name.en for a in compiled.scenario.actors}
    timeline: list[ReflectionTimelineEntry] = []
    for move in sorted(titles):
        narrative = narratives.get(move)
        timeline.append(
            ReflectionTimelineEntry(
                move=move,
                title=titles[move],
                injects=public_injects.get(move, []),
                actions=[f"{names.get(r.actor, r.actor)}: {r.label}" for r in narrative.actions]
                if narrative
                else [],
                outcomes=narrative.outcomes if narrative else [],
            )
        )
    return timeline


def _assessments(
    events: list[Event], compiled: CompiledScenario, item_id: str
) -> list[ReflectionInjectAssessed]:
    """For each released inject with expected actions, and each player it was addressed to
    that may take some of them: which of those the player decided on in the inject's move."""
    released: dict[int, int] = {}
    for e in events:
        if isinstance(e, TtxInjectReleased):
            released.setdefault(e.number, e.move)
    decisions: dict[tuple[int, str], list[str]] = {
        (e.move, e.actor): e.actions for e in events if isinstance(e, TtxDecisionMade)
    }
    s = compiled.scenario
    out: list[ReflectionInjectAssessed] = []
    for inject in compiled.injects:
        released_in = released.get(inject.number)
        if released_in is None or inject.facilitation or not inject.expected_actions:
            continue
        for actor in compiled.players:
            actor_id = compiled.actor_ids[actor]
            if "all" not in inject.to and actor_id not in inject.to:
                continue
            expected = [
                compiled.actions[a].id
                for a in inject.expected_actions
                if actor in compiled.actions[a].actors
            ]
            if not expected:
                continue
            taken = [a for a in expected if a in decisions.get((released_in, actor_id), [])]
            verdict = "met" if len(taken) == len(expected) else "partly" if taken else "not met"
            out.append(
                ReflectionInjectAssessed(
                    item_id=item_id,
                    inject=inject.number,
                    title=s.msel[inject.index].title.en,
                    move=released_in,
                    delegation=s.actors[actor].delegation or actor_id,
                    expected=expected,
                    taken=taken,
                    verdict=verdict,
                )
            )
    return out


def reflect(events: list[Event], compiled: CompiledScenario, item_id: str) -> Reflection:
    """Analyse one exercise's events (see the module docstring); `item_id` is the reflection's."""
    started = next((e for e in events if isinstance(e, TtxExerciseStarted)), None)
    result = Reflection(exercise_item=started.item_id if started else "")
    if started is None:
        return result
    titles = {e.move: e.title for e in events if isinstance(e, TtxMoveStarted)}
    result.moves = sorted(titles)
    narratives = {e.move: e for e in events if isinstance(e, TtxNarrative)}
    proposals = {e.move: e for e in events if isinstance(e, TtxAdjudicationProposed)}
    result.timeline = _timeline(events, compiled, titles, narratives)
    result.curve = {
        actor: [
            proposals[m].escalation.get(actor, 0.0) if m in proposals else 0.0 for m in result.moves
        ]
        for actor in compiled.actor_ids
    }
    totals = [sum(values[i] for values in result.curve.values()) for i in range(len(result.moves))]
    outcomes = {m: narratives[m].outcomes for m in narratives}
    chance_labels = {c.id: c.label for c in compiled.chance}
    chance = {m: [chance_labels.get(x, x) for x in p.chance] for m, p in proposals.items()}
    result.turning_points = _turning_points(item_id, result.moves, titles, totals, outcomes, chance)
    result.assessments = _assessments(events, compiled, item_id)
    result.questions = _questions(compiled, result, events)
    return result


MAX_PER_MOVE = 3
"""At most this many questions about one move (inject and turning-point questions together):
a hotwash has time for a handful, so the ones with most at stake come first."""


@dataclass(frozen=True)
class Question:
    """One hotwash question. `text` is put to the whole room, so it never names an expected
    action (MSEL content for the facilitation team) nor a private option; `inject` and
    `delegations` let the facilitation team's edition add what the MSEL expected."""

    text: str
    delegation: str | None = None
    inject: int | None = None
    delegations: tuple[str, ...] = ()


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _rises(result: Reflection) -> dict[int, float]:
    """Per move, how much total escalation rose in it (negative when it fell)."""
    totals = [sum(v[i] for v in result.curve.values()) for i in range(len(result.moves))]
    return {m: totals[i] - (totals[i - 1] if i else 0.0) for i, m in enumerate(result.moves)}


def _inject_questions(
    compiled: CompiledScenario, result: Reflection
) -> list[tuple[float, int, Question]]:
    """(importance, move, question) for each inject some delegation did not respond to as
    expected, one question naming every delegation concerned. Only injects whose expected
    actions, and the actions taken, are all public: a question put to the room must not hint at
    a delegation's private options. Importance: escalation at stake in the move first, then
    how many delegations missed it and how completely."""
    s = compiled.scenario
    private = {a.id for a in compiled.actions if a.private}
    names = {a.delegation: a.name.en for a in s.actors if a.delegation}
    rise = _rises(result)
    by_inject: dict[int, list[ReflectionInjectAssessed]] = defaultdict(list)
    for a in result.assessments:
        by_inject[a.inject].append(a)
    out: list[tuple[float, int, Question]] = []
    for inject, rows in by_inject.items():
        if any(private & (set(e.expected) | set(e.taken)) for e in rows):
            continue
        missed = [e for e in rows if e.verdict != "met"]
        if not missed:
            continue
        move, title = missed[0].move, missed[0].title
        who = sorted(e.delegation for e in missed)
        listed = _names([names.get(d, d) for d in who])
        if all(e.verdict == "not met" for e in missed):
            if len(missed) == len(rows):
                text = (
                    f"Move {move}, “{title}”: none of the delegations it was addressed to "
                    f"({listed}) responded as the scenario anticipated"
                )
            else:
                text = (
                    f"Move {move}, “{title}”: {listed} did not respond as the scenario anticipated"
                )
        else:
            text = (
                f"Move {move}, “{title}”: the response the scenario anticipated did not come, "
                f"or came only in part, from {listed}"
            )
        text += ". What stood in the way, and what would have made a response possible?"
        importance = (
            max(rise.get(move, 0.0), 0.0) * 10
            + len(missed) * 2
            + sum(e.verdict == "not met" for e in missed)
        )
        out.append(
            (
                importance,
                move,
                Question(text, None, inject, tuple(who)),
            )
        )
    return out


def _questions(
    compiled: CompiledScenario, result: Reflection, events: list[Event]
) -> list[Question]:
    """The hotwash questions, in move order: per move at most :data:`MAX_PER_MOVE`, the most
    important first (a turning point where escalation jumped or peaked outranks a missed
    response); then the ending, then one per scenario objective."""
    s = compiled.scenario
    candidates = _inject_questions(compiled, result)
    for point in result.turning_points:
        if point.reason in ("escalation", "peak"):
            candidates.append(
                (
                    float("inf"),
                    point.move,
                    Question(
                        f"Move {point.move}: {point.detail}. Which decision drove it, and which "
                        "off-ramp was open at that moment?"
                    ),
                )
            )
    by_move: dict[int, list[tuple[float, int, Question]]] = defaultdict(list)
    for c in candidates:
        by_move[c[1]].append(c)
    questions: list[Question] = []
    for move in sorted(by_move):
        ranked = sorted(by_move[move], key=lambda c: (-c[0], c[2].inject or 0))
        questions.extend(q for _, _, q in ranked[:MAX_PER_MOVE])
    ended = next((e for e in events if isinstance(e, TtxExerciseEnded)), None)
    if ended is not None and ended.ended_by is not None:
        outcome = next(o for o in ended.outcomes if o.id == ended.ended_by)
        questions.append(
            Question(
                f"The exercise ended with “{outcome.label}” in move {outcome.move}. What "
                "would have been needed, and from whom, to prevent it?"
            )
        )
    for objective in s.scenario.objectives:
        questions.append(Question(f"Objective — {objective.text.en} What did the exercise show?"))
    return questions
