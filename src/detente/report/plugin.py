"""The documents' own contributions: the `report` command and the sections of the four documents
(participant pack, facilitator handbook, after-action report, meeting report)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.hooks import hookimpl

if TYPE_CHECKING:
    import typer


@hookimpl
def detente_commands(app: typer.Typer) -> None:
    from detente.report import commands

    app.add_typer(commands.app)


@hookimpl
def detente_report_sections() -> None:
    from detente.report import (  # noqa: F401  (each registers its sections)
        aar,
        handbook,
        meeting_report,
        pack,
    )
