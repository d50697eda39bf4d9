"""What plugins add to the live app's pages: panel builders, template functions and routes.

The host asks the hooks (:func:`detente.hooks.detente_web_panels`,
:func:`~detente.hooks.detente_web_template_functions`, :func:`~detente.hooks.detente_web_routes`)
when it builds a page or the app, never a domain module: the pages name the context keys they
show, and a key the host does not build itself is :func:`panel`, looked up when the page is built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from detente import plugins, registry

if TYPE_CHECKING:
    from fastapi import APIRouter

    from detente.hooks import PanelBuilder, TemplateFunction
    from detente.web.common import LiveApp, Who
    from detente.web.livelog import Snapshot


def panels() -> dict[str, PanelBuilder]:
    """Every plugin's panel builders by context key (a key given by two plugins is an error)."""
    return registry.unique_by_name("detente_web_panels", "the panel")


def panel(key: str) -> Callable[[LiveApp, Who, Snapshot], Any]:
    """A builder of context key `key` that asks the plugins for it each time it runs (None when
    no plugin builds it: the template shows nothing, as for an empty panel)."""

    def build(app: LiveApp, caller: Who, snap: Snapshot) -> Any:
        builder = panels().get(key)
        return None if builder is None else builder(app, caller, snap)

    build.__qualname__ = f"panel[{key}]"
    return build


def template_functions(app: LiveApp, language: str) -> dict[str, Callable[..., Any]]:
    """Every plugin's template functions for a page rendered in `language`, by name."""
    found: dict[str, TemplateFunction] = registry.unique_by_name(
        "detente_web_template_functions", "the template function"
    )
    return {name: make(app, language) for name, make in found.items()}


def routers() -> list[APIRouter]:
    """Every plugin's routers, in plugin order."""
    return [r for _, found in plugins.results("detente_web_routes") for r in found]
