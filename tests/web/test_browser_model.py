"""The facilitator hands a seat to a language model in a real browser (Debian's chromium) and
sees the model answer: the served app's model is the scripted fake server of tests/models,
named by DETENTE_MODEL_URL. Screenshot in test-artifacts/web/. Skipped without chromium."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.models.fake_server import fake_server
from tests.web.conftest import PEOPLE
from tests.web.server import join, start
from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, WAIT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
]


def test_the_console_hands_a_seat_to_a_model_and_back(harbour: Path, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    pytest.importorskip("openai")
    with fake_server(["valid"]) as model:
        server = start(
            harbour,
            tmp_path / "out",
            env={"DETENTE_MODEL_URL": model.url, "DETENTE_MODEL": "fake"},
        )
        try:
            client, csrf = join(server, PEOPLE["facilitator"])
            for _ in range(3):  # start breakfast, end breakfast, start session 1 (over HTTP)
                for _ in range(100):
                    page = client.get("/facilitator/panel/decisions").text
                    if 'data-key="decision-' in page:
                        break
                    time.sleep(0.1)
                key = page.split('data-key="', 1)[1].split('"', 1)[0]
                posted = client.post(f"/facilitator/decisions/{key}", data={"csrf": csrf})
                assert posted.status_code == 200, posted.text
                time.sleep(0.3)
            with sync_api.sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
                page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
                page.goto(f"{server.base}/join/{server.code(PEOPLE['facilitator'])}")
                page.click("button[type=submit]")
                page.click('button[data-tab="people"]')  # the seats are under "People"
                row = page.locator('#panel-seats tr[data-delegation="KES"]')
                row.locator('button[data-holder="model"]').click()
                row.get_by_text("language model", exact=True).wait_for(timeout=WAIT)
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "model-seat-console.png"), full_page=True)
                page.click('button[data-tab="feed"]')
                feed = page.locator("#panel-feed")
                feed.get_by_text("A language model answered a request for KES.").first.wait_for(
                    timeout=WAIT
                )
                feed.get_by_text("The KES seat is now held by a language model.").wait_for()
                page.screenshot(path=str(ARTIFACTS / "model-seat-feed.png"), full_page=True)
                page.click('button[data-tab="people"]')
                row = page.locator('#panel-seats tr[data-delegation="KES"]')
                row.get_by_text("Give back to members").click()
                row.get_by_text("its members", exact=True).wait_for(timeout=WAIT)
                browser.close()
        finally:
            server.stop()
    assert model.requests  # the served app called the model
