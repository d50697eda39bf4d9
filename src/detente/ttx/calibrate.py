"""Calibration help: which actions, chance events, reactions and parameters drive each outcome.

A scenario designer aims at outcome probabilities ("an armed clash in about 15 % of plays");
:func:`calibrate` shows what moves them. For every **factor** of the pack it plays two arms over
the same runs as the baseline (same seed, so common random numbers: run *r* of every arm sees the
same draws, see :mod:`detente.ttx.sweep`):

- an **action**: *off* (disabled for everyone) and *on* (its appeal raised by
  :data:`FORCE_APPEAL`, so a seat that may take it takes it whenever it is open);
- a **chance event** or a **control reaction**: *off* (probability × 0) and *on* (probability ×
  :data:`FORCE_FACTOR`, i.e. it fires whenever its conditions hold);
- a scalar **parameter** (a state variable's initial value): *low* and *high*, the initial value
  moved by :data:`PARAMETER_SHIFT` of the variable's range each way (clipped to the range).

For each outcome it reports the probability in each arm (Wilson 95 % intervals) and the effect
*on − off* (or *high − low*) with Newcombe's interval for paired proportions
(:func:`~detente.ttx.sweep.paired_newcombe_interval`). A factor whose interval excludes 0 drives
the outcome; its two arms bound how far that factor alone can move it. With targets
(`--target OUTCOME=P`) the factors are ranked for each target by how much they can move the
outcome towards it.

These are one-factor-at-a-time sensitivities around the baseline: interactions between factors
are not measured, and forcing an action *on* shows its largest possible effect, not the effect of
a small change of appeal. The result depends only on the pack, the profiles, `runs` and `seed`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from detente.seats.profiles import Profiles
from detente.ttx.engine import Engine
from detente.ttx.modifiers import CompiledModifier, compile_modifier, identity
from detente.ttx.pack import CompiledAction, CompiledScenario, Pack
from detente.ttx.scenario import Modifier
from detente.ttx.sweep import (
    ENGINE_BATCH,
    Interval,
    chunks,
    paired_newcombe_interval,
    wilson_interval,
)

FORCE_APPEAL = 1_000.0
"""Appeal added to force an action on: far above any utility a profile gives an action."""
FORCE_FACTOR = 1e9
"""Probability factor that makes a chance event or reaction fire whenever it may."""
PARAMETER_SHIFT = 0.25
"""A parameter's low and high arms move its initial value by this share of its range."""

Kind = Literal["action", "chance", "reaction", "parameter"]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Factor:
    """One thing a designer can change, with its two arms as modifiers."""

    kind: Kind
    id: str
    label: str
    low_name: str
    high_name: str
    low: CompiledModifier
    high: CompiledModifier


@dataclass(frozen=True)
class Sensitivity:
    """One factor's effect on one outcome: the outcome's probability in each arm and the paired
    difference high − low."""

    low: Interval
    high: Interval
    effect: Interval

    @property
    def drives(self) -> bool:
        """The effect's 95 % interval excludes 0."""
        return self.effect.low > 0 or self.effect.high < 0

    def to_json(self) -> dict[str, Any]:
        return {
            "low": self.low.to_json(),
            "high": self.high.to_json(),
            "effect": self.effect.to_json(),
            "drives": self.drives,
        }


@dataclass(frozen=True)
class FactorResult:
    kind: Kind
    id: str
    label: str
    low_name: str
    high_name: str
    outcomes: dict[str, Sensitivity]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "label": self.label,
            "low": self.low_name,
            "high": self.high_name,
            "outcomes": {k: v.to_json() for k, v in self.outcomes.items()},
        }


@dataclass(frozen=True)
class Lever:
    """A factor that can move an outcome towards its target: which arm to lean to, and the
    probability that arm gives."""

    factor: FactorResult
    arm: Literal["low", "high"]
    reaches: Interval

    @property
    def setting(self) -> str:
        return self.factor.low_name if self.arm == "low" else self.factor.high_name


@dataclass(frozen=True)
class TargetReport:
    outcome: str
    label: str
    target: float
    baseline: Interval
    levers: tuple[Lever, ...]

    @property
    def status(self) -> str:
        """`on target` when the baseline interval holds the target, else `too high` / `too
        low`."""
        if self.baseline.low <= self.target <= self.baseline.high:
            return "on target"
        return "too high" if self.baseline.estimate > self.target else "too low"

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "target": self.target,
            "baseline": self.baseline.to_json(),
            "status": self.status,
            "levers": [
                {"kind": x.factor.kind, "id": x.factor.id, "set": x.setting, **x.reaches.to_json()}
                for x in self.levers
            ],
        }


@dataclass(frozen=True)
class Calibration:
    """Every factor's sensitivities, the baseline, and the targets' reports."""

    runs: int
    seed: int
    outcomes: dict[str, str]
    """Outcome id → label, in scenario order."""
    baseline: dict[str, Interval]
    factors: tuple[FactorResult, ...]
    targets: tuple[TargetReport, ...]

    def drivers(self, outcome: str) -> list[FactorResult]:
        """The factors that drive `outcome`, largest absolute effect first."""
        found = [f for f in self.factors if f.outcomes[outcome].drives]
        return sorted(found, key=lambda f: (-abs(f.outcomes[outcome].effect.estimate), f.id))

    def to_json(self) -> dict[str, Any]:
        return {
            "runs": self.runs,
            "seed": self.seed,
            "outcomes": self.outcomes,
            "baseline": {k: v.to_json() for k, v in self.baseline.items()},
            "factors": [f.to_json() for f in self.factors],
            "targets": [t.to_json() for t in self.targets],
        }


# --- factors -------------------------------------------------------------------------------------


def _array(values: NDArray[np.float64], index: int, value: float) -> NDArray[np.float64]:
    out = values.copy()
    out[index] = value
    return out


def _action_factor(base: CompiledModifier, action: CompiledAction) -> Factor:
    """An action off (disabled for everyone) and on (its appeal raised by FORCE_APPEAL)."""
    disabled = base.disabled.copy()
    disabled[action.index] = True
    return Factor(
        "action",
        action.id,
        action.label,
        "off",
        "on",
        dataclasses.replace(base, disabled=disabled),
        dataclasses.replace(base, appeal=_array(base.appeal, action.index, FORCE_APPEAL)),
    )


def _probability_factor(
    base: CompiledModifier, kind: Literal["chance", "reaction"], index: int, id_: str, label: str
) -> Factor:
    """A chance event or a control reaction off (probability × 0) and on (× FORCE_FACTOR)."""
    factors = base.chance_factor if kind == "chance" else base.reaction_factor

    def times(factor: float) -> CompiledModifier:
        values = _array(factors, index, factor)
        if kind == "chance":
            return dataclasses.replace(base, chance_factor=values)
        return dataclasses.replace(base, reaction_factor=values)

    return Factor(kind, id_, label, "off", "on", times(0.0), times(FORCE_FACTOR))


def _parameter_factors(compiled: CompiledScenario) -> list[Factor]:
    """Each scalar's initial value moved down and up by PARAMETER_SHIFT of its range (clipped
    to it); a variable whose two arms coincide is no factor."""
    out: list[Factor] = []
    for variable in compiled.scenario.state:
        shift = PARAMETER_SHIFT * (variable.max - variable.min)
        low = max(variable.min, variable.initial - shift)
        high = min(variable.max, variable.initial + shift)
        if low == high:
            continue

        def set_to(value: float, name: str = variable.id) -> CompiledModifier:
            modifier = Modifier.model_validate({"effects": f"{name} = {value:g}"})
            return compile_modifier(modifier, compiled, name=f"parameter {name}")

        out.append(
            Factor(
                "parameter",
                variable.id,
                variable.meaning,
                f"{variable.id}={low:g}",
                f"{variable.id}={high:g}",
                set_to(low),
                set_to(high),
            )
        )
    return out


def factors(compiled: CompiledScenario) -> list[Factor]:
    """Every factor of the module docstring: actions, chance events, reactions, parameters."""
    base = identity(compiled)
    return [
        *(_action_factor(base, action) for action in compiled.actions),
        *(_probability_factor(base, "chance", c.index, c.id, c.label) for c in compiled.chance),
        *(_probability_factor(base, "reaction", r.index, r.id, r.id) for r in compiled.reactions),
        *_parameter_factors(compiled),
    ]


# --- running -------------------------------------------------------------------------------------


def _paired(a: NDArray[np.bool_], b: NDArray[np.bool_]) -> NDArray[np.int64]:
    """(outcomes, 4) counts both / a only / b only / neither over the runs axis."""
    return np.stack(
        [
            (a & b).sum(axis=0),
            (a & ~b).sum(axis=0),
            (~a & b).sum(axis=0),
            (~a & ~b).sum(axis=0),
        ],
        axis=1,
    ).astype(np.int64)


def _check_targets(targets: Mapping[str, float], outcome_ids: Sequence[str]) -> None:
    """Raise ``ValueError`` for a target of an unknown outcome or outside [0, 1]."""
    for outcome, p in targets.items():
        if outcome not in outcome_ids:
            raise ValueError(f"unknown outcome '{outcome}' (outcomes: {', '.join(outcome_ids)})")
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"target for '{outcome}' must be a probability in [0, 1], not {p}")


@dataclass(frozen=True)
class _Counts:
    """Outcome counts over all runs: `base_yes` (outcomes,) in the baseline; per factor and
    outcome, `tables` (factors, outcomes, 4) pairs its high arm with its low one (both / high
    only / low only / neither) and `low_yes` (factors, outcomes) counts the low arm."""

    base_yes: NDArray[np.int64]
    tables: NDArray[np.int64]
    low_yes: NDArray[np.int64]


def _play_arms(
    compiled: CompiledScenario,
    profiles: Profiles | None,
    found: Sequence[Factor],
    runs: int,
    seed: int,
    progress: Progress | None,
) -> _Counts:
    """Play the baseline and both arms of every factor over the same runs, chunk by chunk."""
    baseline_engine = Engine(compiled, profiles)
    engines = [
        (Engine(compiled, profiles, [f.low]), Engine(compiled, profiles, [f.high])) for f in found
    ]
    n_out = len(compiled.outcomes)
    counts = _Counts(
        np.zeros(n_out, dtype=np.int64),
        np.zeros((len(found), n_out, 4), dtype=np.int64),
        np.zeros((len(found), n_out), dtype=np.int64),
    )
    total = runs * (1 + 2 * len(found))
    done = 0
    for start, size in chunks(runs, ENGINE_BATCH):
        base = baseline_engine.run(size, seed, start).occurred
        counts.base_yes[...] += base.sum(axis=0)
        done += size
        for i, (low, high) in enumerate(engines):
            lo = low.run(size, seed, start).occurred
            hi = high.run(size, seed, start).occurred
            counts.tables[i] += _paired(hi, lo)
            counts.low_yes[i] += lo.sum(axis=0)
            done += 2 * size
            if progress is not None:
                progress(done, total)
    return counts


def _factor_result(
    f: Factor, i: int, counts: _Counts, outcome_ids: Sequence[str], runs: int
) -> FactorResult:
    """Factor `i`'s sensitivities: each outcome's probability in both arms and their paired
    difference."""
    per: dict[str, Sensitivity] = {}
    for j, o in enumerate(outcome_ids):
        both, high_only, low_only, neither = (int(x) for x in counts.tables[i, j])
        per[o] = Sensitivity(
            low=wilson_interval(int(counts.low_yes[i, j]), runs),
            high=wilson_interval(both + high_only, runs),
            effect=paired_newcombe_interval(both, high_only, low_only, neither),
        )
    return FactorResult(f.kind, f.id, f.label, f.low_name, f.high_name, per)


def calibrate(
    pack: Pack,
    *,
    runs: int,
    seed: int = 0,
    profiles: Profiles | None = None,
    targets: Mapping[str, float] | None = None,
    only: Sequence[Kind] | None = None,
    progress: Progress | None = None,
) -> Calibration:
    """Measure every factor's effect on every outcome (see the module docstring).

    `targets` maps outcome ids to intended probabilities in [0, 1]; `only` keeps the factors of
    those kinds. Raises ``ValueError`` for runs < 1, a negative seed, an unknown outcome or a
    target outside [0, 1]."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    if seed < 0:
        raise ValueError("seed must be non-negative")
    compiled = pack.compiled
    outcome_ids = [o.id for o in compiled.outcomes]
    targets = dict(targets or {})
    _check_targets(targets, outcome_ids)
    found = [f for f in factors(compiled) if only is None or f.kind in only]
    counts = _play_arms(compiled, profiles, found, runs, seed, progress)
    baseline = {
        o: wilson_interval(int(counts.base_yes[j]), runs) for j, o in enumerate(outcome_ids)
    }
    results = [_factor_result(f, i, counts, outcome_ids, runs) for i, f in enumerate(found)]
    labels = {o.id: o.label for o in compiled.outcomes}
    reports = tuple(_target(o, labels[o], p, baseline[o], results) for o, p in targets.items())
    return Calibration(runs, seed, labels, baseline, tuple(results), reports)


def _target(
    outcome: str, label: str, target: float, baseline: Interval, results: Sequence[FactorResult]
) -> TargetReport:
    """The factors that move `outcome` from its baseline towards `target`: for each driving
    factor the arm on the target's side, ranked by how close that arm gets (ties: larger move)."""
    levers: list[Lever] = []
    want_down = baseline.estimate > target
    for f in results:
        s = f.outcomes[outcome]
        if not s.drives:
            continue
        arm: Literal["low", "high"]
        if want_down:
            arm = "high" if s.high.estimate < s.low.estimate else "low"
        else:
            arm = "high" if s.high.estimate > s.low.estimate else "low"
        reaches = s.high if arm == "high" else s.low
        if (
            reaches.estimate < baseline.estimate
        ) == want_down and reaches.estimate != baseline.estimate:
            levers.append(Lever(f, arm, reaches))
    levers.sort(key=lambda x: (abs(x.reaches.estimate - target), x.factor.id))
    return TargetReport(outcome, label, target, baseline, tuple(levers))
