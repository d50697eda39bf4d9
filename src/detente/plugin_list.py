"""What `detente plugins` shows: every loaded plugin and what it contributes to each hook."""

from __future__ import annotations

import json
import textwrap
from dataclasses import asdict, dataclass, field

import typer

from detente import plugins


@dataclass(frozen=True)
class PluginInfo:
    """One plugin and its contributions, each a list of names in registration order."""

    name: str
    source: str
    """`built-in` (a module of détente) or the distribution that installed it."""
    module: str
    contributions: dict[str, list[str]] = field(default_factory=dict)


HOOK_LABELS: dict[str, str] = {
    "detente_activities": "activities",
    "detente_events": "events",
    "detente_file_checks": "file checks",
    "detente_item_pauses": "item pauses",
    "detente_validate_notes": "validate notes",
    "detente_summary_sections": "summary sections",
    "detente_commands": "commands",
    "detente_web_forms": "web forms",
    "detente_feed_lines": "feed lines",
    "detente_web_panels": "web panels",
    "detente_web_template_functions": "web template functions",
    "detente_web_routes": "web routes",
    "detente_report_sections": "report sections",
}
"""Every hook, by the label the listing gives what it contributes."""


def _load_registrations(app: typer.Typer) -> None:
    """Call every registration hook (the app's own loaders), so what each plugin registered is
    known. `app` is the CLI's, whose commands are already loaded."""
    from detente.document import sections as documents
    from detente.web import forms, views

    forms.load()
    views.load_feeds()
    documents.load()
    del app


def _values(plugin: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, specs in plugins.results("detente_activities"):
        if name == plugin:
            out.setdefault("detente_activities", []).extend(s.name for s in specs)
    for name, classes in plugins.results("detente_events"):
        if name == plugin:
            out.setdefault("detente_events", []).extend(
                f"{cls.kind} v{cls.version}" for cls in classes
            )
    for name, checks in plugins.results("detente_file_checks"):
        if name == plugin:
            out.setdefault("detente_file_checks", []).extend(checks)
    for hook in ("detente_item_pauses", "detente_validate_notes"):  # asked of a folder
        if plugins.implements(plugin, hook):
            out[hook] = [f"{plugins.implementation(plugin, hook)}"]
    for hook in ("detente_web_panels", "detente_web_template_functions"):
        for name, table in plugins.results(hook):
            if name == plugin:
                out.setdefault(hook, []).extend(table)
    for name, routers in plugins.results("detente_web_routes"):
        if name == plugin:
            out.setdefault("detente_web_routes", []).extend(
                path for router in routers for path in sorted({r.path for r in router.routes})
            )
    for name, fns in plugins.results("detente_summary_sections"):
        if name == plugin:
            out.setdefault("detente_summary_sections", []).extend(
                f"{fn.__module__}.{fn.__qualname__}" for fn in fns
            )
    return out


def describe(app: typer.Typer) -> list[PluginInfo]:
    """Every plugin in registration order with what it contributes (hooks it does not implement
    are left out)."""
    _load_registrations(app)
    found: list[PluginInfo] = []
    pm = plugins.manager()
    for name in plugins.plugin_names():
        module = getattr(pm.get_plugin(name), "__name__", type(pm.get_plugin(name)).__name__)
        contributions = _values(name)
        for hook in HOOK_LABELS:
            added = plugins.registered(hook, name)
            if added is not None:
                contributions[hook] = added
        ordered = {h: contributions[h] for h in HOOK_LABELS if h in contributions}
        source = plugins.distribution(name) or (
            "built-in" if name in plugins.BUILTIN_PLUGINS else "registered at run time"
        )
        found.append(PluginInfo(name, source, module, ordered))
    for name, reason in plugins.broken().items():
        found.append(PluginInfo(name, f"not loaded: {reason}", "-"))
    return found


def render_text(found: list[PluginInfo]) -> str:
    """One block per plugin: its name, where it comes from, one line per hook it implements."""
    lines: list[str] = []
    for info in found:
        where = f"{info.source}: {info.module}" if info.module != "-" else info.source
        lines.append(f"{info.name} ({where})")
        for hook, names in info.contributions.items():
            label = f"  {HOOK_LABELS[hook]}: "
            lines += textwrap.wrap(
                ", ".join(names) if names else "-",
                width=100,
                initial_indent=label,
                subsequent_indent=" " * len(label),
                break_long_words=False,
                break_on_hyphens=False,
            )
    return "\n".join(lines) + "\n"


def render_json(found: list[PluginInfo]) -> str:
    """The same as a JSON list, contributions keyed by hook name."""
    return json.dumps([asdict(info) for info in found], indent=2, ensure_ascii=False) + "\n"
