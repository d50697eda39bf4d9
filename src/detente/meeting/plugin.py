"""The meeting's own contributions: the opening and the country presentations, the check of how
the programme uses the folder's material, and the programme's forms and feed lines in the app."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from detente.hooks import ActivitySpec, FileCheck, SummaryRenderer, hookimpl

if TYPE_CHECKING:
    from detente.store.events import Event


@hookimpl
def detente_activities() -> Sequence[ActivitySpec]:
    from detente.meeting import presentations

    return (
        ActivitySpec(
            "presentations",
            "country interventions in programme order, then questions",
            presentations.presentations,
        ),
        ActivitySpec(
            "opening",
            "opening remarks: who speaks, in order; records no commitments",
            presentations.opening,
        ),
    )


@hookimpl
def detente_file_checks() -> Mapping[str, FileCheck]:
    from detente.programme_usage import check_usage

    return {"programme": check_usage}


@hookimpl
def detente_summary_sections() -> Sequence[SummaryRenderer]:
    from detente.meeting.presentations import _opening_section

    return (_opening_section,)


@hookimpl
def detente_web_forms() -> None:
    import detente.web.forms_programme  # noqa: F401  (registers the forms)


@hookimpl
def detente_feed_lines() -> None:
    import detente.web.feed_programme  # noqa: F401  (registers the feed lines)


@hookimpl
def detente_events() -> Sequence[type[Event]]:
    """The kernel's vocabulary: the meeting and its programme, the presentations, and the live
    meeting's requests, answers, seats, access and releases (written by the runner and the live
    app whatever activities the meeting holds)."""
    from detente.meeting import events
    from detente.store.events import defined_in

    return defined_in(events)
