"""Measures' scenario modifiers, compiled against a compiled scenario.

A measure of the roadmap catalogue (a later issue) says what changes in the exercise while it is in
force, as a :class:`~detente.ttx.scenario.Modifier`: effects on the initial state (open a channel),
factors on named reaction and chance probabilities, actions disabled, extra appeal for actions.
:func:`compile_modifier` resolves its ids and compiles its effects once; :func:`combine` folds
several into one (factors multiply, disabled sets unite, appeals add, effects apply in order), which
the engine applies at the start of every run.

Unknown ids are errors located in the file the modifier came from when its source is given (as for
the scenario itself), else reported against `name` and the field path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from detente.diagnostics import Diagnostic, InputError, PathPart
from detente.sourcefile import SourceFile
from detente.ttx.expressions import Effects, ExpressionError, State, compile_effects
from detente.ttx.pack import CompiledScenario, ExpressionCompiler
from detente.ttx.pack_checks import unknown
from detente.ttx.scenario import Factor, Modifier

Path_ = tuple[PathPart, ...]


@dataclass(frozen=True)
class CompiledModifier:
    """A modifier as arrays over the scenario's reactions, chance events and actions."""

    effects: tuple[Effects, ...]
    reaction_factor: NDArray[np.float64]
    chance_factor: NDArray[np.float64]
    disabled: NDArray[np.bool_]
    appeal: NDArray[np.float64]
    names: tuple[str, ...] = field(default=())

    def apply_initial(self, state: State) -> None:
        """Apply the modifier's effects to a fresh state (all runs), in order."""
        for effects in self.effects:
            effects.apply(state)


def identity(compiled: CompiledScenario) -> CompiledModifier:
    """The modifier that changes nothing (the baseline)."""
    return CompiledModifier(
        effects=(),
        reaction_factor=np.ones(len(compiled.reactions)),
        chance_factor=np.ones(len(compiled.chance)),
        disabled=np.zeros(len(compiled.actions), dtype=bool),
        appeal=np.zeros(len(compiled.actions)),
    )


@dataclass
class _Problems:
    """The problems of one modifier: located in its file when its `source` is known, else
    reported against `name`; `path` leads to the modifier."""

    source: SourceFile | None
    path: Path_
    name: str
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def report(self, where: Path_, message: str, *, key: bool = False) -> None:
        full = (*self.path, *where)
        if self.source is not None:
            self.diagnostics.append(self.source.positions.diagnostic(full, message, key=key))
        else:
            self.diagnostics.append(Diagnostic(self.name, 0, 0, full, message))


def _factors(
    base: NDArray[np.float64],
    ids: list[str],
    factors: Mapping[str, Factor],
    where: tuple[str, str],
    problems: _Problems,
) -> NDArray[np.float64]:
    """`base` with each named rule's factor multiplied in; an unknown id is reported at
    `where` = (field, what the ids name)."""
    out = base.copy()
    for rid, factor in factors.items():
        if rid in ids:
            out[ids.index(rid)] *= factor.factor
        else:
            problems.report((where[0], rid), unknown(where[1], rid, ids), key=True)
    return out


def _effects(
    modifier: Modifier, compiled: CompiledScenario, problems: _Problems
) -> tuple[Effects, ...]:
    """The modifier's effects compiled (none when it has none or they do not compile)."""
    if modifier.effects is None:
        return ()
    where: Path_ = (*problems.path, "effects")
    if problems.source is not None:
        ec = ExpressionCompiler(problems.source, compiled.symbols)
        compiled_effects = ec.effects(where, modifier.effects)
        problems.diagnostics += ec.diagnostics
    else:
        try:
            compiled_effects = compile_effects(modifier.effects, compiled.symbols)
        except ExpressionError as exc:
            # Positions relative to the expression text: there is no file to point into.
            problems.diagnostics.append(
                Diagnostic(problems.name, exc.line, exc.column, where, exc.message)
            )
            compiled_effects = None
    return () if compiled_effects is None else (compiled_effects,)


def compile_modifier(
    modifier: Modifier,
    compiled: CompiledScenario,
    *,
    source: SourceFile | None = None,
    path: Path_ = (),
    name: str = "modifier",
) -> CompiledModifier:
    """Resolve and compile one modifier; raise :class:`InputError` with every problem.

    `source` and `path` locate the modifier inside the file it was read from (e.g. a measure in
    a catalogue); without them, problems are reported against `name`.
    """
    problems = _Problems(source, path, name)
    base = identity(compiled)
    reaction_ids = [r.id for r in compiled.reactions]
    chance_ids = [c.id for c in compiled.chance]
    action_ids = [a.id for a in compiled.actions]
    reaction_factor = _factors(
        base.reaction_factor, reaction_ids, modifier.reactions, ("reactions", "reaction"), problems
    )
    chance_factor = _factors(
        base.chance_factor, chance_ids, modifier.chance, ("chance", "chance event"), problems
    )
    disabled = base.disabled.copy()
    for i, aid in enumerate(modifier.disable_actions):
        if aid in action_ids:
            disabled[action_ids.index(aid)] = True
        else:
            problems.report(("disable_actions", i), unknown("action", aid, action_ids))
    appeal = base.appeal.copy()
    for aid, extra in modifier.appeal.items():
        if aid in action_ids:
            appeal[action_ids.index(aid)] += extra
        else:
            problems.report(("appeal", aid), unknown("action", aid, action_ids), key=True)
    effects = _effects(modifier, compiled, problems)
    if problems.diagnostics:
        raise InputError(problems.diagnostics)
    return CompiledModifier(effects, reaction_factor, chance_factor, disabled, appeal, (name,))


def combine(compiled: CompiledScenario, modifiers: Sequence[CompiledModifier]) -> CompiledModifier:
    """Several modifiers in force together: factors multiply, disabled actions unite, appeals
    add, effects apply in the given order."""
    out = identity(compiled)
    for m in modifiers:
        out = CompiledModifier(
            effects=(*out.effects, *m.effects),
            reaction_factor=out.reaction_factor * m.reaction_factor,
            chance_factor=out.chance_factor * m.chance_factor,
            disabled=out.disabled | m.disabled,
            appeal=out.appeal + m.appeal,
            names=(*out.names, *m.names),
        )
    return out
