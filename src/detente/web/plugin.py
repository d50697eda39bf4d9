"""The live app's own contributions: the `serve` command and the feed lines of its control acts
(clock, announcements, seats)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.hooks import hookimpl

if TYPE_CHECKING:
    import typer


@hookimpl
def detente_commands(app: typer.Typer) -> None:
    from detente.web import commands

    app.add_typer(commands.app)


@hookimpl
def detente_feed_lines() -> None:
    # each module registers its feed lines when imported
    import detente.web.feed_control
    import detente.web.feed_model  # noqa: F401
