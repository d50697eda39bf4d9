"""Seats: simulated delegations answer from their profile; replay seats answer from a record."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from detente.meeting.loader import load_meeting
from detente.meeting.runner import run_meeting
from detente.seats.base import (
    AnswerRequest,
    PresentationRequest,
    Question,
    QuestionRequest,
    Request,
    Seat,
    SeatCannotAnswer,
)
from detente.seats.replay import ReplaySeat
from detente.seats.simulated import SimulatedDelegation, expert_weights
from detente.store.log import EventStore


def seat(root: Path, delegation: str, seed: int = 0) -> SimulatedDelegation:
    profiles = load_meeting(root).profiles
    assert profiles is not None
    return SimulatedDelegation(profiles, delegation, np.random.default_rng(seed))


def test_simulated_and_replay_seats_satisfy_the_protocol(korea: Path) -> None:
    assert isinstance(seat(korea, "USA"), Seat)
    assert isinstance(ReplaySeat("USA", []), Seat)


def test_presentation_uses_stated_positions_with_sources(korea: Path) -> None:
    s = seat(korea, "CHN")
    given = s.answer(PresentationRequest("session-1", "Presentation", 10))
    assert 1 <= len(given.points) <= 4
    stated = {(p.topic, p.statement, p.source) for p in s.profile.positions}
    assert {(p.topic, p.statement, p.source) for p in given.points} <= stated


def test_longer_slot_gives_more_points(korea: Path) -> None:
    s = seat(korea, "USA")
    short = s.answer(PresentationRequest("x", "t", 3)).points
    long = s.answer(PresentationRequest("x", "t", 30)).points
    assert len(short) < len(long)


def test_question_targets_a_presented_topic_and_answer_restates_position(korea: Path) -> None:
    usa, chn = seat(korea, "USA"), seat(korea, "CHN")
    points = chn.answer(PresentationRequest("s1", "t", 10)).points
    question = usa.answer(QuestionRequest("s1", "CHN", points))
    assert question.topic in {p.topic for p in points}
    answer = chn.answer(AnswerRequest("s1", "USA", question))
    assert answer.text in {p.statement for p in chn.profile.positions}


def test_simulated_seat_refuses_unknown_requests(korea: Path) -> None:
    class Unknown(Request[int]):
        pass

    with pytest.raises(SeatCannotAnswer):
        seat(korea, "RUS").answer(Unknown())


def test_experts_vary_around_their_delegation_reproducibly(korea: Path) -> None:
    folder = load_meeting(korea)
    assert folder.profiles is not None
    profile = folder.profiles.profile("USA")
    a = expert_weights(folder.profiles, profile, 3, np.random.default_rng(7))
    b = expert_weights(folder.profiles, profile, 3, np.random.default_rng(7))
    assert a.shape == (3, len(folder.profiles.dimensions))
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a[0], a[1])
    assert np.all(np.abs(a) <= 1.0)
    base = np.array([profile.interests.get(d, 0.0) for d in folder.profiles.dimension_ids])
    assert np.abs(a - base).max() < 6 * profile.spread


def test_replay_seats_reproduce_a_recorded_run(korea: Path, tmp_path: Path) -> None:
    folder = load_meeting(korea)
    first = EventStore(f"sqlite:///{tmp_path / 'a.db'}")
    recorded = run_meeting(folder, first, seed=3)
    seats = {d.id: ReplaySeat(d.id, recorded) for d in folder.meeting.delegations}
    second = EventStore(f"sqlite:///{tmp_path / 'b.db'}")
    replayed = run_meeting(folder, second, seed=3, seats=seats)
    strip = [(r.kind, r.actor, r.payload) for r in recorded if r.kind != "meeting_opened"]
    again = [(r.kind, r.actor, r.payload) for r in replayed if r.kind != "meeting_opened"]
    assert strip == again
    assert replayed[0].payload["seats"] == {"CHN": "replay", "RUS": "replay", "USA": "replay"}


def test_replay_seat_without_an_answer_says_so() -> None:
    with pytest.raises(SeatCannotAnswer, match="no answer from USA"):
        ReplaySeat("USA", []).answer(QuestionRequest("s1", "CHN", ()))
    assert isinstance(Question("t", "q"), Question)
