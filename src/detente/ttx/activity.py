"""The `ttx` and `reflection` activities of the programme, and their sections of `summary.md`.

`ttx` plays the meeting folder's scenario pack (`scenario.yaml`) with the meeting's seats and
facilitator through :func:`detente.ttx.live.run_exercise`; `reflection` analyses the exercise
recorded earlier in the same run (:mod:`detente.ttx.reflection`). When the pack is missing or
invalid, or no exercise was recorded, the activity says so in a note visible to all and records
nothing else — it never makes up an exercise.
"""

from __future__ import annotations

from detente.diagnostics import Diagnostic, InputError
from detente.meeting.context import ActivityContext
from detente.meeting.loader import MeetingFolder
from detente.meeting.model import Item
from detente.meeting.state import HeldItem
from detente.registry import register_activity, register_file_check
from detente.report.summary import summary_section
from detente.store.events import (
    ALL,
    FACILITATOR,
    SYSTEM,
    FacilitatorNote,
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
)
from detente.ttx import requests as _requests  # noqa: F401  (registers the seat handlers)
from detente.ttx.live import run_exercise
from detente.ttx.pack import SCENARIO_FILE, Pack, has_pack, load_pack
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


@register_file_check(SCENARIO_FILE)
def check_scenario(folder: MeetingFolder) -> list[Diagnostic]:
    """Every located problem of the folder's scenario pack ([] when it has none)."""
    if not has_pack(folder.root):
        return []
    try:
        load_pack(folder.root, meeting=folder)
    except InputError as exc:
        return exc.diagnostics
    return []


@register_activity("ttx")
def ttx(ctx: ActivityContext, item: Item) -> None:
    """Run the tabletop exercise of the meeting folder's scenario pack."""
    assert item.id is not None
    pack = _pack_or_note(ctx, item.id, "tabletop exercise")
    if pack is not None:
        run_exercise(ctx, item, pack, seed=int(ctx.rng.integers(SEED_BOUND)))


@register_activity("reflection")
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
        ctx.emit(assessment.event, actor=FACILITATOR, visibility=assessment.visibility)
    for number, (text, delegation) in enumerate(found.questions, start=1):
        ctx.emit(
            ReflectionHotwashQuestion(
                item_id=item.id, number=number, text=text, delegation=delegation
            ),
            actor=FACILITATOR,
        )


# --- summary.md ----------------------------------------------------------------------------------


def _public(held: HeldItem) -> list[object]:
    return [e for r, e in held.outputs if r.visibility == ALL]


def _delegation_name(folder: MeetingFolder, delegation: str) -> str:
    try:
        return folder.meeting.delegation(delegation).name
    except KeyError:
        return delegation


@summary_section
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
            lines.append(f"The exercise ended after {e.moves_played} move(s){ended}.")
            lines += [f"- Outcome in move {o.move}: {o.label}" for o in e.outcomes]
            lines.append("")
    return lines


@summary_section
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
