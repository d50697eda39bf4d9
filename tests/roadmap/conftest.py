"""Fixtures for the roadmap tests: the harbour meeting with a roadmap session, and recorded runs.

The harbour fixture (tests/fixtures/harbour-2025) has no roadmap session of its own; `harbour_rm`
copies it, replaces its coffee break with a roadmap session and a recommendations session, and
adds the measures catalog of tests/fixtures/harbour-roadmap (whose categories are that session's
steps), so the roadmap runs on a small non-Korea meeting
that has no scenario pack.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from detente.meeting.loader import MeetingFolder, load_meeting
from detente.meeting.runner import run_meeting
from detente.store.log import EventStore, Record
from tests.conftest import HARBOUR, KOREA

COFFEE = """      - kind: break
        title: Coffee break
        start: "11:00"
        end: "11:15"
"""
ROADMAP_SESSIONS = """      - kind: session
        session: 3
        activity: roadmap
        title: First Steps Towards Shared Procedures
        start: "11:00"
        end: "11:10"
        steps:
          - id: quick-wins
            title: Quick wins for the harbour authorities
            questions: [Which steps could the authorities take this season?]
          - id: shared-procedures
            title: Shared procedures
            questions: [Which procedures could the three authorities align?]
          - id: longer-term
            title: Longer-term cooperation
            questions: [What could the three ports build together?]
      - kind: session
        session: 4
        activity: recommendations
        title: Recommendations
        start: "11:10"
        end: "11:15"
"""
HARBOUR_MEASURES = HARBOUR.parent / "harbour-roadmap" / "measures.yaml"
"""A small fictional catalog for the harbour meeting once it has a roadmap session."""
RUNS = 200
"""Runs per arm for sweeps inside test runs (the default of a real run is 2,000)."""


def harbour_with_roadmap(target: Path) -> Path:
    """Copy the harbour fixture to `target` with a roadmap and a recommendations session."""
    shutil.copytree(HARBOUR, target)
    shutil.copy(HARBOUR_MEASURES, target / "measures.yaml")
    path = target / "meeting.yaml"
    text = path.read_text(encoding="utf-8")
    assert COFFEE in text
    path.write_text(text.replace(COFFEE, ROADMAP_SESSIONS), encoding="utf-8")
    return target


@pytest.fixture
def harbour_rm(tmp_path: Path) -> Path:
    return harbour_with_roadmap(tmp_path / "harbour-2025")


def record(folder: Path, out: Path, seed: int = 3) -> tuple[MeetingFolder, list[Record]]:
    """Run a meeting in simulation into `out` and return its records."""
    loaded = load_meeting(folder)
    out.mkdir(parents=True, exist_ok=True)
    store = EventStore.open(out / "detente.db")
    try:
        run_meeting(loaded, store, seed=seed, out_dir=out)
        return loaded, store.read(loaded.meeting.meeting.id)
    finally:
        store.close()


@pytest.fixture(scope="session")
def korea_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[Record]]]:
    """One simulated run of the Korea example (cheap sweep), shared by the tests that read it."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DETENTE_ROADMAP_RUNS", str(RUNS))
        out = tmp_path_factory.mktemp("korea-run")
        _, records = record(KOREA, out, seed=5)
    yield out, records


@pytest.fixture(scope="session")
def harbour_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Record]]:
    """The harbour meeting with a roadmap session, run once: (folder, out, records)."""
    base = tmp_path_factory.mktemp("harbour-run")
    folder = harbour_with_roadmap(base / "harbour-2025")
    out = base / "out"
    _, records = record(folder, out, seed=4)
    return folder, out, records
