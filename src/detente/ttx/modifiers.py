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

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from detente.diagnostics import Diagnostic, InputError, PathPart
from detente.sourcefile import SourceFile
from detente.ttx.expressions import Effects, ExpressionError, State, compile_effects
from detente.ttx.pack import CompiledScenario, ExpressionCompiler
from detente.ttx.pack_checks import unknown
from detente.ttx.scenario import Modifier

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
    diags: list[Diagnostic] = []

    def report(where: Path_, message: str, *, key: bool = False) -> None:
        full = (*path, *where)
        if source is not None:
            diags.append(source.positions.diagnostic(full, message, key=key))
        else:
            diags.append(Diagnostic(name, 0, 0, full, message))

    base = identity(compiled)
    reaction_ids = [r.id for r in compiled.reactions]
    chance_ids = [c.id for c in compiled.chance]
    action_ids = [a.id for a in compiled.actions]
    reaction_factor = base.reaction_factor.copy()
    for rid, factor in modifier.reactions.items():
        if rid in reaction_ids:
            reaction_factor[reaction_ids.index(rid)] *= factor.factor
        else:
            report(("reactions", rid), unknown("reaction", rid, reaction_ids), key=True)
    chance_factor = base.chance_factor.copy()
    for cid, factor in modifier.chance.items():
        if cid in chance_ids:
            chance_factor[chance_ids.index(cid)] *= factor.factor
        else:
            report(("chance", cid), unknown("chance event", cid, chance_ids), key=True)
    disabled = base.disabled.copy()
    for i, aid in enumerate(modifier.disable_actions):
        if aid in action_ids:
            disabled[action_ids.index(aid)] = True
        else:
            report(("disable_actions", i), unknown("action", aid, action_ids))
    appeal = base.appeal.copy()
    for aid, extra in modifier.appeal.items():
        if aid in action_ids:
            appeal[action_ids.index(aid)] += extra
        else:
            report(("appeal", aid), unknown("action", aid, action_ids), key=True)
    effects: tuple[Effects, ...] = ()
    if modifier.effects is not None:
        where: Path_ = (*path, "effects")
        if source is not None:
            ec = ExpressionCompiler(source, compiled.symbols)
            compiled_effects = ec.effects(where, modifier.effects)
            diags += ec.diagnostics
        else:
            try:
                compiled_effects = compile_effects(modifier.effects, compiled.symbols)
            except ExpressionError as exc:
                # Positions relative to the expression text: there is no file to point into.
                diags.append(Diagnostic(name, exc.line, exc.column, where, exc.message))
                compiled_effects = None
        if compiled_effects is not None:
            effects = (compiled_effects,)
    if diags:
        raise InputError(diags)
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
