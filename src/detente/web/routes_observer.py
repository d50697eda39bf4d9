"""The observer view: the programme, the exercise's public material, the closed votes' common
ground, and the public feed (read-only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from detente.web import contributed, views
from detente.web.common import Builder, Who, build, live, render, require

router = APIRouter(prefix="/observer")
Observer = Annotated[Who, Depends(require("observer"))]

BUILDERS: dict[str, Builder] = {
    "programme": lambda app, caller, snap: views.programme(app.folder, snap, caller.viewer),
    "announcements": lambda app, caller, snap: views.announcements(snap, limit=1),
    "exercise": contributed.panel("exercise"),
    "ground": contributed.panel("ground"),
    "ranking": contributed.panel("ranking"),
    "feed": lambda app, caller, snap: views.feed(snap, caller.viewer),
}
PANELS: dict[str, tuple[str, ...]] = {
    "programme": ("programme", "announcements"),
    "exercise": ("exercise",),
    "ground": ("ground", "ranking"),
    "feed": ("feed",),
}


def context(request: Request, caller: Who, panel: str | None = None) -> dict[str, Any]:
    return build(live(request), caller, BUILDERS, None if panel is None else PANELS[panel])


@router.get("")
def page(request: Request, caller: Observer) -> Response:
    return render(request, "observer.html", caller, **context(request, caller))


@router.get("/panel/{name}")
def panel(request: Request, name: str, caller: Observer) -> Response:
    if name not in PANELS:
        raise HTTPException(404, "no such panel")
    return render(request, f"panels/{name}.html", caller, **context(request, caller, name))
