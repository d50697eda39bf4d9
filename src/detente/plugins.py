"""The one loader: the plugin manager, built once, with the built-in domains and third-party
plugins.

Built-in plugins are the domains' ``plugin`` modules named in :data:`BUILTIN_PLUGINS`; a third-party
package adds one by declaring an entry point in the :data:`ENTRY_POINT_GROUP` group::

    [project.entry-points."detente.plugins"]
    mydomain = "mydomain.plugin"

Hosts never import a domain: they ask :func:`results` (value hooks) or :func:`load_once`
(registration hooks). Both call the implementations in registration order (built-ins in the order
listed, then entry points), so what a host builds from them is deterministic.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

import pluggy

from detente import hooks

ENTRY_POINT_GROUP = "detente.plugins"
"""The setuptools entry point group of third-party plugins."""

BUILTIN_PLUGINS: dict[str, str] = {
    "report": "detente.report.plugin",
    "web": "detente.web.plugin",
    "meeting": "detente.meeting.plugin",
    "deliberation": "detente.deliberation.plugin",
    "ttx": "detente.ttx.plugin",
    "roadmap": "detente.roadmap.plugin",
    "paper": "detente.paper.plugin",
    "seats": "detente.seats.plugin",
    "meeting_report": "detente.meeting_report.plugin",
}
"""The built-in plugins (name → module), registered in this order before any entry point: the
hosts' own contributions first, then the domains in programme order, then the meeting report
(which reads every domain)."""


@dataclass
class _State:
    manager: pluggy.PluginManager
    installed: dict[str, str] = field(default_factory=dict)
    """Plugin name → `distribution version`, for plugins loaded from entry points."""
    broken: dict[str, str] = field(default_factory=dict)
    """Plugin name → why its entry point could not be loaded."""
    loaded: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    """(hook, plugin name) → what its registration added, for every implementation called."""


_state: _State | None = None
_lock = threading.RLock()
"""Held while the manager is built or a registration hook runs: the live app looks tables up from
several threads, and none may see a table half registered."""


def _build() -> _State:
    pm = pluggy.PluginManager(hooks.PROJECT)
    pm.add_hookspecs(hooks)
    for name, module in BUILTIN_PLUGINS.items():
        pm.register(importlib.import_module(module), name=name)
    pm.check_pending()
    state = _State(pm)
    _load_entry_points(state)
    return state


def _load_entry_points(state: _State) -> None:
    """Register every `detente.plugins` entry point, sorted by name. One that fails to import or
    to validate against the hook specifications is left out and recorded in `state.broken`: a
    broken third-party package must not stop the meeting tools (the CLI warns about it)."""
    pm = state.manager
    entries = sorted(
        (
            (ep, dist)
            for dist in importlib.metadata.distributions()
            for ep in dist.entry_points
            if ep.group == ENTRY_POINT_GROUP
        ),
        key=lambda entry: (entry[0].name, entry[0].value),
    )
    for ep, dist in entries:
        name = ep.name
        origin = f"{dist.metadata['Name']} {dist.version}"
        if pm.has_plugin(name) or name in state.broken:
            state.broken.setdefault(name, f"{origin}: the name {name!r} is already taken")
            continue
        try:
            pm.register(ep.load(), name=name)
            pm.check_pending()
        except Exception as exc:  # any error of foreign code: report it, keep the others
            plugin = pm.get_plugin(name)
            if plugin is not None:
                pm.unregister(plugin)
            state.broken[name] = f"{origin}, entry point {ep.value}: {type(exc).__name__}: {exc}"
            continue
        state.installed[name] = origin


def manager() -> pluggy.PluginManager:
    """The plugin manager (built on first use: built-ins, then entry points)."""
    global _state
    with _lock:
        if _state is None:
            _state = _build()
        return _state.manager


def register(plugin: object, name: str) -> None:
    """Add a plugin after start-up (an embedding application, a test). Hosts see its value hooks
    at once and call its registration hooks the next time they need the table."""
    pm = manager()
    pm.register(plugin, name=name)
    pm.check_pending()


def unregister(name: str) -> None:
    """Remove a plugin added with :func:`register`. What its registration hooks registered stays
    registered (the hosts' tables are append-only)."""
    pm = manager()
    plugin = pm.get_plugin(name)
    if plugin is not None:
        pm.unregister(plugin)


def _impls(hook: str) -> list[pluggy.HookImpl]:
    caller: pluggy.HookCaller = getattr(manager().hook, hook)
    return caller.get_hookimpls()


def results(hook: str, **kwargs: Any) -> list[tuple[str, Any]]:
    """`(plugin name, result)` of every implementation of a value hook, in registration order
    (pluggy itself calls the last registered first)."""
    return [(impl.plugin_name, impl.function(**kwargs)) for impl in _impls(hook)]


def load_once(hook: str, contents: Callable[[], Collection[str]], **kwargs: Any) -> None:
    """Call every implementation of a registration hook that has not been called yet.

    `contents()` lists what the host's table holds; what an implementation adds is recorded as
    that plugin's contribution (see :func:`contributions`).
    """
    manager()
    assert _state is not None
    with _lock:
        for impl in _impls(hook):
            key = (hook, impl.plugin_name)
            if key in _state.loaded:
                continue
            before = set(contents())
            _state.loaded[key] = []
            impl.function(**kwargs)
            _state.loaded[key] = [name for name in contents() if name not in before]


def registered(hook: str, plugin: str) -> list[str] | None:
    """What `plugin`'s implementation of registration hook `hook` added, or None when it has not
    been called (or the plugin does not implement it)."""
    manager()
    assert _state is not None
    return _state.loaded.get((hook, plugin))


def plugin_names() -> list[str]:
    """Every registered plugin, built-ins first, in registration order."""
    return [name for name, _ in manager().list_name_plugin()]


def distribution(name: str) -> str | None:
    """`package version` of the distribution that installed a plugin through an entry point."""
    manager()
    assert _state is not None
    return _state.installed.get(name)


def broken() -> dict[str, str]:
    """Entry points that could not be loaded: plugin name → the reason, naming the package."""
    manager()
    assert _state is not None
    return dict(_state.broken)


def implements(plugin: str, hook: str) -> bool:
    return any(impl.plugin_name == plugin for impl in _impls(hook))


def implementation(plugin: str, hook: str) -> str:
    """The qualified name of `plugin`'s implementation of `hook` (listed by `detente plugins`
    for hooks that are asked of a meeting folder, so they cannot be called to list)."""
    function = next(impl.function for impl in _impls(hook) if impl.plugin_name == plugin)
    return f"{function.__module__}.{function.__qualname__}"
