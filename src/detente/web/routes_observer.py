"""The observer view: the programme and the public feed (read-only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from detente.web import views
from detente.web.common import Who, live, render, require

router = APIRouter(prefix="/observer")
Observer = Annotated[Who, Depends(require("observer"))]
PANELS = ("programme", "feed")


def context(request: Request, caller: Who) -> dict[str, Any]:
    app = live(request)
    entries = app.controller.log.snapshot()
    return {
        "programme": views.programme(app.folder, entries, caller.viewer),
        "feed": views.feed(entries, caller.viewer),
        "announcements": views.announcements(entries)[:1],
        "seq": len(entries),
    }


@router.get("")
def page(request: Request, caller: Observer) -> Response:
    return render(request, "observer.html", caller, **context(request, caller))


@router.get("/panel/{name}")
def panel(request: Request, name: str, caller: Observer) -> Response:
    if name not in PANELS:
        raise HTTPException(404, "no such panel")
    return render(request, f"panels/{name}.html", caller, **context(request, caller))
