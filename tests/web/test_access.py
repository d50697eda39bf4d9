"""Every route × every role: who may read what, who may change anything, CSRF, revocation."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from detente.meeting.events import FacilitatorNote
from detente.store.log import Draft
from detente.store.visibility import FACILITATOR
from tests.web.conftest import PEOPLE, Served

GETS = {
    "/facilitator": {"facilitator"},
    "/facilitator/panel/programme": {"facilitator"},
    "/facilitator/panel/decisions": {"facilitator"},
    "/facilitator/panel/requests": {"facilitator"},
    "/facilitator/panel/seats": {"facilitator"},
    "/facilitator/panel/people": {"facilitator"},
    "/facilitator/panel/notes": {"facilitator"},
    "/facilitator/panel/feed": {"facilitator"},
    "/facilitator/panel/exercise": {"facilitator"},
    "/facilitator/panel/ground": {"facilitator"},
    "/delegation": {"delegate"},
    "/delegation/panel/programme": {"delegate"},
    "/delegation/panel/requests": {"delegate"},
    "/delegation/panel/notes": {"delegate"},
    "/delegation/panel/feed": {"delegate"},
    "/delegation/panel/exercise": {"delegate"},
    "/delegation/panel/ground": {"delegate"},
    "/observer": {"observer"},
    "/observer/panel/programme": {"observer"},
    "/observer/panel/feed": {"observer"},
    "/observer/panel/exercise": {"observer"},
    "/observer/panel/ground": {"observer"},
    "/projector": {"projector"},
    "/projector/panel/screen": {"projector"},
    "/events?after=0&once=1": {"facilitator", "delegate", "observer", "projector"},
}
POSTS = {
    "/facilitator/decisions/decision-1": {"facilitator"},
    "/facilitator/requests/NRD-1/close": {"facilitator"},
    "/facilitator/seats/NRD": {"facilitator"},
    "/facilitator/people/observer-1/revoke": {"facilitator"},
    "/facilitator/notes": {"facilitator"},
    "/facilitator/announce": {"facilitator"},
    "/facilitator/ballots/session-2/close": {"facilitator"},
    "/delegation/requests/NRD-1": {"delegate"},
    "/delegation/requests/NRD-1/draft": {"delegate"},
    "/delegation/notes": {"delegate"},
    "/delegation/ballots/NRD-1": {"delegate"},
    "/language": {"facilitator", "delegate", "observer", "projector"},
    "/logout": {"facilitator", "delegate", "observer", "projector"},
}
ROLE_OF = {
    "facilitator": "facilitator",
    "NRD": "delegate",
    "observer": "observer",
    "projector": "projector",
}


@pytest.mark.parametrize("who", list(ROLE_OF))
def test_every_get_route_admits_exactly_its_roles(served: Served, who: str) -> None:
    person = served.join(PEOPLE[who])
    for path, roles in GETS.items():
        response = person.client.get(path, follow_redirects=False)
        expected = 200 if ROLE_OF[who] in roles else 403
        assert response.status_code == expected, (who, path, response.status_code)


def test_anonymous_gets_are_sent_to_join_and_posts_refused(served: Served) -> None:
    client = served.client()
    for path in GETS:
        response = client.get(path, follow_redirects=False)
        if path.startswith("/events"):
            assert response.status_code == 401
        else:
            assert response.status_code == 303 and response.headers["location"] == "/join"
    for path in POSTS:
        assert client.post(path, data={"csrf": "x"}).status_code == 401, path


@pytest.mark.parametrize("who", list(ROLE_OF))
def test_posts_outside_the_role_are_forbidden_and_change_nothing(served: Served, who: str) -> None:
    person = served.join(PEOPLE[who])
    served.idle()
    before = served.live.controller.log.seq
    for path, roles in POSTS.items():
        if ROLE_OF[who] in roles:
            continue
        response = person.post(path, {"text": "x", "holder": "simulated", "note": ""})
        assert response.status_code == 403, (who, path)  # type: ignore[attr-defined]
    assert served.live.controller.log.seq == before


@pytest.mark.parametrize("who", list(ROLE_OF))
def test_every_post_without_csrf_token_is_refused(served: Served, who: str) -> None:
    person = served.join(PEOPLE[who])
    served.idle()
    before = served.live.controller.log.seq
    for path, roles in POSTS.items():
        if ROLE_OF[who] not in roles:
            continue
        missing = person.client.post(path, data={"text": "x", "language": "ru"})
        wrong = person.client.post(path, data={"text": "x", "csrf": "forged"})
        assert missing.status_code == 403, path
        assert wrong.status_code == 403, path
    assert served.live.controller.log.seq == before


def test_join_needs_the_join_form_token(served: Served) -> None:
    client = served.client()
    code = served.live.gate.code("ada-lind", {})
    assert client.post("/join", data={"code": code}).status_code == 403


def test_a_wrong_code_is_refused_and_attempts_are_rate_limited(served: Served) -> None:
    client = served.client()
    page = client.get("/join").text

    def attempt(code: str) -> int:
        nonlocal page
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token is not None
        response = client.post(
            "/join", data={"code": code, "csrf": token.group(1)}, follow_redirects=False
        )
        page = response.text
        return response.status_code

    statuses = [attempt("2222-2222-2222-2222") for _ in range(12)]
    assert statuses[:10] == [403] * 10
    assert statuses[10:] == [429, 429]
    assert "Too many attempts" in page
    # a valid code still joins from the same address: typos never lock the room out
    assert attempt(served.live.gate.code("ada-lind", {})) == 303


def test_a_revoked_code_and_its_sessions_are_refused(served: Served) -> None:
    facilitator = served.join(PEOPLE["facilitator"])
    delegate = served.join(PEOPLE["KES"])
    old_code = served.live.gate.code(PEOPLE["KES"], {})
    response = facilitator.post(f"/facilitator/people/{PEOPLE['KES']}/revoke")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert any(e.record.kind == "code_revoked" for e in served.live.controller.log.entries)
    assert delegate.client.get("/delegation", follow_redirects=False).status_code == 303
    assert delegate.post("/delegation/notes", {"text": "x"}).status_code == 401  # type: ignore[attr-defined]
    events = delegate.client.get("/events?after=0&once=1")
    assert events.status_code == 401
    client = served.client()
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/join").text)
    assert token is not None
    refused = client.post("/join", data={"code": old_code, "csrf": token.group(1)})
    assert refused.status_code == 403
    new_code = served.live.gate.code(PEOPLE["KES"], served.live.generations)
    assert new_code != old_code
    assert new_code in facilitator.client.get("/facilitator/panel/people").text
    served.join(PEOPLE["KES"])  # the new code works


def test_cookies_are_httponly_and_samesite_strict(served: Served) -> None:
    client = served.client()
    code = served.live.gate.code("ada-lind", {})
    page = client.get(f"/join/{code}")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token is not None
    response = client.post(
        "/join", data={"code": code, "csrf": token.group(1)}, follow_redirects=False
    )
    cookie = [
        v for k, v in response.headers.multi_items() if k == "set-cookie" and "detente_harbour" in v
    ]
    assert (
        cookie
        and "HttpOnly" in cookie[0]
        and "SameSite=strict" in cookie[0].replace("Strict", "strict")
    )
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    stream = client.get("/events?after=0&once=1")  # streamed responses get them too
    assert stream.headers["x-frame-options"] == "DENY"
    assert stream.headers["cache-control"] == "no-store"
    assert "cache-control" not in client.get("/static/app.css").headers


def test_a_forged_cookie_is_not_a_session(served: Served) -> None:
    client = served.client()
    client.cookies.set(served.live.gate.cookie, '{"p":"facilitator"}')
    assert client.get("/facilitator", follow_redirects=False).status_code == 303


SECRET_FAC = "FACILITATION-ROW-ONLY-FOR-CONTROL"


def test_facilitator_only_records_never_reach_anyone_else(served: Served) -> None:
    """A facilitator-only record (as the exercise's facilitation MSEL rows are) appears on the
    facilitator's screens and on no screen, panel or event stream of any other role."""
    controller = served.live.controller
    served.idle()
    controller.log.append(
        Draft(
            dt.datetime.now(dt.UTC),
            "system",
            FacilitatorNote.kind,
            FACILITATOR,
            FacilitatorNote(text=SECRET_FAC).payload(),
        )
    )
    facilitator = served.join(PEOPLE["facilitator"])
    assert SECRET_FAC in facilitator.client.get("/facilitator").text
    assert SECRET_FAC in facilitator.client.get("/events?after=0&once=1").text
    for who in ("NRD", "KES", "observer", "projector"):
        person = served.join(PEOPLE[who])
        for path, roles in GETS.items():
            if ROLE_OF.get(who, "delegate") in roles:
                text = person.client.get(path).text
                assert SECRET_FAC not in text, (who, path)
