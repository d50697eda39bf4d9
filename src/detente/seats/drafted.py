"""Labelling model-drafted text in documents.

Whatever a model seat says (presentations, answers, statements, commitments) reached the record
through the validator, which refuses any text naming a participant, so the documents'
non-attribution rule holds for it as for simulated text; documents still say which delegations'
words were drafted by a language model (the record's `meeting_opened` lists the seat kinds).
"""

from __future__ import annotations

from collections.abc import Mapping

from detente.meeting.loader import MeetingFolder

MODEL_DRAFTED = "[model-drafted]"
"""The marker documents put on text drafted by a language model."""


def model_drafted_note(folder: MeetingFolder, seats: Mapping[str, str]) -> str:
    """The note saying whose words a language model drafted ("" when no model seat sat)."""
    names = {d.id: d.name for d in folder.meeting.delegations}
    model = [names.get(d, d) for d, kind in seats.items() if kind == "model"]
    if not model:
        return ""
    return (
        f"{MODEL_DRAFTED} The words of {', '.join(model)} in this record were drafted by a "
        "language model speaking for the national perspective in the delegation's profile, "
        "checked by a validator (legal choices only, no participant named) and recorded with "
        "every model call; where the model gave no valid answer the simulated profile answered."
    )
