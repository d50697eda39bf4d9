"""Labelling model-drafted text in documents.

Whatever a model seat says (presentations, answers, statements, commitments) reached the record
through the validator, which refuses any text naming a participant, so the documents'
non-attribution rule holds for it as for simulated text; documents still say which delegations'
words were drafted by a language model (the record's `meeting_opened` lists the seat kinds).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from detente.meeting.loader import MeetingFolder
from detente.store.log import Record

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


def live_model_seats(actors: Iterable[str]) -> list[str]:
    """The delegations a language model answered for in a live meeting, from the actors of its
    `answer_simulated` records (`model:<delegation>`), in first-answer order."""
    found: list[str] = []
    for actor in actors:
        who, sep, delegation = actor.partition(":")
        if sep and who == "model" and delegation not in found:
            found.append(delegation)
    return found


def live_model_note(folder: MeetingFolder, delegations: Iterable[str]) -> str:
    """The note of a live meeting where the facilitator handed seats to a language model for a
    while ("" when none): which delegations, and that only the answers recorded as the model's
    are its words."""
    names = {d.id: d.name for d in folder.meeting.delegations}
    model = [names.get(d, d) for d in delegations]
    if not model:
        return ""
    return (
        f"{MODEL_DRAFTED} A language model held the seat of {', '.join(model)} for part of this "
        "live meeting: the answers the record gives as the model's (answer_simulated by "
        "model:<delegation>) were drafted by it, checked by a validator (legal choices only, no "
        "participant named) and recorded with every model call."
    )


def drafted_note(folder: MeetingFolder, seats: Mapping[str, str], records: Iterable[Record]) -> str:
    """The note a document prints on model-drafted words: the model seats of a run (`seats`,
    the seat kinds of `meeting_opened`), else the delegations a model answered for in a live
    meeting (found in `records`, which must be the whole log: a model's answers are visible to
    its delegation only, the label is for every reader); "" when no model spoke."""
    return model_drafted_note(folder, seats) or live_model_note(
        folder, live_model_seats(r.actor for r in records if r.kind == "answer_simulated")
    )
