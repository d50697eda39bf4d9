"""`detente report`: files written, exit codes, messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli import app
from tests.rendered import MEETINGS

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stderr


def test_report_before_run_makes_packs_and_names_the_missing_session(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, err = invoke(
        "report",
        str(MEETINGS["harbour-2025"]),
        "--out",
        str(out),
        "--format",
        "md",
        "--format",
        "html",
    )
    assert code == 0, err
    files = sorted(p.name for p in (out / "reports").iterdir())
    assert "pack-NRD.md" in files and "pack-NRD.html" in files
    assert "facilitator-handbook.md" in files
    assert "meeting-report: not made" in err and "has not run yet" in err
    assert "warning: pack-KES: no document catalog for language 'pl'" in err
    assert (out / "join-secret").exists()


def test_asking_for_one_unavailable_document_exits_one(tmp_path: Path) -> None:
    code, err = invoke(
        "report", str(MEETINGS["harbour-2025"]), "--out", str(tmp_path), "--kind", "meeting"
    )
    assert code == 1
    assert "Session 1" in err and "Traceback" not in err


def test_after_run_all_formats(tmp_path: Path) -> None:
    folder = MEETINGS["harbour-2025"]
    assert runner.invoke(app, ["run", str(folder), "--out", str(tmp_path)]).exit_code == 0
    code, err = invoke(
        "report",
        str(folder),
        "--out",
        str(tmp_path),
        "--kind",
        "meeting",
        "--format",
        "all",
        "--no-annex",
    )
    assert code == 0, err
    for fmt in ("html", "pdf", "md"):
        assert (tmp_path / "reports" / f"meeting-report.{fmt}").exists()
    text = (tmp_path / "reports" / "meeting-report.md").read_text(encoding="utf-8")
    assert "Annex" not in text


def test_bad_meeting_is_a_located_error(tmp_path: Path) -> None:
    target = tmp_path / "m"
    shutil.copytree(MEETINGS["harbour-2025"], target)
    path = target / "meeting.yaml"
    path.write_text(path.read_text().replace("role: observer", "role: spectator"))
    code, err = invoke("report", str(target), "--out", str(tmp_path / "o"))
    assert code == 1
    assert "meeting.yaml:" in err and "Traceback" not in err


def test_packs_on_the_default_address_say_phones_cannot_reach_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DETENTE_BASE_URL", raising=False)
    folder = str(MEETINGS["harbour-2025"])
    args = ("--kind", "pack", "--format", "md")
    code, err = invoke("report", folder, "--out", str(tmp_path / "a"), *args)
    assert code == 0, err
    assert "phones cannot reach" in " ".join(err.split())
    venue = ("--base-url", "http://192.168.1.20:8000")
    code, err = invoke("report", folder, "--out", str(tmp_path / "b"), *args, *venue)
    assert code == 0, err
    assert "phones cannot reach" not in " ".join(err.split())
    assert "http://192.168.1.20:8000/join/" in (
        tmp_path / "b" / "reports" / "pack-NRD.md"
    ).read_text(encoding="utf-8")
