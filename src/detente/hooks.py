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
from typing import TYPE_CHECKING, Any, Protocol

import pluggy

if TYPE_CHECKING:
    import typer
    from fastapi import APIRouter

    from detente.diagnostics import Diagnostic
    from detente.meeting.checks import Pauses
    from detente.meeting.context import ActivityContext
    from detente.meeting.loader import MeetingFolder
    from detente.meeting.model import Item
    from detente.meeting.state import HeldItem
    from detente.store.events import Event
    from detente.web.api import LiveApp, Snapshot, Who

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
def detente_item_pauses(folder: MeetingFolder) -> Pauses:
    """Breaks an activity's own files declare inside programme items, by item id (a tabletop
    exercise's scenario schedules pauses between its moves). `detente validate`'s check for long
    runs without a break counts them. Empty when the file is absent or does not load: its file
    check reports that."""
    return {}  # the spec's body never runs: a plugin that does not implement it adds nothing


@hookspec
def detente_validate_notes(folder: MeetingFolder) -> str | None:
    """A text `detente validate` prints after its findings (the exercise's release plan: what
    players may see, and from when), or None when the plugin has nothing to say of `folder`."""
    return None  # the spec's body never runs: a plugin that does not implement it adds nothing


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
    :func:`detente.web.api.seat_form` and :func:`detente.web.api.decision_form_for`."""


@hookspec
def detente_feed_lines() -> None:
    """Register how this plugin's event kinds read in the live app's feed, with
    :func:`detente.web.api.describes`."""


@hookspec
def detente_report_sections() -> None:
    """Register this plugin's sections of the documents and session outcomes of the meeting
    report, with :func:`detente.document.sections.report_section` and
    :func:`detente.document.sections.session_outcome` (and its sessions' lines in the executive
    summary, with :func:`~detente.document.sections.summary_line`; documents made one per reader,
    with :func:`~detente.document.sections.document_maker`). Sections are built with the document
    toolkit (:mod:`detente.document`); a plugin never imports the document host
    (:mod:`detente.report`)."""


# The live app's panels, template functions and routes (web/ plugin API, see detente.web.api)

PanelBuilder = Callable[["LiveApp", "Who", "Snapshot"], Any]
"""Builds one part of a live page's template context from the app, the person asking and the
log snapshot the page is built from (None when there is nothing to show)."""

TemplateFunction = Callable[["LiveApp", str], Callable[..., Any]]
"""Given the app and the reader's language, the function a live template calls."""


@hookspec
def detente_web_panels() -> Mapping[str, PanelBuilder]:
    """What this plugin shows on the live app's pages, by the template context key each builder
    fills (``exercise``, ``ground`` …). The host's pages name the keys they show and ask this
    table for those it does not build itself; a builder sees who asks (``caller.viewer.role``)
    and returns only what that person may see. A key given by two plugins is an error naming
    both."""
    return {}  # the spec's body never runs: a plugin that does not implement it adds nothing


@hookspec
def detente_web_template_functions() -> Mapping[str, TemplateFunction]:
    """Functions the live app's templates (this plugin's forms and panels) call, by name: each
    is handed the app and the reader's language when a page renders. A name given by two plugins
    is an error naming both."""
    return {}  # the spec's body never runs: a plugin that does not implement it adds nothing


@hookspec
def detente_web_routes() -> Sequence[APIRouter]:
    """Pages and endpoints this plugin adds to the live app, as FastAPI routers, included when
    the app is built. Their handlers sign people in, check CSRF and render with
    :mod:`detente.web.api` (``require``, ``check_csrf``, ``render``)."""
    return ()  # the spec's body never runs: a plugin that does not implement it adds nothing
