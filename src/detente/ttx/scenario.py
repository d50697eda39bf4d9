"""The scenario pack's schema (`scenario.yaml`): state, actors, ladder, actions, moves, MSEL, rules.

A scenario is data. Conditions, values and effects are strings in the whitelisted expression
language of :mod:`detente.ttx.expressions`; this module only declares their shape. Checks that need
the whole pack (names in expressions, actors of actions, inject trigger cycles, one escalation rung
per action, 2–4 questions per player per move) live in :mod:`detente.ttx.pack`, where the YAML
positions are known.

Player-facing text is :class:`detente.text.Text`: a plain string or a mapping of BCP-47 language
code to string (`{en: …, zh: …, vi: …}`); English is required and the other languages fall back
to it.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints

from detente.schema_types import Id, NonEmpty, Strict, Weight
from detente.text import LanguageCode
from detente.text import LocalText as LocalText
from detente.text import Text as Text

Name = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", min_length=1)]
"""Identifiers used inside expressions (state variables, actors): no dots or dashes."""
Expression = NonEmpty
"""An expression in :mod:`detente.ttx.expressions` (checked there, once names are known)."""


RELEASE_PATTERN = re.compile(r"^(before-meeting|exercise-start|never|move-[1-9][0-9]*)$")


def _release_value(value: str) -> str:
    if not RELEASE_PATTERN.match(value):
        raise ValueError(
            f"release '{value}' is not one of before-meeting, exercise-start, move-N (N a move "
            "number, e.g. move-2) or never"
        )
    return value


Release = Annotated[
    str,
    AfterValidator(_release_value),
    Field(
        description="when players may first see it: before-meeting (printed in the packs), "
        "exercise-start, move-N (handed out when move N opens) or never"
    ),
]
"""A release-plan value; its meaning and defaults are in :mod:`detente.ttx.release`."""


class Objective(Strict):
    """An exercise objective, evaluated in the after-action report."""

    id: Id
    text: LocalText


class ScenarioInfo(Strict):
    """Title, baseline date, languages and the player-facing background."""

    id: Id
    title: LocalText
    baseline_date: dt.date = Field(description="the date the scenario's world is true as of")
    languages: list[LanguageCode] = ["en"]
    background: LocalText
    rules_of_play: LocalText
    objectives: list[Objective] = Field(min_length=1)
    sponsor: str = ""
    max_actions_per_move: int = Field(default=3, ge=1, le=3)


class Variable(Strict):
    """A scalar state variable with its range, initial value and meaning."""

    id: Name
    min: float
    max: float
    initial: float
    meaning: NonEmpty
    unit: str = ""


class DyadicVariable(Strict):
    """A variable for pairs of actors, e.g. `channel[DPRK,ROK]` (open 1 / closed 0) or `trust`.

    `initial` applies to every pair; `pairs` overrides it for named pairs written `"A,B"`.
    A symmetric variable has one value per unordered pair.
    """

    id: Name
    min: float
    max: float
    initial: float
    symmetric: bool = True
    meaning: NonEmpty
    pairs: dict[str, float] = {}


class ActorRole(StrEnum):
    PLAYER = "player"
    CONTROL = "control"


class Actor(Strict):
    """A player (linked to a meeting delegation) or a control actor (engine or facilitator)."""

    id: Name
    name: LocalText
    role: ActorRole
    delegation: Id | None = Field(
        default=None, description="for players: the meeting delegation whose seat plays it"
    )
    played_by: str = Field(default="engine", description="for control actors: engine|facilitator")
    forms: dict[Id, LocalText] = Field(
        default={},
        description="grammatical forms of the name by case, e.g. {accusative: {ru: Россию}}, "
        "for sentences such as 'Ваша делегация играет за Россию'",
    )


class Rung(Strict):
    """One rung of the escalation ladder. Every action maps to exactly one rung by id."""

    id: Id
    label: LocalText
    score: float


DEFAULT_LADDER: tuple[tuple[str, str, float], ...] = (
    ("de-escalation", "De-escalation", -2.0),
    ("status-quo", "Status quo", 0.0),
    ("posturing", "Posturing", 4.0),
    ("non-violent-escalation", "Non-violent escalation", 12.0),
    ("violent-escalation", "Violent escalation", 28.0),
    ("nuclear", "Nuclear", 60.0),
)
"""The published escalation classes and scores used by LLM wargame studies, so results compare."""


def default_ladder() -> list[Rung]:
    return [Rung(id=i, label=Text(label), score=score) for i, label, score in DEFAULT_LADDER]


class Visibility(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"


class Action(Strict):
    """Something an actor may do in a move.

    - `actors`: who may take it (player or control actor ids).
    - `precondition`: a condition; the action is unavailable in runs where it is false.
    - `effects`: effect statements applied when taken.
    - `escalation`: the id of its rung on the ladder.
    - `tags`: how much the action serves each interest dimension (-1…1) of the delegation
      profiles; simulated seats weigh actions by these.
    - `appeal`: an optional value expression added to the utility, so the situation matters
      (e.g. `2 * clip(casualties, 0, 1)` makes retaliation appealing after an attack).
    """

    id: Id
    label: LocalText
    description: LocalText | None = None
    actors: list[Name] = Field(min_length=1)
    visibility: Visibility = Visibility.PUBLIC
    precondition: Expression | None = None
    effects: Expression | None = None
    escalation: Id
    tags: dict[Id, Weight] = {}
    appeal: Expression | None = None


class Move(Strict):
    """A move of the exercise: when it is set, what players are told, what they must decide.

    `questions` maps each player actor id to its 2–4 decision questions. `release` says when
    players first see the brief and questions (default: when the move opens; move 1's brief is
    the starting situation, pre-released into the packs only with `release: before-meeting`).
    """

    number: int = Field(ge=1)
    title: LocalText
    scenario_time: dt.datetime = Field(description="ISO date-time in scenario time")
    minutes: int = Field(ge=1, le=600)
    brief: LocalText
    questions: dict[Name, list[LocalText]]
    release: Release | None = None


class InjectType(StrEnum):
    INJECT = "inject"
    INFORMATION = "information"
    FACILITATION = "facilitation"


class Trigger(Strict):
    """When an inject is released: `scheduled` (in its move), when a `condition` holds at the
    start of its move (or any later move if `move` is omitted on the inject), or `after` another
    inject has been released.

    Exactly one of the three is used (checked in :mod:`detente.ttx.pack`). An inject is released
    at most once per run. An `after` inject is released in the same move as the inject it
    follows (or, when it has a `move`, in the first move from that one on where the other inject
    has been released); `after` chains must not form a cycle.
    """

    scheduled: bool = False
    condition: Expression | None = None
    after: int | None = Field(default=None, ge=1)


class Inject(Strict):
    """One row of the Master Scenario Events List, with the conventional columns.

    Facilitation rows (`type: facilitation`) are for the facilitator only and never reach players.
    `to` lists player actor ids, or `all`. `expected_actions` (action ids) lets the after-action
    analysis judge met / partly met / not met mechanically; `expected_action` is the prose.
    A `contingency` row is held in reserve for when play goes a particular way, so it needs a
    `condition` or `after` trigger (never `scheduled`). `effects` are applied when it is released.
    """

    number: int = Field(ge=1)
    move: int | None = Field(default=None, ge=1)
    scenario_time: dt.datetime | None = None
    offset: int = Field(default=0, ge=0, description="delivery offset in minutes into the move")
    type: InjectType = InjectType.INJECT
    method: Text = Text()
    sender: Text = Field(default=Text(), alias="from")
    to: list[str] = ["all"]
    title: LocalText
    text: LocalText
    expected_action: str = ""
    expected_actions: list[Id] = []
    objective: Id | None = None
    evaluator_notes: str = ""
    trigger: Trigger = Trigger(scheduled=True)
    contingency: bool = False
    effects: Expression | None = None
    release: Release | None = Field(
        default=None,
        description="when the row may be printed for players (default: delivered live when "
        "triggered, printed on its move's handout when scheduled at offset 0)",
    )
    actor: Name | None = Field(
        default=None,
        description="the actor whose deed the inject depicts, scored on the escalation ladder "
        "when it is released (default: derived from its effects, see detente.ttx.inject_scores)",
    )
    escalation: Id | None = Field(
        default=None, description="the ladder rung of that deed (default: derived with the actor)"
    )

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Reaction(Strict):
    """A control actor's rule: when `when` holds, take `action` with `probability` (a number or
    a value expression, clipped to [0, 1]). `moves` restricts it to some moves."""

    id: Id
    actor: Name
    when: Expression
    action: Id
    probability: float | Expression = 1.0
    moves: list[int] = []


class Chance(Strict):
    """A chance event: each move, with `probability` (number or value expression, clipped to
    [0, 1]) and only where `when` holds, apply `effects`. E.g. a misperception whose probability
    falls when a channel is open.

    With `escalation` (a rung id) the event also counts on the escalation score of `actor` in the
    move it happens (e.g. an accidental exchange of fire attributed to one side)."""

    id: Id
    label: LocalText
    when: Expression | None = None
    probability: float | Expression
    effects: Expression
    narrative: LocalText | None = None
    escalation: Id | None = None
    actor: Name | None = Field(
        default=None,
        description="the actor whose escalation score the event counts for (needed with "
        "`escalation`)",
    )


class Outcome(Strict):
    """An outcome condition checked after every move (e.g. armed clash, nuclear use, talks
    opened). A `terminal` outcome ends the run when it occurs."""

    id: Id
    label: LocalText
    when: Expression
    terminal: bool = False


class Break(Strict):
    """A pause inside an exercise session, after a move (see :class:`RunOfShow`)."""

    after_move: int = Field(ge=1)
    minutes: int = Field(ge=1, le=240)
    title: str = "Break"


class RunOfShow(Strict):
    """The facilitation timing around the moves, for the handbook's run-of-show: minutes of the
    opening brief before the first move, breaks after given moves, and the hotwash after the
    last move. Each goes into the programme session (`ttx` item) that plays the move it follows
    or precedes; 0 leaves it out (e.g. when the hotwash is its own programme item)."""

    opening_brief: int = Field(default=0, ge=0, le=240)
    breaks: list[Break] = []
    hotwash: int = Field(default=0, ge=0, le=240)


class Scenario(Strict):
    """The whole `scenario.yaml`."""

    scenario: ScenarioInfo
    state: list[Variable] = Field(min_length=1)
    dyadic: list[DyadicVariable] = []
    actors: list[Actor] = Field(min_length=2)
    ladder: list[Rung] = Field(default_factory=default_ladder, min_length=1)
    actions: list[Action] = Field(min_length=1)
    moves: list[Move] = Field(min_length=1)
    msel: list[Inject] = []
    reactions: list[Reaction] = []
    chance: list[Chance] = []
    outcomes: list[Outcome] = []
    run_of_show: RunOfShow = RunOfShow()

    @property
    def players(self) -> list[Actor]:
        return [a for a in self.actors if a.role is ActorRole.PLAYER]

    @property
    def controls(self) -> list[Actor]:
        return [a for a in self.actors if a.role is ActorRole.CONTROL]

    def action(self, action_id: str) -> Action:
        for a in self.actions:
            if a.id == action_id:
                return a
        raise KeyError(action_id)

    def rung(self, rung_id: str) -> Rung:
        for r in self.ladder:
            if r.id == rung_id:
                return r
        raise KeyError(rung_id)


# --- measures' scenario modifiers ----------------------------------------------------------------


class Factor(Strict):
    """Multiply a rule's probability by `factor` (0 disables it, 1 leaves it unchanged)."""

    factor: float = Field(ge=0.0)


class Modifier(Strict):
    """What changes in the scenario when a measure is in force.

    - `effects`: effect statements applied once to the initial state (e.g. open a channel:
      `channel[DPRK,ROK] = 1`).
    - `reactions` / `chance`: probability factors for named control reactions and chance events.
    - `disable_actions`: actions no one can take while the measure is in force.
    - `appeal`: extra utility for named actions (e.g. make `join-talks` more appealing).
    """

    effects: Expression | None = None
    reactions: dict[Id, Factor] = {}
    chance: dict[Id, Factor] = {}
    disable_actions: list[Id] = []
    appeal: dict[Id, float] = {}
