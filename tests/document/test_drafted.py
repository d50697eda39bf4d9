"""Documents say whose words a language model drafted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from detente.document.drafted import MODEL_DRAFTED, drafted_note, model_drafted_note
from detente.meeting.loader import load_meeting
from detente.store.log import Record


def test_note_names_the_model_seated_delegations_only(korea: Path) -> None:
    folder = load_meeting(korea)
    ids = [d.id for d in folder.meeting.delegations]
    note = model_drafted_note(folder, {ids[0]: "model", ids[1]: "simulated"})
    assert note.startswith(MODEL_DRAFTED)
    assert folder.meeting.delegations[0].name in note
    assert folder.meeting.delegations[1].name not in note
    assert model_drafted_note(folder, dict.fromkeys(ids, "simulated")) == ""


def _answer(seq: int, actor: str) -> Record:
    delegation = actor.partition(":")[2]
    payload = {"key": f"{delegation}-{seq}", "delegation": delegation, "answer": {}}
    moment = dt.datetime(2025, 6, 12, 9, tzinfo=dt.UTC)
    return Record("m", seq, moment, actor, "answer_simulated", f"delegation:{delegation}", payload)


def test_a_live_meeting_names_the_delegations_a_model_answered_for(korea: Path) -> None:
    folder = load_meeting(korea)
    first, second = folder.meeting.delegations[:2]
    records = [
        _answer(1, f"simulated:{first.id}"),
        _answer(2, f"model:{second.id}"),
        _answer(3, f"model:{second.id}"),
    ]
    seats = {d.id: "web" for d in folder.meeting.delegations}
    note = drafted_note(folder, seats, records)
    assert note.startswith(f"{MODEL_DRAFTED} A language model held the seat of {second.name} ")
    assert first.name not in note
    assert drafted_note(folder, seats, records[:1]) == ""
    # a run's model seats are named from its seat kinds, whatever the records say
    run = drafted_note(folder, {**seats, first.id: "model"}, records)
    assert run == model_drafted_note(folder, {first.id: "model"})
