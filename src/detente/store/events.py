"""Every kind of event a meeting's log can hold, each a small frozen Pydantic model.

An event is what happened; the envelope (:class:`~detente.store.log.Record`) says who did it, when,
and who may see it. Event classes register themselves by their `kind`, so decoding a stored record
is a dictionary lookup, and a stored kind this version does not know is reported, not guessed.

Each kind has a payload `version` (1 unless a class says otherwise), stored with every record. When
a kind's payload changes, its class raises `version` and registers an upcaster from the previous
version with :func:`upcaster`; :func:`decode` brings any older record up to date through the chain,
so a meeting recorded by an earlier release always loads, replays and reports.

Visibility is one of `all`, `delegation:<id>` or `facilitator`; the facilitator sees everything.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from detente.names import request_kind_of_path
from detente.store.log import Record, read_through
from detente.store.visibility import ALL as ALL  # the rule lives there; re-exported
from detente.store.visibility import FACILITATOR as FACILITATOR
from detente.store.visibility import RELEASE_KIND
from detente.store.visibility import delegation_only as delegation_only
from detente.store.visibility import visible_to as visible_to

SYSTEM = "system"


class Event(BaseModel):
    """Base of all events. Subclasses set `kind` and are registered automatically."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: ClassVar[str] = ""
    version: ClassVar[int] = 1
    registry: ClassVar[dict[str, type[Event]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.kind:
            raise TypeError(f"{cls.__name__} must set a 'kind'")
        if cls.kind in Event.registry:
            raise TypeError(f"event kind {cls.kind!r} is defined twice")
        Event.registry[cls.kind] = cls

    def payload(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class UnknownEventError(ValueError):
    """A stored record whose kind (or kind version) this version of détente does not define."""


Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
_upcasters: dict[tuple[str, int], Upcaster] = {}


def upcaster(kind: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register the function that turns a `kind` payload of `from_version` into the next version.

    It receives a copy of the stored payload and returns the new one; it must be pure, so that
    replaying an old record twice gives the same events.
    """

    def register(fn: Upcaster) -> Upcaster:
        if (kind, from_version) in _upcasters:
            raise ValueError(f"{kind} v{from_version} already has an upcaster")
        _upcasters[(kind, from_version)] = fn
        return fn

    return register


def current_payload(record: Record) -> dict[str, Any]:
    """The record's payload brought up to its kind's current version (unchanged when current)."""
    cls = Event.registry.get(record.kind)
    if cls is None:
        raise UnknownEventError(f"event #{record.seq}: unknown kind {record.kind!r}")
    if record.version > cls.version:
        raise UnknownEventError(
            f"event #{record.seq}: {record.kind} v{record.version} was written by a newer détente "
            f"(this one reads up to v{cls.version})"
        )
    payload = record.payload
    for version in range(record.version, cls.version):
        step = _upcasters.get((record.kind, version))
        if step is None:
            raise UnknownEventError(
                f"event #{record.seq}: no upcaster for {record.kind} v{version}"
            )
        payload = step(dict(payload))
    return payload


@read_through
def _upcast(record: Record) -> Record:
    cls = Event.registry.get(record.kind)
    if cls is None or record.version >= cls.version:
        return record
    return dataclasses.replace(record, payload=current_payload(record), version=cls.version)


def decode(record: Record) -> Event:
    """The typed event stored in a record, upcast to its kind's current version."""
    return Event.registry[record.kind].model_validate(current_payload(record))


# --- the meeting and its programme -------------------------------------------------------------


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


# --- presentations -----------------------------------------------------------------------------


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


# --- deliberation: statements, votes and common ground ----------------------------------------


class StatementAdded(Event):
    """A statement is put to the room for `item_id`.

    `provenance` says where it came from: `prepared` (statements.yaml, before the meeting),
    `facilitator` (written by the facilitator during the meeting) or `participant-remark`
    (written by the facilitator from a participant's remark; `remark_by` is that participant's
    id, kept in the record for audit and never shown in reports). `tags` are the interest
    dimensions simulated seats vote from (-1..1), empty for statements written live.
    """

    kind: ClassVar[str] = "statement_added"
    item_id: str
    statement_id: str
    text: str
    question: str | None = None
    tags: dict[str, float] = {}
    provenance: Literal["prepared", "facilitator", "participant-remark"] = "prepared"
    remark_by: str | None = None


class VotingOpened(Event):
    """The facilitator opens voting on these statements of `item_id`."""

    kind: ClassVar[str] = "voting_opened"
    item_id: str
    statement_ids: list[str]


class VoteCast(Event):
    """One participant's vote on one statement. A changed vote is a later `vote_cast` for the
    same participant and statement: the last one before `voting_closed` counts, the history
    stays in the log. `observer` votes are tallied apart and never count toward delegations."""

    kind: ClassVar[str] = "vote_cast"
    item_id: str
    participant: str
    statement_id: str
    vote: Literal["agree", "disagree", "pass"]
    delegation: str | None = None
    observer: bool = False


class VotingClosed(Event):
    """Voting on `item_id` is closed; `votes_cast` counts the `vote_cast` events (changes
    included) and `note` says who did not vote and why, when anyone did not."""

    kind: ClassVar[str] = "voting_closed"
    item_id: str
    votes_cast: int
    note: str = ""


class AnalysisRecorded(Event):
    """The common-ground analysis of the votes on `item_id`: delegation-aware tiers, ranking,
    divisions and splits, and (when run) Pol.is-compatible opinion groups compared with the
    delegations. `result` is the JSON document of :mod:`detente.deliberation.analysis`."""

    kind: ClassVar[str] = "analysis_recorded"
    item_id: str
    status: str
    result: dict[str, Any]


# --- live meeting (web app): requests, acts, seats and access ----------------------------------
# Kinds marked "act" are written by the web app when a person acts (the HTTP response is sent after
# the append commits); the others are written by the runner. See detente.web.live.


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


# --- tabletop exercise (detente.ttx) -------------------------------------------------------------


class TtxExerciseStarted(Event):
    """The exercise begins: the scenario, its moves and which delegation plays which actor.

    `seed` seeds the engine's chance draws and control reactions (the record reproduces)."""

    kind: ClassVar[str] = "ttx_exercise_started"
    item_id: str
    scenario_id: str
    title: str
    background: str
    moves: int
    max_actions: int
    players: dict[str, str]
    seed: int


class TtxMoveStarted(Event):
    """A move begins: its title, scenario time and the situation brief read to the room."""

    kind: ClassVar[str] = "ttx_move_started"
    item_id: str
    move: int
    title: str
    scenario_time: str
    minutes: int
    brief: str


class TtxInjectReleased(Event):
    """An MSEL row reaches its audience. Visibility: `all` for rows to everyone, the delegation's
    own for rows to one player, `facilitator` for facilitation rows. `trigger` is `scheduled`,
    `condition` or `after`."""

    kind: ClassVar[str] = "ttx_inject_released"
    item_id: str
    move: int
    number: int
    inject_type: str
    title: str
    text: str
    sender: str = ""
    method: str = ""
    to: list[str]
    trigger: str
    contingency: bool = False


class TtxDecisionMade(Event):
    """A delegation's decision in a move (visibility: that delegation): up to the scenario's
    maximum of actions, a free-text statement, and answers to the move's questions.
    `rejected` lists chosen ids that were not available to it (ignored)."""

    kind: ClassVar[str] = "ttx_decision"
    item_id: str
    move: int
    delegation: str
    actor: str
    actions: list[str]
    statement: str = ""
    answers: list[str] = []
    rejected: list[str] = []


class TtxActionResult(BaseModel):
    """One action in adjudication: who, what, whether it took effect, and why it was taken
    (`decision` of a player, `reaction` rule of a control actor)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    actor: str
    action: str
    label: str
    applied: bool
    private: bool = False
    by: str = "decision"


class TtxAdjudicationProposed(Event):
    """The engine's proposed adjudication of a move (facilitator only): actions with their
    result, chance events that occurred, and the escalation score of every actor."""

    kind: ClassVar[str] = "ttx_adjudication_proposed"
    item_id: str
    move: int
    actions: list[TtxActionResult]
    chance: list[str] = []
    escalation: dict[str, float]


class TtxAdjudicationOverridden(Event):
    """The facilitator changed the engine's adjudication: effect statements applied on top of
    it, and the rationale (facilitator only)."""

    kind: ClassVar[str] = "ttx_adjudication_overridden"
    item_id: str
    move: int
    effects: str
    rationale: str


class TtxAuditEntry(BaseModel):
    """One write to the exercise state: variable, value before and after, and the reason."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    variable: str
    before: float
    after: float
    reason: str


class TtxMechanicsAudit(Event):
    """Every state change of a move, in order (facilitator only)."""

    kind: ClassVar[str] = "ttx_mechanics_audit"
    item_id: str
    move: int
    entries: list[TtxAuditEntry]


class TtxNarrative(Event):
    """The public narrative of a move's result: text, the public actions taken (private ones are
    left out), each delegation's statement, and outcomes that occurred."""

    kind: ClassVar[str] = "ttx_narrative"
    item_id: str
    move: int
    text: str
    actions: list[TtxActionResult] = []
    statements: dict[str, str] = {}
    outcomes: list[str] = []


class TtxOutcomeResult(BaseModel):
    """An outcome that occurred, and in which move."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    label: str
    move: int
    terminal: bool


class TtxExerciseEnded(Event):
    """The exercise ended after `moves_played` moves; `ended_by` names the terminal outcome
    that ended it early, if any."""

    kind: ClassVar[str] = "ttx_exercise_ended"
    item_id: str
    moves_played: int
    outcomes: list[TtxOutcomeResult] = []
    ended_by: str | None = None


class ReflectionTimelineEntry(BaseModel):
    """One move of the exercise as the room saw it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    move: int
    title: str
    injects: list[str] = []
    actions: list[str] = []
    outcomes: list[str] = []


class ReflectionTimeline(Event):
    """After-action analysis: the public timeline of the exercise held in `exercise_item`."""

    kind: ClassVar[str] = "reflection_timeline"
    item_id: str
    exercise_item: str
    entries: list[ReflectionTimelineEntry]


class ReflectionEscalationCurve(Event):
    """After-action analysis: each actor's escalation score per move."""

    kind: ClassVar[str] = "reflection_escalation_curve"
    item_id: str
    moves: list[int]
    by_actor: dict[str, list[float]]


class ReflectionTurningPoint(Event):
    """After-action analysis: a move where the exercise turned, and why."""

    kind: ClassVar[str] = "reflection_turning_point"
    item_id: str
    move: int
    reason: str
    detail: str


class ReflectionInjectAssessed(Event):
    """After-action analysis: did a delegation take the action an inject expected?

    `verdict` is `met` (every expected action it could take), `partly` (some) or `not met`.
    Visibility is the delegation's own when the evidence includes one of its private actions."""

    kind: ClassVar[str] = "reflection_inject_assessed"
    item_id: str
    inject: int
    title: str
    move: int
    delegation: str
    expected: list[str]
    taken: list[str]
    verdict: Literal["met", "partly", "not met"]


class ReflectionHotwashQuestion(Event):
    """After-action analysis: a question for the room's hotwash (`delegation` when it is put
    to one delegation; `inject` and `delegations` when it asks about the delegations' response
    to one inject — the text never names the expected actions, which are facilitator-only)."""

    kind: ClassVar[str] = "reflection_hotwash_question"
    item_id: str
    number: int
    text: str
    delegation: str | None = None
    inject: int | None = None
    delegations: list[str] = []


# --- roadmap, recommendations and concluding remarks (detente.roadmap) -------------------------


class RatingsOpened(Event):
    """The facilitator opens rating of these measures of the catalog for `item_id`."""

    kind: ClassVar[str] = "ratings_opened"
    item_id: str
    measure_ids: list[str]


class RatingSubmitted(Event):
    """One participant's rating of one measure: `support` −2…+2, `feasibility` 1…5 and the
    `horizon` they think realistic. `participant` is a seat position (`USA-1`), never a person's
    id. A changed rating is a later event for the same participant and measure: the last one
    before `ratings_closed` counts. Observers' ratings (`observer`) are reported apart."""

    kind: ClassVar[str] = "rating_submitted"
    item_id: str
    participant: str
    measure_id: str
    support: int
    feasibility: int
    horizon: str
    delegation: str | None = None
    observer: bool = False


class RatingsClosed(Event):
    """Rating on `item_id` is closed; `ratings_submitted` counts the `rating_submitted` events
    (changes included); `note` says who did not rate and why, when anyone did not."""

    kind: ClassVar[str] = "ratings_closed"
    item_id: str
    ratings_submitted: int
    note: str = ""


class RoadmapAnalysed(Event):
    """Per measure: support by delegation with exact counts, consensus tier, feasibility and
    simulated effects on the exercise's outcomes. `result` is the JSON document of
    :mod:`detente.roadmap.analysis`."""

    kind: ClassVar[str] = "roadmap_analysed"
    item_id: str
    result: dict[str, Any]


class RoadmapRecorded(Event):
    """The phased roadmap and the measures for further dialogue
    (:mod:`detente.roadmap.sequence`)."""

    kind: ClassVar[str] = "roadmap_recorded"
    item_id: str
    roadmap: dict[str, Any]


class RecommendationClaim(BaseModel):
    """One claim of the recommendations draft: its section, text and the seq numbers of the
    events it derives from."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    section: str
    text: str
    sources: list[int] = []


class RecommendationsDrafted(Event):
    """The draft generated from the record (actor `system`): every claim with its sources."""

    kind: ClassVar[str] = "recommendations_drafted"
    item_id: str
    claims: list[RecommendationClaim]


class RecommendationEdited(Event):
    """The facilitator edits the draft (actor `facilitator`): `edit` replaces a claim's text,
    `strike` removes it, `add` adds a claim written by a person (`claim_id` new, `section` set)."""

    kind: ClassVar[str] = "recommendation_edited"
    item_id: str
    claim_id: str
    action: Literal["edit", "strike", "add"]
    text: str = ""
    section: str | None = None
    sources: list[int] = []


class RecommendationsAccepted(Event):
    """The facilitator accepts the recommendations (the draft with every edit before this)."""

    kind: ClassVar[str] = "recommendations_accepted"
    item_id: str
    claims: int
    edited: int


class CommitmentMade(Event):
    """A delegation's commitment to next steps in the concluding remarks: its words, the
    measures it commits to work for, the source where it restates a stated position, and the
    seq numbers of the events it derives from."""

    kind: ClassVar[str] = "commitment_made"
    item_id: str
    delegation: str
    text: str
    measures: list[str] = []
    source: str = ""
    derived_from: list[int] = []


# --- the paper room (detente.paper) --------------------------------------------------------------


class PaperSheetEntered(Event):
    """The facilitator entered a paper sheet: a ballot (`B`), rating sheet (`R`) or TTX decision
    form (`D`) with its printed `sheet` code, for `seat` (a seat position, or the delegation for
    a decision form) on request `key`. `entered_by` is who typed it in; `source` is where it came
    from (`file.csv:12` or `console`). The answers themselves follow as the same act a device
    would write (`answer_drafted` for a member's marks, `answer_submitted` for a decision, with
    `person` = `paper:<entered_by>`), so analysis treats paper and device answers alike."""

    kind: ClassVar[str] = "paper_sheet_entered"
    key: str
    sheet: str
    sheet_kind: Literal["B", "R", "D"]
    item_id: str
    seat: str
    delegation: str | None = None
    entered_by: str
    source: str
    answers: int


# --- documents (issue 11): releases after the exercise ------------------------------------------


class RecordReleased(Event):
    """Records released to everyone after the exercise (e.g. a delegation shows the room a
    private move in the hotwash). `by` is `facilitator` or the releasing delegation's id; see
    :func:`detente.store.visibility.released` for which releases count. Recorded with visibility
    `all`."""

    kind: ClassVar[str] = RELEASE_KIND
    seqs: list[int]
    by: str
    note: str = ""


# --- model seats ---------------------------------------------------------------------------------


class ModelCalled(Event):
    """One call of a language model for a model seat (visibility `facilitator`; actor: the
    delegation). `outcome` is `valid` (the answer passed the validator and is `answer`), `invalid`
    (the output failed the checks listed in `errors`; the seat re-asks or falls back) or `error`
    (the server gave no usable output: down, timeout, HTTP error). `raw` is the model's output as
    received; `prompt_hash` the SHA-256 of the messages and schema sent, so a replay can check it
    answers the same prompt. `parameters` holds temperature, seed, max tokens and the menu order
    shown, where there is one."""

    kind: ClassVar[str] = "model_called"
    delegation: str
    request: str
    item_id: str
    attempt: int
    model: str
    server: str
    parameters: dict[str, Any]
    prompt_hash: str
    raw: str
    outcome: Literal["valid", "invalid", "error"]
    errors: list[str] = []
    answer: dict[str, Any] | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: int = 0


class SeatFellBack(Event):
    """A model seat gave no valid answer within its bounded re-asks; the delegation's simulated
    profile seat answered instead (visibility `facilitator`)."""

    kind: ClassVar[str] = "seat_fell_back"
    delegation: str
    request: str
    item_id: str
    reason: str
    answered_by: str = "simulated"


class PlausibilityFlagged(Event):
    """An answer that contradicts the delegation's declared profile (e.g. an action or a vote
    against its strongest interests), flagged for the facilitator, not silently accepted.
    `seat` is the kind of seat that answered (`model`, `simulated` …)."""

    kind: ClassVar[str] = "plausibility_flagged"
    delegation: str
    seat: str
    request: str
    item_id: str
    flags: list[str]


# --- exercise control (live app: the MSEL on a clock, the facilitator's control acts) -----------


class InjectDelivered(Event):
    """Act: an inject the exercise released reaches its audience — by the exercise clock at
    its MSEL offset from the move's start (`by` "clock"), or when the facilitator releases it
    now (`by` "facilitator"). Carries the inject's text so the record stands on its own."""

    kind: ClassVar[str] = "inject_delivered"
    item_id: str
    move: int
    number: int
    title: str
    text: str
    sender: str = ""
    method: str = ""
    inject_type: str = ""
    by: Literal["clock", "facilitator"] = "clock"


class InjectHeld(Event):
    """Act: the facilitator holds a scheduled inject (the clock will not deliver it)."""

    kind: ClassVar[str] = "inject_held"
    item_id: str
    move: int
    number: int


class InjectWritten(Event):
    """Act: an inject the facilitator writes on the spot, to everyone (`to` "all") or to one
    delegation (`to` its id; the record is then visible to that delegation only)."""

    kind: ClassVar[str] = "inject_written"
    item_id: str
    move: int
    title: str
    text: str
    to: str = "all"


class ExerciseClockPaused(Event):
    """Act: the facilitator pauses the exercise clock (scheduled injects and the decision
    deadline wait while it is paused)."""

    kind: ClassVar[str] = "exercise_clock_paused"
    item_id: str
    move: int


class ExerciseClockResumed(Event):
    """Act: the facilitator resumes the exercise clock."""

    kind: ClassVar[str] = "exercise_clock_resumed"
    item_id: str
    move: int


class DeadlineExtended(Event):
    """Act: the facilitator extends the move's decision deadline by `minutes` scenario minutes."""

    kind: ClassVar[str] = "deadline_extended"
    item_id: str
    move: int
    minutes: float


class ControlUndone(Event):
    """Act: the facilitator undoes their control act at log position `undone` (within the
    undo window); an undone inject written on the spot is shown as withdrawn."""

    kind: ClassVar[str] = "control_undone"
    undone: int
    what: str


# --- exercise parts (detente.ttx, programme semantics) -------------------------------------------


class TtxPartStarted(Event):
    """One programme item resumes (or begins) an exercise that spans several items.

    Recorded at the start of every part when the programme has more than one `ttx` item; an
    exercise held in one item records none (its record is unchanged). `exercise_item` is the
    item of the exercise's first part (where `ttx_exercise_started` is); `moves` the move
    numbers planned for this part, in order; `minutes` the time the part has (None: untimed)."""

    kind: ClassVar[str] = "ttx_part_started"
    item_id: str
    exercise_item: str
    part: int
    moves: list[int]
    minutes: int | None = None


class TtxPartEnded(Event):
    """A part of a split exercise stops: `moves_played` the moves closed in this part;
    `continues` whether a later part resumes the exercise (False once it ended)."""

    kind: ClassVar[str] = "ttx_part_ended"
    item_id: str
    exercise_item: str
    part: int
    moves_played: list[int]
    continues: bool


class SessionEnded(Event):
    """Act: a person left (logout): the session whose CSRF token hashes to `session` (SHA-256,
    hex) no longer opens any page, though its signed cookie would still verify."""

    kind: ClassVar[str] = "session_ended"
    person: str
    session: str


# --- live console (web, issue 13): statements edited or withdrawn before voting opens -------------


class StatementEdited(Event):
    """Act: the facilitator rewrites statement `statement_id` of `item_id`, added live, before
    voting on it opens; the analysis, the live views and the reports use `text` from here on
    (the earlier wording stays in the log)."""

    kind: ClassVar[str] = "statement_edited"
    item_id: str
    statement_id: str
    text: str


class StatementWithdrawn(Event):
    """Act: the facilitator withdraws statement `statement_id` of `item_id`, added live, before
    voting on it opens; it is not put to the vote and the analysis and reports skip it."""

    kind: ClassVar[str] = "statement_withdrawn"
    item_id: str
    statement_id: str


class RequestViewed(Event):
    """Act: `person`, a member of `delegation`, first saw open request `key` on their page
    (recorded once per person and request, never on a refresh), so the facilitator's board can
    tell a delegation that has not opened the request from one that is drafting."""

    kind: ClassVar[str] = "request_viewed"
    key: str
    person: str
    delegation: str


# --- live model seats (web, issue 14): a request handed on from a model, a late answer dropped ---


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
