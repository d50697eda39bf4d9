"""Joining and leaving: a join code exchanged for a session cookie; language choice."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from detente.access import normalize_code
from detente.meeting.events import SessionEnded
from detente.store.visibility import FACILITATOR
from detente.web import acts
from detente.web.auth import SESSION_DAYS, same_token, session_hash
from detente.web.common import HOME, check_csrf, form_data, live, render, require, who
from detente.web.i18n import LANGUAGES, from_accept_language, language_for

router = APIRouter()
JOIN_CSRF = "detente_join_csrf"
ROLES = ("facilitator", "delegate", "observer", "projector")


def _cookie(response: Response, request: Request, name: str, value: str, age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=age,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def _join_page(request: Request, code: str = "", error: str = "", status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    language = from_accept_language(request.headers.get("accept-language"))
    response = render(
        request,
        "join.html",
        None,
        status=status,
        language=language,
        code=code,
        error=error,
        join_csrf=token,
    )
    _cookie(response, request, JOIN_CSRF, token, 3600)
    return response


@router.get("/")
def home(request: Request) -> Response:
    caller = who(request)
    if caller is None:
        return RedirectResponse("/join", 303)
    return RedirectResponse(HOME[caller.identity.role], 303)


@router.get("/join")
def join_form(request: Request) -> Response:
    return _join_page(request)


@router.get("/join/{code}")
def join_link(request: Request, code: str) -> Response:
    """The link in the packs and QR codes: shows the join form with the code filled in (a GET
    never changes anything; the person confirms with the button)."""
    return _join_page(request, code=normalize_code(code) or "")


@router.post("/join")
async def join(request: Request) -> Response:
    app = live(request)
    fields = await form_data(request)
    if not same_token(request.cookies.get(JOIN_CSRF, ""), fields.get("csrf")):
        raise HTTPException(403, "missing or wrong CSRF token")
    client = request.client.host if request.client else "?"
    typed = normalize_code(fields.get("code", "")) or fields.get("code", "")[:64]
    person = app.gate.person_for(fields.get("code", ""), app.generations)
    if person is None:
        # a valid code always joins (an 80-bit code cannot be guessed); wrong ones are counted
        # per address and per code typed, so one person's typos never lock the room out
        blocked = app.gate.limiter.blocked(client) or app.gate.limiter.blocked("code:" + typed)
        app.gate.limiter.fail(client)
        app.gate.limiter.fail("code:" + typed)
        if blocked:
            return _join_page(request, error="Too many attempts. Wait a few minutes.", status=429)
        return _join_page(request, error="This code is not valid.", status=403)
    identity = app.gate.people[person]
    chosen = fields.get("language")
    language = chosen if chosen in LANGUAGES else language_for(identity.language)
    acts.joined(app.controller, person, identity.role)
    response = RedirectResponse(HOME[identity.role], 303)
    _cookie(
        response,
        request,
        app.gate.cookie,
        app.gate.issue(person, app.generations.get(person, 0), language),
        SESSION_DAYS * 86400,
    )
    response.delete_cookie(JOIN_CSRF, path="/")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    caller = require(*ROLES)(request)
    await check_csrf(request, caller)
    app = live(request)
    app.controller.append_act(
        SessionEnded(person=caller.identity.person, session=session_hash(caller.session)),
        actor=caller.identity.person,
        visibility=FACILITATOR,
    )
    response = RedirectResponse("/join", 303)
    response.delete_cookie(live(request).gate.cookie, path="/")
    return response


@router.post("/language")
async def choose_language(request: Request) -> Response:
    """Switch the interface language (re-signs the session cookie; not an event)."""
    caller = require(*ROLES)(request)
    fields = await check_csrf(request, caller)
    language = fields.get("language", "en")
    if language not in LANGUAGES:
        raise HTTPException(422, "unknown language")
    app = live(request)
    response = RedirectResponse(HOME[caller.identity.role], 303)
    _cookie(
        response,
        request,
        app.gate.cookie,
        app.gate.relabel(caller.session, language),
        SESSION_DAYS * 86400,
    )
    return response
