"""The ballots' panels: the facilitator sees members' marks live, everyone else only closed
ballots; measure titles in the reader's language."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from detente.deliberation import web_panels
from detente.text import Text


def _app(titles: dict[str, Any]) -> Any:
    return SimpleNamespace(controller=SimpleNamespace(measure_titles=titles), folder="folder")


def _caller(role: str) -> Any:
    viewer = SimpleNamespace(role=role)
    return SimpleNamespace(viewer=viewer, session=SimpleNamespace(language="en"))


def test_measure_titles_read_the_readers_language_else_english() -> None:
    app = _app({"m1": Text("Hotline", {"zh": "热线"}), "m2": "Plain"})
    assert web_panels.measure_titles(app, "zh-Hans") == {"m1": "热线", "m2": "Plain"}
    assert web_panels.measure_titles(app, "ru") == {"m1": "Hotline", "m2": "Plain"}


@pytest.mark.parametrize(("role", "live"), [("facilitator", True), ("delegate", False)])
def test_only_the_facilitator_sees_the_ballots_live(
    monkeypatch: pytest.MonkeyPatch, role: str, live: bool
) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setattr(web_panels, "seat_requests", lambda snap, viewer: ["open vote"])

    def common_ground(folder: Any, snap: Any, viewer: Any, requests: Any) -> str:
        seen["ground"] = requests
        return "ground"

    def ranking(folder: Any, snap: Any, viewer: Any, requests: Any, titles: Any) -> str:
        seen["ranking"] = requests
        return "ranking"

    monkeypatch.setattr(web_panels.web_views, "common_ground", common_ground)
    monkeypatch.setattr(web_panels.web_views, "ranking", ranking)
    app, caller = _app({}), _caller(role)
    assert web_panels.ground(app, caller, "snap") == "ground"
    assert web_panels.ranking(app, caller, "snap") == "ranking"
    expected = ["open vote"] if live else []
    assert seen == {"ground": expected, "ranking": expected}
