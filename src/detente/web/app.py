"""The live meeting app: `create_app(folder, out)` builds the FastAPI application for one meeting.

The application owns one :class:`~detente.web.live.LiveController` (the runner thread, started
and stopped with the app's lifespan) and serves the facilitator console, the delegation and
observer views, the projector and the server-sent-event stream. Every page is server-rendered
from the log (:mod:`detente.web.views`); HTMX and its SSE extension (vendored under `static/`)
refresh panels live. Nothing is loaded from another host, so the app works without internet.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from detente.meeting.events import SeatAssigned
from detente.meeting.loader import MeetingFolder, load_meeting
from detente.store.log import EventStore, database_url
from detente.store.visibility import ALL, FACILITATOR
from detente.web import (
    contributed,
    routes_control,
    routes_delegation,
    routes_events,
    routes_facilitator,
    routes_join,
    routes_observer,
    routes_projector,
)
from detente.web.auth import Gatekeeper
from detente.web.common import LiveApp, make_env, who
from detente.web.i18n import from_accept_language, translator
from detente.web.live import LiveController

if TYPE_CHECKING:
    from detente.seats.live_models import LiveModels

STATIC = Path(__file__).resolve().parent / "static"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}

REFUSALS = {
    "join the meeting first": "Your session has ended (you left, or your code was revoked).",
    "not allowed for your role": "This is not open to your role.",
    "missing or wrong CSRF token": "This page is out of date; reload it and try again.",
    "form too large": "This is too long to send.",
    "send the form URL-encoded": "This form could not be read.",
}
"""The plain refusals of the routes, as the person reads them (catalog messages)."""


def private_files(out: Path) -> None:
    """Make the log and its journal files readable by their owner only (0600): the database
    holds every delegation's private decisions."""
    for name in ("detente.db", "detente.db-wal", "detente.db-shm", "detente.db-journal"):
        path = out / name
        if path.exists():
            path.chmod(0o600)


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` (and `Cache-Control: no-store` outside /static) to every
    response. A pure ASGI middleware: Starlette's `BaseHTTPMiddleware` (`@app.middleware`)
    pipes every chunk of a streamed response through a memory channel, which made the event
    streams cost about half the server's CPU under load."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if not static:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(
    folder: Path | MeetingFolder,
    out: Path,
    *,
    db_url: str | None = None,
    seed: int = 0,
    deadline_minutes: float | None = None,
    simulated: Sequence[str] = (),
    minute_seconds: float = 60.0,
    write_limit: int | None = None,
    models: LiveModels | None = None,
) -> FastAPI:
    """The app serving the meeting in `folder`, keeping its log and secrets in `out`.

    `db_url` defaults to `DATABASE_URL` or `out/detente.db`; `seed` seeds simulated seats (a
    restarted meeting keeps the seed recorded in `meeting_opened`); `deadline_minutes` closes a
    seat request nobody answered in time; `simulated` hands these delegations' seats to simulated
    seats when the log is new; `minute_seconds` is how long a scenario minute lasts (60; less
    compresses the exercise's clock); `write_limit` is how many writes a delegate may make per 10
    s (30 by default; 0 for none); `models` is the language model seats can be handed to
    (default: the one `DETENTE_MODEL_URL` / `DETENTE_MODEL` name, else the local default when it
    is installed). Raises :class:`~detente.diagnostics.InputError` for a bad folder.
    """
    loaded = folder if isinstance(folder, MeetingFolder) else load_meeting(folder)
    out.mkdir(parents=True, exist_ok=True)
    store = EventStore(db_url or database_url(out / "detente.db"))
    private_files(out)
    controller = LiveController(
        loaded,
        store,
        seed=seed,
        deadline=dt.timedelta(minutes=deadline_minutes) if deadline_minutes else None,
        minute=minute_seconds,
        models=models or _models_from_env(seed),
    )
    unknown = [d for d in simulated if d not in controller.seats]
    if unknown:
        raise ValueError(f"no delegation {', '.join(unknown)} in the meeting")
    state = LiveApp(loaded, out, controller, Gatekeeper(out, loaded.meeting), make_env())
    if write_limit is not None:
        state.gate.writes.limit = write_limit

    app = FastAPI(
        lifespan=_lifespan(state, store, simulated), docs_url=None, redoc_url=None, openapi_url=None
    )
    app.state.live = state
    _add_routes(app)
    app.add_middleware(SecurityHeaders)
    app.add_exception_handler(HTTPException, _refusal_handler(state))
    return app


def _add_routes(app: FastAPI) -> None:
    """Mount the static files and include every page's routes: the built-in ones, the
    plugins' (the paper room's entry form) and the health check."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (
        routes_control,
        routes_join,
        routes_facilitator,
        routes_delegation,
        routes_observer,
        routes_projector,
        routes_events,
    ):
        app.include_router(module.router)
    for router in contributed.routers():  # the plugins' pages (the paper room's entry form)
        app.include_router(router)

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        return JSONResponse({"ok": True})


def _lifespan(
    state: LiveApp, store: EventStore, simulated: Sequence[str]
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The app's lifespan: bind the ticker to the event loop, hand the `simulated` seats to
    simulated seats when the log is new, run the controller; stop it and close `store` after."""
    controller = state.controller

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        state.ticker.bind(asyncio.get_running_loop(), controller.log.seq)
        unsubscribe = controller.log.subscribe(state.ticker.notify)
        if not controller.log.seq:
            for delegation in simulated:
                controller.append_act(
                    SeatAssigned(delegation=delegation, holder="simulated"),
                    actor=FACILITATOR,
                    visibility=ALL,
                )
        controller.start()
        try:
            yield
        finally:
            unsubscribe()
            controller.stop()
            store.close()

    return lifespan


def _refusal_handler(state: LiveApp) -> Callable[[Request, Exception], Awaitable[Response]]:
    """The handler of the routes' refusals (HTTPException): a page load without a session is
    sent to /join; any other refusal is its plain text, in the caller's language."""

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if (
            exc.status_code == 401
            and request.method == "GET"
            and not request.headers.get("hx-request")
            and request.url.path != "/events"
        ):
            return RedirectResponse("/join", 303)
        caller = who(request)
        language = (
            caller.session.language
            if caller
            else state.gate.language(request.cookies.get(state.gate.cookie))
            or from_accept_language(request.headers.get("accept-language"))
        )
        return PlainTextResponse(
            translator(language)(REFUSALS.get(str(exc.detail), str(exc.detail))),
            status_code=exc.status_code,
        )

    return http_error


def _models_from_env(seed: int) -> LiveModels:
    """The language models seats can be handed to, as the environment configures them."""
    from detente.seats.live_models import LiveModels  # a domain, at run time only

    return LiveModels.from_env(seed=seed)
