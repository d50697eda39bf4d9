"""What the runner and the checks can look up by name: activities and checks of optional files.

Everything here comes from the plugins' hooks (:mod:`detente.hooks`, loaded by
:mod:`detente.plugins`); the runner only ever asks this module, never imports an activity.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from detente import plugins
from detente.hooks import Activity, ActivitySpec, FileCheck, SummaryRenderer

T = TypeVar("T")

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
    "unique_by_name",
]


class DuplicateError(ValueError):
    """Two plugins contribute the same name."""


def _unique(
    hook: str, entries: Callable[[Any], Iterable[tuple[str, T]]], what: str, verb: str
) -> dict[str, tuple[str, T]]:
    """Name → (plugin, contribution) over every plugin's answer to `hook`, in plugin order.
    `entries` turns one plugin's answer into (name, contribution) pairs. The same name from two
    plugins is a :class:`DuplicateError` naming both (a plugin may repeat its own)."""
    found: dict[str, tuple[str, T]] = {}
    for plugin, answer in plugins.results(hook):
        for name, item in entries(answer):
            if name in found and found[name][0] != plugin:
                raise DuplicateError(f"{what} {name!r} is {verb} by {found[name][0]} and {plugin}")
            found[name] = (plugin, item)
    return found


def activity_specs() -> dict[str, ActivitySpec]:
    """Every activity a meeting file may name, by name, with the plugin order kept."""
    found = _unique(
        "detente_activities", lambda specs: ((s.name, s) for s in specs), "activity", "registered"
    )
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
    return _unique(
        "detente_events", lambda classes: ((c.kind, c) for c in classes), "event kind", "claimed"
    )


def file_checks() -> dict[str, FileCheck]:
    """Every registered check of an optional meeting file, by file name."""
    found = _unique(
        "detente_file_checks", lambda checks: checks.items(), "a check for", "registered"
    )
    return {name: check for name, (_, check) in found.items()}


def summary_sections() -> list[SummaryRenderer]:
    """Every renderer of `summary.md`, in plugin order."""
    return [fn for _, fns in plugins.results("detente_summary_sections") for fn in fns]


def unique_by_name(hook: str, what: str) -> dict[str, Any]:
    """Name → contribution over every plugin's answer (a mapping) to `hook`, in plugin order; the
    same name from two plugins is a :class:`DuplicateError` naming `what` and both plugins."""
    found = _unique(hook, lambda answer: answer.items(), what, "contributed")
    return {name: item for name, (_, item) in found.items()}
