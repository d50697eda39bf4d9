"""Live updates by server-sent events: each viewer gets the new records they may see.

One stream per open page. When the log grows, the stream sends, for the records this viewer may
see (:func:`detente.web.views.visible`, the same rule as every view):

- `feed`: the rendered feed lines (HTMX prepends them to the feed);
- one event per panel the records touch (`programme`, `requests`, `decisions`, `notes`, `seats`,
  `announce`, or `refresh` for kinds the app does not know), on which the page re-fetches that
  panel — the panel itself is built by the view functions, so SSE carries no confidential data
  of its own.

Every event has the log position as its `id`, so a reconnecting browser (`Last-Event-ID`) gets
what it missed. A revoked session gets `revoked` and the stream ends. With `?once=1` the stream
sends what is pending after `after` and ends (a polling fallback for clients without
EventSource, and what the tests read).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from detente.web import views
from detente.web.common import feed_html, live, require

router = APIRouter()
KEEPALIVE_SECONDS = 15.0
PANEL_OF: dict[str, str] = {
    "note_written": "notes",
    "announcement": "announce",
    "seat_requested": "requests",
    "answer_drafted": "requests",
    "answer_submitted": "requests",
    "answer_simulated": "requests",
    "answer_missed": "requests",
    "request_closed": "requests",
    "decision_requested": "decisions",
    "decision_taken": "decisions",
    "decision_automatic": "decisions",
    "item_started": "programme",
    "item_ended": "programme",
    "meeting_opened": "programme",
    "meeting_closed": "programme",
    "activity_unavailable": "programme",
    "seat_assigned": "seats",
    "participant_joined": "seats",
    "code_revoked": "seats",
    "live_resumed": "programme",
}


def _message(event: str, seq: int, data: str) -> str:
    lines = data.replace("\r", "").split("\n") or [""]
    return f"id: {seq}\nevent: {event}\n" + "".join(f"data: {line}\n" for line in lines) + "\n"


@router.get("/events")
async def events(request: Request) -> StreamingResponse:
    caller = require("facilitator", "delegate", "observer", "projector")(request)
    app = live(request)
    log = app.controller.log
    cookie = request.cookies.get(app.gate.cookie)
    given = request.headers.get("last-event-id") or request.query_params.get("after") or ""
    once = request.query_params.get("once") == "1"
    start = int(given) if given.isdigit() else log.seq
    viewer = caller.viewer
    language = caller.session.language

    async def stream() -> AsyncIterator[str]:
        last = start
        yield "retry: 2000\n\n"
        while True:
            wake = app.ticker.current()
            records = log.records(last)
            if not records:
                if once:
                    return
                try:
                    await asyncio.wait_for(wake.wait(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield ": keepalive\n\n"
                continue
            if app.gate.read(cookie, app.generations) is None:
                yield _message("revoked", records[-1].seq, "")
                return
            last = records[-1].seq
            lines: list[str] = []
            panels: list[str] = []
            for record in records:
                if not views.visible(record.visibility, viewer):
                    continue
                html = feed_html(app, record, language)
                if html:
                    lines.append(html)
                panel = PANEL_OF.get(record.kind, "refresh")
                if panel not in panels:
                    panels.append(panel)
            if lines:
                yield _message("feed", last, "".join(reversed(lines)))
            for panel in panels:
                yield _message(panel, last, str(last))
            if not lines and not panels:
                yield _message("seq", last, str(last))
            if once:
                return

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
