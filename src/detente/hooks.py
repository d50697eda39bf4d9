"""The hooks: everything a domain (built-in or third-party) can contribute to détente.

A plugin is a module or object whose functions are marked ``@hookimpl`` and named like the
specifications below; :mod:`detente.plugins` registers the built-in ones (each domain's
``plugin.py``) and every package that declares an entry point in the ``detente.plugins`` group.
Built-ins register exactly as a third-party plugin does. A plugin implements only the hooks it
needs. The hosts (the CLI, the web app, the documents, the runner) ask these hooks, never a
domain module, for what exists.

Two kinds of hooks:

- *Value hooks* return what the plugin contributes (activities, events, file checks, summary
  sections); they may be called more than once and must return the same thing each time.
- *Registration hooks* are handed nothing and register through the host's own API (the web app's
  forms and feed lines, the documents' sections), usually by importing the module that does;
  :func:`detente.plugins.load_once` calls each plugin's implementation at most once, the first
  time the host needs the table. :func:`detente_commands` is handed the CLI's app.

Implementations import their domain modules inside the function body, so loading a plugin costs
nothing until a host needs what it offers, and a host importing this module imports no domain.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import pluggy

if TYPE_CHECKING:
    import typer

    from detente.diagnostics import Diagnostic
    from detente.meeting.context import ActivityContext
    from detente.meeting.loader import MeetingFolder
    from detente.meeting.model import Item
    from detente.meeting.state import HeldItem
    from detente.store.events import Event

PROJECT = "detente"
"""The pluggy project name: hook functions are `detente_*`, entry points `detente.plugins`."""

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


class Activity(Protocol):
    """Runs one programme item, appending what happens through the context."""

    def __call__(self, ctx: ActivityContext, item: Item) -> None: ...


@dataclass(frozen=True)
class ActivitySpec:
    """One activity a meeting file may name in an item's `activity`."""

    name: str
    """The name in meeting.yaml (`discussion`, `ttx` …); unique over all plugins."""
    description: str
    """What it does, one line (for messages and docs)."""
    run: Activity | None
    """The function that runs an item; None for an activity the plugin knows of but cannot run
    in this installation (the runner records it as unavailable, naming the description)."""


FileCheck = Callable[["MeetingFolder"], "list[Diagnostic]"]
"""Checks one optional file of a meeting folder: every error and warning, located; [] when the
file is absent."""

SummaryRenderer = Callable[["MeetingFolder", "HeldItem"], list[str]]
"""Turns one held item's outputs into Markdown lines of `summary.md` ([] when it has none of the
renderer's outputs)."""


@hookspec
def detente_activities() -> Sequence[ActivitySpec]:
    """The activities this plugin runs. A name given by two plugins is an error naming both."""
    return ()  # the spec's body never runs: a plugin that does not implement it adds nothing


@hookspec
def detente_events() -> Sequence[type[Event]]:
    """The event classes this plugin records: its vocabulary in the log, each class with its
    `kind` and payload `version`. Importing a class registers it (and the module defining it
    registers the upcasters from its older versions, :func:`detente.store.events.upcaster`);
    every kind belongs to exactly one plugin. The store asks this hook to decode a kind no
    imported module defined (:func:`detente.store.events.event_class`), so the classes should
    come from a module that imports little beyond the store (the domain's ``events.py``)."""
    return ()  # the spec's body never runs: a plugin that does not implement it adds nothing


@hookspec
def detente_file_checks() -> Mapping[str, FileCheck]:
    """Checks of optional meeting files, by file name (e.g. ``scenario.yaml``).

    `detente validate` runs every check, and `detente run` runs them before it opens a record, so
    a bad file is reported at once instead of when its session starts mid-run.
    """
    return {}  # the spec's body never runs: a plugin that does not implement it adds nothing


@hookspec
def detente_summary_sections() -> Sequence[SummaryRenderer]:
    """Renderers of this plugin's outputs in `summary.md`, in the order they run for each item."""
    return ()  # the spec's body never runs: a plugin that does not implement it adds nothing


@hookspec
def detente_commands(app: typer.Typer) -> None:
    """Add this plugin's commands to the CLI's `app` (``app.add_typer(group)`` for a group of
    commands, or ``app.add_typer(commands)`` with a nameless Typer to add top-level commands).
    Command modules import their shared options from :mod:`detente.console`, never the CLI."""


@hookspec
def detente_web_forms() -> None:
    """Register the forms with which people answer this plugin's requests in the live app, with
    :func:`detente.web.forms.seat_form` and :func:`detente.web.forms.decision_form_for`."""


@hookspec
def detente_feed_lines() -> None:
    """Register how this plugin's event kinds read in the live app's feed, with
    :func:`detente.web.views.describes`."""


@hookspec
def detente_report_sections() -> None:
    """Register this plugin's sections of the documents and session outcomes of the meeting
    report, with :func:`detente.report.documents.report_section` and
    :func:`detente.report.documents.session_outcome`."""
