"""What every route shares: the live app's state, who is asking, CSRF checks and rendering."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from fastapi import HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from detente.meeting.loader import MeetingFolder
from detente.store.log import Record
from detente.web import contributed, views
from detente.web.auth import Gatekeeper, Identity, Session, same_token, session_hash
from detente.web.i18n import LANGUAGES, localize, plural_translator, translator
from detente.web.live import LiveController
from detente.web.livelog import Snapshot

T = TypeVar("T")

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "web"
HOME = {
    "facilitator": "/facilitator",
    "delegate": "/delegation",
    "observer": "/observer",
    "projector": "/projector",
}


class Ticker:
    """Wakes every server-sent-event stream of one event loop when the log grows — in batches.

    The log calls :meth:`notify` from whichever thread appended. At most one wake-up is pending
    at a time and wake-ups are at least :attr:`interval` seconds apart, so a burst of appends
    costs each stream one wake-up, not one per append. A wake-up publishes the log position it
    covers (:attr:`seq`): every stream woken by it reads up to the same position, so streams of
    the same audience share one rendered batch (:meth:`LiveApp.batch`).
    """

    interval = 0.1
    """Seconds between wake-ups at most: every open page costs one wake-up per interval while
    the log grows, whatever the rate of appends (the price: up to this much delivery delay)."""
    keepalive = 15.0
    """Seconds between heartbeats (:attr:`beats`), on which idle streams send a comment so
    proxies and browsers keep the connection."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.event: asyncio.Event | None = None
        self.seq = 0
        self._latest = 0
        self._pending = False
        self._last_wake = 0.0
        self._lock = threading.Lock()
        self.beats = 0

    def bind(self, loop: asyncio.AbstractEventLoop, seq: int) -> None:
        self.loop = loop
        self.event = asyncio.Event()
        self.seq = self._latest = seq
        loop.call_later(self.keepalive, self._beat)

    def _beat(self) -> None:
        """Wake every stream once per :attr:`keepalive` (one timer for all streams, instead of
        a timeout per stream and wait)."""
        assert self.loop is not None
        self.beats += 1
        self._swap()
        self.loop.call_later(self.keepalive, self._beat)

    def notify(self, seq: int) -> None:
        with self._lock:
            self._latest = max(self._latest, seq)
            if self._pending:
                return
            self._pending = True
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self._schedule)

    def _schedule(self) -> None:
        assert self.loop is not None
        delay = self._last_wake + self.interval - self.loop.time()
        if delay > 0:
            self.loop.call_later(delay, self._wake)
        else:
            self._wake()

    def _wake(self) -> None:
        assert self.loop is not None
        with self._lock:
            self._pending = False
            self.seq = self._latest
        self._last_wake = self.loop.time()
        self._swap()

    def _swap(self) -> None:
        old = self.event
        self.event = asyncio.Event()
        if old is not None:
            old.set()

    def current(self) -> asyncio.Event:
        if self.event is None:
            self.event = asyncio.Event()
        return self.event


@dataclass
class LiveApp:
    """The state of one served meeting (in `app.state.live`)."""

    folder: MeetingFolder
    out: Path
    controller: LiveController
    gate: Gatekeeper
    env: Environment
    ticker: Ticker = field(default_factory=Ticker)
    feed_cache: dict[tuple[int, str], str] = field(default_factory=dict)
    batches: OrderedDict[tuple[str, str, int, int], Batch] = field(default_factory=OrderedDict)
    tls_fingerprint: str | None = None
    """SHA-256 fingerprint of the served TLS certificate (shown on the join sheet and the
    projector), None over plain HTTP."""
    join_sheet: Callable[[], None] | None = None
    """Rewrites the join sheet (set by `detente serve`, which knows the public URL): called
    after a code is revoked so the sheet never shows a dead code."""
    """Rendered event-stream batches by (audience, language, after, upto): a batch is built
    once per audience and shared by every stream of that audience (see `routes_events`)."""

    @property
    def generations(self) -> dict[str, int]:
        return self.controller.log.generations


@dataclass(frozen=True)
class Batch:
    """What one audience receives for the records (after, upto]: the event-stream text, and
    whether a code was revoked in between (streams then re-check their session)."""

    text: str
    revocation: bool


@dataclass(frozen=True)
class Who:
    """The session and identity of the person asking, and their viewer."""

    session: Session
    identity: Identity
    viewer: views.Viewer


def make_env() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def live(request: Request) -> LiveApp:
    state: LiveApp = request.app.state.live
    return state


def who(request: Request) -> Who | None:
    """The signed-in person, or None (no cookie, bad signature, unknown, revoked)."""
    app = live(request)
    session = app.gate.read(request.cookies.get(app.gate.cookie), app.generations)
    if session is None or session_hash(session) in app.controller.log.ended:
        return None
    identity = app.gate.people[session.person]
    viewer = views.Viewer(
        identity.role,
        identity.person,
        identity.delegation if identity.role == "delegate" else None,
        session.language,
    )
    return Who(session, identity, viewer)


def require(*roles: str) -> Callable[[Request], Who]:
    """A dependency: the caller must be signed in with one of `roles` (401 / 403 otherwise)."""

    def dependency(request: Request) -> Who:
        found = who(request)
        if found is None:
            raise HTTPException(401, "join the meeting first")
        if found.identity.role not in roles:
            raise HTTPException(403, "not allowed for your role")
        return found

    return dependency


MAX_FORM_BYTES = 256 * 1024


async def form_data(request: Request) -> dict[str, str]:
    """The URL-encoded form fields of a POST (what HTML forms and HTMX send); 413 when larger
    than :data:`MAX_FORM_BYTES`, 415 for another content type. A repeated field keeps its first
    value."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in ("application/x-www-form-urlencoded", ""):
        raise HTTPException(415, "send the form URL-encoded")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise HTTPException(413, "form too large")
    fields: dict[str, str] = {}
    for name, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        fields.setdefault(name, value)
    return fields


async def check_csrf(request: Request, caller: Who) -> dict[str, str]:
    """The request's form fields, after checking its CSRF token (403 when missing or wrong)."""
    fields = await form_data(request)
    token = request.headers.get("x-csrf-token") or fields.get("csrf")
    if not same_token(caller.session.csrf, token):
        raise HTTPException(403, "missing or wrong CSRF token")
    return fields


def render(
    request: Request, template: str, caller: Who | None, status: int = 200, **context: Any
) -> HTMLResponse:
    app = live(request)
    language = caller.session.language if caller else context.pop("language", "en")
    _ = translator(language)
    html = app.env.get_template(template).render(
        _=_,
        _n=plural_translator(language),
        lang=language,
        languages=LANGUAGES,
        localize=lambda v: localize(v, language),
        who=caller,
        meeting=app.folder.meeting.meeting,
        zone=app.folder.meeting.meeting.zone,
        fmt_time=lambda t: _local(t, app),
        named=lambda params: named(app, params),
        **contributed.template_functions(app, language),
        csrf=caller.session.csrf if caller else "",
        request_path=request.url.path,
        home=HOME[caller.identity.role] if caller else "/join",
        **context,
    )
    return HTMLResponse(html, status_code=status)


def deadline_now(app: LiveApp) -> dt.datetime | None:
    """The running move's decision deadline on the exercise clock (None when no move runs)."""
    clock = app.controller.move_clock()
    return None if clock is None else clock.deadline(app.controller.now())


def named(app: LiveApp, params: dict[str, Any]) -> dict[str, Any]:
    """A message's parameters with every person id replaced by the person's name (feed lines
    are built from records, which keep ids; people read names)."""
    people = app.gate.people
    return {
        k: people[v].name if isinstance(v, str) and v in people else v for k, v in params.items()
    }


def _local(time: dt.datetime, app: LiveApp) -> str:
    return f"{time.astimezone(app.folder.meeting.meeting.zone):%H:%M}"


def feed_html(app: LiveApp, record: Record, language: str) -> str | None:
    """One record's feed line rendered in `language` (cached; the caller checked visibility)."""
    key = (record.seq, language)
    if key not in app.feed_cache:
        line = views.feed_line(record)
        if line is None:
            app.feed_cache[key] = ""
        else:
            app.feed_cache[key] = app.env.get_template("feed_line.html").render(
                line=line,
                _=translator(language),
                fmt_time=lambda t: _local(t, app),
                named=lambda params: named(app, params),
            )
    return app.feed_cache[key] or None


def acted(request: Request, record: Record | None, redirect: str, fragment: Response) -> Response:
    """The response to an act: the refreshed fragment for HTMX, a redirect otherwise; carries
    `X-Detente-Seq`, the position of the committed event."""
    response = fragment if request.headers.get("hx-request") else RedirectResponse(redirect, 303)
    if record is not None:
        response.headers["X-Detente-Seq"] = str(record.seq)
    return response


Builder = Callable[["LiveApp", Who, Snapshot], Any]


def build(
    app: LiveApp, caller: Who, builders: dict[str, Builder], keys: Iterable[str] | None = None
) -> dict[str, Any]:
    """The template context: every builder (a page) or only those named in `keys` (one panel —
    an act's response or an SSE refresh builds just what that panel shows)."""
    snap = app.controller.log.snapshot()
    wanted = builders if keys is None else [k for k in builders if k in set(keys)]
    context: dict[str, Any] = {"seq": snap.seq, "errors": {}}
    for key in wanted:
        context[key] = builders[key](app, caller, snap)
    return context


async def in_thread(fn: Callable[[], T]) -> T:
    """Run blocking work (an append that commits, building a view) off the event loop, so the
    event streams keep flowing while the database writes."""
    return await run_in_threadpool(fn)
