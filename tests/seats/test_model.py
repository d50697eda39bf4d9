"""Model seats: every bad answer a server can give is re-asked or falls back, recorded, and
nothing invalid reaches the answer; plausibility flags for simulated and model seats alike."""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest

from detente.meeting.loader import load_meeting
from detente.models.client import OpenAIClient
from detente.models.config import ModelConfig
from detente.seats.events import ModelCalled, PlausibilityFlagged, SeatFellBack
from detente.seats.model import ModelSeat, ModelStats, name_patterns, named_participants
from detente.seats.model_prompts import SeatView, wordless
from detente.seats.plausibility import CheckedSeat
from detente.seats.simulated import SimulatedDelegation
from detente.ttx.requests import TtxDecision, TtxDecisionRequest, TtxOption
from tests.models.fake_server import fake_server

pytest.importorskip("openai")

OPTIONS = (
    TtxOption(
        "hotline",
        "Use the military hotline",
        False,
        "de-escalation",
        (("regional_stability", 1.0), ("dialogue_engagement", 0.8)),
    ),
    TtxOption(
        "ssbn",
        "Announce an SSBN port visit",
        False,
        "posturing",
        (("alliance_credibility", 1.0), ("regional_stability", -0.5)),
    ),
    TtxOption(
        "freeze",
        "Offer suspension for suspension",
        False,
        "de-escalation",
        (("alliance_credibility", -1.0), ("denuclearization", -0.8)),
    ),
    TtxOption(
        "quiet", "Quiet channel to Beijing", True, "status quo", (("dialogue_engagement", 0.5),)
    ),
)
REQUEST = TtxDecisionRequest(
    "session-3", 1, "United States", "USA", "Move 1", "Day 1", "A launch is detected.",
    (), OPTIONS, ("What is your first call?",), 2,
)  # fmt: skip


def _seat(korea: Path, url: str, *, timeout: float = 5.0, reasks: int = 2) -> ModelSeat:
    folder = load_meeting(korea)
    assert folder.profiles is not None
    profile = folder.profiles.profile("USA")
    labels = {d.id: d.label for d in folder.profiles.dimensions}
    view = SeatView("USA", "United States", "USA", profile, labels, seed=1)
    config = ModelConfig(url=url, model="fake", timeout=timeout, retries=0, max_tokens=200)
    fallback = SimulatedDelegation(folder.profiles, "USA", np.random.default_rng(7))
    names = [p.name for p in folder.meeting.people]
    return ModelSeat(view, OpenAIClient(config), fallback, reasks=reasks, participants=names)


def _calls(seat: ModelSeat) -> list[ModelCalled]:
    return [e for e in seat.events if isinstance(e, ModelCalled)]


def _legal(decision: TtxDecision) -> None:
    assert set(decision.actions) <= {o.id for o in OPTIONS}
    assert len(decision.actions) <= REQUEST.max_actions


@pytest.mark.parametrize(
    "fault", ["garbage", "truncated", "offmenu", "ten", "empty", "refusal", "500"]
)
def test_a_bad_answer_is_reasked_with_its_error_then_accepted(korea: Path, fault: str) -> None:
    with fake_server([fault, "valid"]) as server:
        seat = _seat(korea, server.url)
        decision = seat.answer(REQUEST)
    _legal(decision)
    calls = _calls(seat)
    assert [c.outcome for c in calls][-1] == "valid"
    assert calls[0].outcome in ("invalid", "error") and calls[0].errors
    assert not [e for e in seat.events if isinstance(e, SeatFellBack)]
    if calls[0].outcome == "invalid":  # the re-ask shows the model its errors
        last = server.requests[-1]["messages"][-1]["content"]
        assert calls[0].errors[0] in last
    assert calls[-1].answer is not None and "rationale" in calls[-1].answer


@pytest.mark.parametrize("fault", ["garbage", "offmenu", "ten", "refusal", "500"])
def test_a_model_that_stays_bad_falls_back_to_the_profile(korea: Path, fault: str) -> None:
    with fake_server([fault]) as server:
        seat = _seat(korea, server.url)
        decision = seat.answer(REQUEST)
    _legal(decision)
    calls = _calls(seat)
    assert len(calls) == 3 and all(c.outcome != "valid" for c in calls)
    assert all(c.answer is None for c in calls)
    fell = [e for e in seat.events if isinstance(e, SeatFellBack)]
    assert len(fell) == 1 and fell[0].answered_by == "simulated"
    assert seat.answered_by == "simulated"


def test_a_slow_server_times_out_and_the_next_call_answers(korea: Path) -> None:
    with fake_server(["slow", "valid"], delay=2.0) as server:
        seat = _seat(korea, server.url, timeout=0.3)
        seat.answer(REQUEST)
    outcomes = [c.outcome for c in _calls(seat)]
    assert outcomes == ["error", "valid"]
    assert "Timeout" in _calls(seat)[0].errors[0]


def test_a_server_that_is_down_costs_a_few_calls_then_falls_back_at_once(korea: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    stats = ModelStats()
    seat = _seat(korea, f"http://127.0.0.1:{port}/v1")
    seat.stats = stats
    for _ in range(3):
        _legal(seat.answer(REQUEST))
    errors = [c.errors[0] for c in _calls(seat)]
    assert any("Connection" in e for e in errors)
    assert any("down" in e for e in errors)  # the breaker skipped the dead server
    assert sum(stats.fallback.values()) == 3


def test_json_schema_rejected_switches_to_json_object(korea: Path) -> None:
    with fake_server(["nojsonschema"]) as server:
        seat = _seat(korea, server.url)
        seat.answer(REQUEST)
        seat.answer(REQUEST)
    formats = [r["response_format"]["type"] for r in server.requests]
    assert formats == ["json_schema", "json_object", "json_object"]
    assert [c.outcome for c in _calls(seat)] == ["error", "valid", "valid"]


def test_an_answer_naming_a_participant_is_refused(korea: Path) -> None:
    folder = load_meeting(korea)
    person = folder.meeting.people[0].name
    with fake_server([f"name:{person}", "valid"]) as server:
        seat = _seat(korea, server.url)
        decision = seat.answer(REQUEST)
    first, last = _calls(seat)
    assert first.outcome == "invalid" and "names participant" in first.errors[0]
    assert person not in decision.statement and person in first.raw
    assert last.outcome == "valid"


def test_name_patterns_match_whole_names_and_surnames() -> None:
    patterns = name_patterns(["Ada Lovelace"])
    assert named_participants(["as lovelace said"], patterns) == ["Ada Lovelace"]
    assert named_participants(["Lovelaces are birds"], patterns) == []


def test_plausibility_flags_a_simulated_or_model_choice_against_the_profile(korea: Path) -> None:
    folder = load_meeting(korea)
    assert folder.profiles is not None
    profile = folder.profiles.profile("USA")

    class Fixed:
        delegation = "USA"
        kind = "simulated"

        def answer(self, request: object) -> TtxDecision:
            return TtxDecision(("freeze", "hotline"), "We will talk.")

    seat = CheckedSeat(Fixed(), profile)
    seat.answer(REQUEST)
    (flag,) = seat.flags
    assert isinstance(flag, PlausibilityFlagged) and flag.seat == "simulated"
    assert "freeze" in flag.flags[0] and len(flag.flags) == 1


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("2023-04-29T00:00:00.00.00.00", True),  # a commitment a 135M model once wrote
        ("12345", True),
        ("", True),
        ("We will support restoring the liaison hotline.", False),
        ("我们支持恢复联络热线和军事通信。", False),  # Chinese: letters without spaces
        ("Мы поддерживаем горячую линию.", False),
    ],
)
def test_free_text_must_be_words_in_any_script(text: str, refused: bool) -> None:
    errors = wordless("text", text)
    assert bool(errors) is refused
    if refused:
        assert errors[0].startswith("text: ")
