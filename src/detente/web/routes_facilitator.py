"""The facilitator console: programme and clock, decisions, seats, people, notes, the feed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from detente.access import join_url
from detente.store.events import FACILITATOR
from detente.web import acts, views
from detente.web.common import Who, acted, check_csrf, live, render, require

router = APIRouter(prefix="/facilitator")
Facilitator = Annotated[Who, Depends(require("facilitator"))]
PANELS = ("programme", "decisions", "requests", "seats", "people", "notes", "feed")


def context(request: Request, caller: Who) -> dict[str, Any]:
    app = live(request)
    controller = app.controller
    with controller.log.lock:
        entries = list(controller.log.entries)
        status = controller.status
        error = status.error
        finished = status.finished
        replaying = controller.replaying
    viewer = caller.viewer
    requests = views.seat_requests(entries, viewer)
    identities = [(i.person, i.name, i.role, i.delegation) for i in app.gate.people.values()]
    people = views.people(entries, identities)
    base = str(request.base_url).rstrip("/")
    return {
        "programme": views.programme(app.folder, entries, viewer),
        "decisions": [d for d in views.decisions(entries, viewer) if d.status == "open"],
        "requests": [r for r in requests if r.status in ("open", "closed")],
        "seats": views.seats(
            app.folder,
            entries,
            people,
            requests,
            {d: s.can_simulate for d, s in controller.seats.items()},
        ),
        "people": people,
        "links": {
            p.person: join_url(base, app.gate.code(p.person, app.generations)) for p in people
        },
        "notes": views.notes(entries, viewer),
        "feed": views.feed(entries, viewer),
        "announcements": views.announcements(entries)[:3],
        "error": error,
        "finished": finished,
        "replaying": replaying,
        "seq": len(entries),
        "errors": {},
    }


@router.get("")
def page(request: Request, caller: Facilitator) -> Response:
    return render(request, "facilitator.html", caller, **context(request, caller))


@router.get("/panel/{name}")
def panel(request: Request, name: str, caller: Facilitator) -> Response:
    if name not in PANELS:
        raise HTTPException(404, "no such panel")
    return render(request, f"panels/{name}.html", caller, **context(request, caller))


def _respond(
    request: Request,
    caller: Who,
    panel: str,
    record: Any,
    error: acts.ActRefused | None = None,
    key: str = "",
) -> Response:
    ctx = context(request, caller)
    if error is not None:
        ctx["errors"] = {key: (error.msgid, error.params)}
        return render(request, f"panels/{panel}.html", caller, status=error.status, **ctx)
    return acted(
        request, record, "/facilitator", render(request, f"panels/{panel}.html", caller, **ctx)
    )


@router.post("/decisions/{key}")
async def decide(request: Request, key: str, caller: Facilitator) -> Response:
    fields = await check_csrf(request, caller)
    app = live(request)
    try:
        record = acts.take_decision(app.controller, key, fields)
    except acts.ActRefused as exc:
        return _respond(request, caller, "decisions", None, exc, key)
    app.controller.wait_settled()
    return _respond(request, caller, "decisions", record)


@router.post("/requests/{key}/close")
async def close(request: Request, key: str, caller: Facilitator) -> Response:
    await check_csrf(request, caller)
    app = live(request)
    try:
        record = acts.close_request(app.controller, key)
    except acts.ActRefused as exc:
        return _respond(request, caller, "requests", None, exc, key)
    app.controller.wait_settled()
    return _respond(request, caller, "requests", record)


@router.post("/seats/{delegation}")
async def assign(request: Request, delegation: str, caller: Facilitator) -> Response:
    fields = await check_csrf(request, caller)
    app = live(request)
    try:
        record = acts.assign_seat(app.controller, delegation, fields.get("holder", ""))
    except acts.ActRefused as exc:
        return _respond(request, caller, "seats", None, exc, delegation)
    app.controller.wait_settled()
    return _respond(request, caller, "seats", record)


@router.post("/people/{person}/revoke")
async def revoke(request: Request, person: str, caller: Facilitator) -> Response:
    await check_csrf(request, caller)
    app = live(request)
    try:
        if person == caller.identity.person:
            raise acts.ActRefused(409, "You cannot revoke your own code.")
        record = acts.revoke(app.controller, person, set(app.gate.people))
    except acts.ActRefused as exc:
        return _respond(request, caller, "people", None, exc, person)
    return _respond(request, caller, "people", record)


@router.post("/notes")
async def note(request: Request, caller: Facilitator) -> Response:
    fields = await check_csrf(request, caller)
    app = live(request)
    current = views.programme(app.folder, app.controller.log.snapshot(), caller.viewer).current
    try:
        record = acts.write_note(
            app.controller,
            caller.identity.person,
            FACILITATOR,
            fields.get("text", ""),
            current.item_id if current else None,
        )
    except acts.ActRefused as exc:
        return _respond(request, caller, "notes", None, exc, "note")
    return _respond(request, caller, "notes", record)


@router.post("/announce")
async def announce(request: Request, caller: Facilitator) -> Response:
    fields = await check_csrf(request, caller)
    app = live(request)
    try:
        record = acts.announce(app.controller, fields.get("text", ""))
    except acts.ActRefused as exc:
        return _respond(request, caller, "notes", None, exc, "announce")
    return _respond(request, caller, "notes", record)
