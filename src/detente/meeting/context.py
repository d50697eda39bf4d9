"""What an activity gets to work with: the meeting, its seats, a seeded generator and the log.

Activities append events through :meth:`ActivityContext.emit`, which stamps them with the meeting
clock. In simulation the clock is the programme's own time (so the same seed gives a byte-identical
record); in a live meeting it is the `clock` the live app passes (the wall clock, or the recorded
time while a restarted meeting replays its log).

Decisions that need the facilitator go through `ctx.facilitator` (see
:mod:`detente.meeting.facilitator`). When an activity needs an answer from several seats at once
(every delegation decides a move, every seat votes), :meth:`ActivityContext.ask_all` lets live seats
publish all the requests before any of them blocks, so delegations answer in parallel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from detente.meeting.facilitator import AutomaticFacilitator, Facilitator
from detente.meeting.loader import MeetingFolder
from detente.meeting.model import Day
from detente.seats.base import Request, Seat, SeatCannotAnswer, T
from detente.store.events import Event
from detente.store.log import Draft, Record
from detente.store.visibility import ALL

Append = Callable[[Draft], Record]
Clock = Callable[[], dt.datetime]


def local_time(folder: MeetingFolder, day: Day, clock: dt.time) -> dt.datetime:
    """A programme time on a given day, as an aware datetime in the meeting's time zone."""
    return dt.datetime.combine(day.date, clock, tzinfo=folder.meeting.meeting.zone)


@dataclass
class ActivityContext:
    """The runner's services for one meeting run."""

    folder: MeetingFolder
    seats: Mapping[str, Seat]
    rng: np.random.Generator
    append: Append
    now: dt.datetime
    simulated: bool = True
    emitted: list[Record] = field(default_factory=list)
    facilitator: Facilitator = field(default_factory=AutomaticFacilitator)
    clock: Clock | None = None
    """The live clock; None in simulation (the programme's own time is used)."""
    out_dir: Path | None = None
    """The meeting's output folder, where activities may write files (plots); None: write none."""
    carry: dict[str, object] = field(default_factory=dict)
    """What an activity keeps from one item to a later one of the same run (the engine of an
    exercise split over several items), by a key the activity owns."""

    def emit(
        self,
        event: Event,
        *,
        actor: str,
        visibility: str = ALL,
        at: dt.datetime | None = None,
    ) -> Record:
        """Append `event` to the log at `at` (default: the current meeting clock)."""
        if at is not None:
            self.now = at
        if self.clock is not None:
            self.now = self.clock()
        elif not self.simulated:
            self.now = dt.datetime.now(dt.UTC)
        record = self.append(
            Draft(self.now, actor, event.kind, visibility, event.payload(), event.version)
        )
        self.emitted.append(record)
        return record

    def advance(self, minutes: float) -> None:
        """Move the simulated clock forward (a live meeting's clock moves by itself)."""
        if self.clock is None:
            self.now = self.now + dt.timedelta(minutes=minutes)

    def ask_all(self, requests: Mapping[str, Request[T]]) -> dict[str, T | SeatCannotAnswer]:
        """Ask several seats (delegation id → request) and collect every answer.

        Seats that can publish a request without blocking (live web seats have `publish`) get all
        their requests first, so people answer in parallel; then each seat is asked in the given
        order. A seat that cannot answer yields its :class:`SeatCannotAnswer` in the result
        instead of an answer. Simulated seats are asked in the same order as a plain loop would,
        so a simulation record does not change when an activity switches to `ask_all`.
        """
        for delegation, request in requests.items():
            publish = getattr(self.seats.get(delegation), "publish", None)
            if publish is not None:
                publish(request)
        answers: dict[str, T | SeatCannotAnswer] = {}
        for delegation, request in requests.items():
            seat = self.seats.get(delegation)
            if seat is None:
                answers[delegation] = SeatCannotAnswer(f"no seat for {delegation}")
                continue
            try:
                answers[delegation] = seat.answer(request)
            except SeatCannotAnswer as exc:
                answers[delegation] = exc
        return answers
