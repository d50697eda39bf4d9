"""What the runner and the checks can look up by name: activities and checks of optional files.

Everything here comes from the plugins' hooks (:mod:`detente.hooks`, loaded by
:mod:`detente.plugins`); the runner only ever asks this module, never imports an activity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente import plugins
from detente.hooks import Activity, ActivitySpec, FileCheck, SummaryRenderer

if TYPE_CHECKING:
    from detente.store.events import Event

__all__ = [
    "Activity",
    "ActivitySpec",
    "DuplicateError",
    "FileCheck",
    "activities",
    "activity",
    "activity_specs",
    "description",
    "event_types",
    "file_checks",
    "summary_sections",
]


class DuplicateError(ValueError):
    """Two plugins contribute the same name."""


def activity_specs() -> dict[str, ActivitySpec]:
    """Every activity a meeting file may name, by name, with the plugin order kept."""
    found: dict[str, tuple[str, ActivitySpec]] = {}
    for plugin, specs in plugins.results("detente_activities"):
        for spec in specs:
            if spec.name in found and found[spec.name][0] != plugin:
                raise DuplicateError(
                    f"activity {spec.name!r} is registered by {found[spec.name][0]} and {plugin}"
                )
            found[spec.name] = (plugin, spec)
    return {name: spec for name, (_, spec) in found.items()}


def activity(name: str) -> Activity | None:
    """The activity registered under `name`, or None when none is installed or it cannot run."""
    spec = activity_specs().get(name)
    return None if spec is None else spec.run


def activities() -> dict[str, Activity]:
    """Every activity that can run here, by name."""
    return {name: s.run for name, s in activity_specs().items() if s.run is not None}


def description(name: str) -> str | None:
    """What the activity `name` does, when some plugin knows it (even one that cannot run it)."""
    spec = activity_specs().get(name)
    return None if spec is None else spec.description


def event_types() -> dict[str, tuple[str, type[Event]]]:
    """Every event kind the plugins record: kind → (plugin, class). A kind claimed by two
    plugins is an error naming both."""
    found: dict[str, tuple[str, type[Event]]] = {}
    for plugin, classes in plugins.results("detente_events"):
        for cls in classes:
            if cls.kind in found and found[cls.kind][0] != plugin:
                raise DuplicateError(
                    f"event kind {cls.kind!r} is claimed by {found[cls.kind][0]} and {plugin}"
                )
            found[cls.kind] = (plugin, cls)
    return found


def file_checks() -> dict[str, FileCheck]:
    """Every registered check of an optional meeting file, by file name."""
    found: dict[str, tuple[str, FileCheck]] = {}
    for plugin, checks in plugins.results("detente_file_checks"):
        for filename, check in checks.items():
            if filename in found and found[filename][1] is not check:
                raise DuplicateError(
                    f"a check for {filename!r} is registered by {found[filename][0]} and {plugin}"
                )
            found[filename] = (plugin, check)
    return {name: check for name, (_, check) in found.items()}


def summary_sections() -> list[SummaryRenderer]:
    """Every renderer of `summary.md`, in plugin order."""
    return [fn for _, fns in plugins.results("detente_summary_sections") for fn in fns]
