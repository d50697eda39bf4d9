"""The exercise's panels and template functions: the decision board is the facilitator's, and an
action's label falls back to the request's own when there is no scenario pack."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from detente.ttx import web_panels


def _app(pack: Any = None) -> Any:
    return SimpleNamespace(controller=SimpleNamespace(pack=pack))


def _caller(role: str) -> Any:
    viewer = SimpleNamespace(role=role)
    return SimpleNamespace(viewer=viewer, session=SimpleNamespace(language="en"))


def test_the_decision_board_is_empty_for_anyone_but_the_facilitator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def asked(*args: Any) -> Any:
        raise AssertionError("a delegate's board must not be built")

    monkeypatch.setattr(web_panels, "seat_requests", asked)
    assert web_panels.arriving(_app(), _caller("delegate"), "snap") == []
    assert web_panels.arriving(_app(), _caller("observer"), "snap") == []


def test_an_action_label_without_a_pack_is_the_requests_own() -> None:
    label = web_panels.action_label(_app(None), "zh-Hans")
    assert label("a-hotline", "Open the hotline") == "Open the hotline"
