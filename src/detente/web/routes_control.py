"""Exercise control on the facilitator's console: the running move's clock and its acts (see
:mod:`detente.web.acts_control`); every act answers with the refreshed control panel."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from detente.web import acts_control
from detente.web.routes_facilitator import Facilitator, _act

router = APIRouter(prefix="/facilitator/control")


def _number(value: str) -> int:
    return int(value) if value.isdigit() else -1


@router.post("/pause")
async def pause(request: Request, caller: Facilitator) -> Response:
    return await _act(
        request, caller, "control", "clock", lambda app, f: acts_control.pause(app.controller)
    )


@router.post("/resume")
async def resume(request: Request, caller: Facilitator) -> Response:
    return await _act(
        request, caller, "control", "clock", lambda app, f: acts_control.resume(app.controller)
    )


@router.post("/extend")
async def extend(request: Request, caller: Facilitator) -> Response:
    return await _act(
        request,
        caller,
        "control",
        "clock",
        lambda app, f: acts_control.extend(app.controller, f),
    )


@router.post("/injects/{number}/release")
async def release(request: Request, number: str, caller: Facilitator) -> Response:
    return await _act(
        request,
        caller,
        "control",
        f"inject-{number}",
        lambda app, f: acts_control.release_now(app.controller, _number(number)),
    )


@router.post("/injects/{number}/hold")
async def hold(request: Request, number: str, caller: Facilitator) -> Response:
    return await _act(
        request,
        caller,
        "control",
        f"inject-{number}",
        lambda app, f: acts_control.hold(app.controller, _number(number)),
    )


@router.post("/inject")
async def write(request: Request, caller: Facilitator) -> Response:
    return await _act(
        request,
        caller,
        "control",
        "write",
        lambda app, f: acts_control.write_inject(app.controller, f),
    )


@router.post("/undo")
async def undo(request: Request, caller: Facilitator) -> Response:
    return await _act(
        request, caller, "control", "clock", lambda app, f: acts_control.undo(app.controller)
    )
