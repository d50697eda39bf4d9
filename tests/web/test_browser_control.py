"""Typing is never lost and every refusal is shown where the person acted, in real browsers.

On the small exercise (corvan-2025: Aldmark and Bravenia, at most two actions a move), one
Aldmark member works in two browsers (a laptop and a phone: to the app, two colleagues of the
same delegation) while the facilitator acts over HTTP and in a browser:

- a colleague saves a draft, the facilitator touches the seats, a note is saved: the statement
  being typed stays, with its caret; the "colleague saved a newer draft" notice offers theirs;
- three actions ticked (the limit is two): the server's message, in Russian for a Russian page;
- the facilitator's override with a bad expression: the compiler's message in the console;
- two members submit at once: the one who lost is told, and their text is kept to copy;
- an expired deadline, and a revoked code: each told on the page where the person acted.

Drives /usr/bin/chromium (never downloads a browser); skipped when it is missing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import CORVAN, SMALL_TTX
from tests.web.server import Server, join, start
from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, Console

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
]
WAIT = 20_000
ALD = CORVAN["ALD"]
BRV = CORVAN["BRV"]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = start(SMALL_TTX, tmp_path / "out", args=("--seed", "3"))
    yield running
    running.stop()


def _open(browser: Any, server: Server, person: str, language: str = "en") -> Any:
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    page.goto(f"{server.base}/join/{server.code(person)}")
    page.select_option("select[name=language]", language)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def _decision_form(page: Any) -> Any:
    form = page.locator("#panel-requests form.act:has(fieldset.options)")
    form.wait_for(timeout=WAIT)
    return form


def _to_move_one(server: Server) -> Console:
    console = Console(server)
    console.until("Open move 1")
    found = console.open_decision()
    assert found is not None
    response = console.client.post(
        f"/facilitator/decisions/{found[0]}", data={"csrf": console.csrf, "note": ""}
    )
    assert response.status_code == 200
    return console


def _wait_refresh(page: Any, before: int) -> None:
    """Until the requests panel has been replaced since `before` (its swap counter)."""
    deadline = time.monotonic() + WAIT / 1000
    while page.evaluate("window.__swaps || 0") <= before:
        assert time.monotonic() < deadline, "the panel was never refreshed"
        time.sleep(0.05)


COUNT_SWAPS = (
    "window.__swaps = 0; document.addEventListener('htmx:afterSwap', function (e) {"
    " if (e.detail.target && e.detail.target.id === 'panel-requests') { window.__swaps++; } });"
)


def test_typing_survives_colleagues_and_the_facilitator(server: Server) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    console = _to_move_one(server)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            laptop = _open(browser, server, ALD)
            phone = _open(browser, server, ALD)
            laptop.evaluate(COUNT_SWAPS)
            mine = _decision_form(laptop)
            mine.locator("fieldset.options input[type=checkbox]").first.check()
            statement = mine.locator("textarea[name=statement]")
            statement.click()
            statement.type("We call the hotline now")
            # a colleague saves a draft: the laptop's panel is refreshed, the typing stays
            theirs = _decision_form(phone)
            theirs.locator("textarea[name=statement]").fill("Colleague's draft.")
            swaps = laptop.evaluate("window.__swaps")
            theirs.locator("button[data-test=draft]").click()
            _wait_refresh(laptop, swaps)
            assert statement.input_value() == "We call the hotline now"
            assert mine.locator("fieldset.options input[type=checkbox]").first.is_checked()
            assert laptop.evaluate("document.activeElement.name") == "statement"
            laptop.keyboard.type(", and keep typing.")  # the caret stayed at the end
            assert statement.input_value() == "We call the hotline now, and keep typing."
            notice = mine.locator("[data-test=moved-on]")
            assert notice.is_visible()
            laptop.screenshot(path=str(ARTIFACTS / "control-typing-kept.png"))
            # the facilitator touches the seats (a no-op) and a note is saved: typing stays
            swaps = laptop.evaluate("window.__swaps")
            response = console.client.post(
                "/facilitator/seats/ALD", data={"csrf": console.csrf, "holder": "people"}
            )
            assert response.status_code == 200
            _wait_refresh(laptop, swaps)
            phone.fill("#panel-notes textarea[name=text]", "a note from the phone")
            phone.click("#panel-notes button[type=submit]")
            laptop.locator("#panel-notes", has_text="a note from the phone").wait_for(timeout=WAIT)
            assert statement.input_value() == "We call the hotline now, and keep typing."
            # the person may take the colleague's version instead
            notice.locator("button[data-test=load-theirs]").click()
            assert statement.input_value() == "Colleague's draft."
        finally:
            browser.close()


def test_every_refusal_is_shown_where_the_person_acted(server: Server) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    console = _to_move_one(server)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            russian = _open(browser, server, ALD, "ru")
            form = _decision_form(russian)
            # too many actions: three ticked, at most two allowed; the message in Russian
            boxes = form.locator("fieldset.options input[type=checkbox]")
            assert boxes.count() >= 3
            for i in range(3):
                boxes.nth(i).check()
            form.locator("textarea[name=statement]").fill("Три действия.")
            form.locator("button[data-test=submit]").click()
            form.locator("button[data-test=confirm]").click()
            alert = russian.locator("#panel-requests [role=alert]")
            alert.wait_for(timeout=WAIT)
            assert "2" in alert.inner_text() and any(
                "а" <= c <= "я" for c in alert.inner_text().lower()
            ), alert.inner_text()
            form = _decision_form(russian)
            assert form.locator("textarea[name=statement]").input_value() == "Три действия."
            assert form.locator("fieldset.options input:checked").count() == 3
            russian.screenshot(path=str(ARTIFACTS / "control-refused-too-many-ru.png"))

            # two members submit at once: the second is told, their text kept to copy
            late = _open(browser, server, ALD)
            late.route("**/delegation/panel/**", lambda route: route.abort())  # a slow network
            late_form = _decision_form(late)
            late_form.locator("fieldset.options input[type=checkbox]").first.check()
            late_form.locator("textarea[name=statement]").fill("My own statement.")
            client, csrf = join(server, ALD)
            key = late.locator("#panel-requests article.request").get_attribute("data-key")
            first = client.post(
                f"/delegation/requests/{key}",
                data={"csrf": csrf, "statement": "The first submission."},
            )
            assert first.status_code == 200
            late_form.locator("button[data-test=submit]").click()
            late_form.locator("button[data-test=confirm]").click()
            late.locator("#panel-requests [data-test=refusal]").wait_for(timeout=WAIT)
            assert "already been answered" in late.locator("#panel-requests").inner_text()
            kept = late.locator("[data-test=kept-text] textarea")
            assert kept.input_value() == "My own statement."
            late.screenshot(path=str(ARTIFACTS / "control-refused-simultaneous.png"))

            # the facilitator's override with a bad expression: the compiler's message
            fac = _open(browser, server, CORVAN["facilitator"])
            response = console.client.post(  # Bravenia's seat decides by simulation
                "/facilitator/seats/BRV", data={"csrf": console.csrf, "holder": "simulated"}
            )
            assert response.status_code == 200
            decision = console.adjudication_in(fac)
            decision.locator("input[value=override]").check()
            decision.locator("textarea[name=effects]").fill("tension -= banana +")
            decision.locator("input[name=rationale]").fill("A ruling with a typo.")
            decision.locator("button[data-test=go]").click()
            fac.locator("#panel-decisions [role=alert]").wait_for(timeout=WAIT)
            assert decision.locator("textarea[name=effects]").input_value() == (
                "tension -= banana +"
            )
            fac.screenshot(path=str(ARTIFACTS / "control-refused-override.png"))

            # a revoked code: the next act says the session ended, with a way back in
            revoked = _open(browser, server, BRV, "ru")
            revoked.route("**/events*", lambda route: route.abort())  # would leave at once
            revoked.reload()
            response = console.client.post(
                f"/facilitator/people/{BRV}/revoke", data={"csrf": console.csrf}
            )
            assert response.status_code == 200, response.text
            revoked.fill("#panel-notes textarea[name=text]", "Заметка.")
            revoked.click("#panel-notes button[type=submit]")
            refusal = revoked.locator("#panel-notes [data-refusal]")
            refusal.wait_for(timeout=WAIT)
            assert "отозван" in refusal.inner_text()
            assert refusal.locator("a[href='/join']").count() == 1
            revoked.screenshot(path=str(ARTIFACTS / "control-refused-revoked-ru.png"))
        finally:
            browser.close()


def test_a_refusal_outlives_live_refreshes(server: Server) -> None:
    """A refusal stays on the page through the panel's next live refresh, and a refresh
    triggered while the person's act is in flight neither aborts that act nor hides its answer
    (under hx-sync="this:replace" the refresh used to abort it: the refusal never came)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    console = _to_move_one(server)

    def touch_seats() -> None:  # a no-op seat change: every delegation page refreshes
        response = console.client.post(
            "/facilitator/seats/ALD", data={"csrf": console.csrf, "holder": "people"}
        )
        assert response.status_code == 200

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = _open(browser, server, ALD)
            page.evaluate(COUNT_SWAPS)
            form = _decision_form(page)
            boxes = form.locator("fieldset.options input[type=checkbox]")
            for i in range(3):  # one more than the two allowed
                boxes.nth(i).check()
            held: list[Any] = []
            page.route("**/delegation/requests/*", lambda route: held.append(route))
            form.locator("button[data-test=submit]").click()
            form.locator("button[data-test=confirm]").click()
            deadline = time.monotonic() + WAIT / 1000
            while not held:  # the act is on its way to the server
                assert time.monotonic() < deadline, "the act was never sent"
                page.wait_for_timeout(50)
            touch_seats()
            page.wait_for_timeout(1500)  # the stream's event reaches the page meanwhile
            try:
                held[0].continue_()
            except sync_api.Error as exc:  # the browser gave the act up
                raise AssertionError(f"a live refresh aborted the act in flight: {exc}") from exc
            page.unroute("**/delegation/requests/*")
            alert = page.locator("#panel-requests [role=alert]")
            alert.wait_for(timeout=WAIT)
            said = alert.inner_text()
            # the next live refresh of the panel keeps the refusal where it was
            page.mouse.move(0, 0)
            page.wait_for_timeout(1500)  # the person no longer touches the panel
            swaps = page.evaluate("window.__swaps")
            touch_seats()
            _wait_refresh(page, swaps)
            assert alert.inner_text() == said
            assert form.locator("fieldset.options input:checked").count() == 3
        finally:
            browser.close()


def test_a_panel_behind_the_stream_is_refreshed_again(server: Server) -> None:
    """A panel swapped in listens to the stream only once HTMX settles it; an event arriving
    in between would leave it stale. A panel rendered at a log position older than the newest
    event it listens to is refreshed again when it is loaded; one that is current is not."""
    sync_api = pytest.importorskip("playwright.sync_api")
    console = _to_move_one(server)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = _open(browser, server, ALD)
            page.evaluate(COUNT_SWAPS)
            _decision_form(page)
            swaps = page.evaluate("window.__swaps")
            response = console.client.post(  # an event the requests panel listens to
                "/facilitator/seats/ALD", data={"csrf": console.csrf, "holder": "people"}
            )
            assert response.status_code == 200
            _wait_refresh(page, swaps)
            page.wait_for_timeout(500)  # settled
            current = page.evaluate("window.__swaps")
            load = "htmx.trigger(document.getElementById('panel-requests'), 'htmx:load');"
            page.evaluate(load)  # loaded at its own, current position: nothing to do
            page.wait_for_timeout(1500)
            assert page.evaluate("window.__swaps") == current
            page.evaluate(  # as if rendered before that event and loaded after it
                "document.getElementById('panel-requests').setAttribute('data-seq', '1');" + load
            )
            _wait_refresh(page, current)
            seq = page.locator("#panel-requests").get_attribute("data-seq")
            assert seq is not None and int(seq) > 1
        finally:
            browser.close()


def test_an_expired_deadline_is_shown(tmp_path: Path) -> None:
    """The exercise's decision closes two thirds into the move: with the clock compressed
    (`--minute 0.5`: a 45-minute move lasts 22 s) the runner closes it while the page, on a
    slow network, still shows the form; the submission is refused with the reason."""
    sync_api = pytest.importorskip("playwright.sync_api")
    server = start(SMALL_TTX, tmp_path / "out", args=("--seed", "3", "--minute", "0.5"))
    try:
        console = _to_move_one(server)
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
            try:
                page = _open(browser, server, ALD)
                page.route("**/delegation/panel/**", lambda route: route.abort())
                form = _decision_form(page)
                form.locator("textarea[name=statement]").fill("Too late.")
                key = page.locator("#panel-requests article.request").get_attribute("data-key")
                deadline = time.monotonic() + 60
                while "missed" not in console.client.get("/facilitator/panel/feed").text.lower():
                    assert time.monotonic() < deadline, f"{key} never closed"
                    time.sleep(0.2)
                form.locator("button[data-test=submit]").click()
                form.locator("button[data-test=confirm]").click()
                page.locator("#panel-requests [data-test=refusal]").wait_for(timeout=WAIT)
                assert "deadline" in page.locator("#panel-requests").inner_text()
            finally:
                browser.close()
    finally:
        server.stop()
