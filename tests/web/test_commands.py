"""`detente serve` refuses a folder whose log holds a simulated record, before starting."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli import app
from detente.store.log import Draft, EventStore, database_url
from detente.web.commands import recorded_mode


def _open_record(out: Path, mode: str) -> None:
    store = EventStore(database_url(out / "detente.db"))
    try:
        payload = {
            "meeting_id": "harbour-2025",
            "title": "Baltic Harbour Safety Dialogue",
            "mode": mode,
            "timezone": "Europe/Warsaw",
            "seats": {},
        }
        now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        store.append("harbour-2025", [Draft(now, "system", "meeting_opened", "all", payload)])
    finally:
        store.close()


def test_serve_refuses_a_simulated_record(
    harbour: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    _open_record(tmp_path, "simulation")
    assert recorded_mode("harbour-2025", tmp_path) == "simulation"
    result = CliRunner().invoke(app, ["serve", str(harbour), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "already holds a simulation record" in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_a_live_record_or_none_is_served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert recorded_mode("harbour-2025", tmp_path / "empty") is None
    _open_record(tmp_path, "live")
    assert recorded_mode("harbour-2025", tmp_path) == "live"


def test_packs_and_serve_agree_on_the_folder_and_the_public_url(
    harbour: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Packs printed with --base-url, then `serve` without --public-url: the facilitator's
    link, the join sheet and the packs carry the same address and the same codes."""
    import uvicorn

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DETENTE_BASE_URL", raising=False)
    monkeypatch.setattr(uvicorn, "run", lambda *_a, **_k: None)  # start nothing
    out = tmp_path / "out"
    url = "http://10.9.8.7:8000"
    runner = CliRunner()
    command = ["report", str(harbour), "--out", str(out), "--kind", "pack", "--format", "html"]
    made = runner.invoke(app, [*command, "--base-url", url])
    assert made.exit_code == 0, made.output
    pack = (out / "reports" / "pack-NRD.html").read_text(encoding="utf-8")
    links = set(re.findall(r"http://[\w.:-]+/join/[A-Z0-9-]+", pack))
    assert links and all(link.startswith(f"{url}/join/") for link in links)
    served = runner.invoke(app, ["serve", str(harbour), "--out", str(out)])
    assert served.exit_code == 0, served.output
    assert f"facilitator: {url}/join/" in served.output
    sheet = (out / "join-sheet.html").read_text(encoding="utf-8")
    assert links <= set(re.findall(r"http://[\w.:-]+/join/[A-Z0-9-]+", sheet))
