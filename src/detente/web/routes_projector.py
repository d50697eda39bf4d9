"""The projector: the current item, the clock, the current inject, the escalation meter, the
common-ground chart of the latest closed vote, the latest public line (read-only, big type)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from detente.web import contributed, views
from detente.web.common import Builder, Who, build, live, render, require

router = APIRouter(prefix="/projector")
Projector = Annotated[Who, Depends(require("projector"))]


def _latest(app: Any, caller: Who, snap: Any) -> views.FeedLine | None:
    lines = views.feed(snap, caller.viewer, limit=1)
    return lines[0] if lines else None


BUILDERS: dict[str, Builder] = {
    "programme": lambda app, caller, snap: views.programme(app.folder, snap, caller.viewer),
    "latest": _latest,
    "announcements": lambda app, caller, snap: views.announcements(snap, limit=1),
    "exercise": contributed.panel("exercise"),
    "ground": contributed.panel("ground"),
    "fingerprint": lambda app, caller, snap: app.tls_fingerprint,
}
PANELS: dict[str, tuple[str, ...]] = {"screen": tuple(BUILDERS)}


def context(request: Request, caller: Who, panel: str | None = None) -> dict[str, Any]:
    return build(live(request), caller, BUILDERS, None if panel is None else PANELS[panel])


@router.get("")
def page(request: Request, caller: Projector) -> Response:
    return render(request, "projector.html", caller, **context(request, caller))


@router.get("/panel/{name}")
def panel(request: Request, name: str, caller: Projector) -> Response:
    if name not in PANELS:
        raise HTTPException(404, "no such panel")
    return render(request, f"panels/{name}.html", caller, **context(request, caller, name))
