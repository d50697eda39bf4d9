"""One registry for what the runner can look up by name: session activities and seat kinds.

Built-in activities register themselves through the same decorator an extension would use; the
modules listed in :data:`BUILTIN_MODULES` are imported on first lookup (as Datasette loads its
default plugins). The runner only ever asks the registry, never imports an activity directly.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from detente.diagnostics import Diagnostic
    from detente.meeting.context import ActivityContext
    from detente.meeting.loader import MeetingFolder
    from detente.meeting.model import Item

BUILTIN_MODULES: tuple[str, ...] = (
    "detente.meeting.presentations",
    "detente.deliberation.activity",
    "detente.ttx.activity",
    "detente.roadmap.activity",
    "detente.programme_usage",
)
"""Modules whose import registers the built-in activities."""

KNOWN_ACTIVITIES: dict[str, str] = {
    "presentations": "country interventions in programme order, then questions",
    "discussion": "statements voted by every seat; common ground and divisions",
    "ttx": "the tabletop exercise, or its next part when several items run it",
    "reflection": "after-action analysis of the whole tabletop exercise (the hotwash); votes on "
    "the item's statements when statements.yaml gives some",
    "roadmap": "rating and sequencing cooperative measures",
    "recommendations": "policy recommendations and a framework for future engagement",
    "remarks": "concluding remarks: each delegation's commitments to next steps",
    "opening": "opening remarks: who speaks, in order; records no commitments",
}
"""Every activity the meeting file may name, with what it does (for messages and docs)."""


class Activity(Protocol):
    """Runs one programme item, appending what happens through the context."""

    def __call__(self, ctx: ActivityContext, item: Item) -> None: ...


A = TypeVar("A", bound=Activity)
_activities: dict[str, Activity] = {}
_loaded = False


def register_activity(name: str) -> Callable[[A], A]:
    """Decorator: make `fn` the activity run for items whose `activity` is `name`."""

    def decorate(fn: A) -> A:
        if name in _activities and _activities[name] is not fn:
            raise ValueError(f"activity {name!r} is registered twice")
        _activities[name] = fn
        return fn

    return decorate


def _load_builtins() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        for module in BUILTIN_MODULES:
            importlib.import_module(module)


def activity(name: str) -> Activity | None:
    """The activity registered under `name`, or None when none is installed."""
    _load_builtins()
    return _activities.get(name)


def activities() -> dict[str, Activity]:
    _load_builtins()
    return dict(_activities)


FileCheck = Callable[["MeetingFolder"], "list[Diagnostic]"]
_file_checks: dict[str, FileCheck] = {}


def register_file_check(filename: str) -> Callable[[FileCheck], FileCheck]:
    """Decorator: `fn(folder)` checks the meeting folder's optional `filename` (e.g.
    `scenario.yaml`) and returns every error and warning, located; [] when the file is absent.

    `detente validate` runs every check, and `detente run` runs them before it opens a record,
    so a bad file is reported at once instead of when its session starts mid-run.
    """

    def decorate(fn: FileCheck) -> FileCheck:
        if filename in _file_checks and _file_checks[filename] is not fn:
            raise ValueError(f"a check for {filename!r} is registered twice")
        _file_checks[filename] = fn
        return fn

    return decorate


def file_checks() -> dict[str, FileCheck]:
    """Every registered check of an optional meeting file, by file name."""
    _load_builtins()
    return dict(_file_checks)
