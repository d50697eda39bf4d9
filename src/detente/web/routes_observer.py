"""The observer view: the programme, the exercise's public material, the closed votes' common
ground, and the public feed (read-only)."""

from __future__ import annotations

from detente.web import contributed, views
from detente.web.common import Builder
from detente.web.read_only import read_only_router

BUILDERS: dict[str, Builder] = {
    "programme": lambda app, caller, snap: views.programme(app.folder, snap, caller.viewer),
    "announcements": lambda app, caller, snap: views.announcements(snap, limit=1),
    "exercise": contributed.panel("exercise"),
    "ground": contributed.panel("ground"),
    "ranking": contributed.panel("ranking"),
    "feed": lambda app, caller, snap: views.feed(snap, caller.viewer),
}
PANELS: dict[str, tuple[str, ...]] = {
    "programme": ("programme", "announcements"),
    "exercise": ("exercise",),
    "ground": ("ground", "ranking"),
    "feed": ("feed",),
}


router = read_only_router("/observer", "observer", "observer.html", BUILDERS, PANELS)
