"""The live app's own contributions: the `serve` command and the feed lines of its control acts
(clock, announcements, seats)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from detente.hooks import hookimpl

if TYPE_CHECKING:
    import typer

    from detente.store.events import Event


@hookimpl
def detente_commands(app: typer.Typer) -> None:
    from detente.web import commands

    app.add_typer(commands.app)


@hookimpl
def detente_feed_lines() -> None:
    # each module registers its feed lines when imported
    import detente.web.feed_control
    import detente.web.feed_model  # noqa: F401


@hookimpl
def detente_events() -> Sequence[type[Event]]:
    """The live meeting: requests, answers, acts, seats, access and the exercise's control acts."""
    from detente.store import events

    return (
        events.SeatRequested,
        events.AnswerSubmitted,
        events.AnswerDrafted,
        events.AnswerSimulated,
        events.AnswerMissed,
        events.RequestClosed,
        events.DecisionRequested,
        events.DecisionTaken,
        events.DecisionAutomatic,
        events.SeatAssigned,
        events.ParticipantJoined,
        events.CodeRevoked,
        events.NoteWritten,
        events.Announcement,
        events.LiveResumed,
        events.InjectDelivered,
        events.InjectHeld,
        events.InjectWritten,
        events.ExerciseClockPaused,
        events.ExerciseClockResumed,
        events.DeadlineExtended,
        events.ControlUndone,
        events.SessionEnded,
        events.RequestViewed,
        # live model seats (detente.web.live_model)
        events.ModelHandedOn,
        events.ModelAnswerDropped,
    )
