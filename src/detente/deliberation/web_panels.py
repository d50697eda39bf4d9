"""Ballots on the live app's pages: the panel builders the deliberation plugin contributes
(:func:`detente.hooks.detente_web_panels`) — the common ground of the latest vote, the ranking
of the rated measures, a delegate's own marks, and the seat positions statements are credited to.

The facilitator sees the ballots live from every member's marks while they are open; everyone
else sees them once they are closed (:mod:`detente.deliberation.web_views`).
"""

from __future__ import annotations

from typing import Any

from detente.deliberation import web_views
from detente.deliberation.web_forms import seat_positions
from detente.hooks import PanelBuilder
from detente.text import Text
from detente.web.api import LiveApp, PendingRequest, Snapshot, Who, seat_requests


def _live_requests(caller: Who, snap: Snapshot) -> list[PendingRequest]:
    """The requests whose members' marks the caller may see live: the facilitator's (all of
    them); nobody else's."""
    return seat_requests(snap, caller.viewer) if caller.viewer.role == "facilitator" else []


def measure_titles(app: LiveApp, language: str) -> dict[str, str]:
    """The measures catalog's titles in `language` (English when not translated; `zh-Hans`
    reads the catalog's `zh`)."""
    code = {"zh-Hans": "zh"}.get(language, language)
    return {
        mid: title.get(code) if isinstance(title, Text) else str(title)
        for mid, title in app.controller.measure_titles.items()
    }


def ground(app: LiveApp, caller: Who, snap: Snapshot) -> web_views.CommonGround | None:
    return web_views.common_ground(app.folder, snap, caller.viewer, _live_requests(caller, snap))


def ranking(app: LiveApp, caller: Who, snap: Snapshot) -> web_views.Ranking | None:
    return web_views.ranking(
        app.folder,
        snap,
        caller.viewer,
        _live_requests(caller, snap),
        measure_titles(app, caller.session.language),
    )


def ballots(app: LiveApp, caller: Who, snap: Snapshot) -> dict[str, web_views.MyBallot]:
    """The caller's own marks on each request their seat may answer now."""
    return {
        r.key: web_views.my_ballot(r, caller.identity.person)
        for r in seat_requests(snap, caller.viewer)
        if r.status in ("open", "closed")
    }


def roster(app: LiveApp, caller: Who, snap: Snapshot) -> dict[str, Any]:
    return seat_positions(app.controller)


PANELS: dict[str, PanelBuilder] = {
    "ground": ground,
    "ranking": ranking,
    "ballots": ballots,
    "roster": roster,
}
