"""Deliberation's contributions: the discussion (statements voted by every seat), its file check,
summary section, `common-ground` command, ballot forms, feed lines and panels (common ground,
ranking, a delegate's marks), and the meeting report's common ground."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from detente.hooks import ActivitySpec, FileCheck, PanelBuilder, SummaryRenderer, hookimpl

if TYPE_CHECKING:
    import typer

    from detente.store.events import Event


@hookimpl
def detente_activities() -> Sequence[ActivitySpec]:
    from detente.deliberation.activity import discussion

    return (
        ActivitySpec(
            "discussion",
            "statements voted by every seat; common ground and divisions",
            discussion,
        ),
    )


@hookimpl
def detente_file_checks() -> Mapping[str, FileCheck]:
    from detente.deliberation.activity import check_statements_file
    from detente.deliberation.statements import STATEMENTS_FILE

    return {STATEMENTS_FILE: check_statements_file}


@hookimpl
def detente_summary_sections() -> Sequence[SummaryRenderer]:
    from detente.deliberation.summary import deliberation_section

    return (deliberation_section,)


@hookimpl
def detente_commands(app: typer.Typer) -> None:
    from detente.deliberation import commands

    app.add_typer(commands.app)


@hookimpl
def detente_web_forms() -> None:
    import detente.deliberation.web_forms  # noqa: F401  (registers the forms)


@hookimpl
def detente_feed_lines() -> None:
    import detente.deliberation.web_feed  # noqa: F401  (registers the feed lines of votes and ratings)


@hookimpl
def detente_web_panels() -> Mapping[str, PanelBuilder]:
    from detente.deliberation.web_panels import PANELS

    return PANELS


@hookimpl
def detente_report_sections() -> None:
    import detente.deliberation.document_sections  # noqa: F401  (registers the sections)


@hookimpl
def detente_events() -> Sequence[type[Event]]:
    """Statements, votes and the analysis of a discussion."""
    from detente.deliberation import events
    from detente.store.events import defined_in

    return defined_in(events)
