"""The exercise clock: the running move's MSEL on a clock, read from the log alone.

The runner records which injects a move releases (`ttx_inject_released`, at the move's start,
as the engine decides); the room receives each one when the clock reaches its MSEL offset from
the move's start (`inject_delivered`, appended by :class:`ClockThread`), or when the facilitator
releases it now. The facilitator may pause and resume the clock, extend the decision deadline,
hold a row, write an inject on the spot and undo their last control act within
:data:`UNDO_SECONDS`. Every one of these is an act in the log; :func:`move_clock` rebuilds the
clock from the records, so a restarted server continues the schedule where it was (rows that fell
due while it was down are delivered at once).

Clock time: `minute` seconds of the room's clock make one scenario minute (60 normally, less to
rehearse or test with a compressed clock). Paused time does not count. The decisions close at
`share` of the move's minutes (the exercise's rule, :data:`detente.ttx.live.DECISION_SHARE`,
handed in by the live controller so this module imports no domain).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from detente.store.log import Record
from detente.web.livelog import LiveLog

UNDO_SECONDS = 60.0
"""How long after a control act the facilitator may undo it."""
UNDOABLE = (
    "exercise_clock_paused",
    "exercise_clock_resumed",
    "deadline_extended",
    "inject_held",
    "inject_written",
)
CONTROL_KINDS = (*UNDOABLE, "inject_delivered", "control_undone")


@dataclass(frozen=True)
class Row:
    """One inject the move released, as the clock sees it."""

    number: int
    offset: float
    """Scenario minutes from the move's start."""
    title: str
    records: tuple[Record, ...]
    """The runner's `ttx_inject_released` records of it (one per audience)."""
    status: str
    """`delivered`, `held` or `scheduled`."""
    due: dt.datetime | None
    """When the clock delivers it (None while paused or when not scheduled)."""


@dataclass
class MoveClock:
    """The running move's clock."""

    item_id: str
    move: int
    started: dt.datetime
    minutes: float
    minute: float
    share: float
    """The share of the move's minutes after which its decisions close."""
    paused_at: dt.datetime | None = None
    paused: dt.timedelta = dt.timedelta()
    extended: float = 0.0
    rows: list[Row] = field(default_factory=list)
    last_act: Record | None = None
    """The facilitator's latest control act that may still be undone (if within the window)."""

    def elapsed(self, now: dt.datetime) -> float:
        """Scenario minutes since the move started, paused time excluded."""
        until = self.paused_at or now
        seconds = (until - self.started - self.paused).total_seconds()
        return max(0.0, seconds / self.minute)

    def at(self, scenario_minutes: float, now: dt.datetime) -> dt.datetime | None:
        """The room's time when the clock reads `scenario_minutes` (None while paused)."""
        if self.paused_at is not None:
            return None
        return self.started + self.paused + dt.timedelta(seconds=scenario_minutes * self.minute)

    def deadline(self, now: dt.datetime) -> dt.datetime:
        """When the move's decisions close: two thirds into the move plus extensions, paused
        time added (while paused, it moves on with the clock stopped)."""
        share = self.minutes * self.share + self.extended
        paused = self.paused + ((now - self.paused_at) if self.paused_at else dt.timedelta())
        return self.started + paused + dt.timedelta(seconds=share * self.minute)

    def due_now(self, now: dt.datetime) -> list[Row]:
        return [r for r in self.rows if r.due is not None and r.due <= now]

    def next_due(self) -> dt.datetime | None:
        times = [r.due for r in self.rows if r.due is not None]
        return min(times) if times else None

    def undoable(self, now: dt.datetime) -> Record | None:
        act = self.last_act
        if act is None or (now - act.time).total_seconds() > UNDO_SECONDS:
            return None
        return act


def _undone(log: LiveLog) -> set[int]:
    return {int(e.record.payload["undone"]) for e in log.by_kind.get("control_undone", [])}


def move_clock(
    log: LiveLog,
    offsets: Callable[[int], float],
    minute: float,
    now: dt.datetime,
    share: float,
) -> MoveClock | None:
    """The clock of the latest move of the latest exercise, or None when no move runs (none
    started, or its narrative is out). `offsets(number)` is an inject's MSEL offset; `share` of
    the move's minutes its decisions close."""
    with log.lock:
        moves = log.by_kind.get("ttx_move_started", [])
        if not moves:
            return None
        head = moves[-1].record
        if _of_move(log, head, "ttx_narrative"):
            return None
        undone = _undone(log)
        item_id, move = str(head.payload["item_id"]), int(head.payload["move"])
        minutes = float(head.payload["minutes"])
        clock = MoveClock(item_id, move, head.time, minutes, minute, share)
        controls = sorted(
            (r for kind in UNDOABLE for r in _of_move(log, head, kind)), key=lambda r: r.seq
        )
        _apply_controls(clock, [r for r in controls if r.seq not in undone], log)
        delivered = {int(r.payload["number"]) for r in _of_move(log, head, "inject_delivered")}
        held = {
            int(r.payload["number"])
            for r in _of_move(log, head, "inject_held")
            if r.seq not in undone
        }
        released: dict[int, list[Record]] = {}
        for r in _of_move(log, head, "ttx_inject_released"):
            released.setdefault(int(r.payload["number"]), []).append(r)
        for number, records in released.items():
            offset = offsets(number)
            if number in delivered:
                status, due = "delivered", None
            elif number in held:
                status, due = "held", None
            else:
                status, due = "scheduled", clock.at(offset, now)
            clock.rows.append(
                Row(number, offset, str(records[0].payload["title"]), tuple(records), status, due)
            )
        clock.rows.sort(key=lambda r: (r.offset, r.number))
        return clock


def _of_move(log: LiveLog, head: Record, kind: str) -> list[Record]:
    """The records of `kind` about the move `head` (its `ttx_move_started`) started, after it."""
    item_id, move = str(head.payload["item_id"]), int(head.payload["move"])
    return [
        e.record
        for e in log.by_kind.get(kind, [])
        if e.record.seq > head.seq
        and e.record.payload.get("item_id") == item_id
        and e.record.payload.get("move") == move
    ]


def _apply_controls(clock: MoveClock, live: list[Record], log: LiveLog) -> None:
    """Apply the facilitator's clock controls not undone (`live`, in log order) to `clock`:
    pauses, resumptions and extensions; the last of them is undoable unless an undo followed."""
    for r in live:
        if r.kind == "exercise_clock_paused" and clock.paused_at is None:
            clock.paused_at = r.time
        elif r.kind == "exercise_clock_resumed" and clock.paused_at is not None:
            clock.paused += r.time - clock.paused_at
            clock.paused_at = None
        elif r.kind == "deadline_extended":
            clock.extended += float(r.payload["minutes"])
    later_undo = [
        e.record.seq
        for e in log.by_kind.get("control_undone", [])
        if live and e.record.seq > live[-1].seq
    ]
    clock.last_act = live[-1] if live and not later_undo else None


def delivery(record: Record, by: str) -> tuple[Any, str]:
    """The `inject_delivered` act for a runner's inject record, and its visibility (the same
    audience as the record: all, one delegation, or the facilitator for facilitation rows)."""
    from detente.ttx.events import InjectDelivered

    p = record.payload
    return (
        InjectDelivered(
            item_id=str(p["item_id"]),
            move=int(p["move"]),
            number=int(p["number"]),
            title=str(p["title"]),
            text=str(p["text"]),
            sender=str(p.get("sender", "")),
            method=str(p.get("method", "")),
            inject_type=str(p.get("inject_type", "")),
            by=by,
        ),
        record.visibility,
    )


class ClockThread:
    """Delivers scheduled injects when they fall due: wakes when the log changes or the next
    row is due, and appends `inject_delivered` for every row due (under the log's lock, so a
    row is delivered once)."""

    def __init__(
        self,
        log: LiveLog,
        offsets: Callable[[int], float],
        minute: float,
        now: Callable[[], dt.datetime],
        append: Callable[[Any, str], Record],
        share: float,
    ) -> None:
        self.log = log
        self.offsets = offsets
        self.minute = minute
        self.now = now
        self.append = append
        self.share = share
        self._stopping = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="exercise-clock", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self.log.lock:
            self._stopping = True
            self.log.changed.notify_all()
        if self._thread is not None:
            self._thread.join(5)

    def deliver_due(self) -> float | None:
        """Deliver every row due now; seconds until the next one (None: nothing scheduled)."""
        with self.log.lock:
            now = self.now()
            clock = move_clock(self.log, self.offsets, self.minute, now, self.share)
            if clock is None:
                return None
            for row in clock.due_now(now):
                for record in row.records:
                    event, visibility = delivery(record, "clock")
                    self.append(event, visibility)
            clock = move_clock(self.log, self.offsets, self.minute, now, self.share)
            upcoming = clock.next_due() if clock else None
            return None if upcoming is None else max(0.0, (upcoming - now).total_seconds())

    def _run(self) -> None:
        while True:
            with self.log.lock:
                if self._stopping:
                    return
                wait = self.deliver_due()
                if self._stopping:
                    return
                self.log.changed.wait(min(wait, 1.0) if wait is not None else 1.0)
