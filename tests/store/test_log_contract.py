"""The storage contract, written once and run against every backend.

SQLite always runs. PostgreSQL runs when `DETENTE_TEST_POSTGRES_URL` is set (`make test` starts a
private server and sets it).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect

from detente.store.log import ConflictError, Draft, EventStore, read_jsonl, write_jsonl

T0 = dt.datetime(2024, 8, 25, 6, 0, tzinfo=dt.UTC)


def _backends() -> list[str]:
    found = ["sqlite"]
    if os.environ.get("DETENTE_TEST_POSTGRES_URL"):
        found.append("postgresql")
    return found


@pytest.fixture(params=_backends())
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EventStore]:
    if request.param == "sqlite":
        s = EventStore(f"sqlite:///{tmp_path / 'log.db'}")
    else:
        url = os.environ["DETENTE_TEST_POSTGRES_URL"].replace(
            "postgresql://", "postgresql+psycopg://", 1
        )
        s = EventStore(url)
    yield s
    s.close()


@pytest.fixture
def meeting_id() -> str:
    return f"m-{uuid.uuid4().hex[:8]}"


def draft(n: int, kind: str = "facilitator_note", visibility: str = "all") -> Draft:
    return Draft(T0 + dt.timedelta(minutes=n), "facilitator", kind, visibility, {"text": f"n{n}"})


def test_primary_key_is_meeting_and_seq(store: EventStore) -> None:
    pk = inspect(store.engine).get_pk_constraint("events")
    assert pk["constrained_columns"] == ["meeting_id", "seq"]


def test_append_assigns_consecutive_seq_and_reads_back(store: EventStore, meeting_id: str) -> None:
    first = store.append(meeting_id, [draft(1), draft(2)])
    second = store.append(meeting_id, [draft(3, visibility="delegation:USA")])
    assert [r.seq for r in first + second] == [1, 2, 3]
    back = store.read(meeting_id)
    assert [(r.seq, r.payload["text"], r.visibility) for r in back] == [
        (1, "n1", "all"),
        (2, "n2", "all"),
        (3, "n3", "delegation:USA"),
    ]
    assert back[0].time == T0 + dt.timedelta(minutes=1)
    assert store.read(meeting_id, after=2) == back[2:]
    assert store.last_seq(meeting_id) == 3


def test_meetings_are_independent(store: EventStore, meeting_id: str) -> None:
    store.append(meeting_id, [draft(1)])
    store.append(meeting_id + "-b", [draft(1)])
    assert store.last_seq(meeting_id) == 1
    assert {meeting_id, meeting_id + "-b"} <= set(store.meetings())


def test_append_at_a_taken_position_conflicts_and_writes_nothing(
    store: EventStore, meeting_id: str
) -> None:
    store.append(meeting_id, [draft(1)])
    with pytest.raises(ConflictError):
        store.append(meeting_id, [draft(2), draft(3)], expected_seq=0)
    assert [r.seq for r in store.read(meeting_id)] == [1]


def test_concurrent_writers_never_share_a_seq(store: EventStore, meeting_id: str) -> None:
    conflicts: list[int] = []
    written: list[int] = []
    lock = threading.Lock()

    def writer(n: int) -> None:
        for i in range(10):
            while True:
                try:
                    (rec,) = store.append(meeting_id, [draft(n * 100 + i)])
                except ConflictError:
                    with lock:
                        conflicts.append(n)
                    continue
                with lock:
                    written.append(rec.seq)
                break

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(written) == list(range(1, 41))
    assert [r.seq for r in store.read(meeting_id)] == list(range(1, 41))


def test_unicode_payload_round_trips(store: EventStore, meeting_id: str) -> None:
    payload = {"text": "朝鲜半岛 — Корейский полуостров", "n": [1, 2.5, None]}
    store.append(meeting_id, [Draft(T0, "CHN", "facilitator_note", "all", payload)])
    assert store.read(meeting_id)[0].payload == payload


def test_naive_time_is_refused(store: EventStore, meeting_id: str) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        store.append(meeting_id, [Draft(dt.datetime(2024, 1, 1), "x", "k", "all", {})])


def test_jsonl_export_round_trips(store: EventStore, meeting_id: str, tmp_path: Path) -> None:
    store.append(meeting_id, [draft(1), draft(2)])
    records = store.read(meeting_id)
    write_jsonl(records, tmp_path / "record.jsonl")
    assert read_jsonl(tmp_path / "record.jsonl", meeting_id) == records
