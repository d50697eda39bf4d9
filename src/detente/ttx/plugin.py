"""The tabletop exercise's contributions: the `ttx` and `reflection` (hotwash) activities, the
scenario check, summary sections, the `ttx` command group, the exercise's documents, and its
forms, feed lines, panels and template functions in the live app."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from detente.hooks import (
    ActivitySpec,
    FileCheck,
    PanelBuilder,
    SummaryRenderer,
    TemplateFunction,
    hookimpl,
)

if TYPE_CHECKING:
    import typer

    from detente.meeting.checks import Pauses
    from detente.meeting.loader import MeetingFolder
    from detente.store.events import Event


@hookimpl
def detente_activities() -> Sequence[ActivitySpec]:
    from detente.ttx import activity

    return (
        ActivitySpec(
            "ttx", "the tabletop exercise, or its next part when several items run it", activity.ttx
        ),
        ActivitySpec(
            "reflection",
            "after-action analysis of the whole tabletop exercise (the hotwash); votes on "
            "the item's statements when statements.yaml gives some",
            activity.reflection,
        ),
    )


@hookimpl
def detente_file_checks() -> Mapping[str, FileCheck]:
    from detente.ttx.activity import check_scenario
    from detente.ttx.pack import SCENARIO_FILE

    return {SCENARIO_FILE: check_scenario}


@hookimpl
def detente_item_pauses(folder: MeetingFolder) -> Pauses:
    from detente.ttx.documents.run_of_show import folder_breaks

    return folder_breaks(folder)


@hookimpl
def detente_validate_notes(folder: MeetingFolder) -> str | None:
    from detente.ttx.release import plan_for_folder

    return plan_for_folder(folder)


@hookimpl
def detente_summary_sections() -> Sequence[SummaryRenderer]:
    from detente.ttx.activity import _reflection_section, _ttx_section

    return (_ttx_section, _reflection_section)


@hookimpl
def detente_commands(app: typer.Typer) -> None:
    from importlib import import_module

    from detente.ttx.commands import ttx_app

    # The sub-group modules attach their commands to `ttx_app` when imported: `ttx --help`
    # lists them in this order.
    for name in ("audit_commands", "sweep_commands", "calibrate_commands", "msel_commands"):
        import_module(f"detente.ttx.{name}")

    app.add_typer(ttx_app, name="ttx")


@hookimpl
def detente_web_forms() -> None:
    import detente.ttx.web_forms  # noqa: F401  (registers the forms)


@hookimpl
def detente_feed_lines() -> None:
    import detente.ttx.web_feed  # noqa: F401  (registers the feed lines)


@hookimpl
def detente_web_panels() -> Mapping[str, PanelBuilder]:
    from detente.ttx.web_panels import PANELS

    return PANELS


@hookimpl
def detente_web_template_functions() -> Mapping[str, TemplateFunction]:
    from detente.ttx.web_panels import TEMPLATE_FUNCTIONS

    return TEMPLATE_FUNCTIONS


@hookimpl
def detente_report_sections() -> None:
    from detente.ttx.documents import (  # noqa: F401  (each registers its sections)
        aar,
        handbook,
        participant_pack,
        summary_lines,
    )


@hookimpl
def detente_events() -> Sequence[type[Event]]:
    """The exercise, its parts, the reflection (hotwash) and the live exercise control."""
    from detente.store.events import defined_in
    from detente.ttx import events

    return defined_in(events)
