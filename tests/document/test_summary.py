"""summary.md from a stored record, in a process that did not run the meeting."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli import app
from detente.document.drafted import MODEL_DRAFTED
from tests.models.fake_server import fake_server

SCRIPT = """
import sys
from pathlib import Path
from detente.meeting.loader import load_meeting
from detente.meeting.state import meeting_state
from detente.document.summary import render_summary
from detente.store.log import read_jsonl
folder = load_meeting(Path(sys.argv[1]))
records = read_jsonl(Path(sys.argv[2]), folder.meeting.meeting.id)
sys.stdout.write(render_summary(folder, meeting_state(records)))
"""


def test_summary_of_a_stored_record_has_every_activitys_section(
    harbour: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert CliRunner().invoke(app, ["run", str(harbour), "--out", str(out)]).exit_code == 0
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(harbour), str(out / "record.jsonl")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == (out / "summary.md").read_text(encoding="utf-8")
    assert "**Common ground**" in done.stdout
    # seats in the meeting file's order, not the stored record's alphabetical one
    order = ["Republic of Nordhavn", "Kestrian Federation", "Kingdom of Lovosia"]
    seats = done.stdout.split("Seats — ", 1)[1].split("\n", 1)[0]
    assert [seats.index(name) for name in order] == sorted(seats.index(name) for name in order)


def test_summary_labels_the_words_of_a_model_seat(harbour: Path, tmp_path: Path) -> None:
    """A run with one model seat (the scripted fake server): summary.md says whose words a
    language model drafted, and marks that delegation's presentation and answers only."""
    pytest.importorskip("openai")
    out = tmp_path / "out"
    with fake_server(["valid"]) as server:
        result = CliRunner().invoke(
            app,
            ["run", str(harbour), "--out", str(out), "--seat", "KES=model",
             "--model-url", server.url, "--model", "fake", "--timeout", "5"],
        )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert f"{MODEL_DRAFTED} The words of Kestrian Federation" in summary
    lines = summary.splitlines()
    presented = [line for line in lines if line.startswith("**") and "minutes)" in line]
    marked = [line for line in presented if MODEL_DRAFTED in line]
    assert marked and all(line.startswith("**Kestrian Federation**") for line in marked)
    assert any(line.startswith("**Kestrian Federation**") for line in presented)
    assert len(marked) < len(presented)  # the other delegations' words carry no marker
    answers = [line for line in lines if line.startswith("- ") and " asked " in line]
    for line in answers:
        answered_by_kes = " asked Kestrian Federation on " in line
        assert (f"answer {MODEL_DRAFTED}:" in line) == answered_by_kes, line
