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
   reactions (condition, action precondition, probability). Escalation per actor is the sum of
   the ladder scores of what the actor did this move (its actions, its reactions, chance events
   attributed to it).
4. :meth:`Play.close_move` — check outcomes on the resulting state; an outcome occurs at most
   once; a terminal outcome freezes the run (no later release, action, event or score; its
   escalation stays 0 in later moves and :attr:`Results.ended_move` says when it ended).

Every write is masked by the runs still alive. Random numbers come from :class:`RunStreams` in a
fixed layout (per move: k per player, one per chance event, one per reaction), so the same seed
gives the same result for run *r* whatever the chunking, and measures compared on the same seed
share their random numbers (common random numbers make measure effects sharper).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from detente.seats.profiles import Profiles
from detente.ttx.expressions import EffectChange, Effects, State, compile_effects
from detente.ttx.modifiers import CompiledModifier, combine
from detente.ttx.pack import CompiledInject, CompiledScenario, probability_array
from detente.ttx.policy import PASS, interest_utility, sample_choices
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
        return play.results()


class Play:
    """One exercise in progress over a batch of runs; see the module docstring for a move."""

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
            self._apply(effects, None, "measure in force")
        self.initial_audit = self._take_audit()
        moves, actors, players, k = c.n_moves, len(c.actor_ids), len(c.players), engine.k
        self.alive = np.ones(runs, dtype=bool)
        self.released = np.zeros((runs, len(c.injects)), dtype=bool)
        self.released_move = np.zeros((runs, len(c.injects)), dtype=np.int16)
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
        self._uniforms = np.zeros((runs, engine.width))
        self._options: tuple[BoolArray, FloatArray] | None = None

    # --- helpers ---------------------------------------------------------------------------------

    def _apply(self, effects: Effects, mask: BoolArray | None, reason: str) -> None:
        changes: list[EffectChange] = effects.apply(self.state, mask)
        if self.audit:
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
        self._uniforms = self._streams.uniforms(self.engine.width)
        self._options = None
        new = np.zeros_like(self.released)
        conditions: dict[int, BoolArray] = {}
        for inject in self.compiled.injects:  # every condition sees the start-of-move state
            if inject.condition is not None and inject.move in (None, m):
                conditions[inject.index] = inject.condition(self.state)
        for i in self.compiled.release_order:
            inject = self.compiled.injects[i]
            due = self.alive & ~self.released[:, i]
            if inject.scheduled:
                due &= inject.move == m
            elif inject.condition is not None:
                due &= conditions.get(i, False)
            elif inject.after is not None and (inject.move is None or m >= inject.move):
                due &= self.released[:, inject.after] | new[:, inject.after]
            else:
                due[:] = False
            if inject.contingency and due.any() and approve is not None and not approve(inject):
                continue
            new[:, i] = due
        for inject in self.compiled.injects:
            mask = new[:, inject.index]
            if inject.effects is not None and mask.any():
                self._apply(inject.effects, mask, f"inject {inject.number} released")
        self.released |= new
        self.released_move[new] = m
        return new, self._take_audit()

    # --- 2. decisions ----------------------------------------------------------------------------

    def options(self) -> tuple[BoolArray, FloatArray]:
        """(available, appeal), each (runs, n_actions), on the current state (cached per move)."""
        self._expect(move_open=True)
        if self._options is None:
            n = len(self.compiled.actions)
            available = np.repeat((~self.engine.modifier.disabled)[None, :], self.runs, axis=0)
            available &= self.alive[:, None]
            appeal = np.repeat(self.engine.modifier.appeal[None, :], self.runs, axis=0)
            for action in self.compiled.actions:
                if action.precondition is not None:
                    available[:, action.index] &= action.precondition(self.state)
                if action.appeal is not None:
                    appeal[:, action.index] += np.nan_to_num(action.appeal(self.state))
            assert available.shape == (self.runs, n)
            self._options = (available, appeal)
        return self._options

    def player_uniforms(self, player: int) -> FloatArray:
        """This move's k uniforms per run for a player's simulated choice."""
        k = self.engine.k
        return self._uniforms[:, player * k : (player + 1) * k]

    def simulated_choices(self) -> NDArray[np.int64]:
        """Every player's choice by the simulated policy: (runs, players, k) action indices."""
        available, appeal = self.options()
        out = np.full((self.runs, len(self.engine.policies), self.engine.k), PASS, dtype=np.int64)
        for policy in self.engine.policies:
            cols = policy.columns
            utility = policy.base[None, :] + appeal[:, cols]
            picked = sample_choices(
                utility, available[:, cols], policy.temperature, self.player_uniforms(policy.player)
            )
            out[:, policy.player] = np.where(picked == PASS, PASS, cols[np.maximum(picked, 0)])
        return out

    # --- 3. adjudication -------------------------------------------------------------------------

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
        applied = np.zeros((self.runs, players, k), dtype=bool)
        blocked = np.zeros_like(applied)
        score = np.zeros((self.runs, len(c.actor_ids)))
        disabled = self.engine.modifier.disabled
        rows_all = np.arange(self.runs)
        # slot_of[p][r, a]: the slot in which player p chose action a in run r (-1: not chosen);
        # one scatter per slot instead of a scan of every slot for every action.
        slot_of = np.full((players, self.runs, len(c.actions)), -1, dtype=np.int8)
        for slot in reversed(range(k)):  # the first slot wins for a repeated choice
            for p in range(players):
                index = choices[:, p, slot]
                valid = (index >= 0) & (index < len(c.actions)) & self.alive
                slot_of[p, rows_all[valid], index[valid]] = slot
        for action in c.actions:
            if disabled[action.index]:
                continue
            for p, actor in enumerate(c.players):
                if actor not in action.actors:
                    continue
                where = slot_of[p, :, action.index]
                chosen = where >= 0
                if not chosen.any():
                    continue
                ok = chosen & action.precondition(self.state) if action.precondition else chosen
                rows = np.flatnonzero(chosen)
                applied[rows, p, where[rows]] = ok[rows]
                blocked[rows, p, where[rows]] = ~ok[rows]
                if action.effects is not None:
                    self._apply(action.effects, ok, f"{c.actor_ids[actor]}: {action.id}")
                score[:, actor] += action.score * ok
        width = players * k
        chance = np.zeros((self.runs, len(c.chance)), dtype=bool)
        for event in c.chance:
            u = self._uniforms[:, width + event.index]
            prob = probability_array(
                event.probability, self.state, self.engine.modifier.chance_factor[event.index]
            )
            fire = self.alive & (u < prob)
            if event.when is not None:
                fire &= event.when(self.state)
            chance[:, event.index] = fire
            if fire.any():
                self._apply(event.effects, fire, f"chance: {event.id}")
                if event.actor is not None:
                    score[:, event.actor] += event.score * fire
        width += len(c.chance)
        reactions = np.zeros((self.runs, len(c.reactions)), dtype=bool)
        for rule in c.reactions:
            if rule.moves and m not in rule.moves:
                continue
            action = c.actions[rule.action]
            if disabled[action.index]:
                continue
            u = self._uniforms[:, width + rule.index]
            prob = probability_array(
                rule.probability, self.state, self.engine.modifier.reaction_factor[rule.index]
            )
            fire = self.alive & (u < prob) & rule.when(self.state)
            if action.precondition is not None:
                fire &= action.precondition(self.state)
            reactions[:, rule.index] = fire
            if fire.any():
                if action.effects is not None:
                    self._apply(
                        action.effects, fire, f"{c.actor_ids[rule.actor]}: {action.id} ({rule.id})"
                    )
                score[:, rule.actor] += action.score * fire
        self.applied[:, m - 1] = applied
        self.chance_fired[:, m - 1] = chance
        self.reactions_fired[:, m - 1] = reactions
        self.escalation[:, m - 1] = score
        return MoveReport(m, applied, blocked, chance, reactions, score, self._take_audit())

    def override(self, effects: str, reason: str) -> list[AuditEntry]:
        """Apply the facilitator's corrections (effect statements) to every run still alive.

        Raises :class:`~detente.ttx.expressions.ExpressionError` for text not in the language."""
        self._expect(move_open=True)
        compiled = compile_effects(effects, self.compiled.symbols)
        audit, self.audit = self.audit, True
        try:
            self._apply(compiled, self.alive.copy(), reason)
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
        for outcome in self.compiled.outcomes:
            new[:, outcome.index] = (
                self.alive & ~self.occurred[:, outcome.index] & outcome.when(self.state)
            )
        self.occurred |= new
        self.occurred_move[new] = m
        terminal = np.array([o.terminal for o in self.compiled.outcomes], dtype=bool)
        ended = self.alive & (new & terminal[None, :]).any(axis=1)
        self.ended_move[ended] = m
        self.alive &= ~ended
        self.closed = m
        return new

    @property
    def finished(self) -> bool:
        """Every move played, or every run ended by a terminal outcome."""
        return self.closed >= self.compiled.n_moves or not self.alive.any()

    def results(self) -> Results:
        """The per-run arrays of everything played so far."""
        return Results(
            seed=self.seed,
            start_run=self.start_run,
            occurred=self.occurred.copy(),
            occurred_move=self.occurred_move.copy(),
            ended_move=self.ended_move.copy(),
            escalation=self.escalation.copy(),
            choices=self.choices.copy(),
            applied=self.applied.copy(),
            chance=self.chance_fired.copy(),
            reactions=self.reactions_fired.copy(),
            released_move=self.released_move.copy(),
            scalars=self.state.scalars.copy(),
            dyadic=self.state.dyadic.copy(),
        )
