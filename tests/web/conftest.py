"""Fixtures for the live app: a served meeting and signed-in clients for every role."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from fastapi import FastAPI

from detente.web.app import create_app
from detente.web.common import LiveApp

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
HEADER_CSRF = re.compile(r'"X-CSRF-Token": "([^"]+)"')
# harbour-2025 people by role
PEOPLE = {
    "facilitator": "facilitator",
    "NRD": "ada-lind",
    "NRD2": "erik-sand",
    "KES": "marta-kowal",
    "LOV": "jonas-brandt",
    "observer": "observer-1",
    "projector": "@projector",
}


@dataclass
class Person:
    client: TestClient
    csrf: str
    person: str

    def post(self, path: str, data: dict[str, str] | None = None, **kw: object) -> object:
        fields = {"csrf": self.csrf, **(data or {})}
        return self.client.post(path, data=fields, headers={"hx-request": "true"}, **kw)


@dataclass
class Served:
    app: FastAPI
    live: LiveApp
    main: TestClient

    def client(self) -> TestClient:
        return TestClient(self.app, base_url="http://testserver")

    def join(self, person: str, language: str = "en") -> Person:
        client = self.client()
        code = self.live.gate.code(person, self.live.generations)
        page = client.get(f"/join/{code}")
        token = CSRF.search(page.text)
        assert token is not None
        response = client.post(
            "/join",
            data={"code": code, "csrf": token.group(1), "language": language},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        home = client.get(response.headers["location"])
        assert home.status_code == 200, home.text
        # a form's token, or the page's HTMX header (the projector has no form)
        csrf = CSRF.search(home.text) or HEADER_CSRF.search(home.text)
        assert csrf is not None
        return Person(client, csrf.group(1), person)

    def idle(self) -> None:
        assert self.live.controller.wait_idle(10), self.live.controller.status

    def decide_open(self, facilitator: Person) -> None:
        """Click "Go" on the facilitator's open decision."""
        self.idle()
        page = facilitator.client.get("/facilitator/panel/decisions").text
        key = re.search(r'data-key="(decision-\d+)"', page)
        assert key is not None, page
        response = facilitator.post(f"/facilitator/decisions/{key.group(1)}", {"note": ""})
        assert response.status_code == 200  # type: ignore[attr-defined]
        self.idle()


def serve(folder: Path, out: Path, **kw: object) -> Iterator[Served]:
    app = create_app(folder, out, **kw)  # type: ignore[arg-type]
    with TestClient(app) as main:
        live = app.state.live
        assert isinstance(live, LiveApp)
        yield Served(app, live, main)


@pytest.fixture
def served(harbour: Path, tmp_path: Path) -> Iterator[Served]:
    yield from serve(harbour, tmp_path / "out")


SMALL_TTX = Path(__file__).resolve().parents[1] / "fixtures" / "ttx-small"
# ttx-small (corvan-2025) people by role
CORVAN = {
    "facilitator": "facilitator",
    "ALD": "ines-morel",
    "BRV": "pavel-ostrov",
    "projector": "@projector",
}


def open_decision(served: Served, facilitator: Person) -> tuple[str, str]:
    """The key and the panel HTML of the facilitator's one open decision."""
    served.idle()
    page = facilitator.client.get("/facilitator/panel/decisions").text
    key = re.search(r'data-key="(decision-\d+)"', page)
    assert key is not None, page
    return key.group(1), page


def decide(served: Served, facilitator: Person, fields: dict[str, str], expect: str = "") -> None:
    """Take the open decision (whose panel shows `expect`) with these fields."""
    key, page = open_decision(served, facilitator)
    assert expect in page, (expect, page)
    response = facilitator.post(f"/facilitator/decisions/{key}", fields)
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    served.idle()


@pytest.fixture
def exercise(tmp_path: Path) -> Iterator[Served]:
    yield from serve(SMALL_TTX, tmp_path / "out", seed=3)
