"""The delegation view: current item, the exercise, requests to answer (the move's decision,
votes, ratings), private notes, the common-ground chart, the feed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from detente.store.log import Record
from detente.store.visibility import delegation_only
from detente.web import acts, contributed, viewed, views
from detente.web.common import (
    Builder,
    LiveApp,
    Who,
    acted,
    build,
    check_csrf,
    in_thread,
    live,
    render,
    require,
)
from detente.web.live import LiveController
from detente.web.livelog import Snapshot

router = APIRouter(prefix="/delegation")
Delegate = Annotated[Who, Depends(require("delegate"))]
MemberAct = Callable[[LiveController, str, str, str, dict[str, str]], Record]
"""An act of a member on a request or ballot: (controller, person, delegation, key, fields)."""


def _delegation(caller: Who) -> str:
    assert caller.viewer.delegation is not None
    return caller.viewer.delegation


def _requests(app: LiveApp, caller: Who, snap: Snapshot) -> list[views.PendingRequest]:
    return views.seat_requests(snap, caller.viewer)


def _open(app: LiveApp, caller: Who, snap: Snapshot) -> list[views.PendingRequest]:
    return [r for r in _requests(app, caller, snap) if r.status in ("open", "closed")]


def _deadlines(app: LiveApp, caller: Who, snap: Snapshot) -> dict[str, Any]:
    return {r.key: app.controller.deadline_for(r.key) for r in _open(app, caller, snap)}


BUILDERS: dict[str, Builder] = {
    "programme": lambda app, caller, snap: views.programme(app.folder, snap, caller.viewer),
    "announcements": lambda app, caller, snap: views.announcements(snap, limit=1),
    "requests": _open,
    "answered": lambda app, caller, snap: [
        r for r in _requests(app, caller, snap) if r.status not in ("open", "closed")
    ][-5:],
    "ballots": contributed.panel("ballots"),
    "deadlines": _deadlines,
    "exercise": contributed.panel("exercise"),
    "handouts": contributed.panel("handouts"),
    "ground": contributed.panel("ground"),
    "ranking": contributed.panel("ranking"),
    "notes": lambda app, caller, snap: views.notes(snap, caller.viewer),
    "feed": lambda app, caller, snap: views.feed(snap, caller.viewer),
    "delegation": lambda app, caller, snap: app.folder.meeting.delegation(_delegation(caller)),
    "holder": lambda app, caller, snap: app.controller.holder(_delegation(caller)),
    "stand_in": lambda app, caller, snap: app.controller.seats[_delegation(caller)].stand_in,
}
PANELS: dict[str, tuple[str, ...]] = {
    "programme": ("programme", "announcements"),
    "exercise": ("exercise",),
    "requests": ("requests", "answered", "holder", "stand_in", "ballots", "deadlines", "handouts"),
    "ground": ("ground", "ranking"),
    "notes": ("notes",),
    "feed": ("feed",),
}


def context(request: Request, caller: Who, panel: str | None = None) -> dict[str, Any]:
    keys = None if panel is None else PANELS[panel]
    return build(live(request), caller, BUILDERS, keys)


def _shown(request: Request, caller: Who, ctx: dict[str, Any]) -> None:
    """Record that this delegate's page now shows its open requests (once per request)."""
    if caller.viewer.role == "delegate" and "requests" in ctx:
        viewed.mark_viewed(
            live(request).controller, caller.identity.person, _delegation(caller), ctx["requests"]
        )


@router.get("")
def page(request: Request, caller: Delegate) -> Response:
    ctx = context(request, caller)
    _shown(request, caller, ctx)
    return render(request, "delegation.html", caller, **ctx)


@router.get("/panel/{name}")
def panel(request: Request, name: str, caller: Delegate) -> Response:
    if name not in PANELS:
        raise HTTPException(404, "no such panel")
    ctx = context(request, caller, name)
    _shown(request, caller, ctx)
    return render(request, f"panels/{name}.html", caller, **ctx)


def _refused(request: Request, caller: Who, exc: acts.ActRefused, key: str | None) -> Response:
    panel = "requests" if key else "notes"
    ctx = context(request, caller, panel)
    ctx["errors"] = {key or "note": (exc.msgid, exc.params)}
    return render(request, f"panels/{panel}.html", caller, status=exc.status, **ctx)


async def _act(request: Request, caller: Who, key: str | None, do: Any, settle: bool) -> Response:
    fields = await check_csrf(request, caller)
    app = live(request)
    panel = "requests" if key else "notes"
    writes = app.gate.writes
    if writes.blocked(caller.identity.person):
        return _refused(
            request,
            caller,
            acts.ActRefused(
                429, "Too many saves in a short time: wait a few seconds and try again."
            ),
            key,
        )
    writes.fail(caller.identity.person)  # counts every write, accepted or not

    def work() -> tuple[Any, dict[str, Any]]:
        record = do(app, fields)
        if settle:
            app.controller.wait_settled()
        return record, context(request, caller, panel)

    try:
        record, ctx = await in_thread(work)
    except acts.ActRefused as exc:
        return _refused(request, caller, exc, key)
    return acted(
        request, record, "/delegation", render(request, f"panels/{panel}.html", caller, **ctx)
    )


async def _member_act(
    request: Request, caller: Who, key: str, act: MemberAct, settle: bool
) -> Response:
    """:func:`_act` for an act by the calling member on the request or ballot `key` of their
    delegation (`act(controller, person, delegation, key, fields)`)."""
    person, delegation = caller.identity.person, _delegation(caller)
    return await _act(
        request,
        caller,
        key,
        lambda app, fields: act(app.controller, person, delegation, key, fields),
        settle,
    )


@router.post("/requests/{key}")
async def answer(request: Request, key: str, caller: Delegate) -> Response:
    return await _member_act(request, caller, key, acts.submit_answer, True)


@router.post("/requests/{key}/draft")
async def draft(request: Request, key: str, caller: Delegate) -> Response:
    return await _member_act(request, caller, key, acts.save_draft, False)


@router.post("/ballots/{key}")
async def ballot(request: Request, key: str, caller: Delegate) -> Response:
    """A member marks their own votes or ratings (see :func:`detente.web.acts.mark_ballot`)."""
    return await _member_act(request, caller, key, acts.mark_ballot, False)


@router.post("/notes")
async def note(request: Request, caller: Delegate) -> Response:
    person, delegation = caller.identity.person, _delegation(caller)

    def do(app: LiveApp, fields: dict[str, str]) -> Any:
        current = views.programme(app.folder, app.controller.log.snapshot(), caller.viewer).current
        return acts.write_note(
            app.controller,
            person,
            delegation_only(delegation),
            fields.get("text", ""),
            current.item_id if current else None,
        )

    return await _act(request, caller, None, do, False)
