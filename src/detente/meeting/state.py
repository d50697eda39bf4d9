"""The state of a meeting as a pure function of its event log.

`meeting_state(records)` folds the log into what ran, what each item produced and where the
meeting stands now. Nothing here reads a clock or a database, so replay, audit and crash recovery
are the same code path as live use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from detente.meeting.events import (
    ActivityUnavailable,
    ItemEnded,
    ItemStarted,
    MeetingClosed,
    MeetingOpened,
)
from detente.store.events import Event, decode, known
from detente.store.log import Record


@dataclass
class HeldItem:
    """One programme item as held: when it ran and the events appended while it ran."""

    item_id: str
    title: str
    kind: str
    session: int | None
    activity: str | None
    started: dt.datetime
    ended: dt.datetime | None = None
    unavailable: str | None = None
    outputs: list[tuple[Record, Event]] = field(default_factory=list)


@dataclass
class MeetingState:
    """Where a meeting stands: the opening event, the items held, the current item."""

    opened: MeetingOpened | None = None
    items: list[HeldItem] = field(default_factory=list)
    current: HeldItem | None = None
    closed: bool = False

    def item(self, item_id: str) -> HeldItem | None:
        for held in self.items:
            if held.item_id == item_id:
                return held
        return None


def meeting_state(records: Iterable[Record]) -> MeetingState:
    """Fold a meeting's records (in log order) into its state. Unknown kinds are kept as
    outputs of the current item only if they decode; others are ignored for state."""
    state = MeetingState()
    for record in records:
        if not known(record.kind):
            continue
        event = decode(record)
        if isinstance(event, MeetingOpened):
            state.opened = event
        elif isinstance(event, ItemStarted):
            held = HeldItem(
                event.item_id,
                event.title,
                event.item_kind,
                event.session,
                event.activity,
                record.time,
            )
            state.items.append(held)
            state.current = held
        elif isinstance(event, ItemEnded):
            if state.current is not None and state.current.item_id == event.item_id:
                state.current.ended = record.time
                state.current = None
        elif isinstance(event, MeetingClosed):
            state.closed = True
        elif state.current is not None:
            if isinstance(event, ActivityUnavailable):
                state.current.unavailable = event.reason
            state.current.outputs.append((record, event))
    return state
