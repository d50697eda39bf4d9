"""Records written before events carried versions still load, upcast, replay and report."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from detente.meeting.loader import load_meeting
from detente.meeting.runner import run_meeting
from detente.names import request_kind_of_path, snake_case
from detente.seats.base import Request
from detente.seats.replay import ReplaySeat
from detente.store.events import Event, UnknownEventError, current_payload, decode, upcaster
from detente.store.log import EventStore, Record, read_jsonl

FIXTURE = Path(__file__).parents[1] / "fixtures" / "records" / "korea-2024-v0"
MEETING = "korea-2024"
SEAT_ANSWERS = {
    "presentation_delivered",
    "clarification_exchanged",
    "vote_cast",
    "ttx_decision",
    "rating_submitted",
}
"""Kinds that hold a seat's answer (what a replay seat reads back from the old record).
Commitments are left out: their wording is composed by the remarks activity, which may change."""


def _old_rows() -> list[dict[str, Any]]:
    with gzip.open(FIXTURE / "record.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _old_database(path: Path) -> None:
    """A SQLite log exactly as the previous release created it (no `version` column)."""
    con = sqlite3.connect(path)
    con.execute(
        "CREATE TABLE events (meeting_id VARCHAR(200) NOT NULL, seq INTEGER NOT NULL, "
        "time VARCHAR(40) NOT NULL, actor VARCHAR(200) NOT NULL, kind VARCHAR(100) NOT NULL, "
        "visibility VARCHAR(200) NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (meeting_id, seq))"
    )
    con.executemany(
        "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                MEETING,
                r["seq"],
                r["time"],
                r["actor"],
                r["kind"],
                r["visibility"],
                json.dumps(r["payload"], ensure_ascii=False, sort_keys=True),
            )
            for r in _old_rows()
        ],
    )
    con.commit()
    con.close()


def test_the_fixture_predates_versions() -> None:
    assert all("version" not in row for row in _old_rows())


def test_old_jsonl_record_decodes_every_event(tmp_path: Path) -> None:
    path = tmp_path / "record.jsonl"
    with gzip.open(FIXTURE / "record.jsonl.gz", "rb") as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    records = read_jsonl(path, MEETING)
    assert len(records) == len(_old_rows()) > 900
    assert {r.version for r in records} == {1}
    events = [decode(r) for r in records]
    assert len(events) == len(records)


def test_old_database_gains_the_version_column_and_keeps_every_row(tmp_path: Path) -> None:
    db = tmp_path / "detente.db"
    _old_database(db)
    store = EventStore(f"sqlite:///{db}")
    records = store.read(MEETING)
    assert [r.seq for r in records] == [row["seq"] for row in _old_rows()]
    assert all(r.version == 1 for r in records)
    assert [r.payload for r in records] == [row["payload"] for row in _old_rows()]
    store.close()


def test_old_record_replays_to_the_same_acts(tmp_path: Path) -> None:
    folder = load_meeting(FIXTURE / "inputs")
    records = read_jsonl(_unzipped(tmp_path), MEETING)
    seats = {d.id: ReplaySeat(d.id, records) for d in folder.meeting.delegations}
    store = EventStore(f"sqlite:///{tmp_path / 'replay.db'}")
    replayed = run_meeting(folder, store, seed=2024, seats=seats)
    # The runner may record more than it did then (new checks, new analyses); what the seats
    # answered — the part a replay takes from the old record — must come back unchanged.
    before = [(r.kind, r.actor, r.payload) for r in records if r.kind in SEAT_ANSWERS]
    after = [(r.kind, r.actor, r.payload) for r in replayed if r.kind in SEAT_ANSWERS]
    assert {kind for kind, _, _ in before} == SEAT_ANSWERS
    assert after == before
    store.close()


@pytest.mark.slow
def test_old_database_reports(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from detente.cli import app

    out = tmp_path / "out"
    out.mkdir()
    _old_database(out / "detente.db")
    result = CliRunner().invoke(
        app,
        ["report", str(FIXTURE / "inputs"), "--out", str(out), "--kind", "all", "--format", "md"],
    )
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (out / "reports").iterdir())
    assert any(name.startswith("meeting-report") for name in written), written
    assert any(name.startswith("after-action-report") for name in written), written


def _unzipped(tmp_path: Path) -> Path:
    path = tmp_path / "old.jsonl"
    with gzip.open(FIXTURE / "record.jsonl.gz", "rb") as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return path


def test_upcasters_run_in_order_and_refuse_the_future() -> None:
    class Sample(Event):
        kind = "test_sample_versioned"
        version = 3
        text: str
        count: int

    @upcaster("test_sample_versioned", 1)
    def _v1(payload: dict[str, Any]) -> dict[str, Any]:
        return {"text": payload.pop("body")}

    @upcaster("test_sample_versioned", 2)
    def _v2(payload: dict[str, Any]) -> dict[str, Any]:
        return {**payload, "count": len(payload["text"])}

    def record(version: int, payload: dict[str, Any]) -> Record:
        import datetime as dt

        when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        return Record("m", 1, when, "system", "test_sample_versioned", "all", payload, version)

    assert decode(record(1, {"body": "abc"})) == Sample(text="abc", count=3)
    assert current_payload(record(2, {"text": "ab"})) == {"text": "ab", "count": 2}
    assert decode(record(3, {"text": "x", "count": 9})) == Sample(text="x", count=9)
    with pytest.raises(UnknownEventError, match="newer"):
        decode(record(4, {"text": "x", "count": 1}))


def test_request_kinds_are_stable_names_not_python_paths() -> None:
    from detente.ttx.requests import TtxDecisionRequest

    assert TtxDecisionRequest.request_kind == "ttx_decision_request"
    assert Request.kinds["ttx_decision_request"] is TtxDecisionRequest
    assert snake_case("ABCRequest") == "abc_request"
    assert request_kind_of_path("detente.ttx.requests.TtxDecisionRequest") == "ttx_decision_request"
    assert request_kind_of_path("vote_request") == "vote_request"


def test_live_request_events_written_with_python_paths_are_upcast() -> None:
    import datetime as dt

    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    old = Record(
        "m",
        7,
        when,
        "system",
        "seat_requested",
        "delegation:USA",
        {
            "key": "USA-7",
            "delegation": "USA",
            "request_type": "detente.deliberation.votes.VoteRequest",
            "request": {},
        },
        1,
    )
    event = decode(old)
    assert event.payload()["request_type"] == "vote_request"


def test_two_request_types_cannot_share_a_kind() -> None:
    with pytest.raises(TypeError, match="already"):

        class TtxDecisionRequest(Request[int]):  # same kind as the real one, another class
            pass
