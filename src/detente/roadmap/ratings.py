"""Ratings of measures: the seat request, how simulated and replay seats answer it, range checks,
and the fold of a meeting's rating events into final rating sheets.

Each participant rates each measure of the catalog on three scales:

- **support**, an integer from −2 (strongly oppose) to +2 (strongly support); 0 is "no view";
- **feasibility**, an integer from 1 (not feasible) to 5 (readily feasible);
- the **horizon** they think realistic: `immediate`, `within-a-year`, `1-3-years` or `longer`.

A value outside its range is a :class:`RatingError` naming the participant, the measure, the
value and the range — whether it comes from a seat's answer or from a stored record.

Raters are *seat positions* (`USA-1` …, as for votes in :mod:`detente.deliberation.activity`),
never person ids: a simulated rating speaks for a national perspective and must not be recorded
under a real name. A changed rating is a new `rating_submitted` event; the last one before
`ratings_closed` counts and the history stays in the log.

Simulated experts rate from their delegation's profile with their individual, seeded spread
(:func:`~detente.seats.simulated.expert_weights`; the same expert weights as their votes in the
discussion sessions, so an expert does not change character between sessions). For expert weights
`w` and a measure's tags `t`, the utility is `u = w · t`:

- support: 0 when `|u| <` :data:`~detente.deliberation.votes.PASS_BAND` (the measure hardly
  touches the expert's interests); otherwise the expert supports with probability
  `logistic(u / temperature)` and opposes otherwise; the strength is 2 when the expert sides with
  their own interest and `|u| ≥` :data:`STRONG_BAND`, else 1;
- feasibility: :data:`HORIZON_FEASIBILITY` of the catalog horizon, minus
  :data:`THIRD_PARTY_PENALTY` for each actor outside the room's delegations (what the room
  cannot commit to; at most :data:`THIRD_PARTY_CAP`) and :data:`CROWD_PENALTY` for each actor
  beyond two, plus :data:`OPTIMISM` × support, plus Gaussian noise of s.d. :data:`FEASIBILITY_SD`;
  rounded and clipped to 1…5;
- realistic horizon: the catalog horizon, one step later when the expert rates feasibility 2 or
  less, one step earlier when 5.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
from pydantic import ValidationError

from detente.deliberation.votes import PASS_BAND, VoteItem, utilities
from detente.roadmap.events import RatingsClosed, RatingsOpened, RatingSubmitted
from detente.roadmap.measures import Horizon, Measure
from detente.seats.base import Request
from detente.seats.replay import ballot_window, replay_answer
from detente.seats.simulated import SimulatedDelegation, simulated_answer
from detente.store.events import Event, decode
from detente.store.log import Record

SUPPORT_RANGE: Final = (-2, 2)
FEASIBILITY_RANGE: Final = (1, 5)
HORIZONS: Final = tuple(h.value for h in Horizon)

STRONG_BAND: Final = 0.5
"""A simulated expert whose utility for a measure is at least this (in absolute value) and who
sides with it rates ±2 rather than ±1."""

HORIZON_FEASIBILITY: Final = {
    Horizon.IMMEDIATE: 4.0,
    Horizon.WITHIN_A_YEAR: 3.5,
    Horizon.ONE_TO_THREE_YEARS: 2.5,
    Horizon.LONGER: 1.5,
}
"""Base feasibility by the catalog's horizon: what can happen soon is judged more feasible."""

THIRD_PARTY_PENALTY: Final = 0.4
THIRD_PARTY_CAP: Final = 1.2
CROWD_PENALTY: Final = 0.2
OPTIMISM: Final = 0.25
FEASIBILITY_SD: Final = 0.5


class RatingError(ValueError):
    """A rating outside its range, or a rating event that cannot be used; the message names the
    participant, the measure, the value and (for a record) the event's position."""


def check_rating(
    participant: str, measure_id: str, support: int, feasibility: int, horizon: str
) -> None:
    """Raise :class:`RatingError` unless every value is in its range."""
    problems = []
    low, high = SUPPORT_RANGE
    if isinstance(support, bool) or not isinstance(support, int) or not low <= support <= high:
        problems.append(f"support {support!r} is outside {low}…+{high}")
    low, high = FEASIBILITY_RANGE
    if (
        isinstance(feasibility, bool)
        or not isinstance(feasibility, int)
        or not low <= feasibility <= high
    ):
        problems.append(f"feasibility {feasibility!r} is outside {low}…{high}")
    if horizon not in HORIZONS:
        problems.append(f"horizon {horizon!r} is not one of {', '.join(HORIZONS)}")
    if problems:
        raise RatingError(f"rating by '{participant}' of '{measure_id}': " + "; ".join(problems))


@dataclass(frozen=True)
class RatingItem:
    """A measure as a seat sees it: id, title, category, who would act, the catalog horizon and
    interest tags (dimension, weight)."""

    measure_id: str
    title: str
    category: str
    actors: tuple[str, ...]
    horizon: str
    tags: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class MemberRating:
    """One member's rating of one measure."""

    participant: str
    measure_id: str
    support: int
    feasibility: int
    horizon: str


@dataclass(frozen=True)
class Ratings:
    """A delegation's answer to a :class:`RatingRequest`: its members' ratings. A member may be
    missing (did not rate); nobody outside the request's members may appear."""

    ratings: tuple[MemberRating, ...]


@dataclass(frozen=True)
class RatingRequest(Request[Ratings]):
    """Ask a delegation's members (seat positions) to rate `measures` of `item_id`. `room` lists
    the meeting's delegations (actors outside it are third parties the room cannot commit)."""

    item_id: str
    measures: tuple[RatingItem, ...]
    members: tuple[str, ...]
    room: tuple[str, ...] = ()


def rating_items(measures: Iterable[Measure]) -> tuple[RatingItem, ...]:
    """The seat's view of catalog measures."""
    return tuple(
        RatingItem(
            m.id,
            m.title.en,
            m.category,
            tuple(m.actors),
            m.horizon.value,
            tuple(sorted(m.tags.items())),
        )
        for m in measures
    )


# --- simulated seats ---------------------------------------------------------------------------


def base_feasibility(item: RatingItem, room: Sequence[str]) -> float:
    """Feasibility before the expert's own view and noise; see the module docstring."""
    base = HORIZON_FEASIBILITY[Horizon(item.horizon)]
    third = sum(1 for a in item.actors if a not in room) if room else 0
    crowd = max(0, len(item.actors) - 2)
    return base - min(THIRD_PARTY_CAP, THIRD_PARTY_PENALTY * third) - CROWD_PENALTY * crowd


def realistic_horizon(catalog_horizon: str, feasibility: int) -> str:
    """The catalog horizon, a step later at feasibility ≤ 2 and a step earlier at 5."""
    rank = Horizon(catalog_horizon).rank
    if feasibility <= 2:
        rank += 1
    elif feasibility >= 5:
        rank -= 1
    return HORIZONS[min(len(HORIZONS) - 1, max(0, rank))]


@simulated_answer(RatingRequest)
def _simulated_ratings(seat: SimulatedDelegation, request: RatingRequest) -> Ratings:
    """Every member rates every measure; see the module docstring for the rules."""
    if not request.members or not request.measures:
        return Ratings(())
    weights = seat.experts(request.members)  # same experts as in the votes
    items = [VoteItem(m.measure_id, m.title, m.tags) for m in request.measures]
    u = utilities(weights, seat.profiles.dimension_ids, items)
    p_support = 1.0 / (1.0 + np.exp(-u / seat.profile.temperature))
    draws = seat.rng.random(u.shape)
    noise = seat.rng.normal(0.0, FEASIBILITY_SD, size=u.shape)
    out: list[MemberRating] = []
    for i, member in enumerate(request.members):
        for j, item in enumerate(request.measures):
            value = float(u[i, j])
            support = 0
            if abs(value) >= PASS_BAND:
                sign = 1 if draws[i, j] < p_support[i, j] else -1
                strong = abs(value) >= STRONG_BAND and sign * value > 0
                support = sign * (2 if strong else 1)
            raw = base_feasibility(item, request.room) + OPTIMISM * support + noise[i, j]
            feasibility = int(np.clip(np.rint(raw), *FEASIBILITY_RANGE))
            horizon = realistic_horizon(item.horizon, feasibility)
            out.append(MemberRating(member, item.measure_id, support, feasibility, horizon))
    return Ratings(tuple(out))


# --- replay seats ------------------------------------------------------------------------------


@replay_answer(RatingRequest)
def _replayed_ratings(
    delegation: str, request: RatingRequest, events: Sequence[Event]
) -> Ratings | None:
    """The members' final ratings in the item's first recorded rating window (`ratings_opened`
    to `ratings_closed`; a later rating replaces an earlier one)."""

    def fold(event: RatingSubmitted) -> tuple[tuple[str, str], MemberRating] | None:
        if event.participant not in request.members:
            return None
        rating = MemberRating(
            event.participant, event.measure_id, event.support, event.feasibility, event.horizon
        )
        return (event.participant, event.measure_id), rating

    window = ballot_window(
        events,
        request.item_id,
        opened=RatingsOpened,
        entry=RatingSubmitted,
        closed=RatingsClosed,
        fold=fold,
    )
    if window is None:
        return None
    return Ratings(
        tuple(
            window[(m, s.measure_id)]
            for m in request.members
            for s in request.measures
            if (m, s.measure_id) in window
        )
    )


# --- the record's rating sheets ----------------------------------------------------------------


@dataclass
class RatingSheet:
    """Everything rated on one item, folded from the record.

    `final` maps (participant, measure id) to the last rating submitted and `seq` to the seq of
    that event; `changes` counts ratings that replaced an earlier one; `delegation` maps each
    rating delegate to their delegation; `observers` are raters flagged as observers; `opened`
    is the seq of `ratings_opened` and `closed` that of `ratings_closed` (0: not yet)."""

    item_id: str
    measure_ids: tuple[str, ...] = ()
    final: dict[tuple[str, str], MemberRating] = field(default_factory=dict)
    seq: dict[tuple[str, str], int] = field(default_factory=dict)
    delegation: dict[str, str] = field(default_factory=dict)
    observers: set[str] = field(default_factory=set)
    submitted: int = 0
    changes: int = 0
    opened: int = 0
    closed: int = 0

    @property
    def participants(self) -> list[str]:
        """Raters in order of first rating."""
        return list(dict.fromkeys(p for p, _ in self.final))

    def groups(self) -> dict[str, str | None]:
        """Participant → delegation, None for observers."""
        return {
            p: (None if p in self.observers else self.delegation.get(p)) for p in self.participants
        }


def _decode(record: Record) -> Event:
    try:
        return decode(record)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise RatingError(f"event #{record.seq} ({record.kind}): {problems}") from None


def sheets_from_records(records: Iterable[Record]) -> dict[str, RatingSheet]:
    """Fold the rating events of a record into one sheet per item, in log order.

    Raises :class:`RatingError` for a rating outside its range, of a measure that was not opened
    for rating on that item, or submitted outside an open rating window."""
    sheets: dict[str, RatingSheet] = {}
    kinds = (RatingsOpened.kind, RatingSubmitted.kind, RatingsClosed.kind)
    window: dict[str, bool] = {}
    for record in records:
        if record.kind not in kinds:
            continue
        event = _decode(record)
        item = getattr(event, "item_id", "")
        sheet = sheets.setdefault(item, RatingSheet(item))
        if isinstance(event, RatingsOpened):
            sheet.measure_ids = tuple(event.measure_ids)
            sheet.opened, sheet.closed = record.seq, 0
            window[item] = True
        elif isinstance(event, RatingsClosed):
            sheet.closed = record.seq
            window[item] = False
        elif isinstance(event, RatingSubmitted):
            where = f"event #{record.seq}: "
            if not window.get(item, False):
                raise RatingError(
                    f"{where}rating by '{event.participant}' of '{event.measure_id}' while rating "
                    f"on item '{item}' was not open"
                )
            if event.measure_id not in sheet.measure_ids:
                raise RatingError(
                    f"{where}rating by '{event.participant}' of unknown measure "
                    f"'{event.measure_id}' (not opened for rating on item '{item}')"
                )
            try:
                check_rating(
                    event.participant,
                    event.measure_id,
                    event.support,
                    event.feasibility,
                    event.horizon,
                )
            except RatingError as exc:
                raise RatingError(f"{where}{exc}") from None
            key = (event.participant, event.measure_id)
            if key in sheet.final:
                sheet.changes += 1
            sheet.final[key] = MemberRating(
                event.participant,
                event.measure_id,
                event.support,
                event.feasibility,
                event.horizon,
            )
            sheet.seq[key] = record.seq
            sheet.submitted += 1
            if event.observer:
                sheet.observers.add(event.participant)
            elif event.delegation is not None:
                sheet.delegation[event.participant] = event.delegation
    return sheets


__all__ = [
    "FEASIBILITY_RANGE",
    "HORIZONS",
    "SUPPORT_RANGE",
    "MemberRating",
    "RatingError",
    "RatingItem",
    "RatingRequest",
    "RatingSheet",
    "Ratings",
    "base_feasibility",
    "check_rating",
    "rating_items",
    "realistic_horizon",
    "sheets_from_records",
]
