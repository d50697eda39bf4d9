"""The programme runner: walks the programme item by item and dispatches sessions to activities.

The runner knows neither Korea nor which kind of seat it talks to. For every item it records
`item_started`, runs the activity registered for the item's `activity` (or records
`activity_unavailable` — it never fabricates content), then `item_ended`. In simulation every
event is stamped with the programme's own clock, so the same seed gives a byte-identical record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from detente import registry
from detente.diagnostics import Diagnostic, InputError
from detente.meeting.context import ActivityContext, local_time
from detente.meeting.events import (
    ActivityUnavailable,
    ItemEnded,
    ItemStarted,
    MeetingClosed,
    MeetingOpened,
)
from detente.meeting.facilitator import EndItem, StartItem
from detente.meeting.loader import PROFILES_FILE, MeetingFolder
from detente.meeting.model import Day, Item
from detente.seats.base import Seat
from detente.seats.simulated import SimulatedDelegation
from detente.store.events import SYSTEM
from detente.store.log import ConflictError, Draft, EventStore, Record
from detente.store.visibility import FACILITATOR

ItemCallback = Callable[[int, int, Item], None]


class RecordExistsError(Exception):
    """The store already holds a record for this meeting; a run never appends to an old one."""


def simulated_seats(folder: MeetingFolder, seed: int) -> dict[str, Seat]:
    """A simulated seat for every delegation, each with its own seeded generator."""
    if folder.profiles is None:
        raise InputError(
            [
                Diagnostic(
                    str(folder.root / PROFILES_FILE),
                    0,
                    0,
                    (),
                    "no delegation profiles: simulated seats need delegations.yaml",
                )
            ]
        )
    delegations = [d.id for d in folder.meeting.delegations]
    missing = [d for d in delegations if d not in {p.delegation for p in folder.profiles.profiles}]
    if missing:
        raise InputError(
            [Diagnostic(PROFILES_FILE, 0, 0, ("profiles",), f"no profile for {', '.join(missing)}")]
        )
    children = np.random.SeedSequence(seed).spawn(len(delegations))
    return {
        d: SimulatedDelegation(folder.profiles, d, np.random.default_rng(child))
        for d, child in zip(delegations, children, strict=True)
    }


@dataclass
class _Writer:
    """Appends events one by one, detecting any other writer through the seq conflict."""

    store: EventStore
    meeting_id: str
    seq: int

    def __call__(self, draft: Draft) -> Record:
        try:
            (record,) = self.store.append(self.meeting_id, [draft], expected_seq=self.seq)
        except ConflictError as exc:
            raise ConflictError(f"{exc}; is another runner writing this meeting?") from exc
        self.seq = record.seq
        return record


def _item_times(folder: MeetingFolder, day: Day, item: Item) -> tuple[dt.datetime, dt.datetime]:
    start = local_time(folder, day, item.start or dt.time(0, 0))
    if item.end is None:
        return start, start
    end = local_time(folder, day, item.end)
    if end < start:  # crosses midnight
        end += dt.timedelta(days=1)
    return start, end


def item_started(item: Item, activity: str | None = None) -> ItemStarted:
    """The event that starts `item`, run by `activity` (default: the item's own)."""
    assert item.id is not None
    return ItemStarted(
        item_id=item.id,
        title=item.title,
        item_kind=item.kind.value,
        session=item.session,
        activity=item.activity if activity is None else activity,
    )


def run_meeting(
    folder: MeetingFolder,
    store: EventStore,
    *,
    seed: int = 0,
    seats: Mapping[str, Seat] | None = None,
    on_item: ItemCallback | None = None,
    out_dir: Path | None = None,
) -> list[Record]:
    """Run the whole programme in simulation and return the records appended.

    `seats` maps delegation ids to seats (default: simulated seats from the profiles).
    Raises :class:`RecordExistsError` when the store already has this meeting's record.
    """
    meeting = folder.meeting
    meeting_id = meeting.meeting.id
    if store.last_seq(meeting_id):
        raise RecordExistsError(f"the store already holds a record for meeting {meeting_id!r}")
    seats = dict(seats) if seats is not None else simulated_seats(folder, seed)
    ctx = ActivityContext(
        folder=folder,
        seats=seats,
        rng=runner_rng(seed, len(seats)),
        append=_Writer(store, meeting_id, 0),
        now=programme_start(folder),
        out_dir=out_dir,
    )
    bind_seats(ctx)
    run_programme(ctx, mode="simulation", seed=seed, on_item=on_item)
    return ctx.emitted


def bind_seats(ctx: ActivityContext) -> None:
    """Give seats that record events of their own (model seats: every model call) the log:
    `seat.bind(emit, records)` with `emit(event, actor, visibility)` and the records so far."""
    for seat in ctx.seats.values():
        bind = getattr(seat, "bind", None)
        if bind is not None:
            bind(
                lambda event, actor, visibility: ctx.emit(
                    event, actor=actor, visibility=visibility
                ),
                ctx.emitted,
            )


def runner_rng(seed: int, seats: int) -> np.random.Generator:
    """The activities' shared generator: the child of `seed` after the seats' own children."""
    return np.random.default_rng(np.random.SeedSequence(seed).spawn(seats + 1)[-1])


def programme_start(folder: MeetingFolder) -> dt.datetime:
    """When the first programme item starts, in the meeting's time zone."""
    first_day, first_item = folder.meeting.items()[0]
    return _item_times(folder, first_day, first_item)[0]


def run_programme(
    ctx: ActivityContext,
    *,
    mode: str,
    seed: int | None,
    on_item: ItemCallback | None = None,
) -> None:
    """Walk the programme with a prepared context: `meeting_opened`, each item, `meeting_closed`.

    Simulation (:func:`run_meeting`) and the live app (:mod:`detente.web.live`) both run the
    meeting through here, with the same activities; they differ only in the context's seats,
    facilitator, clock and writer. Before each item the facilitator is asked for a
    :class:`~detente.meeting.facilitator.StartItem` and after its activity for an
    :class:`~detente.meeting.facilitator.EndItem` (the automatic facilitator agrees at once and
    records nothing, so simulation records are unchanged).
    """
    folder = ctx.folder
    meeting = folder.meeting
    items = meeting.items()
    ctx.emit(
        MeetingOpened(
            meeting_id=meeting.meeting.id,
            title=meeting.meeting.title,
            mode=mode,
            seed=seed,
            timezone=meeting.meeting.timezone,
            seats={d: s.kind for d, s in ctx.seats.items()},
        ),
        actor=SYSTEM,
    )
    for index, (day, item) in enumerate(items):
        assert item.id is not None
        if on_item is not None:
            on_item(index, len(items), item)
        start, end = _item_times(folder, day, item)
        ctx.facilitator.decide(StartItem(item.id, item.title))
        ctx.emit(
            item_started(item),
            actor=FACILITATOR,
            at=max(start, ctx.now),
        )
        if item.activity is not None:
            run = registry.activity(item.activity)
            if run is None:
                what = registry.description(item.activity)
                reason = (
                    f"the '{item.activity}' activity ({what}) is not available in this version"
                    if what
                    else f"no activity named '{item.activity}' is installed"
                )
                ctx.emit(
                    ActivityUnavailable(item_id=item.id, activity=item.activity, reason=reason),
                    actor=SYSTEM,
                )
            else:
                run(ctx, item)
        ctx.facilitator.decide(EndItem(item.id, item.title))
        ctx.emit(ItemEnded(item_id=item.id), actor=FACILITATOR, at=max(end, ctx.now))
    ctx.emit(MeetingClosed(items_held=len(items)), actor=SYSTEM)
