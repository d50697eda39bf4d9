"""`detente serve` refuses a folder whose log holds a simulated record, before starting."""

from __future__ import annotations

import datetime as dt
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
