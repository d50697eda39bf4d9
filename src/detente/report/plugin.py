"""The document host's own contributions: the `report` command and the release event. It
registers no section: every section of the documents comes from a domain's plugin or from the
meeting report's (:mod:`detente.meeting_report.plugin`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from detente.hooks import hookimpl

if TYPE_CHECKING:
    import typer

    from detente.store.events import Event


@hookimpl
def detente_commands(app: typer.Typer) -> None:
    from detente.report import commands

    app.add_typer(commands.app)


@hookimpl
def detente_events() -> Sequence[type[Event]]:
    """Releases after the exercise."""
    from detente.store import events

    return (events.RecordReleased,)
