"""Per-measure analysis of the room's ratings: support by delegation with exact counts, the
consensus tier, feasibility, the realistic horizon, and the simulated effect on the exercise.

Support is turned into the votes of common ground so that a measure gets *the same tiers as a
statement* (:func:`detente.deliberation.consensus.analyse` computes both): a support above 0
counts as **agree**, below 0 as **disagree**, and 0 ("no view") as **pass**. A measure is
therefore `unanimous` when every rater of every delegation supports it, `majority` when a strict
majority of each delegation supports it, `uncertain` when many raters have no view, `one-neutral`
when one delegation has no majority either way, `divided` otherwise, and `insufficient` when a
delegation did not rate it. Counts are exact ("USA 3/3 agree, CHN 2/3 (1 pass)"): the strength
of support (±1 or ±2) is kept in the mean support, not in the tier.

Feasibility and horizon are the delegates' (observers are reported apart and never count
toward a delegation): mean feasibility over delegates, and the realistic horizon as the lower
median of the delegates' horizons.

Effects come from a sweep of the exercise with each measure in force against the baseline
(:func:`detente.ttx.sweep.measure_effects`): for every outcome of the scenario, the probability
without and with the measure and their difference, each with its 95% interval. A meeting without
a scenario pack, or a measure without a modifier, simply has no effects, and `effects_note` says
why. Everything here is a pure function of its inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np

from detente.deliberation.consensus import (
    CommonGround,
    ConsensusInputError,
    StatementResult,
    Tier,
    VoteMatrix,
    analyse,
)
from detente.meeting.loader import MeetingFolder
from detente.roadmap.catalog import LoadedCatalog, compile_modifiers
from detente.roadmap.measures import Horizon
from detente.roadmap.ratings import HORIZONS, MemberRating, RatingSheet
from detente.ttx.pack import has_pack, load_pack
from detente.ttx.sweep import Interval, MeasureEffect, Progress, measure_effects

NOT_ENOUGH: Final = "not enough ratings"
OBSERVERS: Final = "observers"


def support_vote(support: int) -> int:
    """Support as a common-ground vote: > 0 agree (1), < 0 disagree (−1), 0 pass (0)."""
    return 1 if support > 0 else -1 if support < 0 else 0


@dataclass(frozen=True)
class GroupSupport:
    """Ratings of one delegation (or of all observers) for one measure: exact counts of support
    (agree > 0, disagree < 0, pass = 0), mean support and mean feasibility (None if no one
    rated)."""

    group: str
    agree: int
    disagree: int
    passes: int
    rated: int
    mean_support: float | None
    mean_feasibility: float | None

    @property
    def stance(self) -> str:
        """`supports` (strict majority agree), `objects` (strict majority disagree), `neutral`
        (neither) or `not rated`."""
        if self.rated == 0:
            return "not rated"
        if 2 * self.agree > self.rated:
            return "supports"
        if 2 * self.disagree > self.rated:
            return "objects"
        return "neutral"

    def to_json(self) -> dict[str, Any]:
        return {
            "agree": self.agree,
            "disagree": self.disagree,
            "pass": self.passes,
            "rated": self.rated,
            "mean_support": self.mean_support,
            "mean_feasibility": self.mean_feasibility,
            "stance": self.stance,
        }


@dataclass(frozen=True)
class MeasureResult:
    """One measure: tier and counts (from common ground), feasibility, horizon and effects.

    `rank` is the measure's place in the common-ground order (0 best; None when insufficient);
    `effects` maps outcome id → effect (empty without a scenario or a modifier)."""

    measure_id: str
    category: str
    tier: Tier
    label: str
    min_p: float
    geo_mean_p: float
    rank: int | None
    delegations: tuple[GroupSupport, ...]
    observers: GroupSupport
    mean_feasibility: float | None
    horizon: str | None
    effects: Mapping[str, MeasureEffect] = field(default_factory=dict)

    def group(self, delegation: str) -> GroupSupport:
        for g in self.delegations:
            if g.group == delegation:
                return g
        raise KeyError(delegation)

    def clear_effect(self, outcome: str) -> MeasureEffect | None:
        """The measure's simulated effect on `outcome` when its 95% interval excludes zero (the
        only effects documents report as effects); None otherwise or without one."""
        effect = self.effects.get(outcome)
        if effect is None or effect.difference.low <= 0.0 <= effect.difference.high:
            return None
        return effect

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.measure_id,
            "category": self.category,
            "tier": self.tier,
            "label": self.label,
            "min_p": self.min_p,
            "geo_mean_p": self.geo_mean_p,
            "rank": self.rank,
            "support": {g.group: g.to_json() for g in self.delegations},
            "observers": self.observers.to_json(),
            "mean_feasibility": self.mean_feasibility,
            "horizon": self.horizon,
            "effects": {o: e.to_json() for o, e in self.effects.items()},
        }


@dataclass(frozen=True)
class RoadmapAnalysis:
    """The analysis of one roadmap session's ratings.

    `status` is ``ok`` or :data:`NOT_ENOUGH` (then `measures` is empty and `notes` says why);
    `outcomes` maps the scenario's outcome ids to labels (empty without effects); `runs` is the
    number of simulated runs per arm behind the effects and `seed` the sweep's seed."""

    status: str
    delegations: tuple[str, ...]
    participants: int
    observers: int
    measures: tuple[MeasureResult, ...]
    outcomes: Mapping[str, str] = field(default_factory=dict)
    runs: int | None = None
    seed: int | None = None
    effects_note: str = ""
    notes: tuple[str, ...] = ()

    def measure(self, measure_id: str) -> MeasureResult:
        for m in self.measures:
            if m.measure_id == measure_id:
                return m
        raise KeyError(measure_id)

    def stance(self, measure_id: str, delegation: str) -> str | None:
        """The delegation's :attr:`GroupSupport.stance` on the measure; None when the analysis
        has no such measure or delegation."""
        try:
            return self.measure(measure_id).group(delegation).stance
        except KeyError:
            return None

    @property
    def tiers(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for m in self.measures:
            out.setdefault(m.tier, []).append(m.measure_id)
        return out

    def to_json(self) -> dict[str, Any]:
        """The `roadmap_analysed` event's document: `status`, `delegations`, `participants`,
        `observers`, `measures` (see :meth:`MeasureResult.to_json`), `tiers`, `outcomes`,
        `runs`, `seed`, `effects_note`, `notes`, and `rule` (how support counts)."""
        return {
            "status": self.status,
            "rule": "support > 0 agree, < 0 disagree, 0 pass",
            "delegations": list(self.delegations),
            "participants": self.participants,
            "observers": self.observers,
            "measures": [m.to_json() for m in self.measures],
            "tiers": self.tiers,
            "outcomes": dict(self.outcomes),
            "runs": self.runs,
            "seed": self.seed,
            "effects_note": self.effects_note,
            "notes": list(self.notes),
        }


def _group_support(group: str, ratings: Sequence[MemberRating]) -> GroupSupport:
    supports = [r.support for r in ratings]
    feas = [r.feasibility for r in ratings]
    return GroupSupport(
        group,
        sum(s > 0 for s in supports),
        sum(s < 0 for s in supports),
        sum(s == 0 for s in supports),
        len(supports),
        float(np.mean(supports)) if supports else None,
        float(np.mean(feas)) if feas else None,
    )


def _median_horizon(ratings: Sequence[MemberRating]) -> str | None:
    ranks = sorted(Horizon(r.horizon).rank for r in ratings)
    if not ranks:
        return None
    return HORIZONS[ranks[(len(ranks) - 1) // 2]]


def analyse_ratings(
    sheet: RatingSheet,
    measures: Sequence[tuple[str, str]],
    delegations: Sequence[str],
    *,
    effects: Mapping[str, Mapping[str, MeasureEffect]] | None = None,
    outcomes: Mapping[str, str] | None = None,
    runs: int | None = None,
    seed: int | None = None,
    effects_note: str = "",
) -> RoadmapAnalysis:
    """Analyse the final ratings of `sheet` for `measures` ((id, category) in catalog order).

    `delegations` fixes the delegation order; a delegation with no rating at all is noted and
    left out of the tiers (as the discussion analysis does). `effects` (measure → outcome →
    effect) and `outcomes` (outcome id → label) come from the sweep. Never raises for thin data:
    no ratings, or fewer than two rating delegations, give a :data:`NOT_ENOUGH` result with a
    note."""
    groups = sheet.groups()
    participants = sheet.participants
    n_obs = sum(1 for p in participants if groups.get(p) is None)
    present = {g for g in groups.values() if g is not None}
    order = [d for d in delegations if d in present]
    notes: list[str] = []
    silent = [d for d in delegations if d not in present]
    if silent:
        notes.append(f"no ratings from: {', '.join(silent)}")
    ids = [mid for mid, _ in measures]
    category = dict(measures)

    def result(
        status: str, results: tuple[MeasureResult, ...], found: Sequence[str]
    ) -> RoadmapAnalysis:
        return RoadmapAnalysis(
            status,
            delegations=tuple(order),
            participants=len(participants) - n_obs,
            observers=n_obs,
            measures=results,
            outcomes=dict(outcomes or {}),
            runs=runs,
            seed=seed,
            effects_note=effects_note,
            notes=tuple(found),
        )

    if not participants or not ids:
        return result(NOT_ENOUGH, (), [*notes, "nothing rated"])
    triples = [(p, m, support_vote(r.support)) for (p, m), r in sheet.final.items() if m in ids]
    try:
        matrix = VoteMatrix.from_records(participants, ids, triples)
        common: CommonGround = analyse(matrix, groups, delegations=order)
    except ConsensusInputError as exc:
        return result(NOT_ENOUGH, (), [*notes, str(exc)])
    rank = {sid: i for i, sid in enumerate(common.common_ground)}
    by_measure = _ratings_by_measure(sheet, groups, ids)
    results = [
        _measure_result(
            row,
            by_measure[row.statement_id],
            order,
            category=category[row.statement_id],
            rank=rank.get(row.statement_id),
            effects=dict((effects or {}).get(row.statement_id, {})),
        )
        for row in common.per_statement
    ]
    return result("ok", tuple(results), notes)


def _ratings_by_measure(
    sheet: RatingSheet, groups: Mapping[str, str | None], ids: Sequence[str]
) -> dict[str, dict[str | None, list[MemberRating]]]:
    """Measure id → group (a delegation, None for observers) → its members' final ratings."""
    by_measure: dict[str, dict[str | None, list[MemberRating]]] = {m: {} for m in ids}
    for (p, m), r in sheet.final.items():
        if m in by_measure:
            by_measure[m].setdefault(groups.get(p), []).append(r)
    return by_measure


def _measure_result(
    row: StatementResult,
    per: Mapping[str | None, list[MemberRating]],
    order: Sequence[str],
    *,
    category: str,
    rank: int | None,
    effects: dict[str, MeasureEffect],
) -> MeasureResult:
    """One measure's result: its consensus `row`, the support of each delegation in `order`
    and of the observers, the delegates' mean feasibility and median horizon."""
    delegates = [r for g, rs in per.items() if g is not None for r in rs]
    feas = [r.feasibility for r in delegates]
    return MeasureResult(
        measure_id=row.statement_id,
        category=category,
        tier=row.tier,
        label=row.label,
        min_p=row.min_p,
        geo_mean_p=row.geo_mean_p,
        rank=rank,
        delegations=tuple(_group_support(d, per.get(d, [])) for d in order),
        observers=_group_support(OBSERVERS, per.get(None, [])),
        mean_feasibility=float(np.mean(feas)) if feas else None,
        horizon=_median_horizon(delegates),
        effects=effects,
    )


def effects_from_json(result: Mapping[str, Any]) -> dict[str, dict[str, MeasureEffect]]:
    """The effects recorded in a `roadmap_analysed` document, as :class:`MeasureEffect`s."""
    out: dict[str, dict[str, MeasureEffect]] = {}
    for m in result.get("measures", []):
        for outcome, e in m.get("effects", {}).items():
            out.setdefault(m["id"], {})[outcome] = MeasureEffect(
                m["id"],
                outcome,
                Interval(**e["baseline"]),
                Interval(**e["with_measure"]),
                Interval(**e["difference"]),
            )
    return out


def _group(name: str, doc: Mapping[str, Any]) -> GroupSupport:
    return GroupSupport(
        name,
        int(doc.get("agree", 0)),
        int(doc.get("disagree", 0)),
        int(doc.get("pass", 0)),
        int(doc.get("rated", 0)),
        doc.get("mean_support"),
        doc.get("mean_feasibility"),
    )


def analysis_from_json(doc: Mapping[str, Any]) -> RoadmapAnalysis:
    """The :class:`RoadmapAnalysis` a `roadmap_analysed` event recorded (its `result`)."""
    effects = effects_from_json(doc)
    measures = tuple(
        MeasureResult(
            measure_id=m["id"],
            category=m["category"],
            tier=m["tier"],
            label=m["label"],
            min_p=float(m.get("min_p", 0.0)),
            geo_mean_p=float(m.get("geo_mean_p", 0.0)),
            rank=m.get("rank"),
            delegations=tuple(_group(g, s) for g, s in m.get("support", {}).items()),
            observers=_group("observers", m.get("observers", {})),
            mean_feasibility=m.get("mean_feasibility"),
            horizon=m.get("horizon"),
            effects=effects.get(m["id"], {}),
        )
        for m in doc.get("measures", [])
    )
    return RoadmapAnalysis(
        status=str(doc.get("status", "")),
        delegations=tuple(doc.get("delegations", [])),
        participants=int(doc.get("participants", 0)),
        observers=int(doc.get("observers", 0)),
        measures=measures,
        outcomes=dict(doc.get("outcomes", {})),
        runs=doc.get("runs"),
        seed=doc.get("seed"),
        effects_note=str(doc.get("effects_note", "")),
        notes=tuple(doc.get("notes", [])),
    )


@dataclass(frozen=True)
class SimulatedEffects:
    """The sweep's result for a catalog: measure id → outcome id → effect, outcome labels, and a
    note saying what was (not) simulated. `runs` and `seed` are None when nothing was."""

    effects: Mapping[str, Mapping[str, MeasureEffect]]
    outcomes: Mapping[str, str]
    runs: int | None
    seed: int | None
    note: str


def simulate_effects(
    folder: MeetingFolder,
    loaded: LoadedCatalog,
    *,
    runs: int,
    seed: int,
    progress: Progress | None = None,
) -> SimulatedEffects:
    """Sweep the meeting's exercise with each measure's modifier in force against the baseline
    (`runs` runs per arm, common random numbers from `seed`, the delegations' profiles driving the
    players). Not pure: it reads the folder's scenario pack.

    Without a pack, without any modifier, or with `runs` of 0 the result is empty and its note
    says why. Raises :class:`~detente.diagnostics.InputError` (located) when the pack or a
    modifier has errors."""
    if not has_pack(folder.root):
        note = "the meeting has no scenario pack (scenario.yaml): no simulated effects"
        return SimulatedEffects({}, {}, None, None, note)
    if not loaded.has_modifiers:
        note = "no measure has a scenario modifier: no simulated effects"
        return SimulatedEffects({}, {}, None, None, note)
    if runs <= 0:
        return SimulatedEffects({}, {}, None, None, "the sweep was turned off (0 runs)")
    pack = load_pack(folder.root, meeting=folder)
    modifiers = compile_modifiers(loaded, pack)
    effects = measure_effects(
        pack, modifiers, runs=runs, seed=seed, profiles=folder.profiles, progress=progress
    )
    outcomes = {o.id: o.label.en for o in pack.scenario.outcomes}
    note = (
        f"{runs} simulated runs per arm against the baseline (seed {seed}); "
        f"{len(loaded.measures) - len(modifiers)} measure(s) without a modifier have no estimate"
    )
    return SimulatedEffects(effects, outcomes, runs, seed, note)


__all__ = [
    "NOT_ENOUGH",
    "OBSERVERS",
    "GroupSupport",
    "MeasureResult",
    "RoadmapAnalysis",
    "SimulatedEffects",
    "analyse_ratings",
    "analysis_from_json",
    "effects_from_json",
    "simulate_effects",
    "support_vote",
]
