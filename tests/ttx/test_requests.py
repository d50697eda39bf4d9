"""A simulated delegation's statement is written from the English labels, whatever language its
options are shown in, so the record of a run does not change when translations are added."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from detente.meeting.loader import load_meeting
from detente.seats.simulated import SimulatedDelegation
from detente.ttx.requests import TtxDecision, TtxDecisionRequest, TtxOption


def _request(options: tuple[TtxOption, ...]) -> TtxDecisionRequest:
    return TtxDecisionRequest(
        "session-4", 1, "CHN", "CHN", "第1轮", "Day 1", "简报", (), options, (), len(options)
    )


def _decide(korea: Path, options: tuple[TtxOption, ...]) -> TtxDecision:
    folder = load_meeting(korea)
    assert folder.profiles is not None
    seat = SimulatedDelegation(folder.profiles, "CHN", np.random.default_rng(3))
    answer = seat.answer(_request(options))
    assert isinstance(answer, TtxDecision)
    return answer


def test_statement_uses_the_english_label(korea: Path) -> None:
    options = tuple(
        TtxOption(f"a{i}", f"行动{i}", False, "de-escalation", (("regional_stability", 1.0),),
                  1.0, label_en=f"Action {i}")
        for i in range(3)
    )  # fmt: skip
    decision = _decide(korea, options)
    assert decision.actions, "the seat chose nothing; the test would prove nothing"
    assert decision.statement.startswith("We will: ")
    assert "行动" not in decision.statement
    for action in decision.actions:
        assert f"Action {action[1:]}" in decision.statement


def test_without_an_english_label_the_shown_label_is_used(korea: Path) -> None:
    options = (TtxOption("a", "Call Beijing", False, "de-escalation", (), 5.0),)
    decision = _decide(korea, options)
    assert decision.actions == ("a",)
    assert decision.statement == "We will: Call Beijing."
