"""One analysis of a room's votes: delegation-aware common ground and emergent opinion groups.

This module joins the two pure engines — :func:`detente.deliberation.consensus.analyse` (groups
known in advance: delegations) and :func:`detente.deliberation.polis.polis_math` (Pol.is opinion
groups found from the votes) — and compares their groupings: an opinion group whose members come
from two or more delegations is a *coalition*, and the statements every delegation inside it
agrees with (a strict majority of its members in the group) are *bridges*.

Small rooms: Pol.is admits participants greedily until at least :data:`POLIS_MINIMUM` (15) are
in the conversation, and its group count rises with the number of participants. With fewer
participants (a Track-2 room of nine experts) the emergent groups are computed but reported as
``below-minimum`` together with a *stability* figure: the mean adjusted Rand index between the
groups from all statements and the groups with one statement left out (1.0: no single statement
changes the grouping). Read them as indicative, never as findings.

The same inputs give the same output; nothing here reads a clock, a file or a generator.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np

from detente.deliberation.compare import adjusted_rand_index, contingency
from detente.deliberation.consensus import (
    CommonGround,
    ConsensusInputError,
    VoteMatrix,
    analyse,
)
from detente.deliberation.polis import (
    GREEDY_IN_CONV,
    PolisInput,
    PolisResult,
    PolisVotes,
    polis_math,
)
from detente.deliberation.polis import (
    run as polis_run,
)

POLIS_MINIMUM: Final = GREEDY_IN_CONV
"""Participants Pol.is puts in a conversation before it trusts its own clustering (it admits
voters greedily up to this number)."""

NOT_ENOUGH = "not enough votes"


@dataclass(frozen=True)
class Emergent:
    """Pol.is-compatible opinion groups.

    `status`: ``ok``; ``below-minimum`` (computed, fewer than :data:`POLIS_MINIMUM`
    participants, see `stability`); or ``not enough votes`` (fewer than two participants or no
    statement). Labels are Pol.is group ids as strings.
    """

    status: str
    note: str = ""
    groups: Mapping[str, str] = field(default_factory=dict)
    projection: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    repness: Mapping[str, list[str]] = field(default_factory=dict)
    consensus: Mapping[str, list[str]] = field(default_factory=dict)
    gic: Mapping[str, float] = field(default_factory=dict)
    stability: float | None = None
    diagnostics: Mapping[str, Any] = field(default_factory=dict)
    """Pol.is clustering diagnostics (:attr:`detente.deliberation.polis.PolisResult.diagnostics`,
    participant ids as strings)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "note": self.note,
            "minimum": POLIS_MINIMUM,
            "k": len(set(self.groups.values())),
            "stability": self.stability,
            "consensus": dict(self.consensus),
            "diagnostics": dict(self.diagnostics),
        }


@dataclass(frozen=True)
class Coalition:
    """An opinion group with members from several delegations and the statements they share."""

    group: str
    delegations: tuple[str, ...]
    bridges: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    """Opinion groups (rows) against known groups (columns), with the adjusted Rand index."""

    groups: tuple[str, ...]
    known: tuple[str, ...]
    table: tuple[tuple[int, ...], ...]
    ari: float
    coalitions: tuple[Coalition, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "groups": list(self.groups),
            "known": list(self.known),
            "table": [list(r) for r in self.table],
            "ari": self.ari,
            "coalitions": [
                {"group": c.group, "delegations": list(c.delegations), "bridges": list(c.bridges)}
                for c in self.coalitions
            ],
        }


@dataclass(frozen=True)
class RoomAnalysis:
    """Everything found in one set of votes. `common` is None without known groups (or when
    they cannot be analysed; `notes` then says why)."""

    status: str
    participants: tuple[str, ...]
    statements: tuple[str, ...]
    known: Mapping[str, str | None] | None
    common: CommonGround | None
    emergent: Emergent
    comparison: Comparison | None
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The JSON document of ``detente common-ground`` and of the `analysis_recorded` event.

        Keys: `status`, `participants` (count), `statements`, `groups` (participant → opinion
        group label, null when not grouped), `consensus` (statement ids best first: the
        delegation-aware common-ground order when known groups are given, else Pol.is's
        agree-consensus), `consensus_basis`, `repness`, `gic`, `tiers` (only with known
        groups), `known_groups`, `common_ground` (full delegation-aware result), `emergent`,
        `comparison`, `projection` and `notes`.
        """
        out: dict[str, Any] = {
            "status": self.status,
            "participants": len(self.participants),
            "statements": list(self.statements),
            "groups": {p: self.emergent.groups.get(p) for p in self.participants},
            "consensus": (
                list(self.common.common_ground)
                if self.common is not None
                else list(self.emergent.consensus.get("agree", []))
            ),
            "consensus_basis": "known groups" if self.common is not None else "polis",
            "repness": {g: list(ids) for g, ids in self.emergent.repness.items()},
            "gic": dict(self.emergent.gic),
            "emergent": self.emergent.to_json(),
            "projection": {p: list(xy) for p, xy in self.emergent.projection.items()},
            "notes": list(self.notes),
        }
        if self.common is not None:
            out["tiers"] = {t: ids for t, ids in self.common.tiers.items()}
            out["common_ground"] = self.common.to_json_dict()
        if self.known is not None:
            out["known_groups"] = {p: self.known.get(p) for p in self.participants}
        out["comparison"] = self.comparison.to_json() if self.comparison is not None else None
        return out


def _polis_groups(result: PolisResult, pname: Mapping[int, str]) -> dict[str, str]:
    return {pname[p]: str(g) for g, pids in result.group_pids.items() for p in pids}


def _stability(inp: PolisInput, full: Mapping[int, int]) -> float | None:
    """Mean ARI between the full grouping and each leave-one-statement-out grouping."""
    keep = [t for t in inp.votes.tids if t not in inp.mod_out]
    if len(keep) < 3 or not full:
        return None
    scores = []
    for drop in keep:
        cols = [j for j, t in enumerate(inp.votes.tids) if t != drop]
        values = inp.votes.values[:, cols]
        rows = [i for i in range(values.shape[0]) if not np.isnan(values[i]).all()]
        sub = PolisVotes(
            tuple(inp.votes.pids[i] for i in rows),
            tuple(inp.votes.tids[j] for j in cols),
            values[rows],
        )
        res = polis_math(sub, mod_out=inp.mod_out, meta_tids=inp.meta_tids, mod_in=inp.mod_in)
        if res.status != "ok":
            continue
        other = {p: g for g, pids in res.group_pids.items() for p in pids}
        common = [p for p in full if p in other]
        if len(common) >= 2:
            scores.append(
                adjusted_rand_index([full[p] for p in common], [other[p] for p in common])
            )
    return float(np.mean(scores)) if scores else None


def _emergent(
    inp: PolisInput, pname: Mapping[int, str], sname: Mapping[int, str], minimum: int
) -> Emergent:
    n = len(inp.votes.pids)
    if n < 2 or not [t for t in inp.votes.tids if t not in inp.mod_out]:
        return Emergent(
            NOT_ENOUGH, f"{n} participant(s) with votes: opinion groups need at least two"
        )
    result = polis_run(inp)
    if result.status != "ok":
        return Emergent(NOT_ENOUGH, result.status)
    groups = _polis_groups(result, pname)
    status, note, stability = "ok", "", None
    if n < minimum:
        by_pid = {p: g for g, pids in result.group_pids.items() for p in pids}
        stability = _stability(inp, by_pid)
        shown = "n/a" if stability is None else f"{stability:.2f}"
        status = "below-minimum"
        note = (
            f"{n} participants, fewer than the {minimum} Pol.is admits before it trusts its "
            f"clustering: the {len(result.group_pids)} opinion groups are indicative only "
            f"(leave-one-statement-out stability, mean ARI: {shown})"
        )
    return Emergent(
        status=status,
        note=note,
        groups=groups,
        projection={pname[p]: xy for p, xy in result.projections.items()},
        repness={str(g): [sname[r["tid"]] for r in reps] for g, reps in result.repness.items()},
        consensus={side: [sname[r["tid"]] for r in rs] for side, rs in result.consensus.items()},
        gic={sname[t]: float(v) for t, v in result.group_aware_consensus.items()},
        stability=stability,
        diagnostics=_named_diagnostics(result.diagnostics, pname),
    )


def _named_diagnostics(diag: Mapping[str, Any], pname: Mapping[int, str]) -> dict[str, Any]:
    out = dict(diag)
    out["ungrouped"] = {pname[p]: r for p, r in diag.get("ungrouped", {}).items()}
    out["silhouettes"] = {str(k): v for k, v in diag.get("silhouettes", {}).items()}
    return out


def _bridges(
    matrix: VoteMatrix, members: Sequence[str], known: Mapping[str, str | None]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Delegations in the group and the statements each of them agrees with (strict majority of
    its members in the group), ordered by the weakest delegation's agreement share."""
    row = {p: i for i, p in enumerate(matrix.participants)}
    by_delegation: dict[str, list[int]] = {}
    for p in members:
        label = known.get(p)
        if label is not None and p in row:
            by_delegation.setdefault(label, []).append(row[p])
    delegations = tuple(sorted(by_delegation))
    if len(delegations) < 2:
        return delegations, ()
    agree = matrix.values == 1
    voted = matrix.mask
    shares = []
    for rows in by_delegation.values():
        a = agree[rows].sum(axis=0)
        v = voted[rows].sum(axis=0)
        shares.append(np.where((v > 0) & (2 * a > v), a / np.maximum(v, 1), 0.0))
    weakest = np.min(np.vstack(shares), axis=0)
    order = sorted(np.flatnonzero(weakest > 0).tolist(), key=lambda j: (-weakest[j], j))
    return delegations, tuple(matrix.statements[j] for j in order)


def _compare(
    emergent: Emergent, known: Mapping[str, str | None], matrix: VoteMatrix | None
) -> Comparison | None:
    people = [p for p in emergent.groups if known.get(p) is not None]
    if emergent.status == NOT_ENOUGH or len(people) < 2:
        return None
    a = [emergent.groups[p] for p in people]
    b = [str(known[p]) for p in people]
    ct = contingency(a, b)
    coalitions = []
    for label in sorted(set(a), key=lambda g: (len(g), g)):
        members = [p for p in people if emergent.groups[p] == label]
        if matrix is None:
            continue
        delegations, bridges = _bridges(matrix, members, known)
        if len(delegations) >= 2:
            coalitions.append(Coalition(label, delegations, bridges))
    return Comparison(
        groups=tuple(str(r) for r in ct.rows),
        known=tuple(str(c) for c in ct.cols),
        table=tuple(tuple(int(x) for x in r) for r in ct.table.tolist()),
        ari=float(adjusted_rand_index(a, b)),
        coalitions=tuple(coalitions),
    )


def _analyse(
    inp: PolisInput,
    pname: Mapping[int, str],
    sname: Mapping[int, str],
    known: Mapping[str, str | None] | None,
    delegations: Sequence[str] | None,
    minimum: int,
) -> RoomAnalysis:
    participants = tuple(pname[p] for p in inp.votes.pids)
    keep = [j for j, t in enumerate(inp.votes.tids) if t not in inp.mod_out]
    statements = tuple(sname[inp.votes.tids[j]] for j in keep)
    notes: list[str] = []
    if inp.mod_out:
        notes.append(f"{len(inp.mod_out)} moderated-out statement(s) left out of the analysis")
    emergent = _emergent(inp, pname, sname, minimum)
    if emergent.note:
        notes.append(emergent.note)
    if not participants or not statements:
        return RoomAnalysis(
            NOT_ENOUGH,
            participants,
            statements,
            known,
            None,
            emergent,
            None,
            (
                *notes,
                "no votes to analyse",
            ),
        )
    matrix = VoteMatrix.from_float(participants, statements, inp.votes.values[:, keep])
    common: CommonGround | None = None
    if known is not None:
        groups = {p: known.get(p) for p in participants}
        present = {g for g in groups.values() if g is not None}
        order = [d for d in (delegations or sorted(present)) if d in present]
        silent = [d for d in (delegations or []) if d not in present]
        if silent:
            notes.append(f"no votes from: {', '.join(silent)}")
        try:
            common = analyse(matrix, groups, delegations=order)
        except ConsensusInputError as exc:
            notes.append(f"delegation-aware analysis not possible: {exc}")
    comparison = _compare(emergent, known, matrix) if known is not None else None
    status = "ok" if common is not None or emergent.status != NOT_ENOUGH else NOT_ENOUGH
    return RoomAnalysis(
        status, participants, statements, known, common, emergent, comparison, tuple(notes)
    )


def analyse_votes(
    statements: Sequence[str],
    votes: Iterable[tuple[str, str, int]],
    *,
    known: Mapping[str, str | None] | None = None,
    delegations: Sequence[str] | None = None,
    minimum: int = POLIS_MINIMUM,
) -> RoomAnalysis:
    """Analyse (participant, statement, vote) triples (1 agree, -1 disagree, 0 pass; the last
    triple for a cell wins). `known` maps participants to their delegation (None: observer);
    `delegations` fixes the order of delegations in results. Never raises for thin data: a
    single participant, no vote or a single delegation give a stated ``not enough votes``
    result or a note. Raises ``ValueError`` for a vote on a statement not in `statements` or a
    value other than 1, -1, 0."""
    sindex = {s: j for j, s in enumerate(statements)}
    records: list[tuple[int, int, float]] = []
    pindex: dict[str, int] = {}
    for p, s, v in votes:
        if s not in sindex:
            raise ValueError(f"vote by {p!r} on unknown statement {s!r}")
        if isinstance(v, bool) or v not in (1, -1, 0):
            raise ValueError(f"vote {v!r} by {p!r} on {s!r}: allowed 1 agree, -1 disagree, 0 pass")
        records.append((pindex.setdefault(p, len(pindex)), sindex[s], float(v)))
    inp = PolisInput(
        votes=PolisVotes.from_records(records),
        mod_out=frozenset(),
        mod_in=frozenset(),
        meta_tids=frozenset(),
        strict_moderation=False,
    )
    pname = {i: p for p, i in pindex.items()}
    sname = dict(enumerate(statements))
    return _analyse(inp, pname, sname, known, delegations, minimum)


def analyse_polis(
    inp: PolisInput,
    *,
    known: Mapping[str, str | None] | None = None,
    minimum: int = POLIS_MINIMUM,
) -> RoomAnalysis:
    """Analyse a loaded Pol.is export; participant and statement ids become strings. `known`
    (e.g. the export's `group-id` column) maps participant ids to a label (None: ungrouped,
    tallied apart like observers)."""
    pname = {p: str(p) for p in inp.votes.pids}
    sname = {t: str(t) for t in inp.votes.tids}
    return _analyse(inp, pname, sname, known, None, minimum)


__all__ = [
    "NOT_ENOUGH",
    "POLIS_MINIMUM",
    "Coalition",
    "Comparison",
    "Emergent",
    "RoomAnalysis",
    "analyse_polis",
    "analyse_votes",
]
