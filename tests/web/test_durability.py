"""Durability: every acknowledged act survives a SIGKILL, and the meeting resumes where it was.

Starts `detente serve` as a process, has several clients act concurrently, kills the server with
SIGKILL in the middle of an item, restarts it, and checks the log and the resumed state."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import httpx
import pytest

from detente.store.log import EventStore
from tests.web.server import Server, join, start

pytestmark = pytest.mark.slow


def _decide(server: Server, client: httpx.Client, csrf: str) -> None:
    for _ in range(100):
        page = client.get("/facilitator/panel/decisions").text
        key = re.search(r'data-key="(decision-\d+)"', page)
        if key:
            response = client.post(
                f"/facilitator/decisions/{key.group(1)}", data={"csrf": csrf, "note": ""}
            )
            assert response.status_code == 200
            return
        time.sleep(0.05)
    raise AssertionError("no decision to take")


def test_acknowledged_acts_survive_sigkill_and_the_meeting_resumes(
    harbour: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    server = start(harbour, out, args=("--seed", "4"))
    try:
        fac, fac_csrf = join(server, "facilitator")
        for _ in range(3):  # breakfast starts and ends, session 1 starts
            _decide(server, fac, fac_csrf)
        kes, kes_csrf = join(server, "marta-kowal")
        for _ in range(100):
            if 'data-key="KES-1"' in kes.get("/delegation/panel/requests").text:
                break
            time.sleep(0.05)
        answer = kes.post(
            "/delegation/requests/KES-1",
            data={
                "csrf": kes_csrf,
                "topic-0": "Alerts",
                "statement-0": "Common alert levels.",
                "source-0": "Port rules",
            },
        )
        assert answer.status_code == 200
        acknowledged: list[tuple[int, str]] = [(int(answer.headers["x-detente-seq"]), "KES-1")]
        lock = threading.Lock()
        stop = threading.Event()

        def writer(person: str) -> None:
            client, csrf = join(server, person)
            n = 0
            while not stop.is_set():
                n += 1
                text = f"{person} note {n}"
                try:
                    response = client.post("/delegation/notes", data={"csrf": csrf, "text": text})
                except httpx.HTTPError:
                    return  # the server died mid-request: not acknowledged
                if response.status_code == 200:
                    with lock:
                        acknowledged.append((int(response.headers["x-detente-seq"]), text))

        threads = [
            threading.Thread(target=writer, args=(p,))
            for p in ("ada-lind", "erik-sand", "jonas-brandt", "piotr-zaleski")
        ]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 30
        while len(acknowledged) < 40 and time.monotonic() < deadline:
            time.sleep(0.02)
        server.kill()  # SIGKILL while the writers are still posting
        stop.set()
        for t in threads:
            t.join(10)
        assert len(acknowledged) >= 40
    finally:
        server.stop()

    store = EventStore(f"sqlite:///{out / 'detente.db'}")
    records = {r.seq: r for r in store.read("harbour-2025")}
    store.close()
    for seq, what in acknowledged:
        record = records[seq]
        if what == "KES-1":
            assert record.kind == "answer_submitted" and record.payload["key"] == "KES-1"
        else:
            assert record.kind == "note_written" and record.payload["text"] == what

    restarted = start(harbour, out)
    try:
        fac, _ = join(restarted, "facilitator")
        requests = fac.get("/facilitator/panel/requests").text
        programme = fac.get("/facilitator/panel/programme").text
        assert 'data-key="LOV-1"' in requests  # the next presentation, as before the kill
        assert re.search(
            r'data-test="current-item">[^<]*<strong>Harbour Safety Practice', programme
        )
        lov, lov_csrf = join(restarted, "jonas-brandt")
        response = lov.post(
            "/delegation/requests/LOV-1",
            data={
                "csrf": lov_csrf,
                "topic-0": "Pilotage",
                "statement-0": "Shared pilots.",
                "source-0": "Pilot rules",
            },
        )
        assert response.status_code == 200  # the resumed runner accepts the next act
    finally:
        restarted.stop()


def test_a_move_survives_sigkill_and_resumes_at_the_same_move(tmp_path: Path) -> None:
    """Mid-move of the exercise: a delegation's drafts and another's decision are acknowledged,
    the server is killed, and the restarted server waits for the same delegation in the same
    move with every acknowledged act in the log."""
    from tests.web.conftest import SMALL_TTX

    out = tmp_path / "out"
    server = start(SMALL_TTX, out, args=("--seed", "5"))
    acknowledged: list[tuple[int, str]] = []
    try:
        fac, fac_csrf = join(server, "facilitator")
        _decide(server, fac, fac_csrf)  # start the exercise
        _decide(server, fac, fac_csrf)  # open move 1
        ald, ald_csrf = join(server, "ines-morel")
        brv, brv_csrf = join(server, "pavel-ostrov")
        for _ in range(100):
            if 'data-key="BRV-1"' in brv.get("/delegation/panel/requests").text:
                break
            time.sleep(0.05)
        for n in range(10):
            draft = brv.post(
                "/delegation/requests/BRV-1/draft",
                data={"csrf": brv_csrf, "action-hold": "1", "statement": f"BRV draft {n}"},
            )
            assert draft.status_code == 200
            acknowledged.append((int(draft.headers["x-detente-seq"]), f"BRV draft {n}"))
        decision = ald.post(
            "/delegation/requests/ALD-1",
            data={"csrf": ald_csrf, "action-hold": "1", "statement": "ALD decided"},
        )
        assert decision.status_code == 200
        acknowledged.append((int(decision.headers["x-detente-seq"]), "ALD decided"))
        server.kill()
    finally:
        server.stop()
    store = EventStore(f"sqlite:///{out / 'detente.db'}")
    records = {r.seq: r for r in store.read("corvan-2025")}
    store.close()
    for seq, what in acknowledged:
        payload = records[seq].payload
        assert what in (
            payload.get("fields", {}).get("statement"),
            payload.get("answer", {}).get("statement"),
        )

    restarted = start(SMALL_TTX, out)
    try:
        brv, brv_csrf = join(restarted, "pavel-ostrov")
        page = brv.get("/delegation").text
        assert 'data-key="BRV-1"' in page and "BRV draft 9" in page  # the same move, its drafts
        fac, _ = join(restarted, "facilitator")
        assert "ALD decided" in fac.get("/facilitator/panel/exercise").text
        response = brv.post(
            "/delegation/requests/BRV-1",
            data={"csrf": brv_csrf, "action-hold": "1", "statement": "BRV decided"},
        )
        assert response.status_code == 200  # the resumed runner takes the move's last decision
    finally:
        restarted.stop()
