"""Choosing who holds each seat for a run: `--seat USA=model`, `--seats model`, `--replay`.

A seat kind is `simulated` (the delegation's profile) or `model` (a language model, with the
profile as its fallback). Whenever seats are chosen here — and so whenever a model seat takes
part — every seat, simulated ones too, is wrapped in a
:class:`~detente.seats.plausibility.CheckedSeat`, so answers that contradict a delegation's
declared positions are flagged the same way whoever gave them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from detente.meeting.events import MeetingOpened
from detente.meeting.loader import MeetingFolder
from detente.meeting.runner import simulated_seats
from detente.models.client import ModelClient
from detente.models.replay import ReplayClient
from detente.seats.base import Seat
from detente.seats.events import PlausibilityFlagged
from detente.seats.model import ModelSeat, ModelStats, participant_names
from detente.seats.model_prompts import SeatView
from detente.seats.plausibility import CheckedSeat
from detente.seats.replay import ReplaySeat
from detente.store.log import Record

SEAT_KINDS = ("simulated", "model")


class SeatChoiceError(ValueError):
    """A `--seat` / `--seats` value that names no delegation or no seat kind."""


def seat_kinds(
    delegations: Sequence[str], specs: Sequence[str], default: str | None
) -> dict[str, str]:
    """The seat kind of every delegation: `default` (or `simulated`), then each `DELEG=KIND`."""
    base = default or "simulated"
    if base not in SEAT_KINDS:
        raise SeatChoiceError(f"--seats {base}: a seat kind is one of {', '.join(SEAT_KINDS)}")
    kinds = dict.fromkeys(delegations, base)
    for spec in specs:
        delegation, sep, kind = spec.partition("=")
        if not sep or delegation not in kinds:
            raise SeatChoiceError(
                f"--seat {spec}: expected DELEGATION=KIND with a delegation of the meeting "
                f"({', '.join(delegations)})"
            )
        if kind not in SEAT_KINDS:
            raise SeatChoiceError(f"--seat {spec}: a seat kind is one of {', '.join(SEAT_KINDS)}")
        kinds[delegation] = kind
    return kinds


def build_seats(
    folder: MeetingFolder,
    seed: int,
    kinds: Mapping[str, str],
    client: Callable[[], ModelClient],
    *,
    reasks: int = 2,
    stats: ModelStats | None = None,
    check: bool = True,
) -> dict[str, Seat]:
    """The seats of a run. `client` opens the model client (called only when a model seat is
    chosen). Simulated seats get the same seeded generators as a default run's; with `check`
    every seat is plausibility-checked."""
    simulated = simulated_seats(folder, seed)
    profiles = folder.profiles
    assert profiles is not None  # simulated_seats raised otherwise
    meeting = folder.meeting
    names = participant_names(meeting)
    labels = {d.id: d.label for d in profiles.dimensions}
    opened: ModelClient | None = None
    seats: dict[str, Seat] = {}
    for delegation in meeting.delegations:
        fallback = simulated[delegation.id]
        profile = profiles.profile(delegation.id)
        seat: Seat = fallback
        if kinds.get(delegation.id) == "model":
            opened = opened or client()
            view = SeatView(
                delegation.id, delegation.name, delegation.country, profile, labels, seed
            )
            seat = ModelSeat(view, opened, fallback, reasks=reasks, participants=names, stats=stats)
        seats[delegation.id] = CheckedSeat(seat, profile) if check else seat
    return seats


def replay_plan(records: Sequence[Record]) -> tuple[int, dict[str, str], bool]:
    """From a recorded meeting: its seed, the seat kind of each delegation, and whether its seats
    are plausibility-checked: always when a model seat took part, and when the record holds a
    flag (a checked run of simulated seats without flags replays the same unchecked)."""
    opened = next((r for r in records if r.kind == MeetingOpened.kind), None)
    if opened is None:
        raise SeatChoiceError("the record has no meeting_opened event: nothing to replay")
    event = MeetingOpened.model_validate(opened.payload)
    checked = "model" in event.seats.values() or any(
        r.kind == PlausibilityFlagged.kind for r in records
    )
    return event.seed or 0, dict(event.seats), checked


def replay_seats(
    folder: MeetingFolder, records: Sequence[Record], *, stats: ModelStats | None = None
) -> tuple[dict[str, Seat], int]:
    """Seats that replay `records` without a model: simulated seats from the recorded seed,
    model seats answered by a :class:`~detente.models.replay.ReplayClient` (same validator,
    same events), any other seat (a person's) by a :class:`~detente.seats.replay.ReplaySeat`.
    Returns the seats and the seed to run with."""
    seed, kinds, checked = replay_plan(records)
    client = ReplayClient(records)
    reasks = client.reasks
    seats = build_seats(
        folder,
        seed,
        kinds,
        lambda: client,
        reasks=2 if reasks is None else reasks,
        stats=stats,
        check=checked,
    )
    for delegation, kind in kinds.items():
        if kind not in SEAT_KINDS:
            seats[delegation] = ReplaySeat(delegation, records)
    return seats, seed
