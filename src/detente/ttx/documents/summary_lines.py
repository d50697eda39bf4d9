"""The exercise's and the hotwash's lines in the meeting report's executive summary.

One sentence per held `ttx` or `reflection` session, in the document's language, registered with
:func:`detente.document.sections.summary_line` (the executive summary's only source of
per-session lines). Both read public events only: how the exercise ended and its outcomes; the
after-action review's turning points and hotwash questions, followed by the discussion's line
when the hotwash also put statements to a vote.
"""

from __future__ import annotations

from detente.document.context import ReportContext
from detente.document.localize import outcome_label
from detente.document.prose import Prose
from detente.document.sections import summary_line, summary_line_of
from detente.meeting.state import HeldItem
from detente.store.visibility import ALL
from detente.ttx.events import ReflectionHotwashQuestion, ReflectionTurningPoint, TtxExerciseEnded


@summary_line("ttx")
def ttx_summary(ctx: ReportContext, held: HeldItem) -> str | None:
    """How many moves the exercise ran and its outcomes with their moves (None when the session
    recorded no public end of the exercise)."""
    ended = [e for r, e in held.outputs if isinstance(e, TtxExerciseEnded) and r.visibility == ALL]
    if not ended:
        return None
    p = Prose(ctx.language)
    end = ended[-1]
    if not end.outcomes:
        return p._n(
            "the tabletop exercise ran for %(n)s move.",
            "the tabletop exercise ran for %(n)s moves.",
            end.moves_played,
        )
    outcomes = p.join(
        [
            p._(
                "%(outcome)s (move %(move)s)",
                outcome=p.lower_first(outcome_label(ctx, o.id, o.label)),
                move=o.move,
            )
            for o in end.outcomes
        ]
    )
    return p._n(
        "the tabletop exercise ran for %(n)s move; outcomes: %(outcomes)s.",
        "the tabletop exercise ran for %(n)s moves; outcomes: %(outcomes)s.",
        end.moves_played,
        outcomes=outcomes,
    )


@summary_line("reflection")
def reflection_summary(ctx: ReportContext, held: HeldItem) -> str | None:
    """The after-action review's turning points and hotwash questions, then the line of its
    vote when it held one (the discussion's line); None when it recorded neither."""
    points = [e for r, e in held.outputs if isinstance(e, ReflectionTurningPoint)]
    questions = [e for r, e in held.outputs if isinstance(e, ReflectionHotwashQuestion)]
    voted = summary_line_of(ctx, held, "discussion")  # a hotwash may also put statements to a vote
    if not points and not questions:
        return voted
    p = Prose(ctx.language)
    review = p._(
        "the after-action review of the exercise: %(points)s and %(questions)s put to the room.",
        points=p._nc("nominative", "%(n)s turning point", "%(n)s turning points", len(points)),
        questions=p._nc(
            "nominative", "%(n)s hotwash question", "%(n)s hotwash questions", len(questions)
        ),
    )
    return review if voted is None else p.sentence(f"{review} {voted}")
