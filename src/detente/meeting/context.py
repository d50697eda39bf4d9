"""What an activity gets to work with: the meeting, its seats, a seeded generator and the log.

Activities append events through :meth:`ActivityContext.emit`, which stamps them with the meeting
clock. In simulation the clock is the programme's own time (so the same seed gives a byte-identical
record); in a live meeting it is the wall clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from detente.meeting.loader import MeetingFolder
from detente.meeting.model import Day
from detente.seats.base import Seat
from detente.store.events import ALL, Event
from detente.store.log import Draft, Record

Append = Callable[[Draft], Record]


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
        if not self.simulated:
            self.now = dt.datetime.now(dt.UTC)
        record = self.append(Draft(self.now, actor, event.kind, visibility, event.payload()))
        self.emitted.append(record)
        return record

    def advance(self, minutes: float) -> None:
        """Move the simulated clock forward."""
        self.now = self.now + dt.timedelta(minutes=minutes)
