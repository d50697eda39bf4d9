"""The second example (examples/sulu-sea-2026) through every command: the exercise split by a
break is played once across its two parts, and every document agrees on the moves played."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli import app
from detente.names import plural
from detente.store.log import EventStore
from detente.ttx.results import ExerciseResult, exercise_result

ROOT = Path(__file__).resolve().parents[1]
SULU = ROOT / "examples" / "sulu-sea-2026"
runner = CliRunner()


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, f"detente {' '.join(args)}\n{result.output}"
    assert "Traceback" not in result.output
    return result.output


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example run once in simulation, with its documents as Markdown."""
    where = tmp_path_factory.mktemp("sulu")
    invoke("run", str(SULU), "--seed", "2024", "--out", str(where))
    invoke("report", str(SULU), "--out", str(where), "--kind", "all", "--format", "md")
    return where


@pytest.fixture(scope="module")
def played(out: Path) -> ExerciseResult:
    result = exercise_result(EventStore(f"sqlite:///{out / 'detente.db'}").read("sulu-sea-2026"))
    assert result is not None
    return result


def test_validate_is_clean() -> None:
    output = invoke("validate", str(SULU), "--strict")
    assert "0 error(s), 0 warning(s)" in " ".join(output.split())


def test_the_exercise_is_played_once_across_its_two_parts(played: ExerciseResult) -> None:
    assert played.item_ids == ("session-3", "session-4")
    assert played.moves_played == tuple(range(1, len(played.moves_played) + 1))
    assert played.finished
    first, second = played.parts
    assert first.planned == (1, 2) and second.planned == (3, 4)
    assert first.played == (1, 2)  # a terminal outcome may end it in part II, never replays
    assert not set(first.played) & set(second.played)


def test_every_document_agrees_on_the_moves_played(out: Path, played: ExerciseResult) -> None:
    n = len(played.moves_played)
    reports = out / "reports"
    aar = (reports / "after-action-report.md").read_text(encoding="utf-8")
    assert f"The exercise ran for {plural(n, 'move')} in 2 parts" in aar
    meeting = (reports / "meeting-report.md").read_text(encoding="utf-8")
    assert f"the exercise ran for {n} of 4 moves" in meeting
    assert "nothing was recorded for this session" not in meeting
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert f"The exercise ended after {plural(n, 'move')}" in summary
    assert "Part 1 of the exercise (moves 1–2)." in summary
    handbook = (reports / "facilitator-handbook.md").read_text(encoding="utf-8")
    assert "part 1 (moves 1–2) fits its session" in handbook
    assert "part 2 (moves 3–4) fits its session" in handbook


def test_log_agenda_and_ttx_commands(out: Path, tmp_path: Path) -> None:
    by_number = invoke("log", str(SULU), "--out", str(out), "--session", "4", "--format", "jsonl")
    records = [line for line in by_number.splitlines() if line.startswith("{")]
    assert records and all('"item_id":"session-4"' in line for line in records)
    assert "ttx_part_started" in by_number
    for fmt in ("md", "html", "ics"):
        invoke("agenda", str(SULU), "--format", fmt, "-o", str(tmp_path / f"agenda.{fmt}"))
    agenda = (tmp_path / "agenda.md").read_text(encoding="utf-8")
    assert "part I" in agenda and "part II" in agenda
    invoke("ttx", "validate", str(SULU))
    invoke("ttx", "play", str(SULU), "--seed", "1", "--out", str(tmp_path))
    invoke("ttx", "sweep", str(SULU), "--runs", "300", "--out", str(tmp_path))
    invoke("ttx", "msel", "export", str(SULU), "-o", str(tmp_path / "msel.csv"))
    assert "Namhai crew detained" in (tmp_path / "msel.csv").read_text(encoding="utf-8")
    invoke(
        "ttx",
        "calibrate",
        str(SULU),
        "--runs",
        "200",
        "--kind",
        "chance",
        "--target",
        "armed-clash=0.15",
        "--out",
        str(tmp_path),
    )
    assert (tmp_path / "ttx-calibrate" / "calibrate.json").exists()


def test_common_ground_and_roadmap(out: Path) -> None:
    invoke("common-ground", str(SULU), "--out", str(out))
    invoke("roadmap", str(SULU), "--out", str(out))


def test_the_hotwash_voted_on_its_statements(out: Path) -> None:
    lines = (out / "record.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    hotwash = [r for r in records if r.get("payload", {}).get("item_id") == "session-5"]
    kinds = {r["kind"] for r in hotwash}
    assert {"reflection_timeline", "statement_added", "vote_cast", "analysis_recorded"} <= kinds
    opening = [r for r in records if r.get("payload", {}).get("item_id") == "opening"]
    assert opening and not [r for r in opening if r["kind"] == "commitment_made"]
