"""The console's paper-entry page in Debian's chromium: the facilitator picks a sheet by its
code, marks a line, and a refusal (no ballot open yet) comes back located with the mark kept.
Screenshots go to test-artifacts/web/. Never downloads a browser (skipped without chromium)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from detente.meeting.loader import load_meeting
from detente.paper.codes import sheet_code
from tests.web.server import Server, start
from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, WAIT

pytestmark = pytest.mark.slow


@pytest.fixture
def server(harbour: Path, tmp_path: Path) -> Iterator[Server]:
    running = start(harbour, tmp_path / "out")
    yield running
    running.stop()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
def test_facilitator_picks_a_sheet_and_sees_a_located_refusal(
    server: Server, harbour: Path
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    code = sheet_code(load_meeting(harbour).meeting.meeting.id, "B", "session-2", "NRD-2")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.goto(f"{server.base}/join/{server.code('facilitator')}")
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.click("a[data-test=paper-link]")
            page.fill("form[data-test=choose-sheet] input[name=sheet]", code)
            page.click("form[data-test=choose-sheet] button[type=submit]")
            sheet = page.locator("article[data-test=sheet]")
            sheet.wait_for(timeout=WAIT)
            assert "Erik SAND" in sheet.inner_text()
            assert sheet.locator("[data-test=not-open]").is_visible()
            first = sheet.locator("tr[data-line] input[value=agree]").first
            first.check()
            page.screenshot(path=str(ARTIFACTS / "paper-sheet.png"), full_page=True)
            page.click("button[data-test=record-sheet]")
            errors = page.locator("[data-test=paper-errors]")
            errors.wait_for(timeout=WAIT)
            assert "no open ballot of NRD" in errors.inner_text()
            assert "Nothing was recorded" in errors.inner_text()
            assert page.locator("tr[data-line] input[value=agree]").first.is_checked()
            page.screenshot(path=str(ARTIFACTS / "paper-refusal.png"), full_page=True)
        finally:
            browser.close()
