"""Pol.is-compatible opinion groups: PCA, base/group clusters, repness and consensus.

Re-implements the math of Pol.is (``compdemocracy/polis``, ``math/src/polismath/math``) so
that, given the same votes, moderation and *history*, it reproduces ``math-pca2.json``.

History matters in Pol.is. Each update starts from the previous one: participants stay
``in-conv`` once admitted, PCA power iteration starts from the previous components, and base
clusters (k = 100) start from the previous base clusters. A conversation recomputed on a
worker restart reloads exactly the fields of the previous ``math-pca2.json``; that is what
:func:`history_from_math_json` builds (:func:`history_from_result` carries the full in-memory
state of a running worker instead).

Without history the computation is from scratch. Vote matrix, moderation, in-conversation
rule, PCA and projection are Pol.is' own (they do not depend on history, except for the
power-iteration start vector: we start at the limit). The grouping does depend on history in
Pol.is (base clusters and group clusters are carried from update to update, the group count
is smoothed over updates); a fresh run follows red-dwarf 0.4.0's choices instead - k-means of
the participants for k = 2..5 with Pol.is' "first distinct points" seeding, best silhouette -
see :mod:`detente.deliberation.polis_fresh` and docs/polis.md.

Meta statements are zeroed out like moderated-out ones (Pol.is ``mod-update``). CSV exports do
not flag them, so pass them explicitly (``load_polis_export(..., meta_tids=...)``) when known.

Sign convention: inputs use the export convention (agree = +1, disagree = -1, pass = 0);
internally and in ``to_polis_json`` the Pol.is convention (agree = -1) is used.
"""

from __future__ import annotations

import csv
import itertools
import json
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from detente.deliberation import polis_repness as rep
from detente.deliberation.polis_clusters import Cluster, TwoLevel, two_level
from detente.deliberation.polis_fresh import fresh_groups
from detente.deliberation.polis_pca import (
    PcaResult,
    impute_column_means,
    pca_with_comment_projection,
    sparsity_aware_project,
    zero_out_columns,
)

FloatArray = npt.NDArray[np.float64]

BASE_K = 100
BASE_ITERS = 100
MAX_GROUP_K = 5
GROUP_K_BUFFER = 4
GREEDY_IN_CONV = 15
MIN_VOTES_IN_CONV = 7


class PolisInputError(ValueError):
    """Invalid Pol.is input; the message names the file and line where possible."""


@dataclass(frozen=True)
class PolisVotes:
    """A vote matrix in Pol.is row/column order, export sign (agree = +1).

    Rows are participants in order of first appearance when votes are read ordered by
    (tid, pid) - the order of Pol.is' database poll, which fixes k-means seeding. Columns are
    the voted comment ids in ascending order. ``values`` is float with NaN for "not voted".
    """

    pids: tuple[int, ...]
    tids: tuple[int, ...]
    values: FloatArray

    @classmethod
    def from_records(cls, records: Iterable[tuple[int, int, float]]) -> PolisVotes:
        """Build from (pid, tid, vote) records in chronological order; later votes win.

        Vectorised; a record that is not three numbers with an integral pid/tid and a vote
        of 1, -1 or 0 sends the input through the record-by-record check, which raises
        :class:`PolisInputError` naming it.
        """
        recs = list(records)
        try:
            flat = np.fromiter(
                itertools.chain.from_iterable(recs), dtype=np.float64, count=3 * len(recs)
            )
        except (TypeError, ValueError):
            return cls._from_records_checked(recs)
        pid, tid, vote = flat.reshape(-1, 3).T
        if not (
            np.isin(vote, (1.0, -1.0, 0.0)).all()
            and np.array_equal(pid, np.floor(pid))
            and np.array_equal(tid, np.floor(tid))
        ):
            return cls._from_records_checked(recs)
        return cls.from_arrays(pid.astype(np.int64), tid.astype(np.int64), vote)

    @classmethod
    def from_arrays(
        cls,
        pid: npt.NDArray[np.int64],
        tid: npt.NDArray[np.int64],
        vote: FloatArray,
    ) -> PolisVotes:
        """Build from parallel arrays of checked votes in chronological order; later votes win."""
        if not pid.size:
            return cls((), (), np.full((0, 0), np.nan))
        upid, pcode = np.unique(pid, return_inverse=True)
        utid, tcode = np.unique(tid, return_inverse=True)
        key = pcode * len(utid) + tcode
        _, first_from_end = np.unique(key[::-1], return_index=True)
        last = pid.size - 1 - first_from_end  # the latest vote per (pid, tid)
        pc, tc = pcode[last], tcode[last]
        # Row order = first appearance when votes are ordered by (tid, pid).
        min_t = np.full(len(upid), len(utid))
        np.minimum.at(min_t, pc, tc)
        order = np.lexsort((upid, min_t))
        row_of = np.empty(len(upid), dtype=np.intp)
        row_of[order] = np.arange(len(upid))
        values = np.full((len(upid), len(utid)), np.nan)
        values[row_of[pc], tc] = vote[last] + 0.0  # + 0.0 turns -0.0 into 0.0
        return cls(tuple(upid[order].tolist()), tuple(utid.tolist()), values)

    @classmethod
    def _from_records_checked(cls, records: Iterable[tuple[int, int, float]]) -> PolisVotes:
        """Record-by-record reference implementation; raises on the first bad record."""
        latest: dict[tuple[int, int], float] = {}
        for pid, tid, vote in records:
            if vote not in (1, -1, 0):
                raise PolisInputError(f"vote value {vote!r} for pid {pid}, tid {tid}")
            latest[(int(pid), int(tid))] = float(vote)
        keys = sorted(latest, key=lambda k: (k[1], k[0]))
        pids = tuple(dict.fromkeys(p for p, _ in keys))
        tids = tuple(sorted({t for _, t in keys}))
        ri = {p: i for i, p in enumerate(pids)}
        ci = {t: i for i, t in enumerate(tids)}
        values = np.full((len(pids), len(tids)), np.nan)
        if keys:
            rows = np.array([ri[p] for p, _ in keys])
            cols = np.array([ci[t] for _, t in keys])
            values[rows, cols] = [latest[k] for k in keys]
        return cls(pids, tids, values)


@dataclass(frozen=True)
class PolisInput:
    """Everything Pol.is math reads: votes, moderation and the conversation's strict flag."""

    votes: PolisVotes
    mod_out: frozenset[int]
    mod_in: frozenset[int]
    meta_tids: frozenset[int]
    strict_moderation: bool
    last_vote_timestamp: int | None = None
    vote_log: tuple[tuple[float, int, int], ...] = ()
    """(timestamp, pid, tid) of every vote, chronological; used by :func:`replay_in_conv`."""


@dataclass(frozen=True)
class PolisHistory:
    """State Pol.is carries from the previous update (all fields optional).

    ``in_conv``: participants already admitted (they never leave). ``pca_comps``: start
    vectors for power iteration. ``base_clusters``: previous base clusters (seeds for the
    k = 100 k-means). ``group_clusterings``: previous group clusters per k (Pol.is keeps them
    in memory only; a restarted worker has none). ``k_smoother``: (last_k, last_k_count,
    smoothed_k) - the group count only changes after the same best k was seen 4 times in a row.
    ``group_votes``: previous group votes, which Pol.is uses for comment priorities.
    """

    in_conv: frozenset[int] = frozenset()
    pca_comps: FloatArray | None = None
    base_clusters: tuple[Cluster, ...] = ()
    group_clusterings: Mapping[int, tuple[Cluster, ...]] = field(default_factory=dict)
    k_smoother: tuple[int, int, int] | None = None
    group_votes: Mapping[int, Mapping[str, Any]] | None = None


@dataclass(frozen=True)
class PolisResult:
    """Output of :func:`polis_math`; ``to_polis_json`` renders the ``math-pca2.json`` keys.

    ``status`` is ``"ok"`` or ``"not enough votes"`` (then clusters and repness are empty).
    Group ``members`` are base-cluster ids as in Pol.is; ``group_pids`` expands them.
    """

    status: str
    n: int
    tids: tuple[int, ...]
    in_conv: tuple[int, ...]
    user_vote_counts: Mapping[int, int]
    projections: Mapping[int, tuple[float, float]]
    pca: PcaResult | None
    base_clusters: tuple[Cluster, ...]
    group_clusters: tuple[Cluster, ...]
    group_pids: Mapping[int, tuple[int, ...]]
    repness: Mapping[int, list[dict[str, Any]]]
    consensus: Mapping[str, list[dict[str, Any]]]
    group_aware_consensus: Mapping[int, float]
    group_votes: Mapping[int, Mapping[str, Any]]
    votes_base: Mapping[int, Mapping[str, list[int]]]
    comment_priorities: Mapping[int, float]
    mod_out: frozenset[int]
    mod_in: frozenset[int]
    meta_tids: frozenset[int]
    k_smoother: tuple[int, int, int] | None
    last_vote_timestamp: int | None = None
    group_clusterings: Mapping[int, tuple[Cluster, ...]] = field(default_factory=dict)
    """Group clusters for every k tried (Pol.is keeps them in memory for the next update)."""
    diagnostics: Mapping[str, Any] = field(default_factory=dict)
    """Why the grouping is what it is: ``method`` (``fresh`` or ``history``), ``k`` (groups
    shown, None when none), ``silhouettes`` (k -> mean silhouette, None when that k could not
    be fitted), ``participants``, ``in_conversation``, ``min_votes`` (the in-conversation
    threshold) and ``ungrouped`` (pid -> reason, for everybody left out of the groups)."""

    def to_polis_json(self) -> dict[str, Any]:
        """Render with ``math-pca2.json`` key names (string keys where Pol.is has them)."""
        out: dict[str, Any] = {
            "n": self.n,
            "n-cmts": len(self.tids),
            "tids": list(self.tids),
            "in-conv": list(self.in_conv),
            "user-vote-counts": {str(k): v for k, v in self.user_vote_counts.items()},
            "mod-out": sorted(self.mod_out),
            "mod-in": sorted(self.mod_in),
            "meta-tids": sorted(self.meta_tids),
            "lastVoteTimestamp": self.last_vote_timestamp,
            "base-clusters": {
                "id": [c.id for c in self.base_clusters],
                "members": [list(c.members) for c in self.base_clusters],
                "x": [c.center[0] for c in self.base_clusters],
                "y": [c.center[1] for c in self.base_clusters],
                "count": [len(c.members) for c in self.base_clusters],
            },
            "group-clusters": [
                {"id": c.id, "members": list(c.members), "center": list(c.center)}
                for c in self.group_clusters
            ],
            "repness": {str(g): r for g, r in self.repness.items()},
            "consensus": dict(self.consensus),
            "group-aware-consensus": {str(t): v for t, v in self.group_aware_consensus.items()},
            "group-votes": {
                str(g): {
                    "id": g,
                    "n-members": v["n-members"],
                    "votes": {str(t): x for t, x in v["votes"].items()},
                }
                for g, v in self.group_votes.items()
            },
            "votes-base": {str(t): v for t, v in self.votes_base.items()},
            "comment-priorities": {str(t): v for t, v in self.comment_priorities.items()},
        }
        if self.pca is not None:
            out["pca"] = {
                "center": self.pca.center.tolist(),
                "comps": self.pca.comps.tolist(),
                "comment-projection": self.pca.comment_projection.tolist(),
                "comment-extremity": self.pca.comment_extremity.tolist(),
            }
        return out


def _in_conv(counts: Mapping[int, int], n_cmts: int, previous: frozenset[int]) -> set[int]:
    """Admit participants with >= min(7, n_cmts) votes, keep earlier admissions, and top up
    greedily (most votes first, ties by pid) to at least 15 participants."""
    chosen = set(previous) | {p for p, c in counts.items() if c >= min(MIN_VOTES_IN_CONV, n_cmts)}
    if len(chosen) < GREEDY_IN_CONV:
        rest = sorted((p for p in counts if p not in chosen), key=lambda p: (-counts[p], p))
        chosen.update(rest[: GREEDY_IN_CONV - len(chosen)])
    return chosen


def replay_in_conv(vote_log: Iterable[tuple[float, int, int]]) -> frozenset[int]:
    """Reconstruct Pol.is' sticky ``in-conv`` set by replaying votes in time order.

    Pol.is re-evaluates admission on every update and never removes anybody, so a participant
    who once met ``min(7, n_voted_comments)`` - or was among the first 15 voters - stays in.
    We evaluate after every distinct timestamp (the finest possible update schedule). This is
    exact when Pol.is updated at least as often as the admission state changed; Pol.is'
    real schedule is not in the data, so the result is a best reconstruction.
    """
    recs = sorted(vote_log)
    counts: dict[int, int] = {}
    voted: set[int] = set()
    admitted: set[int] = set()
    for i, (ts, pid, tid) in enumerate(recs):
        counts[pid] = counts.get(pid, 0) + 1
        voted.add(tid)
        if i + 1 < len(recs) and recs[i + 1][0] == ts:
            continue
        admitted = _in_conv(counts, len(voted), frozenset(admitted))
    return frozenset(admitted)


def _empty(
    status: str,
    votes: PolisVotes,
    counts: Mapping[int, int],
    mod_out: frozenset[int],
    mod_in: frozenset[int],
    meta: frozenset[int],
    ts: int | None,
) -> PolisResult:
    return PolisResult(
        status,
        len(votes.pids),
        votes.tids,
        (),
        counts,
        {},
        None,
        (),
        (),
        {},
        {},
        {"agree": [], "disagree": []},
        {},
        {},
        {},
        {},
        mod_out,
        mod_in,
        meta,
        None,
        ts,
        diagnostics={
            "method": "none",
            "k": None,
            "silhouettes": {},
            "participants": len(votes.pids),
            "in_conversation": 0,
            "min_votes": min(MIN_VOTES_IN_CONV, len(votes.tids)),
            "ungrouped": {
                p: f"{status}: {len(votes.pids)} participant(s) and {len(votes.tids)} "
                "voted comment(s); groups need at least two of each"
                for p in votes.pids
            },
        },
    )


def polis_math(
    votes: PolisVotes | Iterable[tuple[int, int, float]],
    *,
    mod_out: Iterable[int] = (),
    meta_tids: Iterable[int] = (),
    mod_in: Iterable[int] = (),
    strict_moderation: bool = False,
    previous: PolisHistory | None = None,
    last_vote_timestamp: int | None = None,
) -> PolisResult:
    """Run one Pol.is math update.

    ``votes``: a :class:`PolisVotes` or (pid, tid, vote) records (agree = +1). ``mod_out``:
    comments moderated out (Pol.is also puts meta comments here); their columns are set to 0
    for every participant before PCA/projection and they are excluded from repness and
    consensus, but still counted in ``user-vote-counts``/``votes-base``. ``strict_moderation``
    is accepted for completeness: Pol.is math ignores it (unmoderated comments stay in).
    ``previous``: state from the previous update (see :class:`PolisHistory`). With carried
    base or group clusters the clustering is Pol.is' two-level k-means continuing from them
    (:func:`detente.deliberation.polis_clusters.two_level`); without, it is the fresh
    clustering of :func:`detente.deliberation.polis_fresh.fresh_groups`. Deterministic.

    Returns status ``"not enough votes"`` (no exception) when fewer than two participants or
    no comments are available for clustering; ``result.diagnostics`` says why anybody is
    left ungrouped.
    """
    del strict_moderation  # documented: not used by Pol.is math
    pv = votes if isinstance(votes, PolisVotes) else PolisVotes.from_records(votes)
    hist = previous or PolisHistory()
    out_set = frozenset(int(t) for t in mod_out) | frozenset(int(t) for t in meta_tids)
    meta = frozenset(int(t) for t in meta_tids)
    in_set = frozenset(int(t) for t in mod_in) | meta
    raw = -pv.values  # Pol.is internal sign: agree = -1
    counts = _vote_counts(pv.pids, raw)
    if len(pv.pids) < 2 or len(pv.tids) == 0:
        return _empty("not enough votes", pv, counts, out_set, in_set, meta, last_vote_timestamp)
    rating = zero_out_columns(raw, pv.tids, out_set)
    pca = pca_with_comment_projection(impute_column_means(rating), hist.pca_comps)
    proj = sparsity_aware_project(rating, pca.center, pca.comps)
    row = {p: i for i, p in enumerate(pv.pids)}
    in_conv = _in_conv(counts, len(pv.tids), hist.in_conv)
    conv_pids = [p for p in pv.pids if p in in_conv]
    fresh = not hist.base_clusters and not hist.group_clusterings
    chosen = _clustering(hist, conv_pids, proj[[row[p] for p in conv_pids]], fresh)
    base, clusterings = chosen.base, chosen.by_k
    groups, smoother, smoothed = _smoothed_groups(hist, chosen)
    group_pids = _group_pids(base, groups)
    vb, gv = _votes_by_group(raw, row, pv.tids, base, groups)
    return PolisResult(
        status="ok",
        n=len(pv.pids),
        tids=pv.tids,
        in_conv=tuple(conv_pids),
        user_vote_counts=counts,
        projections={p: (float(proj[row[p], 0]), float(proj[row[p], 1])) for p in pv.pids},
        pca=pca,
        base_clusters=tuple(base),
        group_clusters=tuple(groups),
        group_pids=group_pids,
        repness=rep.repness(rating, row, pv.tids, list(group_pids.items()), out_set),
        consensus=rep.consensus(rating, pv.tids, out_set),
        group_aware_consensus=rep.group_aware_consensus(gv),
        group_votes=gv,
        votes_base=vb,
        comment_priorities=rep.comment_priorities(
            hist.group_votes, pv.tids, pca.comment_extremity, meta
        ),
        mod_out=out_set,
        mod_in=in_set,
        meta_tids=meta,
        k_smoother=smoother,
        last_vote_timestamp=last_vote_timestamp,
        group_clusterings={k: tuple(c) for k, c in clusterings.items()},
        diagnostics=_diagnostics(
            "fresh" if fresh else "history",
            counts,
            len(pv.tids),
            conv_pids,
            group_pids,
            chosen.silhouettes,
            smoothed if groups else None,
        ),
    )


def _vote_counts(pids: Sequence[int], raw: FloatArray) -> dict[int, int]:
    """Participant → how many comments they voted on (pass included)."""
    present = ~np.isnan(raw)
    return {p: int(c) for p, c in zip(pids, present.sum(axis=1).tolist(), strict=True)}


def _clustering(
    hist: PolisHistory, conv_pids: Sequence[int], conv_pts: FloatArray, fresh: bool
) -> TwoLevel:
    """The two-level clustering of the participants in the conversation: fresh, or Pol.is'
    k-means continuing from the carried base and group clusters."""
    if fresh:
        return _fresh_two_level(conv_pids, conv_pts)
    return two_level(
        conv_pids,
        conv_pts,
        base_k=BASE_K,
        base_iters=BASE_ITERS,
        max_group_k=MAX_GROUP_K,
        last_base=hist.base_clusters or None,
        last_groups=hist.group_clusterings,
    )


def _smoothed_groups(
    hist: PolisHistory, chosen: TwoLevel
) -> tuple[Sequence[Cluster], tuple[int, int, int] | None, int | None]:
    """(groups, k smoother, smoothed k): Pol.is changes the number of groups only after the
    best k has held for :data:`GROUP_K_BUFFER` updates; no groups when no k was chosen."""
    clusterings, this_k = chosen.by_k, chosen.best_k
    last_k, last_count, smoothed = hist.k_smoother or (None, 0, None)
    count = last_count + 1 if last_k == this_k else 1
    smoother: tuple[int, int, int] | None = None
    groups: Sequence[Cluster] = ()
    if this_k is not None:
        smoothed = this_k if count >= GROUP_K_BUFFER or smoothed is None else smoothed
        smoother = (this_k, count, smoothed)
        groups = clusterings.get(smoothed, clusterings.get(this_k, ()))
    return groups, smoother, smoothed


def _group_pids(base: Sequence[Cluster], groups: Sequence[Cluster]) -> dict[int, tuple[int, ...]]:
    """Group id → the participants of its base clusters."""
    base_members = {c.id: c.members for c in base}
    return {g.id: tuple(p for b in g.members for p in base_members[b]) for g in groups}


def _votes_by_group(
    raw: FloatArray,
    row: Mapping[int, int],
    tids: Sequence[int],
    base: Sequence[Cluster],
    groups: Sequence[Cluster],
) -> tuple[dict[int, dict[str, list[int]]], dict[int, dict[str, Any]]]:
    """Pol.is ``votes-base`` (votes per comment and base cluster) and ``group-votes`` (the same
    summed per group)."""
    vb = rep.votes_base(raw, row, tids, [c.members for c in base])
    bidx = {c.id: i for i, c in enumerate(base)}
    gv = rep.group_votes(
        vb, [len(c.members) for c in base], [(g.id, [bidx[b] for b in g.members]) for g in groups]
    )
    return vb, gv


def _fresh_two_level(pids: Sequence[int], points: FloatArray) -> TwoLevel:
    """The fresh clustering (:func:`fresh_groups`) in Pol.is' result shape.

    Up to ``BASE_K`` distinct positions, participants at the same position form one "base
    cluster" (ids in order of first appearance), as in Pol.is; above, each group is one base
    cluster (Pol.is never has more than ``BASE_K``, and per-position buckets would only make
    the vote tallies slow). The chosen k's groups list base-cluster ids. ``by_k`` holds only
    the chosen k (the others are not kept).
    """
    if not pids:
        return TwoLevel((), {}, {}, None)
    # red-dwarf clusters participants in ascending pid order; only relocation of empty
    # clusters (never with these seeds in practice) could depend on the order.
    by_pid = np.argsort(np.asarray(pids), kind="stable")
    fit = fresh_groups(points[by_pid], MAX_GROUP_K)
    label: npt.NDArray[np.intp] | None = None
    if fit.k is not None and fit.labels is not None:
        label = np.empty(len(pids), dtype=np.intp)
        label[by_pid] = fit.labels
    uniq, first, inverse = np.unique(points, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    if uniq.shape[0] > BASE_K:
        key = label if label is not None else np.zeros(len(pids), dtype=np.intp)
        n_base = int(key.max()) + 1
        base = tuple(
            Cluster(
                b,
                tuple(p for p, g in zip(pids, key.tolist(), strict=True) if g == b),
                _mean_xy(points[key == b]),
            )
            for b in range(n_base)
        )
        group_of_base = np.arange(n_base)
    else:
        order = np.argsort(first, kind="stable")  # distinct positions in row order
        base_id = np.empty(order.size, dtype=np.intp)
        base_id[order] = np.arange(order.size)
        members: list[list[int]] = [[] for _ in range(order.size)]
        for pid, u in zip(pids, inverse.tolist(), strict=True):
            members[base_id[u]].append(pid)
        base = tuple(
            Cluster(i, tuple(members[i]), (float(uniq[u, 0]), float(uniq[u, 1])))
            for i, u in enumerate(order.tolist())
        )
        group_of_base = np.empty(order.size, dtype=np.intp)
        if label is not None:
            group_of_base[base_id[inverse]] = label
    if fit.k is None or label is None or fit.centers is None:
        return TwoLevel(base, {}, fit.silhouettes, None)
    groups = tuple(
        Cluster(
            g,
            tuple(int(b) for b in np.flatnonzero(group_of_base == g)),
            (float(fit.centers[g, 0]), float(fit.centers[g, 1])),
        )
        for g in range(fit.k)
        if np.any(group_of_base == g)
    )
    return TwoLevel(base, {fit.k: groups}, fit.silhouettes, fit.k)


def _mean_xy(points: FloatArray) -> tuple[float, float]:
    c = points.mean(axis=0)
    return (float(c[0]), float(c[1]))


def _diagnostics(
    method: str,
    counts: Mapping[int, int],
    n_cmts: int,
    conv_pids: Sequence[int],
    group_pids: Mapping[int, Sequence[int]],
    silhouettes: Mapping[int, float],
    k: int | None,
) -> dict[str, Any]:
    """Why the grouping is what it is: see :attr:`PolisResult.diagnostics`."""
    threshold = min(MIN_VOTES_IN_CONV, n_cmts)
    conv = set(conv_pids)
    grouped = {p for ps in group_pids.values() for p in ps}
    reasons: dict[int, str] = {}
    for pid, c in counts.items():
        if pid not in conv:
            reasons[pid] = (
                f"{c} vote(s), fewer than the {threshold} needed to be in the conversation "
                f"(min({MIN_VOTES_IN_CONV}, {n_cmts} comments))"
            )
        elif pid not in grouped:
            reasons[pid] = (
                "in the conversation, but its participants hold too few distinct positions "
                "for two groups"
            )
    return {
        "method": method,
        "k": k,
        "silhouettes": {
            int(kk): (None if np.isnan(v) else float(v)) for kk, v in sorted(silhouettes.items())
        },
        "participants": len(counts),
        "in_conversation": len(conv_pids),
        "min_votes": threshold,
        "ungrouped": reasons,
    }


def history_from_result(result: PolisResult) -> PolisHistory:
    """State a *running* Pol.is worker carries into its next update (nothing is dropped).

    Unlike :func:`history_from_math_json` this keeps the group clusterings for every k and the
    k smoother, which Pol.is holds in memory between updates but never persists.
    """
    return PolisHistory(
        in_conv=frozenset(result.in_conv),
        pca_comps=None if result.pca is None else result.pca.comps,
        base_clusters=result.base_clusters,
        group_clusterings=dict(result.group_clusterings),
        k_smoother=result.k_smoother,
        group_votes=dict(result.group_votes) or None,
    )


def history_from_math_json(math: Mapping[str, Any]) -> PolisHistory:
    """State a restarted Pol.is worker reloads from a stored ``math-pca2.json``.

    Like ``restructure-json-conv``: in-conv, PCA components, base clusters and group votes;
    group clusterings per k and the k smoother are *not* persisted by Pol.is.
    """
    bc = math.get("base-clusters") or {}
    base = tuple(
        Cluster(int(i), tuple(int(m) for m in mem), (float(x), float(y)))
        for i, mem, x, y in zip(
            bc.get("id", []), bc.get("members", []), bc.get("x", []), bc.get("y", []), strict=True
        )
    )
    gv = {
        int(g): {
            "n-members": v["n-members"],
            "votes": {int(t): x for t, x in v["votes"].items()},
        }
        for g, v in (math.get("group-votes") or {}).items()
    }
    comps = (math.get("pca") or {}).get("comps")
    return PolisHistory(
        in_conv=frozenset(int(p) for p in math.get("in-conv", [])),
        pca_comps=None if comps is None else np.asarray(comps, dtype=np.float64),
        base_clusters=base,
        group_votes=gv or None,
    )


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PolisInputError(f"{path}: file not found") from exc
    except json.JSONDecodeError as exc:
        raise PolisInputError(f"{path}:{exc.lineno}: invalid JSON ({exc.msg})") from exc


def _pick(rec: Mapping[str, Any], *names: str) -> Any:
    for n in names:
        if n in rec:
            return rec[n]
    raise KeyError(names[0])


def load_polis_math_fixture(folder: Path) -> PolisInput:
    """Read ``votes.json``, ``comments.json`` and ``conversation.json`` of a Pol.is API dump.

    Accepts both key spellings (``participant_id``/``pid``, ``statement_id``/``tid``,
    ``moderated``/``mod``). Moderation follows Pol.is ``mod-update``: out = meta or mod -1,
    in = meta or mod 1.
    """
    folder = Path(folder)
    votes = _read_json(folder / "votes.json")
    comments = _read_json(folder / "comments.json")
    conv = _read_json(folder / "conversation.json")
    try:
        recs = sorted(
            (
                float(_pick(v, "modified", "created") or 0),
                int(_pick(v, "participant_id", "pid")),
                int(_pick(v, "statement_id", "tid")),
                int(v["vote"]),
            )
            for v in votes
        )
        mods = [
            (
                int(_pick(c, "statement_id", "tid")),
                int(_pick(c, "moderated", "mod")),
                bool(c.get("is_meta")),
            )
            for c in comments
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise PolisInputError(f"{folder}: malformed vote or comment record ({exc})") from exc
    pv = PolisVotes.from_records((p, t, v) for _, p, t, v in recs)
    return PolisInput(
        votes=pv,
        mod_out=frozenset(t for t, m, meta in mods if meta or m == -1),
        mod_in=frozenset(t for t, m, meta in mods if meta or m == 1),
        meta_tids=frozenset(t for t, _, meta in mods if meta),
        strict_moderation=bool(conv.get("strict_moderation", False)),
        last_vote_timestamp=int(recs[-1][0]) if recs else None,
        vote_log=tuple((ts, p, t) for ts, p, t, _ in recs),
    )


def _csv_rows(path: Path) -> list[list[str]]:
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            return list(csv.reader(fh))
    except FileNotFoundError as exc:
        raise PolisInputError(f"{path}: file not found") from exc
    except (csv.Error, UnicodeDecodeError) as exc:
        raise PolisInputError(f"{path}: malformed CSV ({exc})") from exc


def load_polis_export(folder: Path, meta_tids: Iterable[int] = ()) -> PolisInput:
    """Read a Pol.is open-data export: ``comments.csv`` plus the votes.

    Votes come from ``votes.csv`` (the full vote history: ``timestamp``, ``comment-id``,
    ``voter-id``, ``vote``) when the folder has one - the latest vote per participant and
    comment wins, by timestamp then line, so changed and duplicated votes are fine - and
    otherwise from ``participants-votes.csv`` (one row per participant, one column per
    comment; cells 1, -1, 0 or empty). Both have agree = 1. A comment id that is not in
    ``comments.csv``, a malformed row or a bad value raises :class:`PolisInputError` naming
    the file and line; so does an export without a single vote. Moderation: ``moderated``
    -1 is out, 1 is in.

    Meta statements: Pol.is zeroes them out of the math like moderated-out ones, but CSV
    exports do not say which statements were meta. ``meta_tids`` declares them; a truthy
    ``is-meta``/``is_meta`` column in ``comments.csv``, if present, does too. Declared ids
    that are not in ``comments.csv`` raise :class:`PolisInputError`.
    """
    folder = Path(folder)
    moderation, meta = _read_comments(folder / "comments.csv", meta_tids)
    history = folder / "votes.csv"
    if history.is_file():
        votes, last_ts = _read_vote_history(history, moderation)
    else:
        votes, last_ts = _read_participants_votes(folder / "participants-votes.csv", moderation)
    return PolisInput(
        votes=votes,
        mod_out=frozenset(t for t, m in moderation.items() if m == -1) | meta,
        mod_in=frozenset(t for t, m in moderation.items() if m == 1) | meta,
        meta_tids=frozenset(meta),
        strict_moderation=False,
        last_vote_timestamp=last_ts,
    )


def _read_comments(cpath: Path, meta_tids: Iterable[int]) -> tuple[dict[int, int], set[int]]:
    """Moderation per comment id and the meta statements (declared or flagged)."""
    crows = _csv_rows(cpath)
    if not crows or "comment-id" not in crows[0] or "moderated" not in crows[0]:
        raise PolisInputError(f"{cpath}:1: header must contain comment-id and moderated")
    ci, mi = crows[0].index("comment-id"), crows[0].index("moderated")
    xi = next((crows[0].index(h) for h in ("is-meta", "is_meta") if h in crows[0]), None)
    moderation: dict[int, int] = {}
    meta: set[int] = set()
    for line, r in enumerate(crows[1:], start=2):
        try:
            moderation[int(r[ci])] = int(r[mi])
            if xi is not None and r[xi].strip().lower() in ("1", "true", "t", "yes"):
                meta.add(int(r[ci]))
        except (IndexError, ValueError) as exc:
            raise PolisInputError(f"{cpath}:{line}: malformed row ({exc})") from exc
    for t in meta_tids:
        if int(t) not in moderation:
            raise PolisInputError(f"{cpath}: declared meta statement {t} is not in the file")
        meta.add(int(t))
    return moderation, meta


def _read_participants_votes(
    vpath: Path, moderation: Mapping[int, int]
) -> tuple[PolisVotes, int | None]:
    vrows = _csv_rows(vpath)
    if not vrows or not vrows[0] or vrows[0][0] != "participant":
        raise PolisInputError(f"{vpath}:1: header must start with 'participant'")
    header = vrows[0]
    first = next((i for i, h in enumerate(header) if h.strip().lstrip("-").isdigit()), len(header))
    tids = []
    for h in header[first:]:
        if not h.strip().lstrip("-").isdigit() or int(h) not in moderation:
            raise PolisInputError(f"{vpath}:1: unknown statement id {h!r}")
        tids.append(int(h))
    records: list[tuple[int, int, float]] = []
    seen: dict[int, int] = {}
    for line, r in enumerate(vrows[1:], start=2):
        if len(r) != len(header):
            raise PolisInputError(f"{vpath}:{line}: expected {len(header)} fields, got {len(r)}")
        try:
            pid = int(r[0])
        except ValueError as exc:
            raise PolisInputError(f"{vpath}:{line}: bad participant id {r[0]!r}") from exc
        if pid in seen:
            raise PolisInputError(
                f"{vpath}:{line}: participant {pid} already has a row (line {seen[pid]})"
            )
        seen[pid] = line
        for tid, cell in zip(tids, r[first:], strict=True):
            if cell.strip() == "":
                continue
            if cell.strip() not in ("1", "-1", "0", "1.0", "-1.0", "0.0"):
                raise PolisInputError(f"{vpath}:{line}: vote {cell!r} for statement {tid}")
            records.append((pid, tid, float(cell)))
    if not records:
        raise PolisInputError(f"{vpath}:1: no votes (no participant row has a vote)")
    return PolisVotes.from_records(records), None


_HISTORY_COLUMNS = ("timestamp", "comment-id", "voter-id", "vote")


def _read_vote_history(path: Path, moderation: Mapping[int, int]) -> tuple[PolisVotes, int | None]:
    """Parse ``votes.csv``: latest vote per participant and comment, and the last timestamp.

    Well-formed files go through numpy's C parser (an export of millions of votes takes
    seconds); any parse failure re-reads the file row by row to report the first bad value
    with its line. Vote values and comment ids are checked either way.
    """
    idx = _history_header(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # an empty file body warns; treat as no votes
            table = np.loadtxt(
                path,
                delimiter=",",
                quotechar='"',
                skiprows=1,
                usecols=idx,
                dtype=np.int64,
                ndmin=2,
                encoding="utf-8",
            )
        arrays = [table[:, i] for i in range(4)]
    except (ValueError, UserWarning, UnicodeDecodeError):
        arrays = _history_rows(path, idx)
    ts, tid, pid, vote = arrays
    if not ts.size:
        raise PolisInputError(f"{path}:1: no votes (header only)")
    bad_vote = np.flatnonzero(~np.isin(vote, (1, -1, 0)))
    if bad_vote.size:
        i = int(bad_vote[0])
        raise PolisInputError(f"{path}:{i + 2}: vote '{int(vote[i])}' (expected 1, -1 or 0)")
    known = np.array(sorted(moderation), dtype=np.int64)
    unknown = np.flatnonzero(~np.isin(tid, known))
    if unknown.size:
        i = int(unknown[0])
        raise PolisInputError(f"{path}:{i + 2}: comment-id {int(tid[i])} is not in comments.csv")
    order = np.argsort(ts, kind="stable")  # chronological; ties keep file order
    votes = PolisVotes.from_arrays(pid[order], tid[order], vote[order].astype(np.float64))
    return votes, int(ts[order[-1]])


def _history_header(path: Path) -> list[int]:
    """Column indices of timestamp, comment-id, voter-id and vote in ``votes.csv``."""
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            header = next(csv.reader(fh), [])
    except FileNotFoundError as exc:
        raise PolisInputError(f"{path}: file not found") from exc
    except (csv.Error, UnicodeDecodeError) as exc:
        raise PolisInputError(f"{path}:1: malformed CSV ({exc})") from exc
    missing = [c for c in _HISTORY_COLUMNS if c not in header]
    if missing:
        raise PolisInputError(
            f"{path}:1: header lacks {', '.join(missing)} (expected {', '.join(_HISTORY_COLUMNS)})"
        )
    return [header.index(c) for c in _HISTORY_COLUMNS]


def _history_rows(path: Path, idx: list[int]) -> list[npt.NDArray[np.int64]]:
    """Row-by-row reading of ``votes.csv``; raises on the first bad row, naming its line."""
    width = max(idx) + 1
    cols: list[list[int]] = [[], [], [], []]
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            next(reader, None)
            for r in reader:
                line = reader.line_num
                if not r:
                    continue
                if len(r) < width:
                    raise PolisInputError(f"{path}:{line}: expected {width} fields, got {len(r)}")
                for col, i, name in zip(cols, idx, _HISTORY_COLUMNS, strict=True):
                    try:
                        col.append(int(r[i]))
                    except ValueError:
                        raise PolisInputError(
                            f"{path}:{line}: {name} {r[i]!r} is not an integer"
                        ) from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise PolisInputError(f"{path}: malformed CSV ({exc})") from exc
    return [np.array(c, dtype=np.int64) for c in cols]


def run(
    inp: PolisInput,
    previous: PolisHistory | None = None,
) -> PolisResult:
    """Convenience: :func:`polis_math` on a loaded :class:`PolisInput`."""
    return polis_math(
        inp.votes,
        mod_out=inp.mod_out,
        meta_tids=inp.meta_tids,
        mod_in=inp.mod_in,
        strict_moderation=inp.strict_moderation,
        previous=previous,
        last_vote_timestamp=inp.last_vote_timestamp,
    )


__all__: Sequence[str] = (
    "PolisHistory",
    "PolisInput",
    "PolisInputError",
    "PolisResult",
    "PolisVotes",
    "history_from_math_json",
    "history_from_result",
    "load_polis_export",
    "load_polis_math_fixture",
    "polis_math",
    "replay_in_conv",
    "run",
)
