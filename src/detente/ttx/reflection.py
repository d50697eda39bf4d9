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
- **hotwash questions** for the room, from what was not met (one per delegation and move, and
  never about an inject whose expected actions include private options), the turning points,
  the ending and the scenario's objectives.

Private actions stay private: an assessment whose evidence includes a private action is visible
only to that delegation (and the facilitator); the timeline lists public actions only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from detente.store.events import (
    ALL,
    Event,
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
    decode,
    delegation_only,
)
from detente.store.log import Record
from detente.ttx.pack import CompiledScenario

JUMP = 12.0
"""A rise in total escalation of at least this much in one move is a turning point."""


@dataclass
class Assessment:
    event: ReflectionInjectAssessed
    visibility: str


@dataclass
class Reflection:
    """Everything the reflection session records, in order."""

    exercise_item: str
    timeline: list[ReflectionTimelineEntry] = field(default_factory=list)
    moves: list[int] = field(default_factory=list)
    curve: dict[str, list[float]] = field(default_factory=dict)
    turning_points: list[ReflectionTurningPoint] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    questions: list[tuple[str, str | None]] = field(default_factory=list)


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


def reflect(events: list[Event], compiled: CompiledScenario, item_id: str) -> Reflection:
    """Analyse one exercise's events (see the module docstring); `item_id` is the reflection's."""
    s = compiled.scenario
    started = next((e for e in events if isinstance(e, TtxExerciseStarted)), None)
    result = Reflection(exercise_item=started.item_id if started else "")
    if started is None:
        return result
    titles = {e.move: e.title for e in events if isinstance(e, TtxMoveStarted)}
    result.moves = sorted(titles)
    released: dict[int, int] = {}
    public_injects: dict[int, list[str]] = defaultdict(list)
    for e in events:
        if isinstance(e, TtxInjectReleased):
            released.setdefault(e.number, e.move)
            if e.inject_type != "facilitation" and "all" in e.to:
                public_injects[e.move].append(f"{e.number}. {e.title}")
    narratives = {e.move: e for e in events if isinstance(e, TtxNarrative)}
    proposals = {e.move: e for e in events if isinstance(e, TtxAdjudicationProposed)}
    decisions: dict[tuple[int, str], list[str]] = {
        (e.move, e.actor): e.actions for e in events if isinstance(e, TtxDecisionMade)
    }
    names = {a.id: a.name.en for a in s.actors}
    for move in result.moves:
        narrative = narratives.get(move)
        result.timeline.append(
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
    private = {a.id for a in compiled.actions if a.private}
    for inject in compiled.injects:
        released_in = released.get(inject.number)
        if released_in is None or inject.facilitation or not inject.expected_actions:
            continue
        row = s.msel[inject.index]
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
            delegation = s.actors[actor].delegation or actor_id
            visibility = delegation_only(delegation) if private & set(taken) else ALL
            result.assessments.append(
                Assessment(
                    ReflectionInjectAssessed(
                        item_id=item_id,
                        inject=inject.number,
                        title=row.title.en,
                        move=released_in,
                        delegation=delegation,
                        expected=expected,
                        taken=taken,
                        verdict=verdict,
                    ),
                    visibility,
                )
            )
    result.questions = _questions(compiled, result, events)
    return result


def _questions(
    compiled: CompiledScenario, result: Reflection, events: list[Event]
) -> list[tuple[str, str | None]]:
    s = compiled.scenario
    questions: list[tuple[str, str | None]] = []
    labels = {a.id: a.label for a in compiled.actions}
    private = {a.id for a in compiled.actions if a.private}
    names = {a.delegation: a.name.en for a in s.actors if a.delegation}
    # One question per delegation and move, from the public assessments whose expected actions
    # are all public: a question put to the room must not name a delegation's private options.
    missed: dict[tuple[str, int], list[str]] = {}
    for a in result.assessments:
        e = a.event
        if e.verdict == "met" or a.visibility != ALL or private & set(e.expected):
            continue
        missing = [labels[x] for x in e.expected if x not in e.taken]
        missed.setdefault((e.delegation, e.move), []).append(
            f"{e.title} (expected: {'; '.join(missing)})"
        )
    for (delegation, move), lines in sorted(missed.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        who = names.get(delegation, delegation)
        questions.append(
            (
                f"Move {move}: {who} did not take the response the exercise expected to "
                f"{'; '.join(lines)}. What stood in the way, and what would have made it "
                "possible?",
                delegation,
            )
        )
    for point in result.turning_points:
        if point.reason in ("escalation", "peak"):
            questions.append(
                (
                    f"Move {point.move}: {point.detail}. Which decision drove it, and which "
                    "off-ramp was open at that moment?",
                    None,
                )
            )
    ended = next((e for e in events if isinstance(e, TtxExerciseEnded)), None)
    if ended is not None and ended.ended_by is not None:
        outcome = next(o for o in ended.outcomes if o.id == ended.ended_by)
        questions.append(
            (
                f"The exercise ended with “{outcome.label}” in move {outcome.move}. What "
                "would have been needed, and from whom, to prevent it?",
                None,
            )
        )
    for objective in s.scenario.objectives:
        questions.append((f"Objective — {objective.text.en} What did the exercise show?", None))
    return questions
