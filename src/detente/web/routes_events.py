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

from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from detente.web import views
from detente.web.auth import session_hash
from detente.web.common import Batch, LiveApp, feed_html, live, require

router = APIRouter()
PANEL_OF: dict[str, str] = {
    "note_written": "notes",
    "announcement": "announce",
    "seat_requested": "requests",
    "answer_drafted": "requests",
    "answer_submitted": "requests",
    "answer_simulated": "requests",
    "answer_missed": "requests",
    "request_closed": "requests",
    "request_viewed": "requests",
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
    "session_ended": "seats",
    "live_resumed": "programme",
    "model_handed_on": "requests",
    "model_answer_dropped": "requests",
}
DOMAIN_PANELS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        (
            "ttx_exercise_started",
            "ttx_move_started",
            "ttx_inject_released",
            "ttx_decision",
            "ttx_adjudication_proposed",
            "ttx_adjudication_overridden",
            "ttx_mechanics_audit",
            "ttx_narrative",
            "ttx_exercise_ended",
        ),
        ("exercise",),
    ),
    **dict.fromkeys(
        (
            "inject_delivered",
            "inject_held",
            "inject_written",
            "exercise_clock_paused",
            "exercise_clock_resumed",
            "deadline_extended",
            "control_undone",
        ),
        ("exercise", "requests"),
    ),
    **dict.fromkeys(
        (
            "statement_added",
            "statement_edited",
            "statement_withdrawn",
            "voting_opened",
            "vote_cast",
            "voting_closed",
            "analysis_recorded",
            "ratings_opened",
            "rating_submitted",
            "ratings_closed",
            "roadmap_analysed",
            "roadmap_recorded",
        ),
        ("ground",),
    ),
    **dict.fromkeys(
        (
            "facilitator_note",
            "recommendations_drafted",
            "recommendation_edited",
            "recommendations_accepted",
            "commitment_made",
            "reflection_timeline",
            "reflection_escalation_curve",
            "reflection_turning_point",
            "reflection_inject_assessed",
            "reflection_hotwash_question",
            "presentation_delivered",
            "clarification_exchanged",
        ),
        (),
    ),
}
"""Panels of the domains' event kinds: the exercise, the common ground and ranking; none for
kinds shown as feed lines only."""


def _message(event: str, seq: int, data: str) -> str:
    lines = data.replace("\r", "").split("\n") or [""]
    return f"id: {seq}\nevent: {event}\n" + "".join(f"data: {line}\n" for line in lines) + "\n"


def audience(viewer: views.Viewer) -> tuple[str, views.Viewer]:
    """The audience a viewer belongs to for the stream — everyone in it may see exactly the same
    records — and a viewer standing for it."""
    if viewer.role == "facilitator":
        return "facilitator", views.Viewer("facilitator")
    if viewer.role == "delegate" and viewer.delegation is not None:
        return f"delegation:{viewer.delegation}", views.Viewer(
            "delegate", delegation=viewer.delegation
        )
    return "public", views.Viewer("observer")


MAX_BATCHES = 256


def batch(app: LiveApp, viewer: views.Viewer, language: str, after: int, upto: int) -> Batch:
    """The stream text of records (after, upto] for the viewer's audience, built once per
    audience and language and shared by all its streams."""
    name, stands_for = audience(viewer)
    key = (name, language, after, upto)
    found = app.batches.get(key)
    if found is not None:
        return found
    lines: list[str] = []
    panels: list[str] = []
    revocation = False
    for record in app.controller.log.records(after, upto):
        revocation = revocation or record.kind in ("code_revoked", "session_ended")
        if not views.shown(record, stands_for):
            continue
        html = feed_html(app, record, language)
        if html:
            lines.append(html)
        for panel in panels_of(record.kind):
            if panel not in panels:
                panels.append(panel)
    parts = []
    if lines:
        parts.append(_message("feed", upto, "".join(reversed(lines))))
    parts += [_message(panel, upto, str(upto)) for panel in panels]
    made = Batch("".join(parts), revocation)
    app.batches[key] = made
    while len(app.batches) > MAX_BATCHES:
        app.batches.popitem(last=False)
    return made


def panels_of(kind: str) -> tuple[str, ...]:
    """The panels a record of this kind changes (`refresh` for kinds the app does not know)."""
    found = PANEL_OF.get(kind)
    if found is not None:
        return (found,)
    return DOMAIN_PANELS.get(kind, ("refresh",))


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
        beats = app.ticker.beats
        yield "retry: 2000\n\n"
        while True:
            wake = app.ticker.current()
            upto = log.seq if once else min(app.ticker.seq, log.seq)
            if upto <= last:
                if once:
                    return
                await wake.wait()
                if app.ticker.beats != beats:
                    beats = app.ticker.beats
                    yield ": keepalive\n\n"
                continue
            made = batch(app, viewer, language, last, upto)
            if made.revocation and (
                (session := app.gate.read(cookie, app.generations)) is None
                or session_hash(session) in log.ended
            ):
                yield _message("revoked", upto, "")
                return
            last = upto
            if made.text:
                yield made.text
            if once:
                return

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
