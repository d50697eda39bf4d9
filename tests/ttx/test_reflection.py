"""Hotwash questions from the after-action analysis: grouped per inject, ranked, capped per move,
and never naming an expected action (MSEL content for the facilitation team only)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from detente.ttx.events import ReflectionHotwashQuestion
from detente.ttx.pack import load_pack
from detente.ttx.reflection import MAX_PER_MOVE
from tests.ttx.test_activity import SMALL, events, play, scripted


def _questions(records: list) -> list[ReflectionHotwashQuestion]:  # type: ignore[type-arg]
    return [e for _, e in events(records, ReflectionHotwashQuestion)]


def test_one_question_per_missed_inject_naming_the_delegations(tmp_path: Path) -> None:
    # inject 1 (move 1) expects ald-hotline and brv-hotline: nobody takes either.
    records = play(SMALL, tmp_path, seats=scripted({1: ["hold"]}, {1: ["hold"]}))
    about_1 = [q for q in _questions(records) if q.inject == 1]
    assert len(about_1) == 1, [q.text for q in _questions(records)]
    (q,) = about_1
    assert sorted(q.delegations) == ["ALD", "BRV"]
    assert "Aldmark" in q.text and "Bravenia" in q.text
    assert "none of the delegations" in q.text


def test_no_question_about_an_inject_every_delegation_met(tmp_path: Path) -> None:
    seats = scripted({1: ["ald-hotline"]}, {1: ["brv-hotline"]})
    records = play(SMALL, tmp_path, seats=seats)
    assert not [q for q in _questions(records) if q.inject == 1]


def test_question_texts_never_name_an_expected_action_and_stay_few(tmp_path: Path) -> None:
    records = play(SMALL, tmp_path, seats=scripted({1: ["hold"]}, {1: ["hold"]}))
    compiled = load_pack(SMALL).compiled
    labels = {compiled.actions[i].label for row in compiled.injects for i in row.expected_actions}
    questions = _questions(records)
    assert questions
    for q in questions:
        assert "expected:" not in q.text
        for label in labels:
            assert label not in q.text, (label, q.text)
    per_move = Counter(
        q.text.split(",")[0].split(":")[0] for q in questions if q.text.startswith("Move ")
    )
    assert per_move and max(per_move.values()) <= MAX_PER_MOVE
