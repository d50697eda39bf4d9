"""The live app asks the plugins for panels, template functions and routes
(:mod:`detente.web.contributed`): a plugin registered at run time is seen at once, a key nobody
builds is empty, and one key from two plugins is an error naming both."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest
from fastapi import APIRouter

from detente import plugins
from detente.hooks import PanelBuilder, TemplateFunction, hookimpl
from detente.registry import DuplicateError
from detente.web import contributed

toy_router = APIRouter(prefix="/toy")


@toy_router.get("/page")
def _toy_page() -> dict[str, str]:
    return {}


class ToyWeb:
    @hookimpl
    def detente_web_panels(self) -> Mapping[str, PanelBuilder]:
        return {"toy_panel": lambda app, caller, snap: ("built for", caller, snap)}

    @hookimpl
    def detente_web_template_functions(self) -> Mapping[str, TemplateFunction]:
        return {"toy_shout": lambda app, language: lambda word: f"{word.upper()} ({language})"}

    @hookimpl
    def detente_web_routes(self) -> Sequence[APIRouter]:
        return (toy_router,)


class ClashingWeb:
    @hookimpl
    def detente_web_panels(self) -> Mapping[str, PanelBuilder]:
        return {"toy_panel": lambda app, caller, snap: None}


@pytest.fixture
def toy_web() -> Iterator[None]:
    plugins.register(ToyWeb(), name="toy_web")
    try:
        yield
    finally:
        plugins.unregister("toy_web")


def test_a_plugin_panel_is_built_by_key_and_an_unbuilt_key_is_empty(toy_web: None) -> None:
    app: Any = object()
    assert contributed.panel("toy_panel")(app, "caller", "snap") == ("built for", "caller", "snap")
    assert contributed.panel("nobody_builds_this")(app, "caller", "snap") is None


def test_the_builtin_domains_build_the_pages_domain_keys() -> None:
    keys = set(contributed.panels())
    assert {"exercise", "msel", "arriving", "handouts"} <= keys  # ttx
    assert {"ground", "ranking", "ballots", "roster"} <= keys  # deliberation


def test_template_functions_and_routes_come_from_the_plugins(toy_web: None) -> None:
    app: Any = object()
    functions = contributed.template_functions(app, "ru")
    assert functions["toy_shout"]("go") == "GO (ru)"
    assert {"action_label", "state_lines", "proposal_words"} <= set(functions)  # ttx's
    paths = {route.path for router in contributed.routers() for route in router.routes}
    assert {"/toy/page", "/facilitator/paper"} <= paths


def test_one_panel_key_from_two_plugins_is_an_error_naming_both(toy_web: None) -> None:
    plugins.register(ClashingWeb(), name="clashing_web")
    try:
        with pytest.raises(DuplicateError, match="toy_web and clashing_web"):
            contributed.panels()
    finally:
        plugins.unregister("clashing_web")
