"""The roadmap: measures with cross-delegation support, ordered and sequenced into phases, and the
measures that need further dialogue.

Which measures go on the roadmap: those in the tiers `unanimous` and `majority` (a strict majority
of every delegation supports them; see :mod:`detente.roadmap.analysis`), provided that

- every measure of their *reciprocal group* (the measures that trade against each other, e.g. the
  two halves of "suspension for suspension") is supported too — a trade with one half agreed is
  not agreed — and
- every prerequisite is on the roadmap (applied until nothing changes, so a measure waiting on a
  held-back measure is held back as well).

Everything else is listed **for further dialogue**, with the reason (the measure divides
delegations, the room lacked information, its reciprocal or a prerequisite is not agreed, it was
not rated) and, by delegation and never by person, who supports it, who objects and who is
neutral (strict majority of the delegation's raters either way, else neutral).

Order within a category: the common-ground order of the analysis (tier, then the least convinced
delegation's agreement, then the geometric mean over delegations), so the best-supported measure
of each category comes first.

Phases: each reciprocal group moves as one. A group's earliest phase is one after the latest
horizon of its members (immediate → 1, within a year → 2, 1–3 years → 3, longer → 4), using the
realistic horizon the room rated (the delegates' median) and the catalog horizon when there is no
rating; a group also comes at least one phase after each of its prerequisites' groups. Phases are
then numbered 1, 2, … without gaps, each labelled with the latest horizon among its measures.
The prerequisite graph has no cycle (:mod:`detente.roadmap.catalog` refuses one), so the
sequencing is a walk in topological order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from detente.roadmap.analysis import MeasureResult, RoadmapAnalysis
from detente.roadmap.catalog import reciprocal_groups
from detente.roadmap.measures import Catalog, Horizon, Measure
from detente.ttx.scenario import Text

ROADMAP_TIERS: Final = ("unanimous", "majority")
"""Tiers with cross-delegation support: the measures the roadmap can take."""

REASONS: Final = {
    "divided": "divides delegations",
    "one-neutral": "one delegation has no majority either way",
    "uncertain": "many raters had no view (an information gap)",
    "insufficient": "not rated by every delegation",
}


@dataclass(frozen=True)
class Stances:
    """Delegations by stance on one measure."""

    supports: tuple[str, ...]
    objects: tuple[str, ...]
    neutral: tuple[str, ...]

    def to_json(self) -> dict[str, list[str]]:
        return {
            "supports": list(self.supports),
            "objects": list(self.objects),
            "neutral": list(self.neutral),
        }


def stances(result: MeasureResult) -> Stances:
    """Who supports, objects to, or is neutral on a measure, by delegation."""
    by: dict[str, list[str]] = {"supports": [], "objects": [], "neutral": []}
    for g in result.delegations:
        by.get(g.stance, by["neutral"]).append(g.group)
    return Stances(tuple(by["supports"]), tuple(by["objects"]), tuple(by["neutral"]))


@dataclass(frozen=True)
class RoadmapEntry:
    """A measure on the roadmap: its phase, the horizon used, and its reciprocal partners."""

    measure_id: str
    title: str
    category: str
    tier: str
    phase: int
    horizon: str
    reciprocal: tuple[str, ...]
    prerequisites: tuple[str, ...]
    actors: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.measure_id,
            "title": self.title,
            "category": self.category,
            "tier": self.tier,
            "phase": self.phase,
            "horizon": self.horizon,
            "reciprocal": list(self.reciprocal),
            "prerequisites": list(self.prerequisites),
            "actors": list(self.actors),
        }


@dataclass(frozen=True)
class DialogueEntry:
    """A measure for further dialogue: why, its counts, and stances by delegation."""

    measure_id: str
    title: str
    category: str
    tier: str
    reason: str
    label: str
    stances: Stances

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.measure_id,
            "title": self.title,
            "category": self.category,
            "tier": self.tier,
            "reason": self.reason,
            "label": self.label,
            **self.stances.to_json(),
        }


@dataclass(frozen=True)
class Phase:
    number: int
    horizon: str
    measures: tuple[str, ...]


HORIZON_WORDS: Final = {
    "immediate": "immediate",
    "within-a-year": "within a year",
    "1-3-years": "1–3 years",
    "longer": "longer term",
}
"""A horizon as a phase's label reads."""


def phase_label(phases: Sequence[Phase], phase: Phase) -> str:
    """The label of one phase, distinct from every other phase's: its horizon
    (`longer term`), and when an earlier phase has the same horizon — the phase was pushed later
    by its prerequisites, not by its horizon — `longer term, after phase 3` (never two phases
    both called "longer term")."""
    words = HORIZON_WORDS.get(phase.horizon, phase.horizon)
    earlier = [p for p in phases if p.number < phase.number and p.horizon == phase.horizon]
    if earlier:
        return f"{words}, after phase {max(p.number for p in earlier)}"
    return words


@dataclass(frozen=True)
class Roadmap:
    """The sequenced roadmap. `by_category` lists roadmap measures per category in order;
    `entries` maps measure id → entry; `further_dialogue` keeps catalog order within each
    category, categories in programme order."""

    categories: tuple[str, ...]
    phases: tuple[Phase, ...]
    by_category: Mapping[str, tuple[str, ...]]
    entries: Mapping[str, RoadmapEntry]
    further_dialogue: tuple[DialogueEntry, ...]

    def phase_of(self, measure_id: str) -> int | None:
        entry = self.entries.get(measure_id)
        return entry.phase if entry is not None else None

    def to_json(self) -> dict[str, Any]:
        """The `roadmap_recorded` event's document."""
        return {
            "categories": list(self.categories),
            "phases": [
                {"number": p.number, "horizon": p.horizon, "measures": list(p.measures)}
                for p in self.phases
            ],
            "by_category": {c: list(ids) for c, ids in self.by_category.items()},
            "measures": [self.entries[m].to_json() for p in self.phases for m in p.measures],
            "further_dialogue": [d.to_json() for d in self.further_dialogue],
        }


def english(text: Text) -> str:
    """The English form of a catalog text."""
    return text.en


def _order_key(result: MeasureResult) -> tuple[int, int]:
    return (0, result.rank) if result.rank is not None else (1, 0)


def build_roadmap(
    analysis: RoadmapAnalysis, catalog: Catalog, categories: Sequence[str]
) -> Roadmap:
    """Sequence the analysed measures; see the module docstring for every rule."""
    results = {m.measure_id: m for m in analysis.measures}
    measures = [m for m in catalog.measures if m.id in results]
    groups = reciprocal_groups(catalog)
    reasons = _not_agreed(measures, results, groups)
    agreed = [m for m in measures if m.id not in reasons]
    horizon: dict[str, Horizon] = {}
    for m in agreed:
        rated = results[m.id].horizon
        horizon[m.id] = Horizon(rated) if rated is not None else m.horizon
    raw = _raw_phases(agreed, groups, horizon)
    numbers = {p: i + 1 for i, p in enumerate(sorted(set(raw.values())))}
    cat_index = {c: i for i, c in enumerate(categories)}

    def in_phase_key(mid: str) -> tuple[int, tuple[int, int]]:
        return (cat_index.get(results[mid].category, len(cat_index)), _order_key(results[mid]))

    phases = []
    for p in sorted(numbers):
        ids = sorted((mid for mid, v in raw.items() if v == p), key=in_phase_key)
        latest = max(horizon[mid].rank for mid in ids)
        phases.append(Phase(numbers[p], list(Horizon)[latest].value, tuple(ids)))
    entries = {
        m.id: RoadmapEntry(
            m.id,
            english(m.title),
            m.category,
            results[m.id].tier,
            numbers[raw[m.id]],
            horizon[m.id].value,
            tuple(x for x in groups[m.id] if x != m.id),
            tuple(m.prerequisites),
            tuple(m.actors),
        )
        for m in agreed
    }
    by_category = {
        c: tuple(
            sorted((m.id for m in agreed if m.category == c), key=lambda x: _order_key(results[x]))
        )
        for c in categories
    }
    dialogue = _further_dialogue(measures, results, reasons, cat_index)
    return Roadmap(tuple(categories), tuple(phases), by_category, entries, dialogue)


def _further_dialogue(
    measures: Sequence[Measure],
    results: Mapping[str, MeasureResult],
    reasons: Mapping[str, str],
    cat_index: Mapping[str, int],
) -> tuple[DialogueEntry, ...]:
    """The measures not on the roadmap with why and the delegations' stances, by category
    (catalog order within one)."""
    return tuple(
        DialogueEntry(
            m.id,
            english(m.title),
            m.category,
            results[m.id].tier,
            reasons[m.id],
            results[m.id].label,
            stances(results[m.id]),
        )
        for m in sorted(
            (m for m in measures if m.id in reasons),
            key=lambda m: cat_index.get(m.category, len(cat_index)),
        )
    )


def _not_agreed(
    measures: Sequence[Measure],
    results: Mapping[str, MeasureResult],
    groups: Mapping[str, Sequence[str]],
) -> dict[str, str]:
    """Measure id → why it is not on the roadmap: its tier, else (repeated until nothing
    changes) a reciprocal partner or a prerequisite that is not agreed."""
    reasons: dict[str, str] = {}
    for m in measures:
        tier = results[m.id].tier
        if tier not in ROADMAP_TIERS:
            reasons[m.id] = REASONS.get(tier, tier)
    changed = True
    while changed:
        changed = False
        for m in measures:
            if m.id in reasons:
                continue
            partners = [x for x in groups[m.id] if x != m.id and x in reasons]
            blocked = [p for p in m.prerequisites if p in reasons or p not in results]
            if partners:
                reasons[m.id] = f"its reciprocal {', '.join(partners)} is not agreed"
            elif blocked:
                reasons[m.id] = f"its prerequisite {', '.join(blocked)} is not agreed"
            else:
                continue
            changed = True
    return reasons


def _raw_phases(
    agreed: Sequence[Measure],
    groups: Mapping[str, Sequence[str]],
    horizon: Mapping[str, Horizon],
) -> dict[str, int]:
    """Agreed measure id → its unnumbered phase: after its reciprocal group's latest horizon
    and after every prerequisite's phase (a reciprocal group shares one phase)."""
    by_id = {m.id: m for m in agreed}
    group_phase: dict[str, int] = {}

    def phase(mid: str, depth: int = 0) -> int:
        head = groups[mid][0]
        if head in group_phase:
            return group_phase[head]
        if depth > len(by_id):  # unreachable: the catalog refuses prerequisite cycles
            raise ValueError(f"prerequisite cycle through '{mid}'")
        members = [x for x in groups[mid] if x in by_id]
        value = max(horizon[x].rank + 1 for x in members)
        for x in members:
            for pre in by_id[x].prerequisites:
                value = max(value, phase(pre, depth + 1) + 1)
        group_phase[head] = value
        return value

    return {m.id: phase(m.id) for m in agreed}


def roadmap_from_json(doc: Mapping[str, Any]) -> Roadmap:
    """The :class:`Roadmap` a `roadmap_recorded` event recorded (its `roadmap`)."""
    entries = {
        m["id"]: RoadmapEntry(
            m["id"],
            m["title"],
            m["category"],
            m["tier"],
            int(m["phase"]),
            m["horizon"],
            tuple(m.get("reciprocal", [])),
            tuple(m.get("prerequisites", [])),
            tuple(m.get("actors", [])),
        )
        for m in doc.get("measures", [])
    }
    dialogue = tuple(
        DialogueEntry(
            d["id"],
            d["title"],
            d["category"],
            d["tier"],
            d["reason"],
            d["label"],
            Stances(tuple(d["supports"]), tuple(d["objects"]), tuple(d["neutral"])),
        )
        for d in doc.get("further_dialogue", [])
    )
    return Roadmap(
        categories=tuple(doc.get("categories", [])),
        phases=tuple(
            Phase(int(p["number"]), p["horizon"], tuple(p["measures"]))
            for p in doc.get("phases", [])
        ),
        by_category={c: tuple(ids) for c, ids in doc.get("by_category", {}).items()},
        entries=entries,
        further_dialogue=dialogue,
    )


__all__ = [
    "HORIZON_WORDS",
    "REASONS",
    "ROADMAP_TIERS",
    "DialogueEntry",
    "Phase",
    "Roadmap",
    "RoadmapEntry",
    "Stances",
    "build_roadmap",
    "roadmap_from_json",
    "stances",
]
