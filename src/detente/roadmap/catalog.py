"""Load and check a meeting's measures catalog (`measures.yaml`), with located errors.

The schema (:mod:`detente.roadmap.measures`) checks each measure on its own; this module checks
what only the whole file and the meeting can tell, each problem as `file:line:column path:
message`:

- measure ids are unique;
- a measure's `category` is a step of the meeting's roadmap item (the programme item whose
  `activity` is `roadmap`; its `steps` are the categories);
- `prerequisites` and `reciprocal` name measures of the catalog, and not the measure itself;
- prerequisites have no cycle — the error names every measure of the cycle in order — and no
  cycle appears once reciprocal measures are sequenced together (a measure cannot be both the
  prerequisite and the reciprocal of another, nor can two reciprocal groups each wait for the
  other);
- `tags` name interest dimensions of `delegations.yaml` (when the meeting has profiles);
- a prerequisite whose horizon is later than the measure's own is a warning (the roadmap then
  places the measure after its prerequisite, later than its horizon says).

Scenario modifiers are compiled against the meeting's scenario pack by :func:`compile_modifiers`,
so a modifier naming a variable, reaction, chance event or action that the pack does not have is
an error located in `measures.yaml` (down to the character inside an effect expression). A meeting
without a scenario pack has a roadmap without simulated effects; modifiers in its catalog are then
a warning, since nothing can check or use them.

Reciprocity is symmetric: listing B under A's `reciprocal` pairs them both ways, so a file need
not repeat the pair under B (it may).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from detente.diagnostics import Diagnostic, InputError, PathPart, Severity
from detente.meeting.loader import MeetingFolder
from detente.meeting.model import Item, Meeting, StepCategory
from detente.roadmap.measures import Catalog, Measure
from detente.sourcefile import SourceFile, SourceMap, load_model
from detente.text import language_keys, unknown_language
from detente.ttx.modifiers import CompiledModifier, compile_modifier
from detente.ttx.pack import Pack

MEASURES_FILE = "measures.yaml"
ROADMAP_ACTIVITY = "roadmap"

Path_ = tuple[PathPart, ...]


@dataclass(frozen=True)
class LoadedCatalog:
    """A checked catalog with its source (for located messages), the roadmap item whose steps
    are its categories, and the warnings found."""

    catalog: Catalog
    source: SourceFile
    item: Item
    warnings: tuple[Diagnostic, ...] = ()

    @property
    def categories(self) -> list[StepCategory]:
        """The roadmap item's step categories, in programme order."""
        return list(self.item.steps)

    @property
    def measures(self) -> list[Measure]:
        return list(self.catalog.measures)

    def measure(self, measure_id: str) -> Measure:
        return self.catalog.measure(measure_id)

    def path_of(self, measure_id: str) -> Path_:
        """The YAML path of a measure (for located messages)."""
        for i, m in enumerate(self.catalog.measures):
            if m.id == measure_id:
                return ("measures", i)
        raise KeyError(measure_id)

    @property
    def has_modifiers(self) -> bool:
        return any(m.modifier is not None for m in self.catalog.measures)


def roadmap_item(meeting: Meeting) -> Item | None:
    """The first programme item run by the `roadmap` activity, if any."""
    for _, item in meeting.items():
        if item.activity == ROADMAP_ACTIVITY:
            return item
    return None


def _unknown(what: str, value: str, known: Iterable[str]) -> str:
    pool = sorted(set(known))
    close = difflib.get_close_matches(value, pool, n=1)
    if close:
        return f"unknown {what} '{value}' (did you mean '{close[0]}'?)"
    shown = ", ".join(pool[:12]) + (" …" if len(pool) > 12 else "")
    return f"unknown {what} '{value}' (known: {shown or 'none'})"


def reciprocal_groups(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """Measure id → the ids of its reciprocal group (itself included, file order).

    The groups are the connected components of the symmetric `reciprocal` relation; unknown ids
    are ignored here (the checks report them)."""
    ids = [m.id for m in catalog.measures]
    known = set(ids)
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for m in catalog.measures:
        for other in m.reciprocal:
            if other in known:
                a, b = find(m.id), find(other)
                if a != b:
                    parent[b] = a
    members: dict[str, list[str]] = {}
    for i in ids:
        members.setdefault(find(i), []).append(i)
    return {i: tuple(members[find(i)]) for i in ids}


def _find_cycle(nodes: Sequence[str], edges: Mapping[str, Sequence[str]]) -> list[str] | None:
    """A cycle of the directed graph as a list of nodes (first node repeated at the end), or None.

    `edges[n]` are the nodes `n` points to; nodes are visited in the given order, so the cycle
    reported is deterministic."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(nodes, white)
    for start in nodes:
        if colour[start] != white:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path = [start]
        colour[start] = grey
        while stack:
            node, index = stack[-1]
            targets = [t for t in edges.get(node, ()) if t in colour]
            if index < len(targets):
                stack[-1] = (node, index + 1)
                target = targets[index]
                if colour[target] == grey:
                    return [*path[path.index(target) :], target]
                if colour[target] == white:
                    colour[target] = grey
                    stack.append((target, 0))
                    path.append(target)
            else:
                colour[node] = black
                stack.pop()
                path.pop()
    return None


def check_catalog(
    folder: MeetingFolder, catalog: Catalog, source: SourceFile, item: Item | None
) -> list[Diagnostic]:
    """Every cross-check of the module docstring (errors and warnings), in file order."""
    pos = source.positions
    languages = folder.meeting.meeting.languages
    diags: list[Diagnostic] = [
        pos.diagnostic(path, unknown_language(code, languages), key=True)
        for path, code in language_keys(catalog, languages)
    ]
    diags += _duplicate_ids(pos, catalog)
    steps, step_diags = _roadmap_steps(pos, item)
    diags += step_diags
    scope = _Scope(
        known={m.id for m in catalog.measures},
        by_id={m.id: m for m in catalog.measures},
        steps=steps,
        item_id=str(item.id) if item else "",
        dims=set(folder.profiles.dimension_ids) if folder.profiles is not None else None,
    )
    for i, m in enumerate(catalog.measures):
        diags += _measure_diagnostics(pos, ("measures", i), m, scope)
    diags += _cycles(catalog, source)
    return diags


def _duplicate_ids(pos: SourceMap, catalog: Catalog) -> list[Diagnostic]:
    """An error at every repeated measure id, naming the line of its first definition."""
    diags = []
    seen: dict[str, int] = {}
    for i, m in enumerate(catalog.measures):
        if m.id in seen:
            first = pos.locate(("measures", seen[m.id], "id"))
            diags.append(
                pos.diagnostic(
                    ("measures", i, "id"),
                    f"duplicate measure id '{m.id}' (first defined at line {first[0]})",
                )
            )
        seen.setdefault(m.id, i)
    return diags


def _roadmap_steps(pos: SourceMap, item: Item | None) -> tuple[set[str], list[Diagnostic]]:
    """The roadmap item's step ids (the measures' categories), with an error when there is no
    roadmap item or it lists no steps."""
    if item is None:
        return set(), [
            pos.diagnostic(
                ("measures",),
                "the meeting has no roadmap session (a programme item with 'activity: roadmap'); "
                "the measures' categories are the steps of that item",
            )
        ]
    steps = {s.id for s in item.steps}
    if steps:
        return steps, []
    return steps, [
        pos.diagnostic(
            ("measures",),
            f"the roadmap item '{item.id}' lists no 'steps'; the measures' categories "
            "are its steps",
        )
    ]


@dataclass(frozen=True)
class _Scope:
    """What a measure is checked against: the catalog's ids and measures, the roadmap item's
    steps and id, and the profiles' dimensions (None without a profiles file)."""

    known: set[str]
    by_id: dict[str, Measure]
    steps: set[str]
    item_id: str
    dims: set[str] | None


def _measure_diagnostics(
    pos: SourceMap, base: Path_, m: Measure, scope: _Scope
) -> list[Diagnostic]:
    """One measure's checks in file order: its category, the measures it names, its
    prerequisites' horizons and its tags."""
    diags = []
    if scope.steps and m.category not in scope.steps:
        what = f"category (a step of roadmap item '{scope.item_id}')"
        diags.append(pos.diagnostic((*base, "category"), _unknown(what, m.category, scope.steps)))
    for field in ("prerequisites", "reciprocal"):
        for j, other in enumerate(getattr(m, field)):
            where = (*base, field, j)
            if other == m.id:
                diags.append(pos.diagnostic(where, f"measure '{m.id}' names itself"))
            elif other not in scope.known:
                diags.append(pos.diagnostic(where, _unknown("measure", other, scope.known)))
    for j, pre in enumerate(m.prerequisites):
        other_m = scope.by_id.get(pre)
        if other_m is not None and other_m.horizon.rank > m.horizon.rank:
            diags.append(
                pos.diagnostic(
                    (*base, "prerequisites", j),
                    f"prerequisite '{pre}' has a later horizon ({other_m.horizon.value}) "
                    f"than this measure ({m.horizon.value}); the roadmap places '{m.id}' "
                    f"after '{pre}'",
                    Severity.WARNING,
                )
            )
    if scope.dims is not None:
        for dim in m.tags:
            if dim not in scope.dims:
                diags.append(
                    pos.diagnostic(
                        (*base, "tags", dim), _unknown("dimension", dim, scope.dims), key=True
                    )
                )
    return diags


def _cycles(catalog: Catalog, source: SourceFile) -> list[Diagnostic]:
    """Prerequisite cycles, and cycles that appear once reciprocal groups move together."""
    pos = source.positions
    ids = [m.id for m in catalog.measures]
    index = {m.id: i for i, m in enumerate(catalog.measures)}
    # edges: prerequisite -> measure that needs it
    needs: dict[str, list[str]] = {i: [] for i in ids}
    for m in catalog.measures:
        for pre in m.prerequisites:
            if pre in needs and pre != m.id:
                needs[pre].append(m.id)
    cycle = _find_cycle(ids, needs)
    if cycle is not None:
        # the edge cycle[-2] -> cycle[-1] closes it: cycle[-1] lists cycle[-2] as prerequisite
        closing, dependent = cycle[-2], cycle[-1]
        j = catalog.measures[index[dependent]].prerequisites.index(closing)
        chain = " → ".join(cycle)
        return [
            pos.diagnostic(
                ("measures", index[dependent], "prerequisites", j),
                f"prerequisite cycle: {chain} (each measure must be in force before the next; "
                f"measures in the cycle: {', '.join(sorted(set(cycle)))})",
            )
        ]
    groups = reciprocal_groups(catalog)
    out: list[Diagnostic] = []
    for m in catalog.measures:
        for j, pre in enumerate(m.prerequisites):
            if pre in groups and pre != m.id and pre in groups[m.id]:
                out.append(
                    pos.diagnostic(
                        ("measures", index[m.id], "prerequisites", j),
                        f"'{pre}' is both a prerequisite and a reciprocal of '{m.id}': "
                        "reciprocal measures are sequenced together, so neither can come first",
                    )
                )
    if out:
        return out
    heads = list(dict.fromkeys(g[0] for g in groups.values()))
    group_edges: dict[str, list[str]] = {h: [] for h in heads}
    for m in catalog.measures:
        for pre in m.prerequisites:
            if pre in groups:
                a, b = groups[pre][0], groups[m.id][0]
                if a != b:
                    group_edges[a].append(b)
    cycle = _find_cycle(heads, group_edges)
    if cycle is None:
        return []
    members = sorted({x for h in cycle for x in groups[h]})
    shown = " → ".join(" + ".join(groups[h]) for h in cycle)
    first = groups[cycle[1]][0]
    return [
        pos.diagnostic(
            ("measures", index[first], "reciprocal"),
            f"prerequisite cycle through reciprocal measures (sequenced together): {shown} "
            f"(measures in the cycle: {', '.join(members)})",
        )
    ]


def load_catalog(folder: MeetingFolder) -> LoadedCatalog | None:
    """Read and check `measures.yaml` of a meeting folder; None when the folder has none.

    Raises :class:`~detente.diagnostics.InputError` listing every located error (warnings are
    returned on the result). Modifiers are not compiled here (see :func:`compile_modifiers`).
    """
    path = folder.root / MEASURES_FILE
    if not path.exists():
        return None
    catalog, source = load_model(path, Catalog)
    item = roadmap_item(folder.meeting)
    found = check_catalog(folder, catalog, source, item)
    errors = [d for d in found if d.severity is Severity.ERROR]
    if errors:
        raise InputError(errors)
    assert item is not None  # check_catalog reports a meeting without a roadmap item
    return LoadedCatalog(catalog, source, item, tuple(found))


def compile_modifiers(loaded: LoadedCatalog, pack: Pack) -> dict[str, CompiledModifier]:
    """Each measure's modifier compiled against the scenario pack (measure id → modifier), in
    file order; measures without a modifier are left out.

    Raises :class:`InputError` with every problem located in `measures.yaml`: a variable,
    reaction, chance event or action the pack does not define, or a malformed effect."""
    out: dict[str, CompiledModifier] = {}
    diags: list[Diagnostic] = []
    for i, m in enumerate(loaded.catalog.measures):
        if m.modifier is None:
            continue
        try:
            out[m.id] = compile_modifier(
                m.modifier,
                pack.compiled,
                source=loaded.source,
                path=("measures", i, "modifier"),
                name=m.id,
            )
        except InputError as exc:
            diags += exc.diagnostics
    if diags:
        raise InputError(diags)
    return out


def no_scenario_warning(loaded: LoadedCatalog) -> Diagnostic | None:
    """The warning for a catalog with modifiers in a meeting without a scenario pack."""
    for i, m in enumerate(loaded.catalog.measures):
        if m.modifier is not None:
            return loaded.source.positions.diagnostic(
                ("measures", i, "modifier"),
                "the meeting has no scenario pack (scenario.yaml): modifiers are not checked "
                "and the roadmap has no simulated effects",
                Severity.WARNING,
            )
    return None


__all__ = [
    "MEASURES_FILE",
    "ROADMAP_ACTIVITY",
    "LoadedCatalog",
    "check_catalog",
    "compile_modifiers",
    "load_catalog",
    "no_scenario_warning",
    "reciprocal_groups",
    "roadmap_item",
]
