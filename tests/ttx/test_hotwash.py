"""A reflection (hotwash) item votes on the statements the folder gives it."""

from __future__ import annotations

from pathlib import Path

from detente.meeting.loader import load_meeting
from detente.meeting.runner import run_meeting
from detente.store.log import EventStore
from tests.ttx.test_activity import SMALL
from tests.ttx.test_split_exercise import split_folder

STATEMENTS = """items:
  - item: session-3
    statements:
      - id: h1
        text: The hotline was used early enough to matter.
      - id: h2
        text: A joint incident log would have avoided the dispute over the collision.
"""


def test_the_hotwash_takes_statements_and_votes(tmp_path: Path) -> None:
    folder = split_folder(tmp_path)
    (folder / "statements.yaml").write_text(STATEMENTS, encoding="utf-8")
    store = EventStore(f"sqlite:///{tmp_path / 'log.db'}")
    records = run_meeting(load_meeting(folder), store, seed=0)
    hotwash = [r for r in records if r.payload.get("item_id") == "session-3"]
    kinds = [r.kind for r in hotwash]
    assert kinds.index("reflection_timeline") < kinds.index("statement_added")
    assert kinds.count("statement_added") == 2
    assert "voting_opened" in kinds and "vote_cast" in kinds and "analysis_recorded" in kinds


def test_a_hotwash_without_statements_records_no_vote(tmp_path: Path) -> None:
    store = EventStore(f"sqlite:///{tmp_path / 'log.db'}")
    records = run_meeting(load_meeting(SMALL), store, seed=0)
    assert not [r for r in records if r.kind in ("statement_added", "voting_opened")]
