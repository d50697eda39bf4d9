"""The kernel's vocabulary in the log: the meeting and its programme, the presentations, and the
live meeting's requests, answers, seats, access and releases.

These are the events the runner and the live app write whatever activities a meeting holds, so
the hosts (the web app, the documents) may import this module. Each class registers its `kind` on
definition; the meeting plugin returns them from :func:`detente.hooks.detente_events`, which is
how :func:`detente.store.events.decode` finds them without the caller importing this module.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from detente.names import request_kind_of_path
from detente.store.events import Event, upcaster
from detente.store.visibility import RELEASE_KIND

# --- the meeting and its programme (written by the runner) -----------------------------------


class MeetingOpened(Event):
    """The record of a meeting starts: which meeting, in which mode, who holds each seat.

    `seats` maps a delegation id to the kind of seat answering for it (`simulated`, `replay`,
    `web` ...). `seed` is the simulation seed, when simulated.
    """

    kind: ClassVar[str] = "meeting_opened"
    meeting_id: str
    title: str
    mode: str
    seed: int | None = None
    timezone: str
    seats: dict[str, str]


class MeetingClosed(Event):
    """The last programme item has been walked; nothing more will be appended by the runner."""

    kind: ClassVar[str] = "meeting_closed"
    items_held: int


class ItemStarted(Event):
    """A programme item (session, break, meal …) began."""

    kind: ClassVar[str] = "item_started"
    item_id: str
    title: str
    item_kind: str
    session: int | None = None
    activity: str | None = None


class ItemEnded(Event):
    """A programme item ended."""

    kind: ClassVar[str] = "item_ended"
    item_id: str


class ActivityUnavailable(Event):
    """The item names an activity this installation cannot run (yet). Nothing was fabricated."""

    kind: ClassVar[str] = "activity_unavailable"
    item_id: str
    activity: str
    reason: str


class FacilitatorNote(Event):
    """A note by the facilitator, usually private (visibility `facilitator`)."""

    kind: ClassVar[str] = "facilitator_note"
    item_id: str | None = None
    text: str


# --- presentations (written by the presentations activity) -----------------------------------


class PresentationPoint(BaseModel):
    """One point of a country intervention: a stated position and where it was stated."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    topic: str
    statement: str
    source: str


class PresentationDelivered(Event):
    """A delegation's country intervention (e.g. the 10-minute presentations of Session 1)."""

    kind: ClassVar[str] = "presentation_delivered"
    item_id: str
    delegation: str
    title: str
    minutes: int
    points: list[PresentationPoint]


class ClarificationExchanged(Event):
    """In "questions and clarifications", one delegation asks another about a topic; the answer
    restates the asked delegation's position with its source."""

    kind: ClassVar[str] = "clarification_exchanged"
    item_id: str
    asked_by: str
    asked_of: str
    topic: str
    question: str
    answer: str
    source: str


# --- live meeting: requests, answers, seats, access and releases --------------------------------
# Written by the runner's live seats and by the web app; kinds marked "act" are written when a
# person acts (the HTTP response is sent after the append commits). See detente.web.live.


class SeatRequested(Event):
    """A live seat was asked `request` (its fields as JSON) under `key`; the delegation answers
    through the app, or the facilitator hands the seat to a simulated seat."""

    kind: ClassVar[str] = "seat_requested"
    version: ClassVar[int] = 2
    key: str
    delegation: str
    request_type: str
    request: dict[str, Any]


@upcaster("seat_requested", 1)
@upcaster("decision_requested", 1)
def _request_type_as_kind(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 recorded `request_type` as a Python path (`module.QualName`); v2 as the stable kind."""
    return {**payload, "request_type": request_kind_of_path(str(payload["request_type"]))}


class AnswerSubmitted(Event):
    """Act: a member of `delegation` submitted the answer to request `key`. `person` is kept for
    audit only; views show the delegation, never the person."""

    kind: ClassVar[str] = "answer_submitted"
    key: str
    delegation: str
    person: str
    answer: dict[str, Any]


class AnswerDrafted(Event):
    """Act: a member of `delegation` saved a draft of the answer to `key` (any member may edit;
    every draft stays in the log)."""

    kind: ClassVar[str] = "answer_drafted"
    key: str
    delegation: str
    person: str
    fields: dict[str, str]


class AnswerSimulated(Event):
    """The simulated seat holding `delegation` answered request `key`."""

    kind: ClassVar[str] = "answer_simulated"
    key: str
    delegation: str
    answer: dict[str, Any]


class AnswerMissed(Event):
    """Request `key` got no answer: the facilitator closed it, or its deadline passed."""

    kind: ClassVar[str] = "answer_missed"
    key: str
    delegation: str
    reason: str


class RequestClosed(Event):
    """Act: the facilitator closed request `key` without an answer."""

    kind: ClassVar[str] = "request_closed"
    key: str


class DecisionRequested(Event):
    """The runner or an activity needs the facilitator's decision `request` under `key`."""

    kind: ClassVar[str] = "decision_requested"
    version: ClassVar[int] = 2
    key: str
    request_type: str
    request: dict[str, Any]


class DecisionTaken(Event):
    """Act: the facilitator's decision on `key` (with a rationale when the form asks for one)."""

    kind: ClassVar[str] = "decision_taken"
    key: str
    answer: dict[str, Any]


class DecisionAutomatic(Event):
    """Decision `key` has no form in the app and was taken by the automatic facilitator."""

    kind: ClassVar[str] = "decision_automatic"
    key: str
    answer: dict[str, Any]


class SeatAssigned(Event):
    """Act: the facilitator gave `delegation`'s seat to `holder` (`people`, `simulated` or
    `model`, a language model with the simulated profile as its fallback)."""

    kind: ClassVar[str] = "seat_assigned"
    delegation: str
    holder: Literal["people", "simulated", "model"]


class ParticipantJoined(Event):
    """Act: `person` exchanged a join code for a session (visibility facilitator)."""

    kind: ClassVar[str] = "participant_joined"
    person: str
    role: str


class CodeRevoked(Event):
    """Act: the facilitator revoked `person`'s join code; their sessions stop working."""

    kind: ClassVar[str] = "code_revoked"
    person: str


class NoteWritten(Event):
    """Act: a private note — a delegation's (visibility `delegation:<id>`) or the facilitator's
    (visibility `facilitator`). `author` is kept for audit; views show the delegation."""

    kind: ClassVar[str] = "note_written"
    author: str
    item_id: str | None = None
    text: str


class Announcement(Event):
    """Act: the facilitator's message to the whole room (shown in every feed)."""

    kind: ClassVar[str] = "announcement"
    text: str


class LiveResumed(Event):
    """Act: the live app restarted and rebuilt the meeting from the first `replayed` events."""

    kind: ClassVar[str] = "live_resumed"
    replayed: int


class SessionEnded(Event):
    """Act: a person left (logout): the session whose CSRF token hashes to `session` (SHA-256,
    hex) no longer opens any page, though its signed cookie would still verify."""

    kind: ClassVar[str] = "session_ended"
    person: str
    session: str


class RequestViewed(Event):
    """Act: `person`, a member of `delegation`, first saw open request `key` on their page
    (recorded once per person and request, never on a refresh), so the facilitator's board can
    tell a delegation that has not opened the request from one that is drafting."""

    kind: ClassVar[str] = "request_viewed"
    key: str
    person: str
    delegation: str


class RecordReleased(Event):
    """Records released to everyone after the exercise (e.g. a delegation shows the room a
    private move in the hotwash). `by` is `facilitator` or the releasing delegation's id; see
    :func:`detente.store.visibility.released` for which releases count. Recorded with visibility
    `all`."""

    kind: ClassVar[str] = RELEASE_KIND
    seqs: list[int]
    by: str
    note: str = ""


# --- live model seats (written by the live app's runner, detente.seats.live_models) -------------


class ModelHandedOn(Event):
    """The language model holding `delegation`'s seat in a live meeting gave no answer to request
    `key` in time (its deadline passed, or the model could not be called): the request was handed
    on to the delegation's simulated profile, whose answer follows (visibility `facilitator`;
    written by the runner, so a replay meets it again)."""

    kind: ClassVar[str] = "model_handed_on"
    key: str
    delegation: str
    request: str
    item_id: str
    reason: str


class ModelAnswerDropped(Event):
    """Act: a language model's work on request `key` was not used, because the request had been
    resolved otherwise first (handed on at its deadline, answered by the members, handed to
    another holder, closed). `answer` is the validated answer it would have given (None when it
    gave none), `calls` the `model_called` payloads of its calls, kept here and not as
    `model_called` events, so a replay never meets them (visibility `facilitator`)."""

    kind: ClassVar[str] = "model_answer_dropped"
    key: str
    delegation: str
    request: str
    reason: str
    answer: dict[str, Any] | None = None
    calls: list[dict[str, Any]] = []
