"""Pol.is representative statements, consensus, group votes and comment priorities.

Mirrors ``polismath.math.repness``, ``polismath.math.stats`` and the vote-aggregation nodes
of ``polismath.math.conversation``. Matrices use Pol.is' internal sign (agree = -1).
Every statistic uses Pol.is' pseudocounts (+1 successes, +2 trials for probabilities; +1 on
every count in the z-tests), so no division by zero can occur.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

#: One-sided z threshold for 90 % confidence (``z-sig-90?``).
Z_90 = 1.2816
#: Maximum representative comments per group, and consensus comments per side.
MAX_REPRESENTATIVE = 5
#: Priority given to meta comments before squaring (``meta-priority``).
META_PRIORITY = 7.0


def prop_test(succ: FloatArray, n: FloatArray) -> FloatArray:
    """One-proportion z-like score against 0.5 with +1 pseudocounts."""
    s, t = succ + 1.0, n + 1.0
    out: FloatArray = 2.0 * np.sqrt(t) * (s / t - 0.5)
    return out


def two_prop_test(
    succ_in: FloatArray, succ_out: FloatArray, pop_in: FloatArray, pop_out: FloatArray
) -> FloatArray:
    """Two-proportion z-test with +1 pseudocounts; 0 where the pooled proportion is 1."""
    s1, s2, n1, n2 = succ_in + 1.0, succ_out + 1.0, pop_in + 1.0, pop_out + 1.0
    pi_hat = (s1 + s2) / (n1 + n2)
    denom = np.sqrt(pi_hat * (1.0 - pi_hat) * (1.0 / n1 + 1.0 / n2))
    safe = np.where(pi_hat == 1.0, 1.0, denom)
    out: FloatArray = np.where(pi_hat == 1.0, 0.0, (s1 / n1 - s2 / n2) / safe)
    return out


def _f32(x: float) -> float:
    """Pol.is publishes ``repness-test`` as a Java float: round through float32 (shortest repr)."""
    return float(str(np.float32(x)))


def comment_counts(mat: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per-column (agree, disagree, seen) counts; seen includes passes."""
    na = (mat == -1.0).sum(axis=0).astype(np.float64)
    nd = (mat == 1.0).sum(axis=0).astype(np.float64)
    ns = (~np.isnan(mat)).sum(axis=0).astype(np.float64)
    return na, nd, ns


def _finalize(tid: int, s: Mapping[str, float]) -> dict[str, Any]:
    agree = s["rat"] > s["rdt"]
    return {
        "tid": tid,
        "n-success": int(s["na"] if agree else s["nd"]),
        "n-trials": int(s["ns"]),
        "p-success": s["pa"] if agree else s["pd"],
        "p-test": s["pat"] if agree else s["pdt"],
        "repness": s["ra"] if agree else s["rd"],
        "repness-test": _f32(s["rat"] if agree else s["rdt"]),
        "repful-for": "agree" if agree else "disagree",
    }


def _beats_best_agree(s: Mapping[str, float], best: Mapping[str, float] | None) -> bool:
    if s["na"] == 0 and s["nd"] == 0:
        return False
    if best is not None and best["ra"] > 1.0:
        return s["ra"] * s["rat"] * s["pa"] * s["pat"] > (
            best["ra"] * best["rat"] * best["pa"] * best["pat"]
        )
    if best is not None:
        return s["pa"] * s["pat"] > best["pa"] * best["pat"]
    return bool(s["pat"] > Z_90 or (s["ra"] > 1.0 and s["pa"] > 0.5))


def _passes(s: Mapping[str, float]) -> bool:
    return bool((s["rat"] > Z_90 and s["pat"] > Z_90) or (s["rdt"] > Z_90 and s["pdt"] > Z_90))


def _metric(r: Mapping[str, Any]) -> float:
    return float(r["repness"] * r["repness-test"] * r["p-success"] * r["p-test"])


def repness(
    mat: FloatArray,
    row_index: Mapping[int, int],
    tids: Sequence[int],
    groups: Sequence[tuple[int, Sequence[int]]],
    mod_out: frozenset[int],
) -> dict[int, list[dict[str, Any]]]:
    """Representative comments per group (Pol.is ``conv-repness`` + ``select-rep-comments``).

    ``groups`` is a sequence of (group id, member pids). For each group and comment, the
    group is compared with the union of the *other groups* (not with everybody). A comment is
    "sufficient" if both its probability and its representativeness z-scores pass 90 %
    (agree side or disagree side). Per group: drop the best-agree comment from the sufficient
    list, sort by ``repness * repness-test * p-success * p-test``, put best-agree first, keep
    5 and list agrees before disagrees. If nothing is sufficient, the single best comment
    (best-agree preferred) is returned.
    """
    if not groups:
        return {}
    stats = _group_stats(mat, row_index, groups)
    return {gid: _group_repness(gi, tids, stats, mod_out) for gi, (gid, _) in enumerate(groups)}


def _group_stats(
    mat: FloatArray, row_index: Mapping[int, int], groups: Sequence[tuple[int, Sequence[int]]]
) -> dict[str, FloatArray]:
    """Per statistic, a (group × comment) array: each group's agree/disagree/seen counts, its
    agree and disagree probabilities and their tests, and its representativeness against the
    other groups with their tests."""
    counts = []
    for _, members in groups:
        rows = [row_index[p] for p in members]
        counts.append(comment_counts(mat[rows]))
    na = np.vstack([c[0] for c in counts])
    nd = np.vstack([c[1] for c in counts])
    ns = np.vstack([c[2] for c in counts])
    rest_na, rest_nd, rest_ns = na.sum(0) - na, nd.sum(0) - nd, ns.sum(0) - ns
    stats = {
        "na": na,
        "nd": nd,
        "ns": ns,
        "pa": (1 + na) / (2 + ns),
        "pd": (1 + nd) / (2 + ns),
        "pat": prop_test(na, ns),
        "pdt": prop_test(nd, ns),
        "ra": ((1 + na) / (2 + ns)) / ((1 + rest_na) / (2 + rest_ns)),
        "rd": ((1 + nd) / (2 + ns)) / ((1 + rest_nd) / (2 + rest_ns)),
        "rat": two_prop_test(na, rest_na, ns, rest_ns),
        "rdt": two_prop_test(nd, rest_nd, ns, rest_ns),
    }
    return stats


def _group_repness(
    gi: int, tids: Sequence[int], stats: Mapping[str, FloatArray], mod_out: frozenset[int]
) -> list[dict[str, Any]]:
    """The representative comments of the group in row `gi` of `stats` (see :func:`repness`)."""
    sufficient: list[dict[str, Any]] = []
    best: dict[str, Any] | None = None
    best_agree: dict[str, float] | None = None
    best_agree_tid = -1
    for ci, tid in enumerate(tids):
        if tid in mod_out:
            continue
        s = {k: float(v[gi, ci]) for k, v in stats.items()}
        if _passes(s):
            sufficient.append(_finalize(tid, s))
        if not sufficient and (best is None or max(s["rat"], s["rdt"]) > best["repness-test"]):
            best = _finalize(tid, s)
        if _beats_best_agree(s, best_agree):
            best_agree, best_agree_tid = s, tid
    head: list[dict[str, Any]] = []
    if best_agree is not None:
        ba = _finalize(best_agree_tid, best_agree)
        ba["n-agree"] = int(best_agree["na"])
        ba["best-agree"] = True
        head = [ba]
    elif best is not None:
        head = [best]
    if not sufficient:
        return head
    rest = [r for r in sufficient if r["tid"] != best_agree_tid]
    rest.sort(key=lambda r: -_metric(r))
    chosen = ([*head[:1], *rest] if best_agree is not None else rest)[:MAX_REPRESENTATIVE]
    return [r for r in chosen if r["repful-for"] == "agree"] + [
        r for r in chosen if r["repful-for"] == "disagree"
    ]


def consensus(
    mat: FloatArray, tids: Sequence[int], mod_out: frozenset[int]
) -> dict[str, list[dict[str, Any]]]:
    """Consensus comments over *all* participants (Pol.is ``select-consensus-comments``).

    A side qualifies when its probability exceeds 0.5 and its z-score passes 90 %; comments
    are ranked by p x z and the top 5 per side are returned.
    """
    na, nd, ns = comment_counts(mat)
    pa, pd = (1 + na) / (2 + ns), (1 + nd) / (2 + ns)
    pat, pdt = prop_test(na, ns), prop_test(nd, ns)
    keep = np.array([t not in mod_out for t in tids], dtype=bool)
    out: dict[str, list[dict[str, Any]]] = {}
    for side, n, p, z in (("agree", na, pa, pat), ("disagree", nd, pd, pdt)):
        ok = np.flatnonzero(keep & (p > 0.5) & (z > Z_90))
        order = sorted(ok.tolist(), key=lambda i: -float(p[i] * z[i]))[:MAX_REPRESENTATIVE]
        out[side] = [
            {
                "tid": int(tids[i]),
                "n-success": int(n[i]),
                "n-trials": int(ns[i]),
                "p-success": float(p[i]),
                "p-test": float(z[i]),
            }
            for i in order
        ]
    return out


def votes_base(
    raw: FloatArray,
    row_index: Mapping[int, int],
    tids: Sequence[int],
    buckets: Sequence[Sequence[int]],
) -> dict[int, dict[str, list[int]]]:
    """Per comment, agree/disagree/seen counts per base cluster (in base-cluster id order)."""
    sizes = [len(m) for m in buckets]
    agree = np.zeros((len(buckets), raw.shape[1]), dtype=np.int64)
    disagree = np.zeros_like(agree)
    seen = np.zeros_like(agree)
    if any(sizes):
        # Rows grouped bucket by bucket, then one segmented sum per statistic.
        rows = np.array([row_index[p] for m in buckets for p in m], dtype=np.intp)
        sub = raw[rows]
        full = np.flatnonzero(np.array(sizes) > 0)
        starts = (np.cumsum(sizes) - np.array(sizes))[full]
        agree[full] = np.add.reduceat((sub < 0).astype(np.int64), starts, axis=0)
        disagree[full] = np.add.reduceat((sub > 0).astype(np.int64), starts, axis=0)
        seen[full] = np.add.reduceat((~np.isnan(sub)).astype(np.int64), starts, axis=0)
    return {
        int(t): {"A": agree[:, i].tolist(), "D": disagree[:, i].tolist(), "S": seen[:, i].tolist()}
        for i, t in enumerate(tids)
    }


def group_votes(
    vb: Mapping[int, Mapping[str, Sequence[int]]],
    bucket_sizes: Sequence[int],
    groups: Sequence[tuple[int, Sequence[int]]],
) -> dict[int, dict[str, Any]]:
    """Sum ``votes-base`` over the base clusters (given by bucket *index*) of each group."""
    tids = list(vb)
    counts = {
        key: np.array([vb[t][key] for t in tids], dtype=np.int64).reshape(len(tids), -1)
        for key in ("A", "D", "S")
    }
    out: dict[int, dict[str, Any]] = {}
    for gid, bucket_idx in groups:
        idx = np.asarray(list(bucket_idx), dtype=np.intp)
        sums = {key: c[:, idx].sum(axis=1).tolist() for key, c in counts.items()}
        out[gid] = {
            "n-members": int(sum(bucket_sizes[i] for i in idx.tolist())),
            "votes": {
                tid: {"A": sums["A"][j], "D": sums["D"][j], "S": sums["S"][j]}
                for j, tid in enumerate(tids)
            },
        }
    return out


def group_aware_consensus(gv: Mapping[int, Mapping[str, Any]]) -> dict[int, float]:
    """Per comment, product over groups of (A + 1) / (S + 2)."""
    out: dict[int, float] = {}
    for stats in gv.values():
        for tid, v in stats["votes"].items():
            out[tid] = out.get(tid, 1.0) * ((v["A"] + 1.0) / (v["S"] + 2.0))
    return out


def comment_priorities(
    previous_group_votes: Mapping[int, Mapping[str, Any]] | None,
    tids: Sequence[int],
    extremity: FloatArray,
    meta_tids: frozenset[int],
) -> dict[int, float]:
    """Pol.is comment priorities (routing weights).

    Pol.is computes them from the *previous* update's group votes (a quirk of the reference:
    it reads ``(:group-votes conv)``), so pass the previous state's group votes to match it;
    with none, all counts are 0.
    """
    out: dict[int, float] = {}
    for i, tid in enumerate(tids):
        if tid in meta_tids:
            out[tid] = META_PRIORITY**2
            continue
        a = d = s = 0
        for g in (previous_group_votes or {}).values():
            v = g["votes"].get(tid)
            if v is not None:
                a, d, s = a + v["A"], d + v["D"], s + v["S"]
        p = s - (a + d)
        importance = (1 - (p + 1) / (s + 2)) * (float(extremity[i]) + 1) * ((a + 1) / (s + 2))
        out[tid] = (importance * (1 + 8 * 2 ** (s / -5))) ** 2
    return out
