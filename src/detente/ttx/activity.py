"""The `ttx` and `reflection` activities of the programme, and their sections of `summary.md`.

`ttx` plays the meeting folder's scenario pack (`scenario.yaml`) with the meeting's seats and
facilitator (:mod:`detente.ttx.live`). A programme may split the exercise over several `ttx`
items (parts, :mod:`detente.ttx.parts`): the first part starts it, each later part resumes at the
first move not yet played, and each part plays the moves planned for it within its item's time.
`ttx_part_started` / `ttx_part_ended` mark the parts of a split exercise; `ttx_exercise_ended` is
recorded by the part that plays last (or in which a terminal outcome ends the exercise).

`reflection` analyses the whole exercise recorded earlier in the same run, every part of it
(:mod:`detente.ttx.reflection`), and, when `statements.yaml` has statements for the reflection
item (a hotwash), puts them to the room and records the votes as a discussion does.

When the pack is missing or invalid, or no exercise was recorded, the activity says so in a note
visible to all and records nothing else — it never makes up an exercise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from detente.deliberation.activity import deliberate, item_statements
from detente.diagnostics import Diagnostic, InputError
from detente.meeting.context import ActivityContext, local_time
from detente.meeting.events import FacilitatorNote
from detente.meeting.loader import MeetingFolder
from detente.meeting.model import Item
from detente.meeting.state import HeldItem
from detente.names import plural
from detente.store.events import SYSTEM
from detente.store.visibility import ALL, FACILITATOR
from detente.ttx import requests as _requests  # noqa: F401  (registers the seat handlers)
from detente.ttx.events import (
    ReflectionEscalationCurve,
    ReflectionHotwashQuestion,
    ReflectionInjectAssessed,
    ReflectionTimeline,
    ReflectionTurningPoint,
    TtxExerciseEnded,
    TtxExerciseStarted,
    TtxInjectReleased,
    TtxMoveStarted,
    TtxNarrative,
    TtxPartEnded,
    TtxPartStarted,
)
from detente.ttx.live import Exercise, end_exercise, play_moves, start_exercise
from detente.ttx.pack import SCENARIO_FILE, Pack, has_pack, load_pack
from detente.ttx.parts import plan_parts
from detente.ttx.reflection import exercise_events, reflect

SEED_BOUND = 2**62


def _pack_or_note(ctx: ActivityContext, item_id: str, what: str) -> Pack | None:
    """The folder's pack, or None after recording why there is none."""
    root = ctx.folder.root
    if not has_pack(root):
        ctx.emit(
            FacilitatorNote(
                item_id=item_id,
                text=f"The {what} was not run: this meeting folder has no scenario pack "
                f"({SCENARIO_FILE} is missing).",
            ),
            actor=SYSTEM,
            visibility=ALL,
        )
        return None
    try:
        return load_pack(root, meeting=ctx.folder)
    except InputError as exc:
        ctx.emit(
            FacilitatorNote(
                item_id=item_id,
                text=f"The {what} was not run: {SCENARIO_FILE} has "
                f"{len(exc.diagnostics)} error(s); run `detente ttx validate`.",
            ),
            actor=SYSTEM,
            visibility=ALL,
        )
        ctx.emit(
            FacilitatorNote(item_id=item_id, text=str(exc)), actor=SYSTEM, visibility=FACILITATOR
        )
        return None


def check_scenario(folder: MeetingFolder) -> list[Diagnostic]:
    """Every located problem of the folder's scenario pack ([] when it has none)."""
    if not has_pack(folder.root):
        return []
    try:
        load_pack(folder.root, meeting=folder)
    except InputError as exc:
        return exc.diagnostics
    return []


_RUNNING = "ttx.exercise"
"""The key of the exercise in progress in :attr:`ActivityContext.carry`."""


@dataclass
class _Running:
    exercise: Exercise
    first_item: str
    ended_in: str | None = None


def _item_end(ctx: ActivityContext, item: Item) -> dt.datetime | None:
    """When the item ends on the meeting's clock (None when it has no end)."""
    for day, it in ctx.folder.meeting.items():
        if it.id == item.id and it.end is not None:
            end = local_time(ctx.folder, day, it.end)
            if it.start is not None and it.end < it.start:
                end += dt.timedelta(days=1)
            return end
    return None


def ttx(ctx: ActivityContext, item: Item) -> None:
    """Play this item's part of the exercise of the meeting folder's scenario pack."""
    assert item.id is not None
    pack = _pack_or_note(ctx, item.id, "tabletop exercise")
    if pack is None:
        return
    plans = plan_parts(ctx.folder.meeting, [(m.number, m.minutes) for m in pack.scenario.moves])
    plan = next((p for p in plans if p.item_id == item.id), None)
    split = len(plans) > 1 and plan is not None
    running = ctx.carry.get(_RUNNING)
    if isinstance(running, _Running) and running.ended_in is not None:
        ctx.emit(
            FacilitatorNote(
                item_id=item.id,
                text=f"The exercise already ended in {running.ended_in}; this part has no move "
                "left to play.",
            ),
            actor=SYSTEM,
            visibility=ALL,
        )
        return
    if not isinstance(running, _Running):
        exercise = start_exercise(ctx, item, pack, seed=int(ctx.rng.integers(SEED_BOUND)))
        running = _Running(exercise, item.id)
        ctx.carry[_RUNNING] = running
    ex = running.exercise
    last_move: int | None = None
    if split:
        assert plan is not None
        ctx.emit(
            TtxPartStarted(
                item_id=item.id,
                exercise_item=running.first_item,
                part=plan.part,
                moves=list(plan.moves),
                minutes=plan.minutes,
            ),
            actor=FACILITATOR,
        )
        last_move = max(plan.moves) if plan.moves else ex.play.closed
    played = play_moves(ex, item, last_move=last_move, until=_item_end(ctx, item))
    last_part = plan is None or plan.part == len(plans)
    over = ex.play.finished or last_part or ex.play.closed >= len(pack.scenario.moves)
    if split:
        assert plan is not None
        ctx.emit(
            TtxPartEnded(
                item_id=item.id,
                exercise_item=running.first_item,
                part=plan.part,
                moves_played=played,
                continues=not over,
            ),
            actor=FACILITATOR,
        )
    if over:
        end_exercise(ex)
        running.ended_in = item.title


def reflection(ctx: ActivityContext, item: Item) -> None:
    """After-action analysis of the exercise recorded earlier in this run."""
    assert item.id is not None
    events = exercise_events(ctx.emitted)
    if not any(isinstance(e, TtxExerciseStarted) for e in events):
        ctx.emit(
            FacilitatorNote(
                item_id=item.id,
                text="There is no tabletop exercise in the record to reflect on.",
            ),
            actor=SYSTEM,
            visibility=ALL,
        )
        return
    pack = _pack_or_note(ctx, item.id, "reflection")
    if pack is None:
        return
    found = reflect(events, pack.compiled, item.id)
    ctx.emit(
        ReflectionTimeline(
            item_id=item.id, exercise_item=found.exercise_item, entries=found.timeline
        ),
        actor=FACILITATOR,
    )
    ctx.emit(
        ReflectionEscalationCurve(item_id=item.id, moves=found.moves, by_actor=found.curve),
        actor=FACILITATOR,
    )
    for point in found.turning_points:
        ctx.emit(point, actor=FACILITATOR)
    for assessment in found.assessments:
        ctx.emit(assessment, actor=FACILITATOR, visibility=FACILITATOR)
    for number, q in enumerate(found.questions, start=1):
        ctx.emit(
            ReflectionHotwashQuestion(
                item_id=item.id,
                number=number,
                text=q.text,
                delegation=q.delegation,
                inject=q.inject,
                delegations=list(q.delegations),
            ),
            actor=FACILITATOR,
        )
    statements = item_statements(ctx, item)
    if statements:
        deliberate(ctx, item, statements)


# --- summary.md ----------------------------------------------------------------------------------


def _public(held: HeldItem) -> list[object]:
    return [e for r, e in held.outputs if r.visibility == ALL]


def _delegation_name(folder: MeetingFolder, delegation: str) -> str:
    try:
        return folder.meeting.delegation(delegation).name
    except KeyError:
        return delegation


def _span(moves: list[int]) -> str:
    if not moves:
        return "no move"
    if len(moves) == 1:
        return f"move {moves[0]}"
    return f"moves {moves[0]}–{moves[-1]}"


def _ttx_section(folder: MeetingFolder, held: HeldItem) -> list[str]:
    """The exercise as the room saw it: moves, public injects, narrative, outcomes."""
    events = _public(held)
    lines: list[str] = []
    for e in events:
        if isinstance(e, FacilitatorNote) and held.activity in ("ttx", "reflection"):
            lines += [f"*{e.text}*", ""]
        elif isinstance(e, TtxExerciseStarted):
            players = ", ".join(
                f"{_delegation_name(folder, d)} plays {a}" for a, d in e.players.items()
            )
            lines += [f"Scenario: **{e.title}** ({e.moves} moves). {players}.", ""]
        elif isinstance(e, TtxPartStarted):
            moves = _span(e.moves)
            lines += [f"Part {e.part} of the exercise ({moves}).", ""]
        elif isinstance(e, TtxPartEnded) and e.continues:
            lines += [
                f"Part {e.part} stopped after {_span(e.moves_played)}; the exercise resumes "
                "in the next part.",
                "",
            ]
        elif isinstance(e, TtxMoveStarted):
            lines += [f"### Move {e.move} — {e.title} ({e.scenario_time})", "", e.brief, ""]
        elif isinstance(e, TtxInjectReleased):
            lines.append(f"- Inject {e.number} ({e.inject_type}): **{e.title}** — {e.text}")
        elif isinstance(e, TtxNarrative):
            lines += ["", e.text, ""]
            lines += [
                f"- {_delegation_name(folder, d)} stated: “{text}”"
                for d, text in e.statements.items()
            ]
            lines += [""] if e.statements else []
        elif isinstance(e, TtxExerciseEnded):
            ended = f", ended by {e.ended_by}" if e.ended_by else ""
            lines.append(f"The exercise ended after {plural(e.moves_played, 'move')}{ended}.")
            lines += [f"- Outcome in move {o.move}: {o.label}" for o in e.outcomes]
            lines.append("")
    return lines


def _reflection_section(folder: MeetingFolder, held: HeldItem) -> list[str]:
    """Escalation curve, turning points, assessments by delegation, hotwash questions."""
    events = _public(held)
    lines: list[str] = []
    curves = [e for e in events if isinstance(e, ReflectionEscalationCurve)]
    for curve in curves:
        lines += ["Escalation by actor and move:", ""]
        lines.append("| actor | " + " | ".join(f"move {m}" for m in curve.moves) + " |")
        lines.append("|---|" + "---|" * len(curve.moves))
        for actor, values in curve.by_actor.items():
            lines.append(f"| {actor} | " + " | ".join(f"{v:g}" for v in values) + " |")
        lines.append("")
    points = [e for e in events if isinstance(e, ReflectionTurningPoint)]
    if points:
        lines += ["Turning points:", ""]
        lines += [f"- Move {p.move} ({p.reason}): {p.detail}" for p in points]
        lines.append("")
    assessed = [e for e in events if isinstance(e, ReflectionInjectAssessed)]
    by_delegation: dict[str, list[ReflectionInjectAssessed]] = {}
    for a in assessed:
        by_delegation.setdefault(a.delegation, []).append(a)
    for delegation, items in by_delegation.items():
        lines += [f"Expected actions — **{_delegation_name(folder, delegation)}**:", ""]
        lines += [
            f"- Inject {a.inject} ({a.title}, move {a.move}): {a.verdict}"
            + (f" — took {', '.join(a.taken)}" if a.taken else "")
            for a in items
        ]
        lines.append("")
    questions = [e for e in events if isinstance(e, ReflectionHotwashQuestion)]
    if questions:
        lines += ["Hotwash questions:", ""]
        lines += [f"{q.number}. {q.text}" for q in questions]
        lines.append("")
    if any(isinstance(e, ReflectionTimeline) for e in events) and not lines:
        lines += ["The exercise's timeline is in the record.", ""]
    return lines
