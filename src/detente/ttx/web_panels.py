"""The exercise on the live app's pages: the panel builders and template functions the ttx plugin
contributes (:func:`detente.hooks.detente_web_panels`,
:func:`~detente.hooks.detente_web_template_functions`).

Builders read the meeting's scenario pack from the live controller (``app.controller.pack``) and
build from :mod:`detente.ttx.web_views` and :mod:`detente.ttx.web_handout` what the person asking
may see; the facilitator's rows (``msel``, ``arriving``) are empty for anyone else.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from detente.hooks import PanelBuilder, TemplateFunction
from detente.ttx import web_handout, web_views
from detente.web.api import (
    LiveApp,
    PendingRequest,
    Snapshot,
    Who,
    board_status,
    deadline_now,
    seat_requests,
    viewed_keys,
)


def _open(snap: Snapshot, caller: Who) -> list[PendingRequest]:
    """The requests the caller's seat may answer now (open, or closed but not yet taken)."""
    return [r for r in seat_requests(snap, caller.viewer) if r.status in ("open", "closed")]


def exercise(app: LiveApp, caller: Who, snap: Snapshot) -> web_views.Exercise | None:
    return web_views.exercise(
        app.controller.pack, snap, caller.viewer, caller.session.language, deadline_now(app)
    )


def msel(app: LiveApp, caller: Who, snap: Snapshot) -> list[web_views.MselRow]:
    language = caller.session.language
    ex = exercise(app, caller, snap)
    return web_views.msel(app.controller.pack, snap, caller.viewer, ex, language)


def arriving(app: LiveApp, caller: Who, snap: Snapshot) -> list[web_views.DecisionStatus]:
    """The move's decisions per delegation; an open one says not opened / opened / drafted
    (only the facilitator sees every delegation's requests)."""
    if caller.viewer.role != "facilitator":
        return []
    language = caller.session.language
    seen = viewed_keys(snap)
    return [
        dataclasses.replace(
            d, status=board_status(d.status, d.drafts, (d.key, d.delegation) in seen)
        )
        for d in web_views.decisions_arriving(
            seat_requests(snap, caller.viewer),
            exercise(app, caller, snap),
            app.controller.pack,
            language,
        )
    ]


def handouts(app: LiveApp, caller: Who, snap: Snapshot) -> dict[str, web_handout.ScreenHandout]:
    """The sealed envelopes of the caller's open decision requests."""
    return web_handout.request_handouts(
        app.controller.pack, _open(snap, caller), caller.session.language
    )


PANELS: dict[str, PanelBuilder] = {
    "exercise": exercise,
    "msel": msel,
    "arriving": arriving,
    "handouts": handouts,
}


def action_label(app: LiveApp, language: str) -> Callable[[str, str], str]:
    """`action_label(action_id, fallback)`: an exercise action's label in the reader's language
    (the request's label `fallback` otherwise)."""

    def label(action_id: str, fallback: str) -> str:
        pack = app.controller.pack
        if pack is None:
            return fallback
        found = web_views.action_label(pack, action_id, language)
        return fallback if found == action_id else found

    return label


def state_lines(app: LiveApp, language: str) -> Callable[..., Any]:
    """`state_lines(state, move=None)`: the state in words; with the move under review, each
    change since it opened marked."""

    def lines(state: Any, move: int | None = None) -> Any:
        pack = app.controller.pack
        if move is None:
            return web_views.state_lines(pack, state)
        before = web_views.state_at_start(pack, app.controller.log.snapshot(), move)
        return web_views.state_lines(pack, state, before)

    return lines


def proposal_words(app: LiveApp, language: str) -> Callable[[str], tuple[str, str, str]]:
    """`proposal_words(line)`: an adjudication proposal's line as (actor, action, status)."""

    def words(line: str) -> tuple[str, str, str]:
        return web_views.proposal_words(app.controller.pack, line, language)

    return words


TEMPLATE_FUNCTIONS: dict[str, TemplateFunction] = {
    "action_label": action_label,
    "state_lines": state_lines,
    "proposal_words": proposal_words,
}
