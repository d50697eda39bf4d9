"""The bias and escalation audit: name-blind simulated seats as a control, masked model prompts."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from detente.cli import app
from detente.meeting.loader import load_meeting
from detente.models.client import OpenAIClient
from detente.models.config import ModelConfig
from detente.ttx.audit import audit, relabelling
from detente.ttx.pack import load_pack
from tests.conftest import ROOT
from tests.models.fake_server import fake_server

SMALL = ROOT / "tests" / "fixtures" / "ttx-small"


def test_simulated_seats_are_name_blind_but_not_profile_blind() -> None:
    result = CliRunner().invoke(
        app, ["ttx", "audit", str(SMALL), "--runs", "3", "--seats", "simulated"]
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    conditions = report["conditions"]
    for condition in ("masked", "labels-swapped"):
        for entry in conditions[condition].values():
            assert entry["shift_from_named"]["mean"] == 0.0
            assert entry["decisions_changed"]["changed"] == 0
    changed = sum(
        e["decisions_changed"]["changed"] for e in conditions["profiles-swapped"].values()
    )
    assert changed > 0
    moves = conditions["named"]["ALD"]["per_move"]
    assert moves and all(m["n"] == 3 for m in moves.values())


def test_swapped_labels_are_a_permutation() -> None:
    labels = {"A": ["Alpha", "Al"], "B": ["Beta", "Be"]}
    assert relabelling("labels-swapped", ["A", "B"], labels) == (
        ("Alpha", "Beta"), ("Al", "Be"), ("Beta", "Alpha"), ("Be", "Al"),
    )  # fmt: skip
    assert relabelling("named", ["A", "B"], labels) == ()


def test_masked_model_prompts_hold_no_delegation_name() -> None:
    pytest.importorskip("openai")
    folder = load_meeting(SMALL)
    pack = load_pack(SMALL, meeting=folder)
    with fake_server(["valid"]) as server:
        config = ModelConfig(url=server.url, model="fake", retries=0)
        result = audit(
            folder, pack, runs=1, client=lambda: OpenAIClient(config), conditions=["masked"]
        )
    assert server.requests and result["model_calls"]["valid_first"] == len(server.requests)
    for request in server.requests:
        text = " ".join(m["content"] for m in request["messages"])
        for name in ("Aldmark", "Republic of Aldmark", "Bravenia", "Bravenian Republic"):
            assert not re.search(rf"(?<!\w){name}(?!\w)", text)  # adjectives are not masked
        assert "Delegation A" in text or "Delegation B" in text
