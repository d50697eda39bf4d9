"""The `ttx` and `reflection` activities, the live path's record, and `detente ttx play`."""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import pytest
from typer.testing import CliRunner

from detente.cli import app
from detente.document.summary import render_summary
from detente.meeting.events import FacilitatorNote
from detente.meeting.facilitator import AutomaticFacilitator
from detente.meeting.loader import load_meeting
from detente.meeting.runner import run_meeting
from detente.meeting.state import meeting_state
from detente.seats.base import Request, Seat, T
from detente.seats.replay import ReplaySeat
from detente.store.events import Event, decode
from detente.store.log import EventStore, Record
from detente.store.visibility import ALL, FACILITATOR
from detente.ttx.events import (
    ReflectionInjectAssessed,
    TtxAdjudicationOverridden,
    TtxDecisionMade,
    TtxInjectReleased,
    TtxMechanicsAudit,
    TtxNarrative,
)
from detente.ttx.pack import load_pack
from detente.ttx.reflection import exercise_events, reflect
from detente.ttx.requests import (
    TtxDecision,
    TtxDecisionRequest,
    TtxInjectRuling,
    TtxReleaseContingency,
    TtxReview,
    TtxRuling,
)

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "ttx-small"


class ScriptedSeat:
    """A seat that decides a fixed list of action ids per move (and records what it was asked)."""

    kind = "scripted"

    def __init__(self, delegation: str, script: Mapping[int, Sequence[str]]) -> None:
        self._delegation = delegation
        self.script = script
        self.asked: list[TtxDecisionRequest] = []

    @property
    def delegation(self) -> str:
        return self._delegation

    def answer(self, request: Request[T]) -> T:
        assert isinstance(request, TtxDecisionRequest)
        self.asked.append(request)
        return cast(T, TtxDecision(tuple(self.script.get(request.move, ())), "Our statement."))


class Facilitator(AutomaticFacilitator):
    """Overrides move 1 and holds contingency injects; agrees to everything else."""

    kind = "test"

    def decide(self, request: Request[T]) -> T:
        if isinstance(request, TtxReview) and request.move == 1:
            return cast(T, TtxRuling("tension = 90", "the room judged the standoff worse"))
        if isinstance(request, TtxReleaseContingency):
            return cast(T, TtxInjectRuling(release=False, note="the room is engaged"))
        return super().decide(request)


def play(
    folder: Path, tmp_path: Path, *, seed: int = 0, seats: Mapping[str, Seat] | None = None
) -> list[Record]:
    store = EventStore(f"sqlite:///{tmp_path / f'log-{seed}-{len(list(tmp_path.iterdir()))}.db'}")
    return run_meeting(load_meeting(folder), store, seed=seed, seats=seats)


def events(records: list[Record], kind: type[Event]) -> list[tuple[Record, Any]]:
    return [(r, decode(r)) for r in records if r.kind == kind.kind]


def scripted(ald: Mapping[int, Sequence[str]], brv: Mapping[int, Sequence[str]]) -> dict[str, Seat]:
    return {"ALD": ScriptedSeat("ALD", ald), "BRV": ScriptedSeat("BRV", brv)}


# --- the exercise in the programme ---------------------------------------------------------------


def test_the_programme_runs_the_exercise_and_its_reflection(tmp_path: Path) -> None:
    records = play(SMALL, tmp_path, seed=1)
    kinds = [r.kind for r in records]
    for kind in (
        "ttx_exercise_started",
        "ttx_move_started",
        "ttx_inject_released",
        "ttx_decision",
        "ttx_adjudication_proposed",
        "ttx_mechanics_audit",
        "ttx_narrative",
        "ttx_exercise_ended",
        "reflection_timeline",
        "reflection_escalation_curve",
        "reflection_inject_assessed",
        "reflection_hotwash_question",
    ):
        assert kind in kinds, kind
    assert kinds.index("ttx_exercise_ended") < kinds.index("reflection_timeline")
    times = [r.time for r in records]
    assert times == sorted(times)


def test_who_sees_what(tmp_path: Path) -> None:
    records = play(SMALL, tmp_path, seed=1)
    injects = {e.number: r.visibility for r, e in events(records, TtxInjectReleased)}
    assert injects[1] == ALL
    assert injects[2] == "delegation:ALD"  # to one player only
    assert injects[3] == FACILITATOR  # a facilitation row never reaches players
    for r, e in events(records, TtxDecisionMade):
        assert r.visibility == f"delegation:{e.delegation}"
    for kind in ("ttx_adjudication_proposed", "ttx_mechanics_audit"):
        assert {r.visibility for r in records if r.kind == kind} == {FACILITATOR}
    assert {r.visibility for r in records if r.kind == "ttx_narrative"} == {ALL}


def test_seats_see_only_their_injects_and_open_actions(tmp_path: Path) -> None:
    seats = scripted({1: ["ald-hotline"]}, {1: ["hold"]})
    play(SMALL, tmp_path, seats=seats)
    ald, brv = (cast(ScriptedSeat, seats[d]).asked[0] for d in ("ALD", "BRV"))
    assert [j.number for j in ald.injects] == [1, 2]
    assert [j.number for j in brv.injects] == [1]
    assert "brv-ram" not in {o.id for o in brv.options}  # tension 30 < 40: precondition false
    assert {o.id for o in ald.options} <= {
        "ald-hotline",
        "ald-escort",
        "ald-detain",
        "ald-envoy",
        "propose-talks",
        "hold",
    }
    assert brv.questions[0] == "Сдерживаете ли вы ополчение или поддерживаете его?"  # BRV: ru
    assert ald.questions[0] == "What do you tell your trawler captains?"
    assert ald.max_actions == 2


def test_private_and_unavailable_actions(tmp_path: Path) -> None:
    seats = scripted({1: ["ald-envoy", "ald-hotline"]}, {1: ["brv-ram", "hold", "brv-envoy"]})
    records = play(SMALL, tmp_path, seats=seats)
    decisions = {e.delegation: e for _, e in events(records, TtxDecisionMade) if e.move == 1}
    assert decisions["ALD"].actions == ["ald-envoy", "ald-hotline"]
    assert decisions["BRV"].actions == ["hold", "brv-envoy"]
    assert decisions["BRV"].rejected == ["brv-ram"]
    narrative = next(e for _, e in events(records, TtxNarrative) if e.move == 1)
    public = {a.action for a in narrative.actions}
    assert "ald-hotline" in public and not public & {"ald-envoy", "brv-envoy"}
    assert "envoy" not in narrative.text
    notes = [e.text for r, e in events(records, FacilitatorNote) if r.visibility == FACILITATOR]
    assert any("private" in n and "Aldmark sends a private envoy" in n for n in notes)
    assert any("brv-ram" in n for n in notes)


def test_same_seed_same_record(tmp_path: Path) -> None:
    a = [r.to_json() for r in play(SMALL, tmp_path, seed=4)]
    b = [r.to_json() for r in play(SMALL, tmp_path, seed=4)]
    assert a == b
    c = [r.to_json() for r in play(SMALL, tmp_path, seed=5)]
    assert a != c


def test_replay_seats_reproduce_the_decisions(tmp_path: Path) -> None:
    first = play(SMALL, tmp_path, seed=6)
    replay: dict[str, Seat] = {d: ReplaySeat(d, first) for d in ("ALD", "BRV")}
    second = play(SMALL, tmp_path, seed=6, seats=replay)
    assert [e for _, e in events(first, TtxDecisionMade)] == [
        e for _, e in events(second, TtxDecisionMade)
    ]
    assert [e for _, e in events(first, TtxNarrative)] == [
        e for _, e in events(second, TtxNarrative)
    ]


def test_a_facilitator_override_is_recorded_and_audited(tmp_path: Path) -> None:
    folder = load_meeting(SMALL)
    store = EventStore(f"sqlite:///{tmp_path / 'log.db'}")
    from detente.meeting.context import ActivityContext
    from detente.meeting.runner import programme_start, run_programme, runner_rng

    seats = scripted({1: ["hold"], 2: ["hold"]}, {1: ["hold"], 2: ["hold"]})
    records: list[Record] = []

    def append(draft: Any) -> Record:
        (record,) = store.append("corvan-2025", [draft])
        records.append(record)
        return record

    ctx = ActivityContext(
        folder=folder,
        seats=seats,
        rng=runner_rng(0, len(seats)),
        append=append,
        now=programme_start(folder),
        facilitator=Facilitator(),
    )
    run_programme(ctx, mode="simulation", seed=0)
    (override,) = [e for _, e in events(records, TtxAdjudicationOverridden)]
    assert (override.move, override.effects) == (1, "tension = 90")
    audit = next(e for _, e in events(records, TtxMechanicsAudit) if e.move == 1)
    last = audit.entries[-1]
    assert (last.variable, last.after) == ("tension", 90.0)
    assert last.reason == "facilitator override: the room judged the standoff worse"
    narrative = next(e for _, e in events(records, TtxNarrative) if e.move == 1)
    assert "Tension above 80" in narrative.outcomes
    # the contingency inject (tension >= 50, no talks) is due in move 2 but held
    assert 7 not in {e.number for _, e in events(records, TtxInjectReleased)}
    notes = " ".join(e.text for _, e in events(records, FacilitatorNote))
    assert "Contingency inject 7 held: the room is engaged" in notes


# --- no pack, bad pack ---------------------------------------------------------------------------


def test_without_a_pack_nothing_is_made_up(tmp_path: Path) -> None:
    folder = tmp_path / "no-pack"
    shutil.copytree(SMALL, folder)
    (folder / "scenario.yaml").unlink()
    records = play(folder, tmp_path)
    assert not [r for r in records if r.kind.startswith(("ttx_", "reflection_"))]
    notes = [(r.visibility, e.text) for r, e in events(records, FacilitatorNote)]
    assert (
        ALL,
        "The tabletop exercise was not run: this meeting folder has no scenario pack "
        "(scenario.yaml is missing).",
    ) in notes
    assert (ALL, "There is no tabletop exercise in the record to reflect on.") in notes


def test_an_invalid_pack_is_reported_not_run(tmp_path: Path) -> None:
    folder = tmp_path / "bad-pack"
    shutil.copytree(SMALL, folder)
    path = folder / "scenario.yaml"
    path.write_text(path.read_text().replace("when: tension >= 35", "when: tenson >= 35"))
    records = play(folder, tmp_path)
    assert "ttx_exercise_started" not in {r.kind for r in records}
    notes = [(r.visibility, e.text) for r, e in events(records, FacilitatorNote)]
    assert any(v == ALL and "scenario.yaml has 1 error(s)" in t for v, t in notes)
    assert any(v == FACILITATOR and "unknown variable 'tenson'" in t for v, t in notes)


# --- reflection ----------------------------------------------------------------------------------


def test_reflection_judges_expected_actions(tmp_path: Path) -> None:
    seats = scripted({1: ["ald-hotline"], 2: ["hold"]}, {1: ["hold"], 2: ["brv-hotline", "hold"]})
    records = play(SMALL, tmp_path, seats=seats)
    verdicts = {
        (e.inject, e.delegation): (e.verdict, e.taken, r.visibility)
        for r, e in events(records, ReflectionInjectAssessed)
    }
    assert verdicts[(1, "ALD")] == ("met", ["ald-hotline"], FACILITATOR)
    assert verdicts[(1, "BRV")] == ("not met", [], FACILITATOR)
    assert verdicts[(6, "ALD")] == ("not met", [], FACILITATOR)
    assert verdicts[(6, "BRV")] == ("met", ["brv-hotline"], FACILITATOR)
    questions = [decode(r).text for r in records if r.kind == "reflection_hotwash_question"]  # type: ignore[attr-defined]
    assert any(
        "Bravenia" in q and "did not respond as the scenario anticipated" in q for q in questions
    )
    assert any(q.startswith("Objective — Test whether the coast-guard hotline") for q in questions)


def test_assessments_stay_with_the_facilitation_team(tmp_path: Path) -> None:
    """Assessments name the MSEL's expected actions: facilitator-only, even when all public; and
    no question put to the room is about an inject answered by a private action."""
    folder = tmp_path / "private"
    shutil.copytree(SMALL, folder)
    path = folder / "scenario.yaml"
    text = path.read_text()
    path.write_text(
        text.replace(
            "    expected_actions: [ald-hotline, brv-hotline]\n    objective: channels\n"
            "    evaluator_notes",
            "    expected_actions: [ald-envoy, brv-hotline]\n    objective: channels\n"
            "    evaluator_notes",
        )
    )
    records = play(folder, tmp_path, seats=scripted({1: ["ald-envoy"]}, {1: ["hold"]}))
    visibility = {
        (e.inject, e.delegation): r.visibility for r, e in events(records, ReflectionInjectAssessed)
    }
    assert visibility[(1, "ALD")] == FACILITATOR
    assert visibility[(1, "BRV")] == FACILITATOR
    title = next(e.title for _, e in events(records, ReflectionInjectAssessed) if e.inject == 1)
    questions = [decode(r).text for r in records if r.kind == "reflection_hotwash_question"]  # type: ignore[attr-defined]
    assert questions and not any(title in q for q in questions)


def test_turning_points_and_the_escalation_curve(tmp_path: Path) -> None:
    seats = scripted({1: ["ald-escort", "ald-detain"]}, {1: ["brv-reinforce"]})
    records = play(SMALL, tmp_path, seats=seats)
    pack = load_pack(SMALL)
    found = reflect(exercise_events(records), pack.compiled, "session-2")
    assert found.curve["ALD"][0] == 16.0 and found.curve["BRV"][0] == 4.0
    reasons = {(p.move, p.reason) for p in found.turning_points}
    assert (1, "escalation") in reasons


def test_the_summary_shows_the_exercise_and_the_reflection(tmp_path: Path) -> None:
    seats = scripted({1: ["ald-envoy", "ald-hotline"]}, {1: ["hold"]})
    records = play(SMALL, tmp_path, seats=seats)
    text = render_summary(load_meeting(SMALL), meeting_state(records))
    assert "### Move 1 — Trawlers in the strait" in text
    assert "Militia boats enter the grounds" in text
    assert "Prompt if no call is made" not in text  # facilitation row
    assert "The militia boats carry water cannon" not in text  # to ALD only
    assert "private envoy" not in text
    assert "Expected actions" not in text  # MSEL content: facilitator-only
    assert "Hotwash questions:" in text and "| ALD |" in text


# --- detente ttx play / validate -----------------------------------------------------------------


def test_ttx_play_prints_a_timeline_and_keeps_its_own_record(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["ttx", "play", str(SMALL), "--seed", "3", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Move 1 — Trawlers in the strait" in result.output
    assert "Adjudication, move 1" in result.output
    assert (tmp_path / "ttx-play.db").exists() and (tmp_path / "ttx-play.jsonl").exists()
    first = (tmp_path / "ttx-play.jsonl").read_text()
    assert '"meeting_id":"corvan-2025-ttx-play"' in first and "ttx_exercise_started" in first
    again = runner.invoke(app, ["ttx", "play", str(SMALL), "--seed", "3", "--out", str(tmp_path)])
    assert again.exit_code == 0
    assert (tmp_path / "ttx-play.db.prev").exists()
    assert (tmp_path / "ttx-play.jsonl").read_text() == first
    store = EventStore(f"sqlite:///{tmp_path / 'ttx-play.db'}")
    assert store.read("corvan-2025-ttx-play") and not store.read("corvan-2025")


def test_ttx_commands_report_bad_packs_without_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    shutil.copytree(SMALL, folder)
    path = folder / "scenario.yaml"
    path.write_text(path.read_text().replace("      after: 4", "      after: 5"))
    runner = CliRunner()
    for command in ("play", "validate"):
        result = runner.invoke(
            app,
            ["ttx", command, str(folder), "--out", str(tmp_path)][
                : 3 if command == "validate" else 5
            ],
        )
        assert result.exit_code == 1
        assert (
            "scenario.yaml:" in result.output
            and "inject 5 is released after itself" in result.output
        )
        assert "Traceback" not in result.output


def test_ttx_validate_accepts_the_small_pack() -> None:
    result = CliRunner().invoke(app, ["ttx", "validate", str(SMALL)])
    assert result.exit_code == 0
    assert "scenario 'corvan-strait' is valid — 2 moves, 12 actions, 7 injects" in result.output


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_simulated_decision_is_open_to_its_delegation(tmp_path: Path, seed: int) -> None:
    records = play(SMALL, tmp_path, seed=seed)
    pack = load_pack(SMALL)
    for _, e in events(records, TtxDecisionMade):
        assert len(e.actions) <= 2 and not e.rejected
        for action in e.actions:
            assert e.actor in pack.scenario.action(action).actors
