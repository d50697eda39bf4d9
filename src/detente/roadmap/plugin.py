"""The roadmap's contributions: the `roadmap`, `recommendations` and `remarks` activities, the
measures check, summary sections, the `roadmap` command, the rating and review forms, and the
roadmap's sections of the documents."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from detente.hooks import ActivitySpec, FileCheck, SummaryRenderer, hookimpl

if TYPE_CHECKING:
    import typer

    from detente.store.events import Event


@hookimpl
def detente_activities() -> Sequence[ActivitySpec]:
    from detente.roadmap import activity

    return (
        ActivitySpec("roadmap", "rating and sequencing cooperative measures", activity.roadmap),
        ActivitySpec(
            "recommendations",
            "policy recommendations and a framework for future engagement",
            activity.recommendations,
        ),
        ActivitySpec(
            "remarks",
            "concluding remarks: each delegation's commitments to next steps",
            activity.remarks,
        ),
    )


@hookimpl
def detente_file_checks() -> Mapping[str, FileCheck]:
    from detente.roadmap.activity import check_measures_file
    from detente.roadmap.catalog import MEASURES_FILE

    return {MEASURES_FILE: check_measures_file}


@hookimpl
def detente_summary_sections() -> Sequence[SummaryRenderer]:
    from detente.roadmap import summary

    return (summary.roadmap_section, summary.recommendations_section, summary.commitments_section)


@hookimpl
def detente_commands(app: typer.Typer) -> None:
    from detente.roadmap import commands

    app.add_typer(commands.app)


@hookimpl
def detente_web_forms() -> None:
    import detente.roadmap.web_forms  # noqa: F401  (registers the forms)


@hookimpl
def detente_report_sections() -> None:
    import detente.roadmap.document_sections  # noqa: F401  (registers the sections)


@hookimpl
def detente_events() -> Sequence[type[Event]]:
    """Ratings, the roadmap, recommendations and commitments."""
    from detente.roadmap import events
    from detente.store.events import defined_in

    return defined_in(events)
