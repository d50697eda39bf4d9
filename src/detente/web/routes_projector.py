"""The projector: the current item, the clock, the latest public line (read-only, big type)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from detente.web import views
from detente.web.common import Who, live, render, require

router = APIRouter(prefix="/projector")
Projector = Annotated[Who, Depends(require("projector"))]
PANELS = ("screen",)


def context(request: Request, caller: Who) -> dict[str, Any]:
    app = live(request)
    entries = app.controller.log.snapshot()
    lines = views.feed(entries, caller.viewer, limit=1)
    return {
        "programme": views.programme(app.folder, entries, caller.viewer),
        "latest": lines[0] if lines else None,
        "announcements": views.announcements(entries)[:1],
        "seq": len(entries),
    }


@router.get("")
def page(request: Request, caller: Projector) -> Response:
    return render(request, "projector.html", caller, **context(request, caller))


@router.get("/panel/{name}")
def panel(request: Request, name: str, caller: Projector) -> Response:
    if name not in PANELS:
        raise HTTPException(404, "no such panel")
    return render(request, f"panels/{name}.html", caller, **context(request, caller))
