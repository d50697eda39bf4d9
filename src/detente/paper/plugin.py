"""The paper room's contributions: the `paper` command group, the facilitator console's
paper-entry page, and the handbook's handouts (the exercise's sealed envelopes and the paper
sheets)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from detente.hooks import hookimpl

if TYPE_CHECKING:
    import typer
    from fastapi import APIRouter

    from detente.store.events import Event


@hookimpl
def detente_commands(app: typer.Typer) -> None:
    from detente.paper.commands import paper_app

    app.add_typer(paper_app, name="paper")


@hookimpl
def detente_web_routes() -> Sequence[APIRouter]:
    from detente.paper.web_console import router

    return (router,)


@hookimpl
def detente_report_sections() -> None:
    import detente.paper.handouts
    import detente.paper.sheets  # noqa: F401  (registers the paper-room sheets)


@hookimpl
def detente_events() -> Sequence[type[Event]]:
    """Sheets entered from the paper room."""
    from detente.paper import events
    from detente.store.events import defined_in

    return defined_in(events)
