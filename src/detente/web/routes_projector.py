"""The projector: the current item, the clock, the current inject, the escalation meter, the
common-ground chart of the latest closed vote, the latest public line (read-only, big type)."""

from __future__ import annotations

from typing import Any

from detente.web import contributed, views
from detente.web.common import Builder, Who
from detente.web.read_only import read_only_router


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


router = read_only_router("/projector", "projector", "projector.html", BUILDERS, PANELS)
