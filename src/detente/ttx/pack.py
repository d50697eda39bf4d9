"""Load a scenario pack (`scenario.yaml` in a meeting folder) and compile it once for the engine.

Loading is where bad input is caught: the schema (:mod:`detente.ttx.scenario`), the whole-pack
checks (:mod:`detente.ttx.pack_checks`), the meeting cross-checks when a meeting is given, and
every expression compiled against the pack's symbol table. All problems of one load are reported
together as an :class:`~detente.diagnostics.InputError` whose diagnostics point at the file, line
and column — for an expression, at the offending character *inside* the YAML value.

The result, :class:`CompiledScenario`, holds only indices, NumPy arrays and compiled closures, so
the engine never looks an id up while it runs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from detente.diagnostics import Diagnostic, InputError, PathPart
from detente.meeting.loader import MeetingFolder
from detente.sourcefile import SourceFile, read_yaml, validate
from detente.text import language_keys, unknown_language
from detente.ttx.expressions import (
    Condition,
    DyadicSpec,
    Effects,
    ExpressionError,
    State,
    Symbols,
    Value,
    compile_condition,
    compile_effects,
    compile_value,
)
from detente.ttx.inject_scores import inject_score
from detente.ttx.locate import expression_position
from detente.ttx.pack_checks import check_against_meeting, check_pack, sorted_diagnostics
from detente.ttx.scenario import ActorRole, InjectType, Scenario, Visibility

SCENARIO_FILE = "scenario.yaml"

Path_ = tuple[PathPart, ...]
Probability = float | Value


@dataclass(frozen=True)
class CompiledAction:
    """An action by index: who may take it, when, what it does, how it scores."""

    index: int
    id: str
    label: str
    actors: tuple[int, ...]
    private: bool
    precondition: Condition | None
    effects: Effects | None
    rung: int
    score: float
    tags: Mapping[str, float]
    appeal: Value | None


@dataclass(frozen=True)
class CompiledInject:
    """An MSEL row by index: `move` is a move number (1-based) or None, `after` an inject index."""

    index: int
    number: int
    move: int | None
    type: InjectType
    to: tuple[str, ...]
    scheduled: bool
    condition: Condition | None
    after: int | None
    contingency: bool
    effects: Effects | None
    expected_actions: tuple[int, ...]
    actor: int | None = None
    """The actor it scores for on the escalation ladder (:mod:`detente.ttx.inject_scores`)."""
    score: float = 0.0

    @property
    def facilitation(self) -> bool:
        return self.type is InjectType.FACILITATION


@dataclass(frozen=True)
class CompiledReaction:
    index: int
    id: str
    actor: int
    action: int
    when: Condition
    probability: Probability
    moves: frozenset[int]


@dataclass(frozen=True)
class CompiledChance:
    index: int
    id: str
    label: str
    when: Condition | None
    probability: Probability
    effects: Effects
    actor: int | None
    score: float
    calming: bool = False
    """Only lowers values (every effect ``x -= <positive number>``) and counts for no actor: it
    is drawn only in runs where nothing escalated in the move (see :mod:`detente.ttx.engine`)."""


def calming_effects(source: str) -> bool:
    """Whether effects only lower values by a literal amount (``tension -= 3; talks -= 1``)."""
    from detente.ttx.expressions_parser import Neg, Number, parse_effects

    statements = parse_effects(source)
    if not statements:
        return False
    for st in statements:
        lowers = (st.op == "-=" and isinstance(st.value, Number) and st.value.value > 0) or (
            st.op == "+="
            and isinstance(st.value, Neg)
            and isinstance(st.value.operand, Number)
            and st.value.operand.value > 0
        )
        if not lowers:
            return False
    return True


@dataclass(frozen=True)
class CompiledOutcome:
    index: int
    id: str
    label: str
    when: Condition
    terminal: bool


@dataclass(frozen=True)
class CompiledScenario:
    """A scenario ready to run: every name resolved to an index, every expression compiled.

    Actor index order is the order of `scenario.actors`; `players` lists the player actors'
    indices in that order. `release_order` lists inject indices so that an inject always comes
    after the inject it is released `after`.
    """

    scenario: Scenario
    symbols: Symbols
    actor_ids: tuple[str, ...]
    players: tuple[int, ...]
    actions: tuple[CompiledAction, ...]
    injects: tuple[CompiledInject, ...]
    release_order: tuple[int, ...]
    reactions: tuple[CompiledReaction, ...]
    chance: tuple[CompiledChance, ...]
    outcomes: tuple[CompiledOutcome, ...]
    initial_scalars: NDArray[np.float64]
    initial_dyadic: NDArray[np.float64]

    @property
    def n_moves(self) -> int:
        return len(self.scenario.moves)

    @property
    def max_actions(self) -> int:
        return self.scenario.scenario.max_actions_per_move

    def new_state(self, runs: int) -> State:
        """The initial state, repeated for `runs` runs (fresh arrays, runs axis contiguous)."""
        scalars = np.empty((len(self.initial_scalars), runs))
        scalars[...] = self.initial_scalars[:, None]
        dyadic = np.empty((*self.initial_dyadic.shape, runs))
        dyadic[...] = self.initial_dyadic[..., None]
        return State(scalars.T, np.moveaxis(dyadic, -1, 0))

    def actor_index(self, actor_id: str) -> int:
        return self.actor_ids.index(actor_id)

    def action_index(self, action_id: str) -> int:
        for action in self.actions:
            if action.id == action_id:
                return action.index
        raise KeyError(action_id)

    def player_of(self, delegation: str) -> int | None:
        """The actor index of the player a delegation plays, if any."""
        for index in self.players:
            if self.scenario.actors[index].delegation == delegation:
                return index
        return None

    def variable_labels(self) -> list[str]:
        """Every scalar name and every dyadic `name[A,B]`, for audits and overrides."""
        labels = [v.id for v in self.scenario.state]
        for d in self.scenario.dyadic:
            for i, a in enumerate(self.actor_ids):
                for j, b in enumerate(self.actor_ids):
                    if i != j and (not d.symmetric or i < j):
                        labels.append(f"{d.id}[{a},{b}]")
        return labels


@dataclass(frozen=True)
class Pack:
    """A loaded scenario pack: the model, its source (positions) and the compiled scenario."""

    root: Path
    source: SourceFile
    scenario: Scenario
    compiled: CompiledScenario


def _raw(data: Any, path: Path_) -> Any:
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


class ExpressionCompiler:
    """Compiles the expressions of one YAML file, turning errors into located diagnostics."""

    def __init__(self, source: SourceFile, symbols: Symbols) -> None:
        self.source = source
        self.symbols = symbols
        self.diagnostics: list[Diagnostic] = []
        try:
            self._lines = source.path.read_text(encoding="utf-8").splitlines()
        except OSError:
            self._lines = []

    def _error(self, path: Path_, text: str, error: ExpressionError) -> None:
        raw = _raw(self.source.data, path)
        at = self.source.positions.locate(path)
        if isinstance(raw, str):
            at = expression_position(self._lines, at, raw, text, error.line, error.column)
        self.diagnostics.append(
            Diagnostic(self.source.positions.file, at[0], at[1], path, error.message)
        )

    def condition(self, path: Path_, text: str | None) -> Condition | None:
        if text is None:
            return None
        try:
            return compile_condition(text, self.symbols)
        except ExpressionError as exc:
            self._error(path, text, exc)
            return None

    def value(self, path: Path_, text: str | None) -> Value | None:
        if text is None:
            return None
        try:
            return compile_value(text, self.symbols)
        except ExpressionError as exc:
            self._error(path, text, exc)
            return None

    def effects(self, path: Path_, text: str | None) -> Effects | None:
        if text is None:
            return None
        try:
            return compile_effects(text, self.symbols)
        except ExpressionError as exc:
            self._error(path, text, exc)
            return None

    def probability(self, path: Path_, value: float | str) -> Probability | None:
        if isinstance(value, str):
            return self.value(path, value)
        return float(value)


def build_symbols(scenario: Scenario) -> Symbols:
    """The symbol table: scalars and dyadic variables in file order, actors in file order.

    Duplicates keep their first definition (the checks report the others)."""
    scalars: dict[str, int] = {}
    ranges: dict[str, tuple[float, float]] = {}
    for v in scenario.state:
        if v.id not in scalars:
            scalars[v.id] = len(scalars)
            ranges[v.id] = (v.min, max(v.min, v.max))
    dyadics: dict[str, DyadicSpec] = {}
    for d in scenario.dyadic:
        if d.id not in dyadics and d.id not in scalars:
            dyadics[d.id] = DyadicSpec(len(dyadics), d.symmetric, d.min, max(d.min, d.max))
    actors: dict[str, int] = {}
    for a in scenario.actors:
        actors.setdefault(a.id, len(actors))
    return Symbols(scalars, ranges, dyadics, actors)


def _initial(
    scenario: Scenario, symbols: Symbols
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    scalars = np.zeros(symbols.n_scalars)
    for v in scenario.state:
        scalars[symbols.scalars[v.id]] = v.initial
    n = symbols.n_actors
    dyadic = np.zeros((symbols.n_dyadic, n, n))
    for d in scenario.dyadic:
        spec = symbols.dyadics.get(d.id)
        if spec is None:
            continue
        dyadic[spec.index] = d.initial
        np.fill_diagonal(dyadic[spec.index], 0.0)
        for key, value in d.pairs.items():
            parts = [p.strip() for p in key.split(",")]
            if len(parts) != 2 or not all(p in symbols.actors for p in parts):
                continue
            a, b = symbols.actors[parts[0]], symbols.actors[parts[1]]
            dyadic[spec.index, a, b] = value
            if spec.symmetric:
                dyadic[spec.index, b, a] = value
    return scalars, dyadic


def _release_order(scenario: Scenario) -> tuple[int, ...]:
    """Inject indices, each after the inject it waits for (file order otherwise)."""
    index = {j.number: i for i, j in enumerate(scenario.msel)}
    order: list[int] = []
    placed: set[int] = set()

    def place(i: int, depth: int) -> None:
        if i in placed or depth > len(index):
            return
        after = scenario.msel[i].trigger.after
        if after is not None and after in index:
            place(index[after], depth + 1)
        placed.add(i)
        order.append(i)

    for i in range(len(scenario.msel)):
        place(i, 0)
    return tuple(order)


@dataclass(frozen=True)
class _Indices:
    """Id → index maps of one scenario, in file order (first definition wins for actors)."""

    actors: dict[str, int]
    rungs: dict[str, int]
    actions: dict[str, int]
    injects: dict[int, int]

    @classmethod
    def of(cls, scenario: Scenario, symbols: Symbols) -> _Indices:
        return cls(
            actors=dict(symbols.actors),
            rungs={r.id: i for i, r in enumerate(scenario.ladder)},
            actions={a.id: i for i, a in enumerate(scenario.actions)},
            injects={j.number: i for i, j in enumerate(scenario.msel)},
        )


def _compile_actions(
    scenario: Scenario, ec: ExpressionCompiler, ix: _Indices
) -> list[CompiledAction]:
    """Every action, its rung defaulting to the ladder's first when unknown."""
    actions = []
    for i, a in enumerate(scenario.actions):
        p: Path_ = ("actions", i)
        rung = ix.rungs.get(a.escalation, 0)
        actions.append(
            CompiledAction(
                index=i,
                id=a.id,
                label=a.label.en,
                actors=tuple(ix.actors[x] for x in a.actors if x in ix.actors),
                private=a.visibility is Visibility.PRIVATE,
                precondition=ec.condition((*p, "precondition"), a.precondition),
                effects=ec.effects((*p, "effects"), a.effects),
                rung=rung,
                score=scenario.ladder[rung].score,
                tags=dict(a.tags),
                appeal=ec.value((*p, "appeal"), a.appeal),
            )
        )
    return actions


def _compile_injects(
    scenario: Scenario, ec: ExpressionCompiler, ix: _Indices
) -> list[CompiledInject]:
    """Every MSEL row, with the actor and ladder score it counts for (if any)."""
    injects = []
    for i, j in enumerate(scenario.msel):
        p: Path_ = ("msel", i)
        after = j.trigger.after
        scored = inject_score(scenario, j)
        scored_actor = ix.actors.get(scored.actor) if scored is not None else None
        scored_rung = ix.rungs.get(scored.rung) if scored is not None else None
        injects.append(
            CompiledInject(
                index=i,
                number=j.number,
                move=j.move,
                type=j.type,
                to=tuple(j.to),
                scheduled=j.trigger.scheduled,
                condition=ec.condition((*p, "trigger", "condition"), j.trigger.condition),
                after=ix.injects.get(after) if after is not None else None,
                contingency=j.contingency,
                effects=ec.effects((*p, "effects"), j.effects),
                expected_actions=tuple(
                    ix.actions[x] for x in j.expected_actions if x in ix.actions
                ),
                actor=scored_actor if scored_rung is not None else None,
                score=scenario.ladder[scored_rung].score if scored_rung is not None else 0.0,
            )
        )
    return injects


def _compile_reactions(
    scenario: Scenario, ec: ExpressionCompiler, ix: _Indices
) -> list[CompiledReaction]:
    """The reactions whose condition and probability compiled (the others are diagnosed)."""
    reactions = []
    for i, r in enumerate(scenario.reactions):
        p: Path_ = ("reactions", i)
        when = ec.condition((*p, "when"), r.when)
        probability = ec.probability((*p, "probability"), r.probability)
        if when is None or probability is None:
            continue
        reactions.append(
            CompiledReaction(
                i,
                r.id,
                ix.actors.get(r.actor, 0),
                ix.actions.get(r.action, 0),
                when,
                probability,
                frozenset(r.moves),
            )
        )
    return reactions


def _compile_chances(
    scenario: Scenario, ec: ExpressionCompiler, ix: _Indices
) -> list[CompiledChance]:
    """The chance events whose probability and effects compiled (the others are diagnosed)."""
    chances = []
    for i, c in enumerate(scenario.chance):
        p: Path_ = ("chance", i)
        when = ec.condition((*p, "when"), c.when)
        probability = ec.probability((*p, "probability"), c.probability)
        effects = ec.effects((*p, "effects"), c.effects)
        if probability is None or effects is None:
            continue
        score = scenario.ladder[ix.rungs[c.escalation]].score if c.escalation in ix.rungs else 0.0
        chances.append(
            CompiledChance(
                i,
                c.id,
                c.label.en,
                when,
                probability,
                effects,
                ix.actors.get(c.actor) if c.actor is not None else None,
                score,
                calming=c.actor is None and c.escalation is None and calming_effects(c.effects),
            )
        )
    return chances


def _compile_outcomes(scenario: Scenario, ec: ExpressionCompiler) -> list[CompiledOutcome]:
    """The outcomes whose condition compiled (the others are diagnosed)."""
    outcomes = []
    for i, o in enumerate(scenario.outcomes):
        when = ec.condition(("outcomes", i, "when"), o.when)
        if when is not None:
            outcomes.append(CompiledOutcome(i, o.id, o.label.en, when, o.terminal))
    return outcomes


def compile_scenario(scenario: Scenario, source: SourceFile) -> CompiledScenario:
    """Compile every expression; raise :class:`InputError` listing the located problems.

    Assumes :func:`~detente.ttx.pack_checks.check_pack` found nothing (ids resolve)."""
    symbols = build_symbols(scenario)
    ec = ExpressionCompiler(source, symbols)
    ix = _Indices.of(scenario, symbols)
    actions = _compile_actions(scenario, ec, ix)
    injects = _compile_injects(scenario, ec, ix)
    reactions = _compile_reactions(scenario, ec, ix)
    chances = _compile_chances(scenario, ec, ix)
    outcomes = _compile_outcomes(scenario, ec)
    if ec.diagnostics:
        raise InputError(sorted_diagnostics(ec.diagnostics))
    scalars, dyadic = _initial(scenario, symbols)
    return CompiledScenario(
        scenario=scenario,
        symbols=symbols,
        actor_ids=tuple(symbols.actors),
        players=tuple(i for i, a in enumerate(scenario.actors) if a.role is ActorRole.PLAYER),
        actions=tuple(actions),
        injects=tuple(injects),
        release_order=_release_order(scenario),
        reactions=tuple(reactions),
        chance=tuple(chances),
        outcomes=tuple(outcomes),
        initial_scalars=scalars,
        initial_dyadic=dyadic,
    )


def check_scenario_languages(
    scenario: Scenario, source: SourceFile, meeting: MeetingFolder | None
) -> list[Diagnostic]:
    """Translations only in the scenario's or the meeting's languages (the scenario's alone when
    it is checked without a meeting and declares them)."""
    languages = list(scenario.scenario.languages)
    if meeting is not None:
        languages += [c for c in meeting.meeting.meeting.languages if c not in languages]
    elif "languages" not in scenario.scenario.model_fields_set:
        return []
    return [
        source.positions.diagnostic(path, unknown_language(code, languages), key=True)
        for path, code in language_keys(scenario, languages)
    ]


def load_scenario_file(path: Path, *, meeting: MeetingFolder | None = None) -> Pack:
    """Load, check and compile one scenario file. Raises :class:`InputError` on bad input."""
    if not path.is_file():
        raise InputError(
            [Diagnostic(path.name, 0, 0, (), f"no scenario pack: {path} does not exist")]
        )
    source = read_yaml(path)
    scenario = validate(source, Scenario)
    diags = check_pack(scenario, source)
    if meeting is not None:
        diags += check_against_meeting(scenario, source, meeting)
    diags += check_scenario_languages(scenario, source, meeting)
    if diags:
        raise InputError(sorted_diagnostics(diags))
    return Pack(path.parent, source, scenario, compile_scenario(scenario, source))


def load_pack(root: Path, *, meeting: MeetingFolder | None = None) -> Pack:
    """Load `scenario.yaml` from a meeting folder (checked against `meeting` when given)."""
    return load_scenario_file(Path(root) / SCENARIO_FILE, meeting=meeting)


def has_pack(root: Path) -> bool:
    """Whether a meeting folder has a scenario pack at all."""
    return (Path(root) / SCENARIO_FILE).is_file()


def probability_array(probability: Probability, state: State, factor: float) -> NDArray[np.float64]:
    """A rule's probability for every run: the number or value, times `factor`, clipped to [0, 1].

    NaN (from a value expression) counts as 0."""
    if isinstance(probability, float):
        p = min(1.0, max(0.0, probability * factor)) if math.isfinite(probability) else 0.0
        return np.full(state.runs, p)
    values = probability(state) * factor
    return np.clip(np.nan_to_num(values, nan=0.0, posinf=1.0, neginf=0.0), 0.0, 1.0)
