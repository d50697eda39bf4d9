"""The documents' own contributions: the `report` command and the sections of the four documents
(participant pack, facilitator handbook, after-action report, meeting report)."""

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
def detente_report_sections() -> None:
    from detente.report import meeting_report  # noqa: F401  (registers its sections)


@hookimpl
def detente_events() -> Sequence[type[Event]]:
    """Releases after the exercise."""
    from detente.store import events

    return (events.RecordReleased,)
