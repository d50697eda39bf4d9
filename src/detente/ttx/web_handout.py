"""The move handout as the delegate's screen shows it: the same content the printed handout
carries, read from the one source :func:`detente.ttx.handout.handout_content`.

The screen and the sheet must never disagree on what a delegation was told when a move opened
(brief, the MSEL rows handed out at the move's start, its questions, its options), so the web
app does not rebuild any of it from the decision request's copy: it asks
:func:`handout_content` with the options the live request holds open (`legal`), and only picks
the viewer's language here.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from detente.ttx.handout import handout_content
from detente.ttx.pack import Pack
from detente.ttx.scenario import Text
from detente.web.api import PendingRequest


def text(value: Text | None, language: str, fallback: str = "") -> str:
    """A scenario text in an interface language (`zh-Hans` reads the pack's `zh`)."""
    if value is None:
        return fallback
    return value.get({"zh-Hans": "zh"}.get(language, language))


@dataclass(frozen=True)
class ScreenInject:
    number: int
    title: str
    text: str
    sender: str
    method: str


@dataclass(frozen=True)
class ScreenOption:
    id: str
    label: str
    description: str
    private: bool


@dataclass(frozen=True)
class ScreenHandout:
    """One move's handout for one actor, in one language (see the module docstring)."""

    move: int
    title: str
    scenario_time: str
    minutes: int
    brief: str
    injects: tuple[ScreenInject, ...]
    questions: tuple[str, ...]
    options: tuple[ScreenOption, ...]
    max_actions: int


def actor_of(pack: Pack | None, delegation: str | None) -> str | None:
    """The player actor a delegation plays (None: not a player, or no scenario)."""
    if pack is None or delegation is None:
        return None
    return next((a.id for a in pack.scenario.players if a.delegation == delegation), None)


def screen_handout(
    pack: Pack | None,
    move: int,
    actor: str | None,
    language: str,
    legal: Collection[str] | None = None,
) -> ScreenHandout | None:
    """The handout of `move` for `actor` in `language`; None without a scenario or when the
    scenario has no such move (a record played with another pack)."""
    if pack is None:
        return None
    try:
        content = handout_content(pack.scenario, move, actor, legal)
    except KeyError:
        return None
    return ScreenHandout(
        move=content.move,
        title=text(content.title, language),
        scenario_time=content.scenario_time,
        minutes=content.minutes,
        brief=text(content.brief, language),
        injects=tuple(
            ScreenInject(
                i.number,
                text(i.title, language),
                text(i.text, language),
                text(i.sender, language),
                text(i.method, language),
            )
            for i in content.injects
        ),
        questions=tuple(text(q, language) for q in content.questions),
        options=tuple(
            ScreenOption(
                o.id,
                text(o.label, language),
                text(o.description, language) if o.description else "",
                o.private,
            )
            for o in content.options
        ),
        max_actions=content.max_actions,
    )


def request_handouts(
    pack: Pack | None, requests: Iterable[PendingRequest], language: str
) -> dict[str, ScreenHandout]:
    """The handout behind each open TTX decision request, by request key: the move and actor
    the request names, narrowed to the options the request holds open now."""
    out: dict[str, ScreenHandout] = {}
    for r in requests:
        if r.request_type != "ttx_decision_request":
            continue
        asked: dict[str, Any] = r.request
        legal = [str(o["id"]) for o in asked.get("options", ())]
        found = screen_handout(pack, int(asked["move"]), str(asked["actor"]), language, legal)
        if found is not None:
            out[r.key] = found
    return out


__all__ = [
    "ScreenHandout",
    "ScreenInject",
    "ScreenOption",
    "actor_of",
    "request_handouts",
    "screen_handout",
    "text",
]
