"""The facilitator's exercise-control acts: pause and resume the clock, extend the deadline,
release an inject now or hold it, write an inject on the spot, undo the last control act.

Each is checked against the running move's clock (:mod:`detente.web.clock`) under the log's
lock and appended as an act; a refused act raises :class:`~detente.web.acts.ActRefused`. The acts
are the exercise's events (:mod:`detente.ttx.events`), imported where an act is written: the web
app imports no domain when it loads."""

from __future__ import annotations

from typing import Any

from detente.store.log import Record
from detente.store.visibility import ALL, FACILITATOR, delegation_only
from detente.web.acts import MAX_NOTE, ActRefused
from detente.web.clock import MoveClock, delivery
from detente.web.live import LiveController

MAX_EXTENSION = 120.0


def _clock(controller: LiveController) -> MoveClock:
    clock: MoveClock | None = controller.move_clock()
    if clock is None:
        raise ActRefused(409, "No move of the exercise is running.")
    return clock


def _act(controller: LiveController, event: Any, visibility: str = ALL) -> Record:
    return controller.append_act(event, actor=FACILITATOR, visibility=visibility)


def pause(controller: LiveController) -> Record:
    from detente.ttx.events import ExerciseClockPaused

    with controller.log.lock:
        clock = _clock(controller)
        if clock.paused_at is not None:
            raise ActRefused(409, "The exercise clock is already paused.")
        return _act(controller, ExerciseClockPaused(item_id=clock.item_id, move=clock.move))


def resume(controller: LiveController) -> Record:
    from detente.ttx.events import ExerciseClockResumed

    with controller.log.lock:
        clock = _clock(controller)
        if clock.paused_at is None:
            raise ActRefused(409, "The exercise clock is running.")
        return _act(controller, ExerciseClockResumed(item_id=clock.item_id, move=clock.move))


def extend(controller: LiveController, fields: dict[str, str]) -> Record:
    from detente.ttx.events import DeadlineExtended

    try:
        minutes = float(fields.get("minutes", ""))
    except ValueError:
        minutes = 0.0
    if not 0 < minutes <= MAX_EXTENSION:
        raise ActRefused(422, "Give between 1 and %(n)s minutes.", n=f"{MAX_EXTENSION:g}")
    with controller.log.lock:
        clock = _clock(controller)
        return _act(
            controller, DeadlineExtended(item_id=clock.item_id, move=clock.move, minutes=minutes)
        )


def _row(clock: MoveClock, number: int) -> Any:
    row = next((r for r in clock.rows if r.number == number), None)
    if row is None:
        raise ActRefused(404, "No such inject in this move.")
    if row.status == "delivered":
        raise ActRefused(409, "This inject has already reached the room.")
    return row


def release_now(controller: LiveController, number: int) -> Record:
    """Deliver a scheduled (or held) inject at once."""
    with controller.log.lock:
        row = _row(_clock(controller), number)
        last = None
        for record in row.records:
            event, visibility = delivery(record, "facilitator")
            last = _act(controller, event, visibility)
        assert last is not None
        return last


def hold(controller: LiveController, number: int) -> Record:
    from detente.ttx.events import InjectHeld

    with controller.log.lock:
        clock = _clock(controller)
        row = _row(clock, number)
        if row.status == "held":
            raise ActRefused(409, "This inject is already held.")
        return _act(
            controller,
            InjectHeld(item_id=clock.item_id, move=clock.move, number=number),
            FACILITATOR,
        )


def write_inject(controller: LiveController, fields: dict[str, str]) -> Record:
    from detente.ttx.events import InjectWritten

    title = fields.get("title", "").strip()
    text = fields.get("text", "").strip()
    to = fields.get("to", "all") or "all"
    if not title or not text:
        raise ActRefused(422, "Please fill in every required field.")
    if len(title) > 200 or len(text) > MAX_NOTE:
        raise ActRefused(422, "A field is longer than %(limit)s characters.", limit=MAX_NOTE)
    if to != "all" and to not in controller.seats:
        raise ActRefused(404, "No such delegation.")
    with controller.log.lock:
        clock = _clock(controller)
        return _act(
            controller,
            InjectWritten(item_id=clock.item_id, move=clock.move, title=title, text=text, to=to),
            ALL if to == "all" else delegation_only(to),
        )


def undo(controller: LiveController) -> Record:
    """Undo the facilitator's latest control act of the running move, within the window."""
    from detente.ttx.events import ControlUndone

    with controller.log.lock:
        clock = _clock(controller)
        act = clock.undoable(controller.now())
        if act is None:
            raise ActRefused(409, "Nothing to undo: the last act is too old or already undone.")
        visibility = FACILITATOR if act.visibility == FACILITATOR else act.visibility
        return _act(controller, ControlUndone(undone=act.seq, what=act.kind), visibility)
