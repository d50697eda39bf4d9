"""Documents say whose words a language model drafted."""

from __future__ import annotations

from pathlib import Path

from detente.meeting.loader import load_meeting
from detente.seats.drafted import MODEL_DRAFTED, model_drafted_note


def test_note_names_the_model_seated_delegations_only(korea: Path) -> None:
    folder = load_meeting(korea)
    ids = [d.id for d in folder.meeting.delegations]
    note = model_drafted_note(folder, {ids[0]: "model", ids[1]: "simulated"})
    assert note.startswith(MODEL_DRAFTED)
    assert folder.meeting.delegations[0].name in note
    assert folder.meeting.delegations[1].name not in note
    assert model_drafted_note(folder, dict.fromkeys(ids, "simulated")) == ""
