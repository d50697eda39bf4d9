"""Ratings: range checks, simulated raters, replay, and the fold of rating events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from detente.ballots import voter_ids
from detente.meeting.loader import load_meeting
from detente.roadmap.catalog import load_catalog
from detente.roadmap.events import RatingsClosed, RatingsOpened, RatingSubmitted
from detente.roadmap.ratings import (
    FEASIBILITY_RANGE,
    HORIZONS,
    SUPPORT_RANGE,
    RatingError,
    RatingRequest,
    base_feasibility,
    check_rating,
    rating_items,
    realistic_horizon,
    sheets_from_records,
)
from detente.seats.replay import ReplaySeat
from detente.seats.simulated import SimulatedDelegation
from detente.store.events import Event
from detente.store.log import Record
from tests.conftest import KOREA

T0 = dt.datetime(2024, 8, 26, 10, tzinfo=dt.UTC)


def _records(events: list[tuple[str, Event]]) -> list[Record]:
    return [
        Record("m", i, T0, actor, e.kind, "all", e.payload())
        for i, (actor, e) in enumerate(events, start=1)
    ]


def _rated(
    p: str, m: str, s: int, f: int = 3, h: str = "immediate", d: str = "A"
) -> RatingSubmitted:
    return RatingSubmitted(
        item_id="s6", participant=p, measure_id=m, support=s, feasibility=f, horizon=h, delegation=d
    )


@pytest.mark.parametrize(
    ("support", "feasibility", "horizon", "needle"),
    [
        (3, 3, "immediate", "support 3 is outside -2…+2"),
        (-3, 3, "immediate", "support -3"),
        (0, 0, "immediate", "feasibility 0 is outside 1…5"),
        (0, 6, "immediate", "feasibility 6"),
        (0, 3, "soon", "horizon 'soon' is not one of"),
    ],
)
def test_a_rating_outside_its_range_is_a_clear_error(
    support: int, feasibility: int, horizon: str, needle: str
) -> None:
    with pytest.raises(RatingError) as caught:
        check_rating("USA-1", "m1", support, feasibility, horizon)
    assert needle in str(caught.value)
    assert "'USA-1'" in str(caught.value) and "'m1'" in str(caught.value)


def test_the_fold_keeps_the_last_rating_and_counts_changes() -> None:
    records = _records(
        [
            ("facilitator", RatingsOpened(item_id="s6", measure_ids=["m1", "m2"])),
            ("A", _rated("A-1", "m1", 1)),
            ("A", _rated("A-1", "m1", -2)),
            ("B", _rated("B-1", "m2", 2, d="B")),
            ("facilitator", RatingsClosed(item_id="s6", ratings_submitted=3)),
        ]
    )
    sheet = sheets_from_records(records)["s6"]
    assert sheet.final[("A-1", "m1")].support == -2
    assert sheet.seq[("A-1", "m1")] == 3
    assert sheet.changes == 1 and sheet.submitted == 3
    assert sheet.groups() == {"A-1": "A", "B-1": "B"}


def test_a_stored_rating_out_of_range_names_its_event() -> None:
    records = _records(
        [
            ("facilitator", RatingsOpened(item_id="s6", measure_ids=["m1"])),
            ("A", _rated("A-1", "m1", 5)),
        ]
    )
    with pytest.raises(RatingError, match=r"event #2: rating by 'A-1' of 'm1': support 5"):
        sheets_from_records(records)


def test_ratings_of_unknown_measures_or_outside_the_window_are_refused() -> None:
    unknown = _records(
        [
            ("facilitator", RatingsOpened(item_id="s6", measure_ids=["m1"])),
            ("A", _rated("A-1", "m9", 1)),
        ]
    )
    with pytest.raises(RatingError, match="unknown measure 'm9'"):
        sheets_from_records(unknown)
    closed = _records(
        [
            ("facilitator", RatingsOpened(item_id="s6", measure_ids=["m1"])),
            ("facilitator", RatingsClosed(item_id="s6", ratings_submitted=0)),
            ("A", _rated("A-1", "m1", 1)),
        ]
    )
    with pytest.raises(RatingError, match="was not open"):
        sheets_from_records(closed)


def _seat(delegation: str, seed: int) -> SimulatedDelegation:
    folder = load_meeting(KOREA)
    assert folder.profiles is not None
    return SimulatedDelegation(folder.profiles, delegation, np.random.default_rng(seed))


def _request() -> RatingRequest:
    folder = load_meeting(KOREA)
    loaded = load_catalog(folder)
    assert loaded is not None
    return RatingRequest(
        "session-6",
        rating_items(loaded.measures),
        voter_ids(folder.meeting, "USA"),
        ("CHN", "RUS", "USA"),
    )


def test_simulated_ratings_are_in_range_seeded_and_by_seat_position() -> None:
    request = _request()
    first = _seat("USA", 7).answer(request).ratings
    again = _seat("USA", 7).answer(request).ratings
    other = _seat("USA", 8).answer(request).ratings
    assert first == again and first != other
    assert len(first) == 3 * len(request.measures)
    assert {r.participant for r in first} == {"USA-1", "USA-2", "USA-3"}
    for r in first:
        check_rating(r.participant, r.measure_id, r.support, r.feasibility, r.horizon)
    low, high = SUPPORT_RANGE
    assert {r.support for r in first} <= set(range(low, high + 1))
    assert {r.feasibility for r in first} <= set(
        range(FEASIBILITY_RANGE[0], FEASIBILITY_RANGE[1] + 1)
    )


def test_simulated_support_follows_the_profile() -> None:
    request = _request()
    usa = {
        (r.participant, r.measure_id): r.support for r in _seat("USA", 1).answer(request).ratings
    }
    rus = {r.measure_id: r.support for r in _seat("RUS", 1).answer(request).ratings}
    # the US alliance credibility weight (0.9) against a -0.8 tag: no US expert supports
    # suspending allied exercises; Russia (alliance credibility -0.8) supports it
    assert all(usa[(p, "suspension-allied-exercises")] <= 0 for p in ("USA-1", "USA-2", "USA-3"))
    assert rus["suspension-allied-exercises"] > 0


def test_feasibility_and_horizon_rules() -> None:
    items = {i.measure_id: i for i in _request().measures}
    room = ("CHN", "RUS", "USA")
    # the DPRK and the ROK are third parties: they lower feasibility
    assert base_feasibility(items["us-china-military-channels"], room) > base_feasibility(
        items["restore-military-lines"], room
    )
    assert base_feasibility(items["restore-military-lines"], room) > base_feasibility(
        items["nuclear-weapon-free-zone"], room
    )
    assert realistic_horizon("immediate", 2) == "within-a-year"
    assert realistic_horizon("immediate", 5) == "immediate"
    assert realistic_horizon("longer", 1) == "longer"
    assert realistic_horizon("1-3-years", 5) == "within-a-year"
    assert set(HORIZONS) == {"immediate", "within-a-year", "1-3-years", "longer"}


def test_replay_seat_answers_from_the_recorded_window(korea_run: tuple[Path, list[Record]]) -> None:
    _, records = korea_run
    request = _request()
    seat = ReplaySeat("USA", records)
    replayed = seat.answer(request).ratings
    sheet = sheets_from_records(records)["session-6"]
    assert replayed
    for r in replayed:
        assert sheet.final[(r.participant, r.measure_id)] == r
