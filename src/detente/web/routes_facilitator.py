"""The facilitator console: programme and clock, decisions, the exercise (MSEL, decisions
arriving, adjudication), the live common ground and ranking, seats, people, notes, the feed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from detente.access import join_url
from detente.store.visibility import FACILITATOR
from detente.web import acts, contributed, views
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
from detente.web.livelog import Snapshot

router = APIRouter(prefix="/facilitator")
Facilitator = Annotated[Who, Depends(require("facilitator"))]


def _people(app: LiveApp, caller: Who, snap: Snapshot) -> list[views.PersonRow]:
    identities = [(i.person, i.name, i.role, i.delegation) for i in app.gate.people.values()]
    return views.people(snap, identities)


def _all_requests(app: LiveApp, caller: Who, snap: Snapshot) -> list[views.PendingRequest]:
    return views.seat_requests(snap, caller.viewer)


def _status(app: LiveApp, caller: Who, snap: Snapshot) -> dict[str, Any]:
    controller = app.controller
    with controller.log.lock:
        return {
            "error": controller.status.error,
            "finished": controller.status.finished,
            "replaying": controller.replaying,
        }


BUILDERS: dict[str, Builder] = {
    "status": _status,
    "programme": lambda app, caller, snap: views.programme(app.folder, snap, caller.viewer),
    "announcements": lambda app, caller, snap: views.announcements(snap, limit=3),
    "decisions": lambda app, caller, snap: [
        d for d in views.decisions(snap, caller.viewer) if d.status == "open"
    ],
    "requests": lambda app, caller, snap: [
        r for r in _all_requests(app, caller, snap) if r.status in ("open", "closed")
    ],
    "seats": lambda app, caller, snap: views.seats(
        app.folder,
        snap,
        _people(app, caller, snap),
        _all_requests(app, caller, snap),
        {d: s.can_simulate for d, s in app.controller.seats.items()},
    ),
    "model_options": lambda app, caller, snap: {
        d: s.model_option for d, s in app.controller.seats.items()
    },
    "people": _people,
    "exercise": contributed.panel("exercise"),
    "msel": contributed.panel("msel"),
    "arriving": contributed.panel("arriving"),
    "ground": contributed.panel("ground"),
    "ranking": contributed.panel("ranking"),
    "roster": contributed.panel("roster"),
    "notes": lambda app, caller, snap: views.notes(snap, caller.viewer),
    "feed": lambda app, caller, snap: views.feed(snap, caller.viewer),
    "clock": lambda app, caller, snap: app.controller.move_clock(),
    "now": lambda app, caller, snap: app.controller.now(),
    "delegations": lambda app, caller, snap: list(app.controller.seats),
}
PANELS: dict[str, tuple[str, ...]] = {
    "programme": ("programme", "announcements"),
    "decisions": ("decisions", "status", "roster", "msel"),
    "exercise": ("exercise", "msel", "arriving"),
    "ground": ("ground", "ranking"),
    "requests": ("requests",),
    "seats": ("seats", "model_options"),
    "people": ("people",),
    "notes": ("notes",),
    "feed": ("feed",),
    "control": ("clock", "now", "delegations", "exercise", "arriving"),
}


def context(request: Request, caller: Who, panel: str | None = None) -> dict[str, Any]:
    app = live(request)
    ctx = build(app, caller, BUILDERS, None if panel is None else PANELS[panel])
    ctx.update(ctx.pop("status", {}))
    if "people" in ctx:  # join links point where this console reached the app
        base = str(request.base_url).rstrip("/")
        ctx["links"] = {
            p.person: join_url(base, app.gate.code(p.person, app.generations))
            for p in ctx["people"]
        }
    return ctx


@router.get("")
def page(request: Request, caller: Facilitator) -> Response:
    return render(request, "facilitator.html", caller, **context(request, caller))


@router.get("/panel/{name}")
def panel(request: Request, name: str, caller: Facilitator) -> Response:
    if name not in PANELS:
        raise HTTPException(404, "no such panel")
    return render(request, f"panels/{name}.html", caller, **context(request, caller, name))


async def _act(
    request: Request, caller: Who, panel: str, key: str, do: Any, settle: bool = True
) -> Response:
    fields = await check_csrf(request, caller)
    app = live(request)

    def work() -> tuple[Any, dict[str, Any]]:
        record = do(app, fields)
        if settle:
            app.controller.wait_settled()
        return record, context(request, caller, panel)

    try:
        record, ctx = await in_thread(work)
    except acts.ActRefused as exc:
        ctx = await in_thread(lambda: context(request, caller, panel))
        ctx["errors"] = {key: (exc.msgid, exc.params)}
        return render(request, f"panels/{panel}.html", caller, status=exc.status, **ctx)
    if isinstance(record, list):
        record = record[-1] if record else None
    return acted(
        request, record, "/facilitator", render(request, f"panels/{panel}.html", caller, **ctx)
    )


@router.post("/decisions/{key}")
async def decide(request: Request, key: str, caller: Facilitator) -> Response:
    return await _act(
        request,
        caller,
        "decisions",
        key,
        lambda app, fields: acts.take_decision(app.controller, key, fields),
    )


@router.post("/requests/{key}/close")
async def close(request: Request, key: str, caller: Facilitator) -> Response:
    return await _act(
        request,
        caller,
        "requests",
        key,
        lambda app, fields: acts.close_request(app.controller, key),
    )


@router.post("/ballots/{item_id}/close")
async def close_ballots(request: Request, item_id: str, caller: Facilitator) -> Response:
    """Close voting or rating on an item: every delegation's members' latest marks become its
    answer (see :func:`detente.web.acts.close_ballots`)."""
    person = caller.identity.person
    return await _act(
        request,
        caller,
        "ground",
        item_id,
        lambda app, fields: acts.close_ballots(app.controller, person, item_id),
    )


@router.post("/seats/{delegation}")
async def assign(request: Request, delegation: str, caller: Facilitator) -> Response:
    return await _act(
        request,
        caller,
        "seats",
        delegation,
        lambda app, fields: acts.assign_seat(app.controller, delegation, fields.get("holder", "")),
    )


@router.post("/people/{person}/revoke")
async def revoke(request: Request, person: str, caller: Facilitator) -> Response:
    """Revoke a person's code (their sessions end, the join sheet is rewritten). The
    facilitator may rotate their own code: the console then opens the join form with the new
    code filled in."""
    app = live(request)

    def do(app: LiveApp, fields: dict[str, str]) -> Any:
        record = acts.revoke(app.controller, person, set(app.gate.people))
        if app.join_sheet is not None:
            app.join_sheet()
        return record

    if person == caller.identity.person:
        await check_csrf(request, caller)
        try:
            await in_thread(lambda: do(app, {}))
        except acts.ActRefused as exc:
            raise HTTPException(exc.status, exc.msgid) from exc
        target = f"/join/{app.gate.code(person, app.generations)}"
        if request.headers.get("hx-request"):
            return Response(status_code=200, headers={"HX-Redirect": target})
        return RedirectResponse(target, 303)
    return await _act(request, caller, "people", person, do, settle=False)


@router.post("/notes")
async def note(request: Request, caller: Facilitator) -> Response:
    def do(app: LiveApp, fields: dict[str, str]) -> Any:
        current = views.programme(app.folder, app.controller.log.snapshot(), caller.viewer).current
        return acts.write_note(
            app.controller,
            caller.identity.person,
            FACILITATOR,
            fields.get("text", ""),
            current.item_id if current else None,
        )

    return await _act(request, caller, "notes", "note", do, settle=False)


@router.post("/announce")
async def announce(request: Request, caller: Facilitator) -> Response:
    return await _act(
        request,
        caller,
        "notes",
        "announce",
        lambda app, fields: acts.announce(app.controller, fields.get("text", "")),
        settle=False,
    )
