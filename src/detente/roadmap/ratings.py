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

from detente.ballots import BallotKind, Tally, decode_or_raise, records_of, replayed
from detente.deliberation.votes import PASS_BAND, VoteItem, utilities
from detente.roadmap.events import RatingsClosed, RatingsOpened, RatingSubmitted
from detente.roadmap.measures import Horizon, Measure
from detente.seats.base import Request
from detente.seats.replay import replay_answer
from detente.seats.simulated import SimulatedDelegation, simulated_answer
from detente.store.events import Event
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

RATING_MINUTES: Final = 30
"""Simulated time the room takes to rate the catalog."""


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


# --- the ballot's configuration ----------------------------------------------------------------


class RatingKind(BallotKind[MemberRating, Ratings, RatingSubmitted]):
    """Ratings as a ballot: `ratings_opened`, a `rating_submitted` per rating, `ratings_closed`;
    a rating outside its range is dropped."""

    entry_noun, verb, preposition = "rating", "rate", "of"
    subject_noun = "a measure put to the room"
    minutes = RATING_MINUTES
    entry_event, opened_event, closed_event = RatingSubmitted, RatingsOpened, RatingsClosed

    def opened(self, item_id: str, subject_ids: list[str]) -> Event:
        return RatingsOpened(item_id=item_id, measure_ids=subject_ids)

    def closed(self, item_id: str, count: int, note: str) -> Event:
        return RatingsClosed(item_id=item_id, ratings_submitted=count, note=note)

    def entries(self, answer: Ratings) -> Sequence[MemberRating]:
        return answer.ratings

    def answer(self, entries: Sequence[MemberRating]) -> Ratings:
        return Ratings(tuple(entries))

    def participant(self, entry: MemberRating) -> str:
        return entry.participant

    def subject(self, entry: MemberRating) -> str:
        return entry.measure_id

    def problem(self, entry: MemberRating) -> str | None:
        try:
            check_rating(
                entry.participant, entry.measure_id, entry.support, entry.feasibility, entry.horizon
            )
        except RatingError as exc:
            return str(exc)
        return None

    def recorded(self, item_id: str, entry: MemberRating, delegation: str) -> RatingSubmitted:
        return RatingSubmitted(
            item_id=item_id,
            participant=entry.participant,
            measure_id=entry.measure_id,
            support=entry.support,
            feasibility=entry.feasibility,
            horizon=entry.horizon,
            delegation=delegation,
        )

    def from_event(self, event: RatingSubmitted) -> MemberRating:
        return MemberRating(
            event.participant, event.measure_id, event.support, event.feasibility, event.horizon
        )


RATINGS: Final = RatingKind()


@replay_answer(RatingRequest)
def _replayed_ratings(
    delegation: str, request: RatingRequest, events: Sequence[Event]
) -> Ratings | None:
    """The members' final ratings in the item's first recorded rating window (`ratings_opened`
    to `ratings_closed`; a later rating replaces an earlier one)."""
    ids = [m.measure_id for m in request.measures]
    return replayed(RATINGS, request.item_id, request.members, ids, events)


# --- the record's rating sheets ----------------------------------------------------------------


@dataclass
class RatingSheet(Tally[MemberRating]):
    """Everything rated on one item, folded from the record (see :class:`Tally`).

    `seq` maps (participant, measure id) to the seq of the final rating's event; `opened` is the
    seq of `ratings_opened` and `closed` that of `ratings_closed` (0: not yet)."""

    measure_ids: tuple[str, ...] = ()
    seq: dict[tuple[str, str], int] = field(default_factory=dict)
    submitted: int = 0
    opened: int = 0
    closed: int = 0


def sheets_from_records(records: Iterable[Record]) -> dict[str, RatingSheet]:
    """Fold the rating events of a record into one sheet per item, in log order.

    Raises :class:`RatingError` for a rating outside its range, of a measure that was not opened
    for rating on that item, or submitted outside an open rating window."""
    sheets: dict[str, RatingSheet] = {}
    window: dict[str, bool] = {}
    for record in records_of(records, RatingsOpened, RatingSubmitted, RatingsClosed):
        event = decode_or_raise(record, RatingError)
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
            _add_rating(sheet, event, record.seq, open_=window.get(item, False))
    return sheets


def _add_rating(sheet: RatingSheet, event: RatingSubmitted, seq: int, *, open_: bool) -> None:
    where = f"event #{seq}: "
    if not open_:
        raise RatingError(
            f"{where}rating by '{event.participant}' of '{event.measure_id}' while rating "
            f"on item '{sheet.item_id}' was not open"
        )
    if event.measure_id not in sheet.measure_ids:
        raise RatingError(
            f"{where}rating by '{event.participant}' of unknown measure "
            f"'{event.measure_id}' (not opened for rating on item '{sheet.item_id}')"
        )
    rating = RATINGS.from_event(event)
    problem = RATINGS.problem(rating)
    if problem is not None:
        raise RatingError(f"{where}{problem}")
    sheet.enter(
        event.participant,
        event.measure_id,
        rating,
        observer=event.observer,
        delegation=event.delegation,
    )
    sheet.seq[(event.participant, event.measure_id)] = seq
    sheet.submitted += 1


__all__ = [
    "FEASIBILITY_RANGE",
    "HORIZONS",
    "RATINGS",
    "RATING_MINUTES",
    "SUPPORT_RANGE",
    "MemberRating",
    "RatingError",
    "RatingItem",
    "RatingKind",
    "RatingRequest",
    "RatingSheet",
    "Ratings",
    "base_feasibility",
    "check_rating",
    "rating_items",
    "realistic_horizon",
    "sheets_from_records",
]
