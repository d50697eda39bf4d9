"""The document host's own contribution: the `report` command. It
registers no section: every section of the documents comes from a domain's plugin or from the
meeting report's (:mod:`detente.meeting_report.plugin`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.hooks import hookimpl

if TYPE_CHECKING:
    import typer


@hookimpl
def detente_commands(app: typer.Typer) -> None:
    from detente.report import commands

    app.add_typer(commands.app)
