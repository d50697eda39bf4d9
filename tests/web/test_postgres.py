"""One end-to-end flow of the live app on PostgreSQL (`make test` provides the server)."""

from __future__ import annotations

import os
import re
import time
import uuid
from pathlib import Path

import pytest

from detente.store.log import EventStore
from tests.web.server import join, start

URL = os.environ.get("DETENTE_TEST_POSTGRES_URL")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not URL, reason="DETENTE_TEST_POSTGRES_URL is not set (make test sets it)"),
]


def test_a_live_flow_on_postgresql(harbour: Path, tmp_path: Path) -> None:
    assert URL is not None
    schema_free_url = URL  # one meeting id per database: use a fresh copy of the fixture id
    out = tmp_path / "out"
    store = EventStore(schema_free_url.replace("postgresql://", "postgresql+psycopg://"))
    # the fixture's meeting id may already hold a record from another test: start clean
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM events WHERE meeting_id = 'harbour-2025'")
    server = start(harbour, out, env={"DATABASE_URL": URL}, args=("--seed", "9"))
    try:
        fac, csrf = join(server, "facilitator")
        for _ in range(3):
            for _ in range(100):
                key = re.search(
                    r'data-key="(decision-\d+)"', fac.get("/facilitator/panel/decisions").text
                )
                if key:
                    break
                time.sleep(0.05)
            assert key is not None
            assert (
                fac.post(f"/facilitator/decisions/{key.group(1)}", data={"csrf": csrf}).status_code
                == 200
            )
        kes, kes_csrf = join(server, "marta-kowal")
        note = f"pg-note-{uuid.uuid4()}"
        response = kes.post("/delegation/notes", data={"csrf": kes_csrf, "text": note})
        assert response.status_code == 200
        seq = int(response.headers["x-detente-seq"])
        for _ in range(100):
            if 'data-key="KES-1"' in kes.get("/delegation/panel/requests").text:
                break
            time.sleep(0.05)
        answer = kes.post(
            "/delegation/requests/KES-1",
            data={
                "csrf": kes_csrf,
                "topic-0": "Alerts",
                "statement-0": "Common levels.",
                "source-0": "x",
            },
        )
        assert answer.status_code == 200
    finally:
        server.stop()
    records = {r.seq: r for r in store.read("harbour-2025")}
    assert records[seq].kind == "note_written" and records[seq].payload["text"] == note
    assert any(r.kind == "presentation_delivered" for r in records.values())
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM events WHERE meeting_id = 'harbour-2025'")
    store.close()
