"""The command line: exit codes, outputs and the generated reference."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

from icalendar import Calendar
from typer.testing import CliRunner

from detente import clidoc
from detente.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_validate_example_exits_zero_with_the_seeds_two_warnings(korea: Path) -> None:
    """The seed's own inconsistencies (Session 1 overlapping Session 2, a line inside Session 7)
    are warnings; the exercise's long afternoon is not, its run-of-show schedules a break."""
    code, _, err = invoke("validate", str(korea))
    assert code == 0
    assert "0 error(s), 2 warning(s)" in err
    assert "overlaps Session 1" in err
    assert "without a break" not in err


def test_validate_strict_fails_on_warnings(korea: Path, harbour: Path) -> None:
    assert invoke("validate", "--strict", str(korea))[0] == 1
    assert invoke("validate", "--strict", str(harbour))[0] == 0


def test_validate_bad_input_exits_one_without_traceback(harbour: Path, tmp_path: Path) -> None:
    target = tmp_path / "m"
    shutil.copytree(harbour, target)
    path = target / "meeting.yaml"
    path.write_text(path.read_text().replace('end: "10:00"', 'end: "10:70"', 1))
    code, _, err = invoke("validate", str(target))
    assert code == 1
    assert "programme[0].items[1].end: '10:70' is not a time" in err
    assert "Traceback" not in err


def test_agenda_formats(korea: Path, tmp_path: Path) -> None:
    code, out, _ = invoke("agenda", str(korea))
    assert code == 0 and out.startswith("# 13th Meeting")
    code, out, _ = invoke("agenda", str(korea), "--format", "html")
    assert code == 0 and out.startswith("<!doctype html>")
    target = tmp_path / "agenda.ics"
    code, _, _ = invoke("agenda", str(korea), "--format", "ics", "-o", str(target))
    assert code == 0
    cal = Calendar.from_ical(target.read_bytes())
    starts = [e.decoded("dtstart") for e in cal.walk("VEVENT")]
    assert dt.datetime(2024, 8, 26, 8, 40, tzinfo=dt.UTC) in [
        s.astimezone(dt.UTC) for s in starts if isinstance(s, dt.datetime)
    ]


def test_run_then_log_and_refuse_rerun(harbour: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = invoke("run", str(harbour), "--out", str(out), "--seed", "2")
    assert code == 0, err
    assert (out / "record.jsonl").exists() and (out / "summary.md").exists()
    code, _, err = invoke("run", str(harbour), "--out", str(out))
    assert code == 1 and "--replace" in err
    code, _, err = invoke("run", str(harbour), "--out", str(out), "--replace")
    assert code == 0 and (out / "detente.db.prev").exists()
    code, stdout, err = invoke("log", str(harbour), "--out", str(out), "--kind", "item_started")
    assert code == 0
    assert "of" in err and "item_started" in stdout
    code, stdout, _ = invoke(
        "log", str(harbour), "--out", str(out), "--session", "1", "--format", "jsonl"
    )
    kinds = [json.loads(line)["kind"] for line in stdout.splitlines()]
    assert kinds[0] == "item_started" and kinds[-1] == "item_ended"
    assert kinds.count("presentation_delivered") == 3


def test_log_without_a_record_says_what_to_do(harbour: Path, tmp_path: Path) -> None:
    code, _, err = invoke("log", str(harbour), "--out", str(tmp_path))
    assert code == 1 and "detente run" in err


def test_end_to_end_console_script_is_byte_identical(korea: Path, tmp_path: Path) -> None:
    """`detente run examples/korea-2024` twice with one seed gives the same record.jsonl."""
    outputs = []
    for name in ("a", "b"):
        out = tmp_path / name
        done = subprocess.run(
            [sys.executable, "-m", "detente", "run", str(korea), "--seed", "11", "--out", str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        outputs.append((out / "record.jsonl").read_bytes())
    assert outputs[0] == outputs[1]
    rows = [json.loads(line) for line in outputs[0].decode().splitlines()]
    assert rows[0]["kind"] == "meeting_opened" and rows[-1]["kind"] == "meeting_closed"
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
    summary = (tmp_path / "a" / "summary.md").read_text()
    assert "## Programme as held" in summary
    for name in ("LI Nan", "Joseph YUN", "TOLORAYA"):
        assert name not in summary


def test_cli_reference_is_up_to_date() -> None:
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == clidoc.render(), (
        "docs/cli.md is stale: run `make docs`"
    )


def test_validate_and_run_check_the_optional_files_up_front(korea: Path, tmp_path: Path) -> None:
    """A broken scenario is reported by `validate`, and `run` refuses before recording anything
    (it used to stop with a partial record when Session 4 started)."""
    target = tmp_path / "m"
    shutil.copytree(korea, target)
    path = target / "scenario.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "escalation: posturing", "escalation: posturin", 1
        ),
        encoding="utf-8",
    )
    code, _, err = invoke("validate", str(target))
    assert code == 1 and "scenario.yaml:" in err and "posturin" in err
    out = tmp_path / "out"
    code, _, err = invoke("run", str(target), "--out", str(out))
    assert code == 1 and "nothing was recorded" in err
    assert not (out / "record.jsonl").exists() and not (out / "detente.db").exists()
