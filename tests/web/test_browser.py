"""Browsers in the room: a facilitator and three delegations, Debian's chromium via Playwright.

The facilitator starts items; the three delegation pages follow by server-sent events (no
reload); the KES delegation answers its presentation request in Chinese; the others see the
presentation arrive in their live feed. Screenshots go to test-artifacts/web/.

Never downloads a browser: it drives /usr/bin/chromium and is skipped when that is missing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.server import Server, start

pytestmark = pytest.mark.slow
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def server(harbour: Path, tmp_path: Path) -> Iterator[Server]:
    running = start(harbour, tmp_path / "out", args=("--seed", "2"))
    yield running
    running.stop()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
def test_facilitator_and_three_delegations_in_browsers(server: Server) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            pages = {}
            for name, person, language in (
                ("facilitator", "facilitator", "en"),
                ("KES", "marta-kowal", "zh-Hans"),
                ("LOV", "jonas-brandt", "ru"),
                ("NRD", "ada-lind", "en"),
            ):
                page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
                page.goto(f"{server.base}/join/{server.code(person)}")
                page.select_option("select[name=language]", language)
                page.click("button[type=submit]")
                page.wait_for_load_state("networkidle")
                pages[name] = page
            assert "实时动态" in pages["KES"].content()  # the Chinese pass
            assert "Лента событий" in pages["LOV"].content()
            fac = pages["facilitator"]
            for title in ("Start: Breakfast", "End: Breakfast", "Start: Harbour Safety"):
                fac.locator("article.decision h3", has_text=title).wait_for(timeout=10_000)
                fac.click("article.decision button[data-test=go]")
            # the delegation pages follow by SSE, without a reload
            for name in ("KES", "LOV", "NRD"):
                pages[name].locator(
                    "[data-test=current-item] strong", has_text="Harbour Safety Practice"
                ).wait_for(timeout=10_000)
            kes = pages["KES"]
            kes.locator('article.request[data-key="KES-1"]').wait_for(timeout=10_000)
            assert "发言" in kes.locator('article.request[data-key="KES-1"] h3').inner_text()
            kes.fill("input[name=topic-0]", "引航")
            kes.fill("input[name=statement-0]", "共同的警报等级。")
            kes.fill("input[name=source-0]", "港口规则")
            kes.screenshot(path=str(ARTIFACTS / "delegation-kes-zh.png"), full_page=True)
            kes.click('article.request[data-key="KES-1"] button[type=submit]:not(.secondary)')
            for name in ("LOV", "NRD"):
                pages[name].locator("#feed li", has_text="共同的警报等级。").wait_for(
                    timeout=10_000
                )
            pages["LOV"].locator('article.request[data-key="LOV-1"]').wait_for(timeout=10_000)
            assert pages["NRD"].locator('article.request[data-key="LOV-1"]').count() == 0
            fac.locator("#panel-requests", has_text="LOV").wait_for(timeout=10_000)
            for name, page in pages.items():
                page.screenshot(path=str(ARTIFACTS / f"{name.lower()}.png"), full_page=True)
        finally:
            browser.close()
    assert shutil.which("chromium") or CHROMIUM.exists()
