"""Feed lines for exercise control: injects delivered on the clock or written on the spot, and
the facilitator's clock acts (see :mod:`detente.web.clock`)."""

from __future__ import annotations

from detente.store.log import Record
from detente.web.views import Message, describes

Line = tuple[Message, tuple[str, ...]] | None


@describes("inject_delivered")
def _delivered(r: Record) -> Line:
    p = r.payload
    return ("Inject %(n)s: %(title)s", {"n": p["number"], "title": p["title"]}), (str(p["text"]),)


@describes("inject_written")
def _written(r: Record) -> Line:
    p = r.payload
    return ("Inject: %(title)s", {"title": p["title"]}), (str(p["text"]),)


@describes("inject_held")
def _held(r: Record) -> Line:
    return ("Inject %(n)s held.", {"n": r.payload["number"]}), ()


@describes("exercise_clock_paused")
def _paused(r: Record) -> Line:
    return ("The exercise clock is paused.", {}), ()


@describes("exercise_clock_resumed")
def _resumed(r: Record) -> Line:
    return ("The exercise clock runs again.", {}), ()


@describes("deadline_extended")
def _extended(r: Record) -> Line:
    return ("Decisions close later: +%(n)s min.", {"n": f"{r.payload['minutes']:g}"}), ()


UNDONE: dict[str, str] = {
    "exercise_clock_paused": "The facilitator undid the pause.",
    "exercise_clock_resumed": "The facilitator undid the resumption: the clock is paused.",
    "deadline_extended": "The facilitator undid the deadline extension.",
    "inject_held": "The facilitator undid holding an inject.",
    "inject_written": "The facilitator withdrew an inject.",
}


@describes("control_undone")
def _undone(r: Record) -> Line:
    return (UNDONE.get(str(r.payload["what"]), "The facilitator undid an act."), {}), ()


@describes("session_ended")
def _left(r: Record) -> Line:
    return ("%(person)s left.", {"person": r.payload["person"]}), ()
