"""The tabletop exercise's vocabulary in the log: the exercise and its parts, the reflection
(hotwash) and the live app's exercise control (injects on a clock, the facilitator's control acts).

Each class registers its `kind` on definition; the ttx plugin returns them from
:func:`detente.hooks.detente_events`, which is how :func:`detente.store.events.decode` finds them.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from detente.store.events import Event

# --- the exercise ----------------------------------------------------------------------------


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


# --- exercise parts (programme semantics) ----------------------------------------------------


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


# --- reflection (after-action analysis) ------------------------------------------------------


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


# --- exercise control (live app: the MSEL on a clock, the facilitator's control acts) --------


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
