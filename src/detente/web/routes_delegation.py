"""The delegation view: current item, requests to answer, private notes, the feed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from detente.store.events import delegation_only
from detente.web import acts, views
from detente.web.common import Who, acted, check_csrf, live, render, require

router = APIRouter(prefix="/delegation")
Delegate = Annotated[Who, Depends(require("delegate"))]
PANELS = ("programme", "requests", "notes", "feed")


def context(request: Request, caller: Who) -> dict[str, Any]:
    app = live(request)
    entries = app.controller.log.snapshot()
    viewer = caller.viewer
    assert viewer.delegation is not None
    requests = views.seat_requests(entries, viewer)
    return {
        "programme": views.programme(app.folder, entries, viewer),
        "requests": [r for r in requests if r.status in ("open", "closed")],
        "answered": [r for r in requests if r.status not in ("open", "closed")][-5:],
        "notes": views.notes(entries, viewer),
        "feed": views.feed(entries, viewer),
        "delegation": app.folder.meeting.delegation(viewer.delegation),
        "holder": app.controller.holder(viewer.delegation),
        "announcements": views.announcements(entries)[:1],
        "seq": len(entries),
        "errors": {},
    }


@router.get("")
def page(request: Request, caller: Delegate) -> Response:
    return render(request, "delegation.html", caller, **context(request, caller))


@router.get("/panel/{name}")
def panel(request: Request, name: str, caller: Delegate) -> Response:
    if name not in PANELS:
        raise HTTPException(404, "no such panel")
    return render(request, f"panels/{name}.html", caller, **context(request, caller))


def _refused(request: Request, caller: Who, exc: acts.ActRefused, key: str | None) -> Response:
    ctx = context(request, caller)
    ctx["errors"] = {key or "note": (exc.msgid, exc.params)}
    return render(
        request,
        "panels/requests.html" if key else "panels/notes.html",
        caller,
        status=exc.status,
        **ctx,
    )


@router.post("/requests/{key}")
async def answer(request: Request, key: str, caller: Delegate) -> Response:
    fields = await check_csrf(request, caller)
    app = live(request)
    assert caller.viewer.delegation is not None
    try:
        record = acts.submit_answer(
            app.controller, caller.identity.person, caller.viewer.delegation, key, fields
        )
    except acts.ActRefused as exc:
        return _refused(request, caller, exc, key)
    app.controller.wait_settled()
    return acted(
        request,
        record,
        "/delegation",
        render(request, "panels/requests.html", caller, **context(request, caller)),
    )


@router.post("/requests/{key}/draft")
async def draft(request: Request, key: str, caller: Delegate) -> Response:
    fields = await check_csrf(request, caller)
    app = live(request)
    assert caller.viewer.delegation is not None
    try:
        record = acts.save_draft(
            app.controller, caller.identity.person, caller.viewer.delegation, key, fields
        )
    except acts.ActRefused as exc:
        return _refused(request, caller, exc, key)
    return acted(
        request,
        record,
        "/delegation",
        render(request, "panels/requests.html", caller, **context(request, caller)),
    )


@router.post("/notes")
async def note(request: Request, caller: Delegate) -> Response:
    fields = await check_csrf(request, caller)
    app = live(request)
    assert caller.viewer.delegation is not None
    current = views.programme(app.folder, app.controller.log.snapshot(), caller.viewer).current
    try:
        record = acts.write_note(
            app.controller,
            caller.identity.person,
            delegation_only(caller.viewer.delegation),
            fields.get("text", ""),
            current.item_id if current else None,
        )
    except acts.ActRefused as exc:
        return _refused(request, caller, exc, None)
    return acted(
        request,
        record,
        "/delegation",
        render(request, "panels/notes.html", caller, **context(request, caller)),
    )
