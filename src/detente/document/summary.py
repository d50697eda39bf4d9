"""`summary.md`: the programme as held and what each session produced, from the record alone.

Views are attributed to delegations, never to named people (Chatham House Rule). Words a
language model drafted are labelled: a note under the seats says whose, and the programme's own
lines (presentations, answers to questions) carry the
:data:`~detente.document.drafted.MODEL_DRAFTED` marker where a model seat spoke.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection

from detente import registry
from detente.document.drafted import MODEL_DRAFTED, drafted_note
from detente.meeting.events import ClarificationExchanged, PresentationDelivered
from detente.meeting.loader import MeetingFolder
from detente.meeting.state import HeldItem, MeetingState
from detente.store.events import Event


def acts(held: HeldItem) -> tuple[int, int]:
    """(recorded acts, public ones) of a held item: the one count summary.md and the meeting
    report print, so they never disagree (a document for the public prints the second)."""
    public = sum(1 for r, _ in held.outputs if r.visibility == "all")
    return len(held.outputs), public


def acts_text(held: HeldItem) -> str:
    """`95 recorded acts`, or `95 recorded acts, 94 of them public` when some are not."""
    total, public = acts(held)
    text = f"{total} recorded act" + ("" if total == 1 else "s")
    return text if public == total else f"{text}, {public} of them public"


def _local(folder: MeetingFolder, held: HeldItem) -> str:
    zone = folder.meeting.meeting.zone
    start = held.started.astimezone(zone)
    if start.time() == dt.time(0, 0) and held.ended in (None, held.started):
        return f"{start:%a %d %b}"
    text = f"{start:%a %d %b %H:%M}"
    if held.ended is not None and held.ended != held.started:
        text += f"–{held.ended.astimezone(zone):%H:%M}"
    return text


def _name(folder: MeetingFolder, delegation: str) -> str:
    try:
        return folder.meeting.delegation(delegation).name
    except KeyError:
        return delegation


def _outputs(held: HeldItem, kind: type[Event]) -> list[Event]:
    return [e for _, e in held.outputs if isinstance(e, kind)]


Renderer = Callable[[MeetingFolder, HeldItem], list[str]]


def _presentations(model: Collection[str] = ()) -> Renderer:
    """The presentations and clarifications of a held item; the words of the delegations in
    `model` (seated as language models for the whole run) carry the model-drafted marker."""

    def mark(delegation: str) -> str:
        return f" {MODEL_DRAFTED}" if delegation in model else ""

    def render(folder: MeetingFolder, held: HeldItem) -> list[str]:
        lines: list[str] = []
        for event in _outputs(held, PresentationDelivered):
            assert isinstance(event, PresentationDelivered)
            lines.append(
                f"**{_name(folder, event.delegation)}** ({event.minutes} minutes)"
                f"{mark(event.delegation)}:"
            )
            lines += [f"- *{p.topic}*: {p.statement} — source: {p.source}" for p in event.points]
            lines.append("")
        clarifications = _outputs(held, ClarificationExchanged)
        if clarifications:
            lines.append("Questions and clarifications:")
            for event in clarifications:
                assert isinstance(event, ClarificationExchanged)
                lines.append(
                    f"- {_name(folder, event.asked_by)}{mark(event.asked_by)} asked "
                    f"{_name(folder, event.asked_of)} on *{event.topic}*: {event.question} — "
                    f"answer{mark(event.asked_of)}: {event.answer}"
                )
            lines.append("")
        return lines

    return render


def render_summary(folder: MeetingFolder, state: MeetingState) -> str:
    """Markdown summary of a held meeting: for each held item, the programme's own lines, then
    every plugin's summary section (:func:`detente.hooks.detente_summary_sections`) in plugin
    order."""
    seated = state.opened.seats if state.opened is not None else {}
    model = {d for d, kind in seated.items() if kind == "model"}
    renderers = [_presentations(model), *registry.summary_sections()]
    info = folder.meeting.meeting
    lines = [f"# {info.title} — summary", ""]
    if state.opened is not None:
        kinds = state.opened.seats  # stored as JSON with sorted keys: list in meeting order
        order = [d.id for d in folder.meeting.delegations if d.id in kinds]
        order += [d for d in kinds if d not in order]
        seats = ", ".join(f"{_name(folder, d)}: {kinds[d]}" for d in order)
        lines += [
            f"Mode: {state.opened.mode}"
            + (f" (seed {state.opened.seed})" if state.opened.seed is not None else "")
            + f". Seats — {seats}.",
            "",
        ]
    drafted = drafted_note(folder, seated, (r for held in state.items for r, _ in held.outputs))
    if drafted:
        lines += [drafted, ""]
    lines += ["## Programme as held", "", "| when | item | outcome |", "|---|---|---|"]
    for held in state.items:
        title = f"Session {held.session}: {held.title}" if held.session else held.title
        if held.unavailable:
            outcome = "not run: " + held.unavailable
        elif held.activity:
            outcome = f"{held.activity}: {acts_text(held)}"
        else:
            outcome = held.kind
        lines.append(f"| {_local(folder, held)} | {title} | {outcome} |")
    lines.append("")
    for held in state.items:
        if held.session is None and not held.outputs:
            continue
        title = f"Session {held.session}: {held.title}" if held.session else held.title
        lines += [f"## {title}", ""]
        if held.unavailable:
            lines += [f"Not run: {held.unavailable}.", ""]
            continue
        body: list[str] = []
        for render in renderers:
            body += render(folder, held)
        lines += body or ["Nothing was recorded for this session.", ""]
    if not state.closed:
        lines += ["*The record ends before the meeting closed.*", ""]
    return "\n".join(lines).rstrip() + "\n"
