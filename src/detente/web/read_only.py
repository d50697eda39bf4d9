"""Read-only views (the observer view, the projector): one page of panels, and each panel alone
for the live refresh, built for the caller from the view's builders."""

# No `from __future__ import annotations`: FastAPI reads the routes' annotations, and the
# caller's dependency is local to each view's router.
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from detente.web.common import Builder, Who, build, live, render, require


def read_only_router(
    prefix: str,
    role: str,
    template: str,
    builders: dict[str, Builder],
    panels: dict[str, tuple[str, ...]],
) -> APIRouter:
    """The routes of a read-only view for `role` under `prefix`: `GET prefix` renders
    `template` with every builder; `GET prefix/panel/<name>` renders `panels/<name>.html` with
    the builders `panels[name]` names (404 for a panel the view does not have)."""
    router = APIRouter(prefix=prefix)
    Caller = Annotated[Who, Depends(require(role))]

    def context(request: Request, caller: Who, panel: str | None = None) -> dict[str, Any]:
        return build(live(request), caller, builders, None if panel is None else panels[panel])

    @router.get("")
    def page(request: Request, caller: Caller) -> Response:
        return render(request, template, caller, **context(request, caller))

    @router.get("/panel/{name}")
    def panel(request: Request, name: str, caller: Caller) -> Response:
        if name not in panels:
            raise HTTPException(404, "no such panel")
        return render(request, f"panels/{name}.html", caller, **context(request, caller, name))

    return router
