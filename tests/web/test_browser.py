"""Browsers in the room: a facilitator, three delegations and the projector, Debian's chromium.

On the korea-2024 example (three delegations, the only example with every activity), the
facilitator's clicks are driven over HTTP where nothing is to be seen (simulated seats play the
items in between); the browsers play, end to end and updated by server-sent events only:

- a discussion vote: the facilitator opens voting, one member of each delegation votes in their
  browser, the facilitator watches the live chart and closes voting, the projector shows it;
- one move of the tabletop exercise: the facilitator opens the move, each delegation decides in
  its browser, the facilitator takes the adjudication, every page shows the narrative and the
  projector the escalation meter;
- a rating of measures, closed by the facilitator, with the ranking on the console.

The Chinese delegation works in Chinese throughout (the Chinese pass), the Russian one in Russian.
Screenshots go to test-artifacts/web/. Never downloads a browser: it drives /usr/bin/chromium and
is skipped when that is missing.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from detente.store.log import EventStore
from tests.web.server import Server, join, start

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
DELEGATES = {
    "USA": ("joseph-yun", "en"),
    "CHN": ("li-nan", "zh-Hans"),
    "RUS": ("maria-osetrova", "ru"),
}
WAIT = 30_000


@pytest.fixture
def server(korea: Path, tmp_path: Path) -> Iterator[Server]:
    running = start(
        korea,
        tmp_path / "out",
        args=("--seed", "2", "--simulate", "USA", "--simulate", "CHN", "--simulate", "RUS"),
        env={"DETENTE_ROADMAP_RUNS": "0"},
    )
    yield running
    running.stop()


class Console:
    """The facilitator's clicks over HTTP, for the stretches no browser needs to see."""

    def __init__(self, server: Server) -> None:
        self.client, self.csrf = join(server, "facilitator")

    def open_decision(self) -> tuple[str, str] | None:
        page = self.client.get("/facilitator/panel/decisions").text
        found = re.search(r'data-key="(decision-\d+)">\s*<h3>([^<]*)</h3>', page)
        return (found.group(1), found.group(2)) if found else None

    def until(self, title: str, timeout: float = 120) -> None:
        """Take every decision with its default until one whose title starts with `title`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.open_decision()
            if found is None:
                time.sleep(0.05)
                continue
            key, shown = found
            if shown.startswith(title):
                return
            fields = {"csrf": self.csrf, "note": "", "do": "open"}
            fields["ruling"] = "accept" if shown.startswith("Adjudication") else "release"
            response = self.client.post(f"/facilitator/decisions/{key}", data=fields)
            assert response.status_code == 200, (shown, response.text)
        raise AssertionError(f"no decision {title!r} within {timeout} s")

    def wait_for(self, panel: str, text: str, timeout: float = 60) -> None:
        """Until the console's `panel` shows `text`; fails with the console's feed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.client.get(f"/facilitator/panel/{panel}").text:
                return
            time.sleep(0.1)
        feed = self.client.get("/facilitator/panel/feed").text
        raise AssertionError(f"{text!r} never appeared in {panel}; the feed: {feed[:3000]}")

    def adjudication_in(self, page: Any, timeout: float = 60) -> Any:
        """Release, in the facilitator's `page`, every contingency inject asked until the
        adjudication is; its article. Each decision is found by its key (over HTTP), never by
        its place on a page a live refresh may be changing."""
        deadline = time.monotonic() + timeout
        title = ""
        while time.monotonic() < deadline:
            found = self.open_decision()
            if found is not None:
                key, title = found
                article = page.locator(f'article.decision[data-key="{key}"]')
                if title.startswith("Adjudication"):
                    article.wait_for(timeout=WAIT)
                    return article
                if title.startswith("Contingency"):
                    article.locator("button[data-test=go]").click()
                    article.wait_for(state="detached", timeout=WAIT)
                    continue
            time.sleep(0.2)
        feed = self.client.get("/facilitator/panel/feed").text
        raise AssertionError(f"no adjudication within {timeout} s (last: {title!r}): {feed[:3000]}")

    def seats(self, holder: str) -> None:
        for delegation in DELEGATES:
            response = self.client.post(
                f"/facilitator/seats/{delegation}", data={"csrf": self.csrf, "holder": holder}
            )
            assert response.status_code == 200


def _shot(pages: dict[str, Any], name: str) -> None:
    for who, page in pages.items():
        page.screenshot(path=str(ARTIFACTS / f"{name}-{who.lower()}.png"), full_page=True)


def _request(page: Any, has: str) -> Any:
    """The first open request of `page` whose form holds `has`, by its key: a live refresh
    replaces the panel's elements, never a request's key."""
    found = page.locator(f"#panel-requests article.request:has({has})").first
    found.wait_for(timeout=WAIT)
    key = found.get_attribute("data-key")
    return page.locator(f'#panel-requests article.request[data-key="{key}"]')


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
def test_a_vote_a_move_and_a_rating_in_browsers(server: Server) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    console = Console(server)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            pages = {}
            people = [("facilitator", "facilitator", "en"), ("projector", "@projector", "en")]
            people += [(d, person, lang) for d, (person, lang) in DELEGATES.items()]
            for name, person, language in people:
                page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
                page.goto(f"{server.base}/join/{server.code(person)}")
                page.select_option("select[name=language]", language)
                page.click("button[type=submit]")
                page.wait_for_load_state("networkidle")
                pages[name] = page
            fac, chn = pages["facilitator"], pages["CHN"]
            assert "实时动态" in chn.content() and "Лента событий" in pages["RUS"].content()

            # --- a vote (session 2): members vote in their browsers -------------------------
            console.until("Start: Discussion on Geopolitical")
            console.seats("people")
            console.until("Statements for the vote")
            fac.locator("article.decision button[data-test=open-voting]").click()
            for d in DELEGATES:
                page = pages[d]
                vote = _request(page, "fieldset.vote")
                vote.locator("input[value=agree]").first.check()
                vote.locator("button[data-test=save-ballot]").click()
            for d in DELEGATES:  # every vote saved before the facilitator closes
                pages[d].locator('form.ballot[data-changes="1"]').wait_for(timeout=WAIT)
            assert "已保存 1 次" in chn.locator("#panel-requests").inner_text()
            fac.click("button[data-tab=ground]")  # the console's tab with the live chart
            fac.locator("#panel-ground [data-test=common-ground]").wait_for(timeout=WAIT)
            _shot({"facilitator": fac}, "vote-live")
            assert pages["projector"].locator("[data-test=common-ground]").count() == 0
            fac.click("#panel-ground button[data-test=close-voting]")
            pages["projector"].locator("[data-test=common-ground]").wait_for(timeout=WAIT)
            chn.locator("#panel-ground [data-test=common-ground]").wait_for(timeout=WAIT)
            _shot(pages, "vote")

            # --- one move of the exercise (session 4) --------------------------------------
            fac.click("button[data-tab=exercise]")
            console.seats("simulated")
            console.until("Open move 1")
            console.seats("people")
            fac.locator("article.decision h3", has_text="Open move 1").wait_for(timeout=WAIT)
            fac.click("article.decision button[data-test=go]")
            forms = {}
            for d in DELEGATES:
                page = pages[d]
                page.locator("#panel-exercise [data-test=brief]").wait_for(timeout=WAIT)
                # the decision form, not a closed vote's panel that may still be on the page
                form = _request(page, "fieldset.options")
                forms[d] = form
                form.locator("fieldset.options input[type=checkbox]").first.check()
                form.locator("textarea[name=statement]").fill(f"Statement of {d}.")
            chn.locator("#panel-exercise", has_text="第 1 回合").wait_for(timeout=WAIT)
            _shot({"CHN": chn}, "move-deciding")
            for d in DELEGATES:
                forms[d].locator("button[data-test=submit]").click()
                forms[d].locator("button[data-test=confirm]").click()  # one member commits
            fac.locator(
                "#panel-exercise [data-test=arriving]", has_text="Statement of RUS."
            ).wait_for(timeout=WAIT)
            _shot({"facilitator": fac}, "move-arriving")
            adjudication = console.adjudication_in(fac)
            assert "Adjudication of move 1" in adjudication.inner_text()
            adjudication.locator("button[data-test=go]").click()  # take the engine's proposal
            for d in DELEGATES:
                pages[d].locator("[data-test=narrative]").wait_for(timeout=WAIT)
            pages["projector"].locator("[data-test=meter]").wait_for(timeout=WAIT)
            _shot(pages, "move")

            # --- a rating (session 6) -------------------------------------------------------
            console.seats("simulated")
            console.until("Start: Roadmap")
            console.seats("people")
            key, _title = console.open_decision() or ("", "")
            response = console.client.post(
                f"/facilitator/decisions/{key}", data={"csrf": console.csrf, "note": ""}
            )
            assert response.status_code == 200
            console.wait_for("requests", "Rate ")  # every delegation was asked to rate
            for d in DELEGATES:
                page = pages[d]
                rating = _request(page, "fieldset.rating")
                rating.locator("select[name^=support-]").first.select_option("2")
                rating.locator("select[name^=feasibility-]").first.select_option("4")
                rating.locator("select[name^=horizon-]").first.select_option("immediate")
                rating.locator("button[data-test=save-ballot]").click()
            for d in DELEGATES:
                pages[d].locator('form.ballot[data-changes="1"]').wait_for(timeout=WAIT)
            fac.click("button[data-tab=ground]")
            fac.locator("#panel-ground [data-test=ranking]").wait_for(timeout=WAIT)
            fac.click("#panel-ground button[data-test=close-rating]")
            pages["USA"].locator("#panel-ground [data-test=ranking]").wait_for(timeout=WAIT)
            _shot(pages, "rating")
        finally:
            browser.close()
    store = EventStore(f"sqlite:///{server.out / 'detente.db'}")
    records = store.read("korea-2024")
    store.close()
    positions = {"USA-3", "CHN-1", "RUS-1"}  # the browsers' people, by roster order
    votes = {
        r.payload["participant"]
        for r in records
        if r.kind == "vote_cast" and r.payload["item_id"] == "session-2"
    }
    assert votes == positions  # only the members who voted, under their seat positions
    decided = {
        r.payload["delegation"]: r.payload["statement"]
        for r in records
        if r.kind == "ttx_decision" and r.payload["move"] == 1
    }
    assert decided == {d: f"Statement of {d}." for d in DELEGATES}
    rated = {
        (r.payload["participant"], r.payload["support"], r.payload["feasibility"])
        for r in records
        if r.kind == "rating_submitted"
    }
    assert rated == {(p, 2, 4) for p in positions}
