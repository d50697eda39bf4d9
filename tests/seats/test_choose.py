"""Choosing seats on the command line, and replaying a meeting with model seats without a model."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli import app
from detente.document.drafted import MODEL_DRAFTED
from detente.seats.choose import SeatChoiceError, seat_kinds
from tests.conftest import ROOT
from tests.models.fake_server import fake_server

SMALL = ROOT / "tests" / "fixtures" / "ttx-small"
runner = CliRunner()


def test_seat_kinds_default_and_overrides() -> None:
    assert seat_kinds(["A", "B"], ["B=model"], None) == {"A": "simulated", "B": "model"}
    assert seat_kinds(["A", "B"], ["A=simulated"], "model") == {"A": "simulated", "B": "model"}


@pytest.mark.parametrize(
    ("specs", "default", "message"),
    [(["C=model"], None, "delegation of the meeting"), (["A=oracle"], None, "seat kind"),
     (["A"], None, "DELEGATION=KIND"), ([], "oracle", "seat kind")],
)  # fmt: skip
def test_bad_seat_choices_are_one_line_errors(
    specs: list[str], default: str | None, message: str
) -> None:
    with pytest.raises(SeatChoiceError, match=message):
        seat_kinds(["A", "B"], specs, default)


def test_cli_refuses_an_unknown_delegation(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", str(SMALL), "--out", str(tmp_path), "--seat", "XYZ=model"])
    assert result.exit_code == 1
    assert "XYZ=model" in result.stderr and "Traceback" not in result.output + result.stderr


def _kinds(record: Path) -> list[str]:
    return [json.loads(line)["kind"] for line in record.read_text().splitlines()]


def test_model_seats_run_through_faults_and_replay_byte_identical(tmp_path: Path) -> None:
    pytest.importorskip("openai")
    script = ["valid", "garbage", "valid", "offmenu", "500", "500", "500", "truncated", "valid"]
    first = tmp_path / "first"
    with fake_server(script) as server:
        result = runner.invoke(
            app,
            ["run", str(SMALL), "--out", str(first), "--seed", "3", "--seats", "model",
             "--model-url", server.url, "--model", "fake", "--timeout", "5"],
        )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr and "model seats:" in result.stderr
    kinds = _kinds(first / "record.jsonl")
    assert "model_called" in kinds and "seat_fell_back" in kinds
    assert "meeting_closed" in kinds
    second = tmp_path / "second"  # no server now: the replay must not need one
    result = runner.invoke(
        app,
        ["run", str(SMALL), "--out", str(second), "--replay", str(first / "record.jsonl")],
    )
    assert result.exit_code == 0, result.stderr
    assert (second / "record.jsonl").read_bytes() == (first / "record.jsonl").read_bytes()
    documents = _documents(SMALL, first)
    assert _documents(SMALL, second) == documents
    marker = MODEL_DRAFTED.strip("[]").encode()  # Markdown escapes the brackets
    for name, text in documents.items():  # both documents show model-drafted words: labelled
        assert marker in text, name


def _documents(folder: Path, out: Path) -> dict[str, bytes]:
    """The after-action report and the meeting report of the run in `out`, as Markdown (PDFs
    carry their creation time), by file name."""
    result = runner.invoke(
        app,
        ["report", str(folder), "--out", str(out), "--kind", "aar", "--kind", "meeting",
         "--format", "md"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    files = sorted((out / "reports").rglob("*.md"))
    assert files
    return {str(f.relative_to(out)): f.read_bytes() for f in files}


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("DETENTE_LOCAL_MODEL_RUN"),
    reason="minutes on a shared 2-core machine (175 s at load 11): set DETENTE_LOCAL_MODEL_RUN=1",
)
def test_a_run_with_the_real_local_model_replays_byte_identical_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The local default (SmolLM2-135M in-process) holds one seat; the replay runs with the
    model made unloadable, and gives the same record and the same documents. (The same with a
    scripted server, in every `make test`: the test above.)"""
    pytest.importorskip("llama_cpp")
    first, second = tmp_path / "first", tmp_path / "second"
    result = runner.invoke(
        app,
        ["run", str(SMALL), "--out", str(first), "--seed", "3", "--seat", "ALD=model",
         "--max-tokens", "160"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    record = first / "record.jsonl"
    calls = [json.loads(line) for line in record.read_text().splitlines()]
    models = {r["payload"]["model"] for r in calls if r["kind"] == "model_called"}
    assert models and all(m.startswith("SmolLM2-135M-Instruct") for m in models)
    monkeypatch.setenv("DETENTE_MODEL", str(tmp_path / "no-such-model.gguf"))
    result = runner.invoke(app, ["run", str(SMALL), "--out", str(second), "--replay", str(record)])
    assert result.exit_code == 0, result.stderr
    assert (second / "record.jsonl").read_bytes() == record.read_bytes()
    assert _documents(SMALL, second) == _documents(SMALL, first)


def test_replay_of_another_prompt_stops_with_one_line(tmp_path: Path) -> None:
    pytest.importorskip("openai")
    first = tmp_path / "first"
    with fake_server(["valid"]) as server:
        result = runner.invoke(
            app,
            ["run", str(SMALL), "--out", str(first), "--seat", "ALD=model",
             "--model-url", server.url],
        )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    record = first / "record.jsonl"
    edited = tmp_path / "edited.jsonl"  # a record whose model call answered another prompt
    lines = record.read_text().splitlines()
    for i, line in enumerate(lines):
        row = json.loads(line)
        if row["kind"] == "model_called":
            row["payload"]["prompt_hash"] = "0" * 64
            lines[i] = json.dumps(row)
            break
    edited.write_text("\n".join(lines) + "\n")
    result = runner.invoke(
        app, ["run", str(SMALL), "--out", str(tmp_path / "r"), "--replay", str(edited)]
    )
    assert result.exit_code == 1
    assert "another prompt" in result.stderr and "Traceback" not in result.stderr
