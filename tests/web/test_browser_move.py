"""A whole move of the exercise in browsers, on a compressed clock (one scenario minute = one
second): scheduled injects arrive in order at their offsets, the facilitator pauses, extends the
deadline, writes an inject to one delegation and undoes it, and the Aldmark member's typing
survives all of it; the console fits one screen at 1400×900 and at 1920×1080.

Screenshots of every role at 1400×900 and 390×844, and of the console at 1920×1080, go to
test-artifacts/web/ (move-*.png).
Drives /usr/bin/chromium (never downloads a browser); skipped when it is missing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import CORVAN, SMALL_TTX
from tests.web.server import Server, start
from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, Console

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
]
WAIT = 30_000
TYPED = "Aldmark proposes a joint patrol"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = start(SMALL_TTX, tmp_path / "out", args=("--seed", "3", "--minute", "1"))
    yield running
    running.stop()


def _open(browser: Any, server: Server, person: str, language: str, width: int, height: int) -> Any:
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(f"{server.base}/join/{server.code(person)}")
    page.select_option("select[name=language]", language)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def _shots(pages: dict[str, Any], name: str) -> None:
    for who, page in pages.items():
        size = page.viewport_size
        for width, height in ((1400, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=str(ARTIFACTS / f"{name}-{who}-{width}.png"))
        page.set_viewport_size(size)


def test_a_move_on_the_clock(server: Server) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    console = Console(server)
    console.until("Open move 1")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            fac = _open(browser, server, CORVAN["facilitator"], "en", 1400, 900)
            ald = _open(browser, server, CORVAN["ALD"], "en", 1400, 900)
            brv = _open(browser, server, CORVAN["BRV"], "ru", 390, 844)
            projector = _open(browser, server, CORVAN["projector"], "en", 1400, 900)
            fac.click("article.decision button[data-test=go]")  # open move 1
            board = fac.locator("#panel-control")
            board.wait_for(timeout=WAIT)
            # the Aldmark member starts typing at once
            form = ald.locator("#panel-requests form.act:has(fieldset.options)")
            form.wait_for(timeout=WAIT)
            statement = form.locator("textarea[name=statement]")
            statement.click()
            statement.type(TYPED)
            # inject 1 (+0) at once, to everyone
            ald.locator('#panel-exercise li.inject[data-number="1"]').wait_for(timeout=WAIT)
            brv.locator('#panel-exercise li.inject[data-number="1"]').wait_for(timeout=WAIT)
            assert ald.locator('#panel-exercise li.inject[data-number="2"]').count() == 0
            # the facilitator pauses: nothing arrives while paused
            fac.click("#panel-control button[data-test=pause]")
            fac.locator("#panel-control [data-test=paused]").wait_for(timeout=WAIT)
            time.sleep(11)  # past +10 on a running clock
            assert ald.locator('#panel-exercise li.inject[data-number="2"]').count() == 0
            assert statement.input_value() == TYPED
            # the console fits one screen during the move, at 1400×900 and at 1920×1080
            for width, screen in ((1920, 1080), (1400, 900)):
                fac.set_viewport_size({"width": width, "height": screen})
                fac.wait_for_function(f"window.innerWidth === {width}")
                height = fac.evaluate("document.documentElement.scrollHeight")
                assert height <= screen, (width, height)
                for selector in ("#panel-control", "#panel-decisions", "#panel-requests"):
                    box = fac.locator(selector).bounding_box()
                    assert box is not None and box["y"] < screen, (width, selector, box)
                if width == 1920:
                    fac.screenshot(path=str(ARTIFACTS / "move-facilitator-1920.png"))
            _shots({"facilitator": fac, "ald": ald, "brv": brv, "projector": projector}, "move")
            fac.click("#panel-control button[data-test=resume]")
            # inject 2 (+10, Aldmark only) arrives after the resumption, never to Bravenia
            ald.locator('#panel-exercise li.inject[data-number="2"]').wait_for(timeout=WAIT)
            numbers = ald.locator("#panel-exercise li.inject").evaluate_all(
                "els => els.map(e => e.getAttribute('data-number'))"
            )
            assert numbers == ["2", "1"], numbers  # newest first: delivered in offset order
            assert brv.locator('#panel-exercise li.inject[data-number="2"]').count() == 0
            assert statement.input_value() == TYPED
            # the facilitator extends the deadline by 5 minutes
            before = fac.locator("[data-test=countdown]").get_attribute("data-until")
            fac.click("#panel-control button[data-test=extend]")
            fac.locator("#panel-control", has_text="extended by 5 minutes").wait_for(timeout=WAIT)
            after = fac.locator("[data-test=countdown]").get_attribute("data-until")
            assert after is not None and before is not None and after > before
            # an inject written on the spot to Bravenia only
            fac.click("#panel-control details summary")
            fac.fill("#panel-control input[name=title]", "Radio intercept")
            fac.fill("#panel-control textarea[name=text]", "A trawler captain asks for help.")
            fac.select_option("#panel-control select[name=to]", "BRV")
            fac.click("#panel-control button[data-test=send-inject]")
            brv.locator("#panel-exercise", has_text="Radio intercept").wait_for(timeout=WAIT)
            _shots({"brv": brv}, "move-written-inject")
            assert "Radio intercept" not in ald.locator("#panel-exercise").inner_text()
            assert statement.input_value() == TYPED
            # ... and undone: withdrawn from Bravenia's page
            fac.click("#panel-control button[data-test=undo]")
            brv.locator("#panel-exercise", has_text="Radio intercept").wait_for(
                state="detached", timeout=WAIT
            )
            deadline = time.monotonic() + 30
            while "Radio intercept" in brv.locator("#panel-exercise").inner_text():
                assert time.monotonic() < deadline, "the inject was not withdrawn"
                time.sleep(0.2)
            # the typing survived every act; the member submits the delegation's decision
            assert statement.input_value() == TYPED
            form.locator("fieldset.options input[type=checkbox]").first.check()
            form.locator("button[data-test=submit]").click()
            form.locator("button[data-test=confirm]").click()
            fac.locator("#panel-control [data-delegation=ALD]", has_text="answer").wait_for(
                timeout=WAIT
            )
            _shots({"facilitator": fac, "ald": ald, "projector": projector}, "move-decided")
        finally:
            browser.close()
