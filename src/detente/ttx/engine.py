"""The tabletop-exercise engine: one implementation of the rules over a leading runs axis.

A live exercise is ``runs=1`` and its decisions come from the seats; a Monte Carlo sweep is
``runs=10⁵`` and its decisions come from the simulated policy (:mod:`detente.ttx.policy`). Both
walk the same :class:`Play`, move by move:

1. :meth:`Play.begin_move` — draw this move's uniforms, release injects: scheduled ones of the
   move, conditional ones whose condition holds on the state at the start of the move (only in
   their move when they name one, else in the first move it holds), then `after` chains in the
   same move; apply the released injects' effects in MSEL order. Each inject is released at most
   once per run; releases are per-run masks.
2. :meth:`Play.options` / :meth:`Play.simulated_choices` — which actions are available per run
   (precondition true, not disabled by a measure) and their situational appeal; the policy picks
   up to `max_actions_per_move` per player.
3. :meth:`Play.adjudicate` — apply chosen actions in action-file order (player order within an
   action), each only where its precondition *still* holds; then chance events; then control
   reactions (condition, action precondition, probability); then *calming* chance events (no
   actor, effects that only lower values, e.g. "a quiet day": `tension -= 3`), only in runs
   where no act of the move escalated (no action, reaction, attributed chance event or scripted
   inject released this move with a positive ladder score) — a move with an exchange of fire
   cannot also be "a quiet day". Escalation per actor is the sum of the ladder scores of what
   the actor did this move (its actions, its reactions, chance events attributed to it, and the
   scripted injects released this move that depict its deeds, see
   :mod:`detente.ttx.inject_scores`).
4. :meth:`Play.close_move` — check outcomes on the resulting state; an outcome occurs at most
   once; a terminal outcome freezes the run (no later release, action, event or score; its
   escalation stays 0 in later moves and :attr:`Results.ended_move` says when it ended).

Every write is masked by the runs still alive. Random numbers come from :class:`RunStreams` in a
fixed layout (per move: k per player, one per chance event, one per reaction), so the same seed
gives the same result for run *r* whatever the chunking, and measures compared on the same seed
share their random numbers (common random numbers make measure effects sharper).

Speed (the rules above are the contract; this is how they are computed, see :class:`Play`):
arrays indexed by run and something else keep the runs axis last in memory, so a variable, an
action or a uniform across runs is one contiguous vector; work happens only in the runs it
concerns (an action in the runs that chose it, an event in the runs whose uniform is below the
probability's bound and whose conditions hold), via index arrays of runs; and nothing is
recorded for the audit unless the play keeps one. Every step is elementwise, so the numbers are
bit for bit those of evaluating every rule over every run (``tests/ttx/test_engine_regression.py``
pins them; ``bench/engine_profile.py`` measures the speed).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from detente.seats.profiles import Profiles
from detente.ttx.expressions import (
    SPARSE_SHARE,
    Condition,
    EffectChange,
    Effects,
    Selection,
    State,
    compile_effects,
    select,
)
from detente.ttx.modifiers import CompiledModifier, combine
from detente.ttx.pack import CompiledChance, CompiledInject, CompiledScenario, Probability
from detente.ttx.policy import PASS, interest_utility, sample_columns
from detente.ttx.results import Results
from detente.ttx.streams import RunStreams

BoolArray = NDArray[np.bool_]
FloatArray = NDArray[np.float64]
DEFAULT_TEMPERATURE = 0.5
"""Softmax temperature of a player whose delegation has no profile (the profiles' default)."""


@dataclass(frozen=True)
class SeatPolicy:
    """A player's simulated policy: the actions it may take, their interest utility, temperature."""

    player: int  # position among the players
    actor: int  # actor index
    columns: NDArray[np.int64]  # action indices this player may take
    base: FloatArray  # interest utility of those actions
    temperature: float


@dataclass(frozen=True)
class AuditEntry:
    """One variable write: values in every run before and after, and why. Writes that changed
    nothing in any run (masked out, or already at the value) are not kept."""

    variable: str
    before: FloatArray
    after: FloatArray
    reason: str


@dataclass
class MoveReport:
    """What adjudication did in one move, per run (arrays have a leading runs axis)."""

    move: int
    applied: BoolArray  # (runs, players, k): the chosen action took effect
    blocked: BoolArray  # (runs, players, k): chosen, but its precondition no longer held
    chance: BoolArray  # (runs, n_chance) fired
    reactions: BoolArray  # (runs, n_reactions) fired
    escalation: FloatArray  # (runs, actors) this move's score
    audit: list[AuditEntry] = field(default_factory=list)


def policies(compiled: CompiledScenario, profiles: Profiles | None) -> list[SeatPolicy]:
    """Each player's simulated policy from its delegation's profile (zero weights if none)."""
    out = []
    for position, actor in enumerate(compiled.players):
        delegation = compiled.scenario.actors[actor].delegation or ""
        weights: Mapping[str, float] = {}
        temperature = DEFAULT_TEMPERATURE
        if profiles is not None:
            try:
                profile = profiles.profile(delegation)
            except KeyError:
                profile = None
            if profile is not None:
                weights, temperature = profile.interests, profile.temperature
        columns = np.array([a.index for a in compiled.actions if actor in a.actors], dtype=np.int64)
        base = interest_utility(weights, [compiled.actions[c].tags for c in columns])
        out.append(SeatPolicy(position, actor, columns, base, temperature))
    return out


class Engine:
    """Runs a compiled scenario under a set of measures' modifiers.

    `profiles` drive the simulated players (a delegation without a profile has zero interest
    weights: only appeal expressions move it). The engine holds no per-run state; every
    :meth:`run` or :meth:`start` is independent.
    """

    def __init__(
        self,
        compiled: CompiledScenario,
        profiles: Profiles | None = None,
        modifiers: Sequence[CompiledModifier] = (),
    ) -> None:
        self.compiled = compiled
        self.profiles = profiles
        self.modifier = combine(compiled, modifiers)
        self.policies = policies(compiled, profiles)
        self.k = compiled.max_actions
        self.width = len(compiled.players) * self.k + len(compiled.chance) + len(compiled.reactions)

    def start(self, runs: int, seed: int, start_run: int = 0, *, audit: bool = False) -> Play:
        """A new exercise over runs ``[start_run, start_run + runs)``; `audit` keeps every write."""
        return Play(self, runs, seed, start_run, audit=audit)

    def run(self, runs: int, seed: int, start_run: int = 0) -> Results:
        """Play every move with simulated players for runs ``[start_run, start_run + runs)``."""
        play = self.start(runs, seed, start_run)
        for _ in range(self.compiled.n_moves):
            play.begin_move()
            play.adjudicate(play.simulated_choices())
            play.close_move()
        return play._results(copy=False)


IntArray = NDArray[np.intp]
_NO_RUNS: IntArray = np.zeros(0, dtype=np.intp)


@dataclass
class _Tally:
    """One move's escalation while it is adjudicated: ladder score per (actor, run), and the
    runs where some act escalated (a positive score), which calming events skip."""

    score: FloatArray  # (actors, runs)
    escalated: BoolArray  # (runs,)

    def add(self, actor: int, rows: IntArray, points: float) -> None:
        """Credit `points` to `actor` in runs `rows`; positive points mark them escalated."""
        self.score[actor][rows] += points
        if points > 0:
            self.escalated[rows] = True


class Play:
    """One exercise in progress over a batch of runs; see the module docstring for a move.

    Internally, arrays indexed by run *and* by something else keep the runs axis last in memory
    (the state, the move's uniforms, the injects released), so that every rule reads and writes
    contiguous vectors; the public attributes and :class:`Results` keep runs first. Work is done
    only where it happens: an action's precondition and effects only in the runs that chose it,
    an event's probability only in the runs where its conditions hold (index arrays of runs,
    "rows"). All of this is elementwise, so the numbers are those of the plain formulation.
    """

    def __init__(
        self, engine: Engine, runs: int, seed: int, start_run: int, *, audit: bool = False
    ) -> None:
        c = engine.compiled
        self.engine = engine
        self.compiled = c
        self.runs = runs
        self.seed = seed
        self.start_run = start_run
        self.audit = audit
        self.state: State = c.new_state(runs)
        self._log: list[AuditEntry] = []
        for effects in engine.modifier.effects:
            self._apply(effects, select(runs), "measure in force")
        self.initial_audit = self._take_audit()
        moves, actors, players, k = c.n_moves, len(c.actor_ids), len(c.players), engine.k
        self.alive = np.ones(runs, dtype=bool)
        self._alive_rows: IntArray | None = None  # runs still alive; None: all of them
        self._released = np.zeros((len(c.injects), runs), dtype=bool)
        self._released_move = np.zeros((len(c.injects), runs), dtype=np.int16)
        self.occurred = np.zeros((runs, len(c.outcomes)), dtype=bool)
        self.occurred_move = np.zeros((runs, len(c.outcomes)), dtype=np.int16)
        self.ended_move = np.zeros(runs, dtype=np.int16)
        self.escalation = np.zeros((runs, moves, actors))
        self.choices = np.full((runs, moves, players, k), PASS, dtype=np.int16)
        self.applied = np.zeros((runs, moves, players, k), dtype=bool)
        self.chance_fired = np.zeros((runs, moves, len(c.chance)), dtype=bool)
        self.reactions_fired = np.zeros((runs, moves, len(c.reactions)), dtype=bool)
        self.move = 0  # number of the move in progress (0 before the first)
        self.closed = 0  # number of moves closed
        self._streams = RunStreams(seed, start_run, runs)
        self._uniforms = np.zeros((engine.width, runs))  # this move's, (width, runs)
        self._inputs: tuple[BoolArray, list[FloatArray | None]] | None = None
        self._options: tuple[BoolArray, FloatArray] | None = None

    @property
    def released(self) -> BoolArray:
        """(runs, n_injects): injects released so far."""
        return self._released.T

    @property
    def released_move(self) -> NDArray[np.int16]:
        """(runs, n_injects): the move each inject was released in, 0 if not (yet)."""
        return self._released_move.T

    # --- helpers ---------------------------------------------------------------------------------

    def _apply(self, effects: Effects, selection: Selection, reason: str) -> None:
        if not self.audit:
            effects.execute(self.state, selection)
            return
        changes: list[EffectChange] = []
        effects.execute(self.state, selection, audit=changes)
        self._log += [
            AuditEntry(ch.variable, ch.before, ch.after, reason)
            for ch in changes
            if np.any(ch.before != ch.after)
        ]

    def _take_audit(self) -> list[AuditEntry]:
        log, self._log = self._log, []
        return log

    def _expect(self, *, move_open: bool) -> None:
        if move_open and self.move == self.closed:
            raise RuntimeError("begin_move() first")
        if not move_open and self.move != self.closed:
            raise RuntimeError("close_move() first")

    def _holds(self, condition: Condition, rows: IntArray) -> BoolArray:
        """The condition on the current state in runs `rows`, aligned with `rows`.

        Evaluated only in those runs when they are few, else in all runs and then picked."""
        if len(rows) < self.runs * SPARSE_SHARE:
            holds = condition.evaluate(self.state, rows)
        else:
            holds = condition.evaluate(self.state)
            if holds.ndim:
                return holds[rows]
        if holds.ndim == 0:
            return np.full(len(rows), bool(holds))
        return holds

    def _filter(self, rows: IntArray | None, condition: Condition | None) -> IntArray | None:
        """The runs among `rows` (None: every run) where `condition` holds (None: always)."""
        if condition is None:
            return rows
        if rows is None:
            holds = condition.evaluate(self.state)
            if holds.ndim == 0:
                return None if holds else _NO_RUNS
            return np.flatnonzero(holds)
        if len(rows) == 0:
            return rows
        return rows[self._holds(condition, rows)]

    def _where(self, mask: BoolArray, condition: Condition) -> BoolArray:
        """``mask & condition(state)``, evaluating the condition only where the mask holds."""
        rows = self._filter(np.flatnonzero(mask), condition)
        out = np.zeros(self.runs, dtype=bool)
        out[rows] = True
        return out

    def _fires(
        self,
        probability: Probability,
        factor: float,
        uniforms: FloatArray,
        *conditions: Condition | None,
    ) -> IntArray:
        """The live runs where every condition holds and the uniform is below the probability.

        ``u < p`` with u in [0, 1) is what :func:`~detente.ttx.pack.probability_array` clips
        and cleans the probability for (a NaN never fires, anything ≥ 1 always does), so the
        comparison is made on the raw value, only in the runs that pass the conditions."""
        rows = self._alive_rows
        if isinstance(probability, float):
            p = min(1.0, max(0.0, probability * factor)) if math.isfinite(probability) else 0.0
            if p <= 0.0:
                return _NO_RUNS
            rows = np.flatnonzero(uniforms < p) if rows is None else rows[uniforms[rows] < p]
            for condition in conditions:
                rows = self._filter(rows, condition)
        else:
            bound = probability.upper * factor  # no run's probability exceeds it
            if bound <= 0.0:
                return _NO_RUNS
            if bound < 1.0:  # only runs whose uniform is below the bound may fire
                rows = (
                    np.flatnonzero(uniforms < bound)
                    if rows is None
                    else rows[uniforms[rows] < bound]
                )
            for condition in conditions:
                rows = self._filter(rows, condition)
            if rows is None:
                return np.flatnonzero(uniforms < probability.evaluate(self.state) * factor)
            if len(rows) == 0:
                return rows
            if len(rows) < self.runs * SPARSE_SHARE:
                values = probability.evaluate(self.state, rows)
            else:
                values = probability.evaluate(self.state)
                values = values[rows] if values.ndim else values
            rows = rows[uniforms[rows] < values * factor]
        assert rows is not None
        return rows

    # --- 1. injects ------------------------------------------------------------------------------

    def begin_move(
        self, approve: Callable[[CompiledInject], bool] | None = None
    ) -> tuple[BoolArray, list[AuditEntry]]:
        """Start the next move: draw its uniforms, release injects, apply their effects.

        `approve` is asked about each contingency inject due in some run (the live facilitator
        may hold it; held injects, and those released after them, wait for a later move).
        Returns the (runs, n_injects) mask of injects released now and the audit of their effects.
        """
        self._expect(move_open=False)
        if self.move >= self.compiled.n_moves:
            raise RuntimeError("every move has been played")
        self.move += 1
        m = self.move
        self._uniforms = self._streams.columns(self.engine.width)
        self._inputs = None
        self._options = None
        released = self._released
        new = np.zeros_like(released)
        with np.errstate(all="ignore"):
            # No effect is applied before every inject is decided: each condition sees the
            # state at the start of the move.
            for i in self.compiled.release_order:
                inject = self.compiled.injects[i]
                if inject.scheduled:
                    if inject.move != m:
                        continue
                    due = self.alive & ~released[i]
                elif inject.condition is not None:
                    if inject.move not in (None, m):
                        continue
                    due = self._where(self.alive & ~released[i], inject.condition)
                elif inject.after is not None and (inject.move is None or m >= inject.move):
                    due = self.alive & ~released[i] & (released[inject.after] | new[inject.after])
                else:
                    continue
                if inject.contingency and approve is not None and due.any():
                    if not approve(inject):
                        continue
                new[i] = due
            for inject in self.compiled.injects:
                mask = new[inject.index]
                if not mask.any():
                    continue
                self._released_move[inject.index][mask] = m
                if inject.effects is not None:
                    self._apply(
                        inject.effects,
                        select(self.runs, mask=mask),
                        f"inject {inject.number} released",
                    )
        released |= new
        return new.T, self._take_audit()

    # --- 2. decisions ----------------------------------------------------------------------------

    def _decision_inputs(self) -> tuple[BoolArray, list[FloatArray | None]]:
        """(available, appeal) on the current state, cached per move: `available` is
        (n_actions, runs); `appeal[a]` is action a's appeal over runs (measure + expression),
        None when only a measure's constant applies."""
        self._expect(move_open=True)
        if self._inputs is None:
            modifier = self.engine.modifier
            available = np.empty((len(self.compiled.actions), self.runs), dtype=bool)
            appeal: list[FloatArray | None] = []
            with np.errstate(all="ignore"):
                for action in self.compiled.actions:
                    row = available[action.index]
                    if modifier.disabled[action.index]:
                        row[...] = False
                    elif action.precondition is not None:
                        np.logical_and(
                            self.alive, action.precondition.evaluate(self.state), out=row
                        )
                    else:
                        row[...] = self.alive
                    if action.appeal is None:
                        appeal.append(None)
                        continue
                    value = action.appeal.evaluate(self.state)
                    if not math.isfinite(np.add.reduce(value, axis=None)):
                        value = np.nan_to_num(value)
                    appeal.append(np.add(modifier.appeal[action.index], value))
            self._inputs = (available, appeal)
        return self._inputs

    def options(self) -> tuple[BoolArray, FloatArray]:
        """(available, appeal), each (runs, n_actions), on the current state (cached per move)."""
        if self._options is None:
            available, rows = self._decision_inputs()
            appeal = np.empty((len(rows), self.runs))
            for index, row in enumerate(rows):
                appeal[index] = self.engine.modifier.appeal[index] if row is None else row
            self._options = (available.T, appeal.T)
        return self._options

    def player_uniforms(self, player: int) -> FloatArray:
        """This move's k uniforms per run for a player's simulated choice, (runs, k)."""
        k = self.engine.k
        return self._uniforms[player * k : (player + 1) * k].T

    def simulated_choices(self) -> NDArray[np.int64]:
        """Every player's choice by the simulated policy: (runs, players, k) action indices."""
        available, appeal = self._decision_inputs()
        constant = self.engine.modifier.appeal
        k = self.engine.k
        out = np.full((self.runs, len(self.engine.policies), k), PASS, dtype=np.int64)
        for policy in self.engine.policies:
            cols = policy.columns
            utility = np.empty((len(cols), self.runs))
            for i, column in enumerate(cols.tolist()):
                row = appeal[column]
                if row is None:
                    utility[i] = policy.base[i] + constant[column]
                else:
                    np.add(policy.base[i], row, out=utility[i])
            picked = sample_columns(
                utility,
                available[cols],
                policy.temperature,
                self._uniforms[policy.player * k : (policy.player + 1) * k],
            )
            out[:, policy.player] = np.where(picked == PASS, PASS, cols[np.maximum(picked, 0)]).T
        return out

    # --- 3. adjudication -------------------------------------------------------------------------

    def _chosen(self, choices: NDArray[np.integer]) -> NDArray[np.integer]:
        """Who chose what: ``table[p, a, r]`` is the slot in which player p chose action a in run
        r, -1 if it did not (or chose it in a run already ended); for a repeated choice the
        first slot. (players, actions, runs), so one (action, player) is a contiguous row."""
        c = self.compiled
        players, k, n = len(c.players), self.engine.k, len(c.actions)
        table = np.full((players, n, self.runs), -1, dtype=np.int8 if k < 128 else np.int64)
        flat = table.reshape(-1)
        runs = np.arange(self.runs)
        for slot in reversed(range(k)):  # earlier slots overwrite later ones
            for p in range(players):
                index = choices[:, p, slot].astype(np.int64)
                valid = (index >= 0) & (index < n) & self.alive
                rows = runs if valid.all() else runs[valid]
                flat[(p * n + index[rows]) * self.runs + rows] = slot
        return table

    def _chance(self, event: CompiledChance, chance: BoolArray, width: int, tally: _Tally) -> None:
        """Draw one chance event and apply it where it fires (a calming event only in runs where
        nothing escalated in this move)."""
        fire = self._fires(
            event.probability,
            self.engine.modifier.chance_factor[event.index],
            self._uniforms[width + event.index],
            event.when,
        )
        if event.calming and len(fire):
            fire = fire[~tally.escalated[fire]]
        if len(fire) == 0:
            return
        chance[event.index][fire] = True
        self._apply(event.effects, select(self.runs, rows=fire), f"chance: {event.id}")
        if event.actor is not None:
            tally.add(event.actor, fire, event.score)

    def _act(self, table: NDArray[np.integer], tally: _Tally) -> tuple[BoolArray, BoolArray]:
        """Apply the chosen actions (`table` from :meth:`_chosen`) in action-file order, player
        order within an action, each only where its precondition still holds.

        Returns (applied, blocked), each (runs, players, k): the choice took effect; it was
        chosen but its precondition no longer held. Disabled actions are skipped."""
        c, k = self.compiled, self.engine.k
        per_run = len(c.players) * k
        disabled = self.engine.modifier.disabled
        applied = np.zeros((self.runs, len(c.players), k), dtype=bool)
        blocked = np.zeros_like(applied)
        for action in c.actions:
            if disabled[action.index]:
                continue
            for p, actor in enumerate(c.players):
                if actor not in action.actors:
                    continue
                slot_of = table[p, action.index]
                rows = np.flatnonzero(slot_of >= 0)
                if len(rows) == 0:
                    continue
                at = rows * per_run + (p * k + slot_of[rows])  # into (runs, players, k)
                if action.precondition is None:
                    applied.reshape(-1)[at] = True
                    done = rows
                else:
                    ok = self._holds(action.precondition, rows)
                    applied.reshape(-1)[at] = ok
                    blocked.reshape(-1)[at] = ~ok
                    done = rows[ok]
                    if len(done) == 0:
                        continue
                if action.effects is not None:
                    self._apply(
                        action.effects,
                        select(self.runs, rows=done),
                        f"{c.actor_ids[actor]}: {action.id}",
                    )
                tally.add(actor, done, action.score)
        return applied, blocked

    def _score_scripted_deeds(self, tally: _Tally) -> None:
        """Credit the injects released this move that depict an actor's deed with their ladder
        score, as if the actor had acted (:mod:`detente.ttx.inject_scores`)."""
        for inject in self.compiled.injects:
            if inject.actor is not None and inject.score:
                released = np.flatnonzero(self._released_move[inject.index] == self.move)
                tally.add(inject.actor, released, inject.score)

    def _react(self, width: int, tally: _Tally) -> BoolArray:
        """Draw the control reactions of this move (their uniforms from row `width` on) and
        apply their actions where they fire; returns (n_reactions, runs) fired."""
        c, m = self.compiled, self.move
        modifier = self.engine.modifier
        reactions = np.zeros((len(c.reactions), self.runs), dtype=bool)
        for rule in c.reactions:
            if rule.moves and m not in rule.moves:
                continue
            action = c.actions[rule.action]
            if modifier.disabled[action.index]:
                continue
            fire = self._fires(
                rule.probability,
                modifier.reaction_factor[rule.index],
                self._uniforms[width + rule.index],
                rule.when,
                action.precondition,
            )
            if len(fire) == 0:
                continue
            reactions[rule.index][fire] = True
            if action.effects is not None:
                self._apply(
                    action.effects,
                    select(self.runs, rows=fire),
                    f"{c.actor_ids[rule.actor]}: {action.id} ({rule.id})",
                )
            tally.add(rule.actor, fire, action.score)
        return reactions

    def adjudicate(self, choices: NDArray[np.integer]) -> MoveReport:
        """Apply the players' choices (runs, players, k) — action indices, :data:`PASS` for none —
        then chance events and control reactions. Choices of actions a player may not take, of
        disabled actions and repeated choices are ignored (the live activity validates first)."""
        self._expect(move_open=True)
        c, m, k = self.compiled, self.move, self.engine.k
        players = len(c.players)
        choices = np.asarray(choices)
        if choices.shape != (self.runs, players, k):
            raise ValueError(f"choices must have shape {(self.runs, players, k)}")
        self.choices[:, m - 1] = choices
        tally = _Tally(np.zeros((len(c.actor_ids), self.runs)), np.zeros(self.runs, dtype=bool))
        width = players * k  # the chance events' uniforms follow the players'
        with np.errstate(all="ignore"):
            applied, blocked = self._act(self._chosen(choices), tally)
            self._score_scripted_deeds(tally)
            chance = np.zeros((len(c.chance), self.runs), dtype=bool)
            for event in c.chance:
                if not event.calming:
                    self._chance(event, chance, width, tally)
            reactions = self._react(width + len(c.chance), tally)
            for event in c.chance:  # calming events last: only where nothing escalated
                if event.calming:
                    self._chance(event, chance, width, tally)
        score = tally.score
        self.applied[:, m - 1] = applied
        self.chance_fired[:, m - 1] = chance.T
        self.reactions_fired[:, m - 1] = reactions.T
        self.escalation[:, m - 1] = score.T
        return MoveReport(m, applied, blocked, chance.T, reactions.T, score.T, self._take_audit())

    def override(self, effects: str, reason: str) -> list[AuditEntry]:
        """Apply the facilitator's corrections (effect statements) to every run still alive.

        Raises :class:`~detente.ttx.expressions.ExpressionError` for text not in the language."""
        self._expect(move_open=True)
        compiled = compile_effects(effects, self.compiled.symbols)
        audit, self.audit = self.audit, True
        try:
            with np.errstate(all="ignore"):
                self._apply(compiled, select(self.runs, mask=self.alive), reason)
        finally:
            self.audit = audit
        return self._take_audit()

    # --- 4. outcomes -----------------------------------------------------------------------------

    def close_move(self) -> BoolArray:
        """Check outcomes; freeze runs a terminal outcome ended. Returns (runs, n_outcomes) of
        the outcomes that occurred in this move."""
        self._expect(move_open=True)
        m = self.move
        new = np.zeros_like(self.occurred)
        with np.errstate(all="ignore"):
            for outcome in self.compiled.outcomes:
                open_ = self.alive & ~self.occurred[:, outcome.index]
                new[:, outcome.index] = self._where(open_, outcome.when)
        self.occurred |= new
        self.occurred_move[new] = m
        terminal = np.array([o.terminal for o in self.compiled.outcomes], dtype=bool)
        ended = self.alive & (new & terminal[None, :]).any(axis=1)
        self.ended_move[ended] = m
        self.alive &= ~ended
        if ended.any():
            self._alive_rows = np.flatnonzero(self.alive)
        self.closed = m
        return new

    @property
    def finished(self) -> bool:
        """Every move played, or every run ended by a terminal outcome."""
        return self.closed >= self.compiled.n_moves or not self.alive.any()

    def results(self) -> Results:
        """The per-run arrays of everything played so far (copies: the play may go on)."""
        return self._results(copy=True)

    def _results(self, *, copy: bool) -> Results:
        """The results; without `copy` they share the play's arrays (for a finished play).

        The state and the release moves keep their runs-last memory layout (the shapes are
        runs-first as documented), so neither copying nor handing them over transposes them."""

        def own(array: NDArray[Any]) -> NDArray[Any]:
            return array.copy(order="K") if copy else array

        return Results(
            seed=self.seed,
            start_run=self.start_run,
            occurred=own(self.occurred),
            occurred_move=own(self.occurred_move),
            ended_move=own(self.ended_move),
            escalation=own(self.escalation),
            choices=own(self.choices),
            applied=own(self.applied),
            chance=own(self.chance_fired),
            reactions=own(self.reactions_fired),
            released_move=own(self.released_move),
            scalars=own(self.state.scalars),
            dyadic=own(self.state.dyadic),
        )
