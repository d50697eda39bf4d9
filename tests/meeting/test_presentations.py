"""The `opening` activity: who opens the meeting, in order, and no commitments."""

from __future__ import annotations

import shutil
from pathlib import Path

from detente.meeting.events import FacilitatorNote
from detente.meeting.loader import load_meeting
from detente.meeting.runner import run_meeting
from detente.store.events import decode
from detente.store.log import EventStore

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "ttx-small"

OPENING = """      - kind: remarks
        id: opening
        activity: opening
        title: Opening of the dialogue
        start: "08:30"
        end: "09:00"
        parts:
          - start: "08:30"
            title: Welcome by the organiser
          - start: "08:40"
            title: Opening statement
            delegation: BRV
          - start: "08:50"
            title: Opening statement
            delegation: ALD
"""


def test_opening_records_the_speakers_in_order_and_no_commitment(tmp_path: Path) -> None:
    folder = tmp_path / "small"
    shutil.copytree(SMALL, folder)
    path = folder / "meeting.yaml"
    text = path.read_text(encoding="utf-8").replace("    items:\n", "    items:\n" + OPENING, 1)
    path.write_text(text, encoding="utf-8")
    store = EventStore(f"sqlite:///{tmp_path / 'log.db'}")
    records = run_meeting(load_meeting(folder), store, seed=0)
    opened = [
        (r, decode(r))
        for r in records
        if r.kind == "facilitator_note" and r.payload.get("item_id") == "opening"
    ]
    texts = [e.text for _, e in opened if isinstance(e, FacilitatorNote)]
    assert texts == [
        "Opening remarks: Welcome by the organiser.",
        "Opening remarks: Opening statement (Bravenian Republic).",
        "Opening remarks: Opening statement (Republic of Aldmark).",
    ]
    assert {r.visibility for r, _ in opened} == {"all"}
    assert not [r for r in records if r.kind == "commitment_made"]
