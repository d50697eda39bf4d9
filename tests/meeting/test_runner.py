"""The runner walks the programme, dispatches to activities and never fabricates content."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente import registry
from detente.meeting.events import ActivityUnavailable, PresentationDelivered
from detente.meeting.loader import load_meeting
from detente.meeting.runner import RecordExistsError, run_meeting
from detente.meeting.state import meeting_state
from detente.store.events import decode
from detente.store.log import EventStore


def run(root: Path, tmp_path: Path, seed: int = 0, name: str = "log.db") -> list[str]:
    store = EventStore(f"sqlite:///{tmp_path / name}")
    records = run_meeting(load_meeting(root), store, seed=seed)
    return [r.to_json() for r in records]


def test_every_item_is_started_and_ended_in_programme_order(korea: Path, tmp_path: Path) -> None:
    folder = load_meeting(korea)
    store = EventStore(f"sqlite:///{tmp_path / 'log.db'}")
    records = run_meeting(folder, store, seed=1)
    state = meeting_state(records)
    assert [h.item_id for h in state.items] == [it.id for _, it in folder.meeting.items()]
    assert all(h.ended is not None for h in state.items)
    assert state.closed and state.current is None
    times = [r.time for r in records]
    assert times == sorted(times)
    assert [r.seq for r in records] == list(range(1, len(records) + 1))


def test_presentations_follow_the_programme_order(korea: Path, tmp_path: Path) -> None:
    store = EventStore(f"sqlite:///{tmp_path / 'log.db'}")
    records = run_meeting(load_meeting(korea), store)
    given = [decode(r) for r in records if r.kind == "presentation_delivered"]
    assert [e.delegation for e in given if isinstance(e, PresentationDelivered)] == [
        "CHN",
        "RUS",
        "USA",
    ]
    clar = [r for r in records if r.kind == "clarification_exchanged"]
    assert len(clar) == 3
    assert {r.actor for r in clar} == {"CHN", "RUS", "USA"}


def test_unavailable_activities_are_recorded_not_fabricated(korea: Path, tmp_path: Path) -> None:
    store = EventStore(f"sqlite:///{tmp_path / 'log.db'}")
    records = run_meeting(load_meeting(korea), store)
    unavailable = {
        e.activity for e in (decode(r) for r in records) if isinstance(e, ActivityUnavailable)
    }
    missing = {name for name in registry.activity_specs() if registry.activity(name) is None}
    assert unavailable == missing & {
        "discussion",
        "ttx",
        "reflection",
        "roadmap",
        "recommendations",
        "remarks",
    }


def test_same_seed_same_record_different_seed_may_differ(korea: Path, tmp_path: Path) -> None:
    assert run(korea, tmp_path, 5, "a.db") == run(korea, tmp_path, 5, "b.db")


def test_times_come_from_the_programme_clock(korea: Path, tmp_path: Path) -> None:
    store = EventStore(f"sqlite:///{tmp_path / 'log.db'}")
    records = run_meeting(load_meeting(korea), store)
    s1 = next(r for r in records if r.kind == "item_started" and r.payload["session"] == 1)
    assert s1.time.isoformat() == "2024-08-25T06:00:00+00:00"


def test_a_second_run_into_the_same_store_is_refused(harbour: Path, tmp_path: Path) -> None:
    store = EventStore(f"sqlite:///{tmp_path / 'log.db'}")
    run_meeting(load_meeting(harbour), store)
    with pytest.raises(RecordExistsError):
        run_meeting(load_meeting(harbour), store)


def test_the_small_meeting_runs_through_the_same_path(harbour: Path, tmp_path: Path) -> None:
    store = EventStore(f"sqlite:///{tmp_path / 'log.db'}")
    records = run_meeting(load_meeting(harbour), store)
    kinds = [r.kind for r in records]
    assert kinds[0] == "meeting_opened" and kinds[-1] == "meeting_closed"
    assert kinds.count("presentation_delivered") == 3
