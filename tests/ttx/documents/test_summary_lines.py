"""The exercise's and the hotwash's lines in the executive summary, from the Korea record: what
each says, and that a session without the events has no line (the generic one answers)."""

from __future__ import annotations

import dataclasses

from detente.document.context import Audience, ReportContext
from detente.document.sections import summary_line_of
from detente.meeting.state import HeldItem
from detente.ttx.documents.summary_lines import reflection_summary, ttx_summary
from detente.ttx.events import ReflectionHotwashQuestion, ReflectionTurningPoint, TtxExerciseEnded
from tests.rendered import Rendered


def _ctx(r: Rendered, language: str = "en") -> ReportContext:
    records = list(r.inputs.records)
    public = Audience("public")
    return ReportContext(r.folder, records, r.inputs.scenario, public, language=language)


def _held(ctx: ReportContext, activity: str) -> HeldItem:
    return next(h for h in ctx.state.items if h.activity == activity)


def test_the_exercise_line_gives_its_moves_and_outcomes(rendered: dict[str, Rendered]) -> None:
    ctx = _ctx(rendered["korea-2024"])
    held = next(
        h for h in ctx.state.items if any(isinstance(e, TtxExerciseEnded) for _, e in h.outputs)
    )
    end = next(e for _, e in held.outputs if isinstance(e, TtxExerciseEnded))
    line = ttx_summary(ctx, held)
    assert line is not None
    assert line.startswith(f"the tabletop exercise ran for {end.moves_played} moves")
    for outcome in end.outcomes:
        assert f"(move {outcome.move})" in line
    assert summary_line_of(ctx, held, "ttx") == line


def test_the_hotwash_line_counts_its_review_then_gives_its_vote(
    rendered: dict[str, Rendered],
) -> None:
    ctx = _ctx(rendered["korea-2024"])
    held = _held(ctx, "reflection")
    points = sum(isinstance(e, ReflectionTurningPoint) for _, e in held.outputs)
    questions = sum(isinstance(e, ReflectionHotwashQuestion) for _, e in held.outputs)
    line = reflection_summary(ctx, held)
    voted = summary_line_of(ctx, held, "discussion")
    assert line is not None and voted is not None
    assert line.startswith(
        f"the after-action review of the exercise: {points} turning points and {questions} "
        "hotwash questions put to the room."
    )
    assert line.endswith(voted)


def test_a_session_without_the_events_has_no_line(rendered: dict[str, Rendered]) -> None:
    ctx = _ctx(rendered["korea-2024"])
    empty = dataclasses.replace(_held(ctx, "reflection"), outputs=[])
    assert ttx_summary(ctx, empty) is None
    assert reflection_summary(ctx, empty) is None


def test_the_lines_are_in_the_documents_language(rendered: dict[str, Rendered]) -> None:
    ctx = _ctx(rendered["korea-2024"], language="zh")
    line = reflection_summary(ctx, _held(ctx, "reflection"))
    assert line is not None and "the after-action review" not in line
