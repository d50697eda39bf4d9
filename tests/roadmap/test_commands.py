"""`detente roadmap`: the JSON document, precise re-computation, plots, and bad input."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from detente.cli import app
from detente.roadmap.catalog import MEASURES_FILE
from detente.store.log import Record
from tests.conftest import KOREA

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_json_lists_every_measure_with_tier_counts_phase_and_effects(
    korea_run: tuple[Path, list[Record]],
) -> None:
    out, _ = korea_run
    code, stdout, stderr = invoke("roadmap", str(KOREA), "--out", str(out), "--format", "json")
    assert code == 0, stderr
    doc = json.loads(stdout)
    assert len(doc["measures"]) == 52 and doc["item"] == "session-6"
    for m in doc["measures"]:
        assert {"id", "category", "tier", "support", "phase", "effects"} <= set(m)
        assert set(m["support"]) == {"CHN", "RUS", "USA"}
        for counts in m["support"].values():
            assert counts["agree"] + counts["disagree"] + counts["pass"] == counts["rated"] == 3
        assert (m["phase"] is None) == (m["further_dialogue"] is not None)
    effects = [m for m in doc["measures"] if m["effects"]]
    assert effects and doc["runs"] == 200
    e = effects[0]["effects"]["armed-clash"]
    assert set(e) == {"baseline", "with_measure", "difference"}
    assert {p["number"] for p in doc["phases"]} == {
        m["phase"] for m in doc["measures"] if m["phase"] is not None
    }


def test_runs_recompute_the_effects_with_the_recorded_seed(
    korea_run: tuple[Path, list[Record]], tmp_path: Path
) -> None:
    out, _ = korea_run
    plots = tmp_path / "plots"
    code, stdout, stderr = invoke(
        "roadmap",
        str(KOREA),
        "--out",
        str(out),
        "--format",
        "json",
        "--runs",
        "300",
        "--plots",
        str(plots),
    )
    assert code == 0, stderr
    doc = json.loads(stdout)
    assert doc["runs"] == 300
    recorded = json.loads(invoke("roadmap", str(KOREA), "--out", str(out), "--format", "json")[1])
    assert doc["seed"] == recorded["seed"]
    tiers = {m["id"]: m["tier"] for m in recorded["measures"]}
    assert {m["id"]: m["tier"] for m in doc["measures"]} == tiers  # ratings are the record's
    assert sorted(p.name for p in plots.iterdir()) == [
        "session-6-effects.png",
        "session-6-effects.svg",
        "session-6-roadmap.png",
        "session-6-roadmap.svg",
    ]
    svg = (plots / "session-6-roadmap.svg").read_text(encoding="utf-8")
    assert "Restore the East and West" in svg
    code, stdout, _ = invoke("roadmap", str(KOREA), "--out", str(out))
    assert code == 0 and "Roadmap" in stdout and "Simulated effects" in stdout


def test_without_a_record_it_says_what_to_do(tmp_path: Path) -> None:
    code, _, stderr = invoke("roadmap", str(KOREA), "--out", str(tmp_path))
    assert code == 1 and "detente run" in stderr and "Traceback" not in stderr


def test_a_bad_catalog_is_a_located_error(tmp_path: Path) -> None:
    target = tmp_path / "korea-2024"
    shutil.copytree(KOREA, target)
    path = target / MEASURES_FILE
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "prerequisites: [launch-notification, us-china-notification-mous]",
            "prerequisites: [launch-notice, us-china-notification-mous]",
        ),
        encoding="utf-8",
    )
    code, _, stderr = invoke("roadmap", str(target), "--out", str(tmp_path / "out"))
    assert code == 1 and "Traceback" not in stderr
    assert "measures.yaml:" in stderr and "unknown measure 'launch-notice'" in stderr


def test_a_bad_modifier_is_reported_even_without_runs(tmp_path: Path) -> None:
    target = tmp_path / "korea-2024"
    shutil.copytree(KOREA, target)
    path = target / MEASURES_FILE
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'effects: "hotline[USA,CHN] = 1"', 'effects: "hotline[USA,PRC] = 1"'
        ),
        encoding="utf-8",
    )
    code, _, stderr = invoke("roadmap", str(target), "--out", str(tmp_path / "out"))
    assert code == 1 and "PRC" in stderr and "measures.yaml:" in stderr


def test_a_rating_out_of_range_in_the_record_is_a_clear_error(
    harbour_run: tuple[Path, Path, list[Record]], tmp_path: Path
) -> None:
    folder, out, records = harbour_run
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    target = next(r for r in records if r.kind == "rating_submitted")
    with sqlite3.connect(copy / "detente.db") as db:
        row = db.execute(
            "SELECT payload FROM events WHERE meeting_id = ? AND seq = ?",
            ("harbour-2025", target.seq),
        ).fetchone()
        payload = json.loads(row[0])
        payload["support"] = 7
        db.execute(
            "UPDATE events SET payload = ? WHERE meeting_id = ? AND seq = ?",
            (json.dumps(payload), "harbour-2025", target.seq),
        )
    code, _, stderr = invoke("roadmap", str(folder), "--out", str(copy))
    assert code == 1 and "Traceback" not in stderr
    assert f"event #{target.seq}" in stderr and "support 7 is outside -2…+2" in stderr


def test_harbour_roadmap_json_has_no_effects(harbour_run: tuple[Path, Path, list[Record]]) -> None:
    folder, out, _ = harbour_run
    code, stdout, stderr = invoke("roadmap", str(folder), "--out", str(out), "--format", "json")
    assert code == 0, stderr
    doc = json.loads(stdout)
    assert doc["outcomes"] == {} and all(m["effects"] == {} for m in doc["measures"])
    assert "no scenario pack" in doc["effects_note"]
    code, stdout, stderr = invoke(
        "roadmap", str(folder), "--out", str(out), "--format", "json", "--runs", "100"
    )
    assert code == 0 and json.loads(stdout)["runs"] is None


def test_detente_run_then_roadmap_on_the_harbour_meeting(harbour_rm: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, stderr = invoke("run", str(harbour_rm), "--out", str(out), "--seed", "6")
    assert code == 0, stderr
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "**Roadmap**" in summary and "Commitments to next steps, by delegation:" in summary
    assert (out / "plots" / "session-3-roadmap.svg").exists()
    code, stdout, stderr = invoke("roadmap", str(harbour_rm), "--out", str(out), "--format", "json")
    assert code == 0, stderr
    assert {m["id"] for m in json.loads(stdout)["measures"]} >= {"common-alert-scale"}
