"""The loader: built-in plugins, a plugin registered at run time, and one from an entry point.

The toy activity below is the whole of what a new activity needs: one module (here, the
`ToyPlugin` class and its `toy` function) and its registration with the plugin manager.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente import plugins, registry
from detente.cli import app
from detente.diagnostics import Diagnostic
from detente.document.summary import render_summary
from detente.hooks import ActivitySpec, FileCheck, SummaryRenderer, hookimpl
from detente.meeting.context import ActivityContext
from detente.meeting.events import ActivityUnavailable, FacilitatorNote
from detente.meeting.loader import MeetingFolder, load_meeting
from detente.meeting.model import Item
from detente.meeting.runner import run_meeting
from detente.meeting.state import HeldItem, meeting_state
from detente.store.events import decode
from detente.store.log import EventStore, Record
from detente.store.visibility import FACILITATOR

# --- the toy activity: one module ------------------------------------------------------------


def toy(ctx: ActivityContext, item: Item) -> None:
    """Records one public note naming the item."""
    assert item.id is not None
    ctx.emit(
        FacilitatorNote(item_id=item.id, text=f"toy ran for {item.title}"),
        actor=FACILITATOR,
        visibility="all",
    )


def toy_summary(folder: MeetingFolder, held: HeldItem) -> list[str]:
    if held.activity != "toy":
        return []
    return [f"- toy: {e.text}" for _, e in held.outputs if isinstance(e, FacilitatorNote)]


def check_toy_file(folder: MeetingFolder) -> list[Diagnostic]:
    return []


class ToyPlugin:
    @hookimpl
    def detente_activities(self) -> Sequence[ActivitySpec]:
        return (ActivitySpec("toy", "a toy activity for the tests", toy),)

    @hookimpl
    def detente_file_checks(self) -> Mapping[str, FileCheck]:
        return {"toy.yaml": check_toy_file}

    @hookimpl
    def detente_summary_sections(self) -> Sequence[SummaryRenderer]:
        return (toy_summary,)


# --- the tests --------------------------------------------------------------------------------


@pytest.fixture
def toy_registered() -> Iterator[None]:
    plugins.register(ToyPlugin(), name="toy")
    try:
        yield
    finally:
        plugins.unregister("toy")


@pytest.fixture
def toy_meeting(
    harbour: Path, edited_meeting: Callable[[Path, Callable[[str], str]], Path]
) -> Path:
    return edited_meeting(
        harbour, lambda text: text.replace("activity: discussion", "activity: toy")
    )


def _run(folder: Path, db: Path) -> tuple[MeetingFolder, list[Record]]:
    loaded = load_meeting(folder)
    store = EventStore(f"sqlite:///{db}")
    try:
        records = run_meeting(loaded, store)
    finally:
        store.close()
    return loaded, records


def test_builtin_plugins_register_every_builtin_activity() -> None:
    specs = registry.activity_specs()
    assert {
        "presentations",
        "opening",
        "discussion",
        "ttx",
        "reflection",
        "roadmap",
        "recommendations",
        "remarks",
    } <= set(specs)
    assert all(spec.run is not None and spec.description for spec in specs.values())
    assert plugins.plugin_names()[: len(plugins.BUILTIN_PLUGINS)] == list(plugins.BUILTIN_PLUGINS)


def test_every_event_kind_belongs_to_exactly_one_builtin_plugin() -> None:
    from detente.store.events import Event

    claimed = registry.event_types()
    defined = {k for k, cls in Event.registry.items() if cls.__module__.startswith("detente.")}
    assert set(claimed) == defined  # tests may define their own kinds
    assert all(Event.registry[kind] is cls for kind, (_, cls) in claimed.items())
    assert claimed["ttx_decision"][0] == "ttx"
    assert claimed["vote_cast"][0] == "deliberation"
    assert claimed["seat_requested"][0] == "meeting"  # the kernel's live events
    # each domain's vocabulary lives in its own package, never in the store
    assert all(cls.__module__ == f"detente.{p}.events" for p, cls in claimed.values())


def test_an_unregistered_activity_is_recorded_as_unavailable(
    toy_meeting: Path, tmp_path: Path
) -> None:
    _, records = _run(toy_meeting, tmp_path / "log.db")
    unavailable = [e for e in map(decode, records) if isinstance(e, ActivityUnavailable)]
    assert [e.activity for e in unavailable] == ["toy"]
    assert "no activity named 'toy'" in unavailable[0].reason


def test_a_toy_activity_registered_at_run_time_runs_and_is_summarised(
    toy_registered: None, toy_meeting: Path, tmp_path: Path
) -> None:
    assert registry.activity("toy") is toy
    assert registry.file_checks()["toy.yaml"] is check_toy_file
    loaded, records = _run(toy_meeting, tmp_path / "log.db")
    events = [decode(r) for r in records]
    assert not any(isinstance(e, ActivityUnavailable) for e in events)
    notes = [e.text for e in events if isinstance(e, FacilitatorNote) and e.text.startswith("toy")]
    assert notes == ["toy ran for Towards Shared Harbour Procedures"]
    summary = render_summary(loaded, meeting_state(records))
    assert "- toy: toy ran for Towards Shared Harbour Procedures" in summary


def test_detente_plugins_lists_the_toy_and_what_it_contributes(toy_registered: None) -> None:
    result = CliRunner().invoke(app, ["plugins", "--format", "json"])
    assert result.exit_code == 0, result.output
    listed = {p["name"]: p for p in json.loads(result.output)}
    assert listed["toy"]["source"] == "registered at run time"
    assert listed["toy"]["contributions"] == {
        "detente_activities": ["toy"],
        "detente_file_checks": ["toy.yaml"],
        "detente_summary_sections": ["tests.test_plugins.toy_summary"],
    }
    ttx = listed["ttx"]["contributions"]
    assert ttx["detente_activities"] == ["ttx", "reflection"]
    assert ttx["detente_commands"] == ["ttx"]
    assert "ttx_decision_request" in ttx["detente_web_forms"]
    text = CliRunner().invoke(app, ["plugins"]).output
    assert "toy (registered at run time: ToyPlugin)" in text
    assert "  activities: toy" in text


def test_two_plugins_naming_one_activity_is_an_error_naming_both(toy_registered: None) -> None:
    class Clash:
        @hookimpl
        def detente_activities(self) -> Sequence[ActivitySpec]:
            return (ActivitySpec("toy", "another toy", toy),)

    plugins.register(Clash(), name="clash")
    try:
        with pytest.raises(registry.DuplicateError, match="'toy' is registered by toy and clash"):
            registry.activity_specs()
    finally:
        plugins.unregister("clash")


ENTRY_MODULE = """
from detente.hooks import ActivitySpec, hookimpl


def _run(ctx, item):
    pass


@hookimpl
def detente_activities():
    return (ActivitySpec("installed-toy", "a toy from an installed package", _run),)
"""


def install(where: Path, package: str, entry_points: str, modules: dict[str, str]) -> None:
    """A distribution as an installer leaves it: modules and a `.dist-info` on a path entry."""
    for name, source in modules.items():
        (where / f"{name}.py").write_text(source, encoding="utf-8")
    info = where / f"{package.replace('-', '_')}-1.2.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {package}\nVersion: 1.2\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")


@pytest.fixture
def fresh_manager(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A path entry to install into, and a plugin manager built afresh from it (the session's
    manager comes back afterwards)."""
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(plugins, "_state", None)
    yield tmp_path
    for name in ("installed_toy", "broken_toy", "broken_toy_hooks"):
        sys.modules.pop(name, None)


def test_a_package_declaring_the_entry_point_is_loaded(fresh_manager: Path) -> None:
    """A distribution with an entry point in `detente.plugins` is registered when the plugin
    manager is built, after the built-ins."""
    install(
        fresh_manager,
        "installed-toy",
        "[detente.plugins]\ninstalled = installed_toy\n",
        {"installed_toy": ENTRY_MODULE},
    )
    assert plugins.plugin_names()[-1] == "installed"
    assert plugins.distribution("installed") == "installed-toy 1.2"
    assert registry.description("installed-toy") == "a toy from an installed package"
    assert plugins.broken() == {}


def test_a_broken_package_is_left_out_and_named(fresh_manager: Path) -> None:
    install(
        fresh_manager,
        "broken-toy",
        "[detente.plugins]\nbroken = broken_toy\nmisnamed = broken_toy_hooks\n",
        {
            "broken_toy": "raise ImportError('no module named lasers')\n",
            "broken_toy_hooks": (
                "from detente.hooks import hookimpl\n\n\n"
                "@hookimpl\ndef detente_activity():\n    return ()\n"
            ),
        },
    )
    assert "broken" not in plugins.plugin_names()
    assert "misnamed" not in plugins.plugin_names()
    reasons = plugins.broken()
    assert reasons["broken"] == (
        "broken-toy 1.2, entry point broken_toy: ImportError: no module named lasers"
    )
    assert "detente_activity" in reasons["misnamed"]
    assert set(registry.activity_specs()) >= {"ttx", "discussion"}  # the others still load
    listing = CliRunner().invoke(app, ["plugins"]).output
    assert "broken (not loaded: broken-toy 1.2, entry point broken_toy: ImportError" in listing


def test_validate_asks_the_plugins_for_pauses_inside_items_and_notes(
    harbour: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from detente.meeting import checks

    pause = (dt.time(10, 0), dt.time(10, 15))

    class Pauser:
        @hookimpl
        def detente_item_pauses(self, folder: MeetingFolder) -> checks.Pauses:
            return {"toy-item": [pause]}

        @hookimpl
        def detente_validate_notes(self, folder: MeetingFolder) -> str | None:
            return f"toy note for {folder.meeting.meeting.id}"

    seen: list[checks.Pauses | None] = []
    real = checks.check_programme

    def spy(meeting: object, source: object, pauses: checks.Pauses | None = None) -> object:
        seen.append(pauses)
        return real(meeting, source, pauses)  # type: ignore[arg-type]

    monkeypatch.setattr(checks, "check_programme", spy)
    plugins.register(Pauser(), name="pauser")
    try:
        result = CliRunner().invoke(app, ["validate", str(harbour)])
    finally:
        plugins.unregister("pauser")
    assert seen and seen[0] is not None and seen[0]["toy-item"] == [pause]
    assert f"toy note for {load_meeting(harbour).meeting.meeting.id}" in result.output
