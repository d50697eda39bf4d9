"""The MSEL on a clock: injects reach the room at their offsets from the move's start, and the
facilitator pauses, extends, holds, releases, writes and undoes — every act in the log, and a
restarted server continues the schedule from the log.

The small exercise (corvan-2025) schedules injects 1, 2, 3 of move 1 at +0, +10 and +20 minutes
(inject 2 to Aldmark only, inject 3 a facilitation row); the clock is compressed so one scenario
minute lasts `MINUTE` seconds. Waits poll the log with generous timeouts (no timing asserted)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.web.conftest import CORVAN, SMALL_TTX, Person, Served, decide, serve

MINUTE = 0.5
"""Seconds per scenario minute: inject 2 falls due 5 s into the move, inject 3 after 10 s."""
PRIVATE_INJECT = "water cannon"  # inject 2: ALD only


@pytest.fixture
def compressed(tmp_path: Path) -> Iterator[Served]:
    yield from serve(SMALL_TTX, tmp_path / "out", seed=3, minute_seconds=MINUTE)


def until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.05)


def delivered(served: Served) -> list[int]:
    log = served.live.controller.log
    with log.lock:
        return [int(e.record.payload["number"]) for e in log.by_kind.get("inject_delivered", [])]


def _open_move(served: Served) -> Person:
    fac = served.join(CORVAN["facilitator"])
    decide(served, fac, {"note": ""}, "Start: Tabletop Exercise")
    decide(served, fac, {"note": ""}, "Open move 1")
    return fac


def test_injects_arrive_at_their_offsets_and_pause_holds_them(compressed: Served) -> None:
    fac = _open_move(compressed)
    assert fac.post("/facilitator/control/pause").status_code == 200  # type: ignore[attr-defined]
    ald = compressed.join(CORVAN["ALD"])
    assert delivered(compressed) == [1]  # +0 at once, before the pause
    time.sleep(30 * MINUTE)  # well past +10 and +20 of the move's time: paused, nothing comes
    assert delivered(compressed) == [1]
    assert PRIVATE_INJECT not in ald.client.get("/delegation").text
    control = fac.client.get("/facilitator/panel/control").text
    assert 'data-test="paused"' in control
    assert fac.post("/facilitator/control/resume").status_code == 200  # type: ignore[attr-defined]
    until(lambda: delivered(compressed) == [1, 2, 3])  # in the order of their offsets
    assert PRIVATE_INJECT in ald.client.get("/delegation").text
    # a facilitation row reaches the facilitator only; Bravenia never sees Aldmark's inject
    brv = compressed.join(CORVAN["BRV"])
    assert PRIVATE_INJECT not in brv.client.get("/delegation").text
    assert "Prompt if no call is made" not in ald.client.get("/delegation").text


def test_extend_hold_release_write_and_undo(compressed: Served) -> None:
    fac = _open_move(compressed)
    controller = compressed.live.controller
    key = next(iter(controller.status.waiting_for))
    assert fac.post("/facilitator/control/pause").status_code == 200  # type: ignore[attr-defined]
    paused_deadline = controller.deadline_for(key)
    assert paused_deadline is not None
    # extending moves the decision deadline by the scenario minutes given
    extended = fac.post("/facilitator/control/extend", {"minutes": "5"})
    assert extended.status_code == 200  # type: ignore[attr-defined]
    later = controller.deadline_for(key)
    assert later is not None and later - paused_deadline >= dt.timedelta(seconds=5 * MINUTE)
    bad = fac.post("/facilitator/control/extend", {"minutes": "-3"})
    assert bad.status_code == 422  # type: ignore[attr-defined]
    # hold inject 2, then undo the hold; release inject 3 now
    assert fac.post("/facilitator/control/injects/2/hold").status_code == 200  # type: ignore[attr-defined]
    assert 'class="row-held"' in fac.client.get("/facilitator/panel/control").text
    assert fac.post("/facilitator/control/undo").status_code == 200  # type: ignore[attr-defined]
    assert 'class="row-held"' not in fac.client.get("/facilitator/panel/control").text
    assert fac.post("/facilitator/control/injects/3/release").status_code == 200  # type: ignore[attr-defined]
    assert delivered(compressed) == [1, 3]
    again = fac.post("/facilitator/control/injects/3/release")
    assert again.status_code == 409  # type: ignore[attr-defined]
    # an inject written on the spot to Bravenia only, then withdrawn
    ald = compressed.join(CORVAN["ALD"])
    brv = compressed.join(CORVAN["BRV"], language="ru")
    sent = fac.post(
        "/facilitator/control/inject",
        {"title": "Radio intercept", "text": "A trawler captain asks for help.", "to": "BRV"},
    )
    assert sent.status_code == 200  # type: ignore[attr-defined]
    assert "Radio intercept" in brv.client.get("/delegation").text
    assert "Radio intercept" not in ald.client.get("/delegation").text
    assert "Radio intercept" not in ald.client.get("/events?after=0&once=1").text
    assert fac.post("/facilitator/control/undo").status_code == 200  # type: ignore[attr-defined]
    assert "Radio intercept" not in brv.client.get("/delegation/panel/exercise").text
    # nothing left to undo (the undo itself is not undone)
    assert fac.post("/facilitator/control/undo").status_code == 409  # type: ignore[attr-defined]
    # a delegate cannot drive the clock
    assert ald.post("/facilitator/control/resume").status_code == 403  # type: ignore[attr-defined]


def test_a_restarted_server_continues_the_schedule(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = serve(SMALL_TTX, out, seed=3, minute_seconds=MINUTE)
    served = next(first)
    _open_move(served)
    assert delivered(served) == [1]
    first.close()  # the server stops before +10
    time.sleep(25 * MINUTE)  # +10 and +20 fall due while it is down
    second = serve(SMALL_TTX, out, seed=3, minute_seconds=MINUTE)
    restarted = next(second)
    try:
        until(lambda: delivered(restarted) == [1, 2, 3])
    finally:
        second.close()
