"""Pol.is k-means (base clusters and weighted group clusters) and silhouette.

Mirrors ``polismath.math.clusters``. Behaviour that matters for exact reproduction:

* a fresh clustering is seeded with the first ``k`` *distinct* points in row order;
* a clustering with history starts from the previous clusters (``clean-start-clusters``):
  recentre on the members' current positions, drop clusters with no member left, merge
  clusters with identical centres, then split off the most distal point until ``k`` (or the
  number of distinct points) is reached;
* iteration stops when the sorted centres all moved less than 0.01 (not at convergence), or
  after ``max_iters`` + 1 steps; clusters that lose all members disappear;
* ties in "closest centre" / "most distal point" go to the *later* candidate (Clojure
  ``min-key``/``max-key``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

#: Convergence threshold on centre movement (``same-clustering?``).
SAME_CLUSTERING_THRESHOLD = 0.01


@dataclass(frozen=True)
class Cluster:
    """A cluster: integer id, member names (pids or base-cluster ids) and 2-D centre."""

    id: int
    members: tuple[int, ...]
    center: tuple[float, float]


def _last_argmin(values: FloatArray) -> int:
    """Index of the minimum, preferring the last one on ties (Clojure ``min-key``)."""
    rev = values[::-1]
    return int(values.shape[0] - 1 - int(np.argmin(rev)))


def _weighted_center(points: FloatArray, weights: FloatArray | None) -> tuple[float, float]:
    if weights is None:
        c = points.mean(axis=0)
    else:
        c = (weights[:, np.newaxis] * points).sum(axis=0) / weights.sum()
    return (float(c[0]), float(c[1]))


def init_clusters(names: Sequence[int], points: FloatArray, k: int) -> list[Cluster]:
    """Seed clusters with the first ``k`` distinct points (in row order), ids 0..k-1."""
    seen: set[tuple[float, float]] = set()
    out: list[Cluster] = []
    for row in points:
        key = (float(row[0]), float(row[1]))
        if key in seen:
            continue
        seen.add(key)
        out.append(Cluster(len(out), (), key))
        if len(out) == k:
            break
    return out


def _step(
    names: Sequence[int], points: FloatArray, clusters: list[Cluster], weights: FloatArray | None
) -> list[Cluster]:
    """One k-means step: assign every point to its closest centre, recompute centres."""
    centers = np.array([c.center for c in clusters], dtype=np.float64)
    d = np.linalg.norm(points[:, np.newaxis, :] - centers[np.newaxis, :, :], axis=2)
    rev = d[:, ::-1]
    assign = len(clusters) - 1 - np.argmin(rev, axis=1)
    out: list[Cluster] = []
    for ci, clst in enumerate(clusters):
        idx = np.flatnonzero(assign == ci)
        if idx.size == 0:
            continue
        w = None if weights is None else weights[idx]
        out.append(
            Cluster(
                clst.id, tuple(names[i] for i in idx.tolist()), _weighted_center(points[idx], w)
            )
        )
    return out


def _same_clustering(a: list[Cluster], b: list[Cluster]) -> bool:
    ca = sorted(c.center for c in a)
    cb = sorted(c.center for c in b)
    return all(
        float(np.hypot(x[0] - y[0], x[1] - y[1])) < SAME_CLUSTERING_THRESHOLD
        for x, y in zip(ca, cb, strict=False)
    )


def _recenter(
    index: Mapping[int, int],
    points: FloatArray,
    clusters: list[Cluster],
    weights: FloatArray | None,
) -> list[Cluster]:
    """Recompute centres from members still present; drop clusters with none present."""
    out: list[Cluster] = []
    for c in clusters:
        rows = sorted(index[m] for m in c.members if m in index)
        if not rows:
            continue
        w = None if weights is None else weights[rows]
        out.append(Cluster(c.id, c.members, _weighted_center(points[rows], w)))
    return out


def _uniqify(clusters: list[Cluster], index: Mapping[int, int]) -> list[Cluster]:
    """Merge clusters with identical centres (larger cluster's id is kept)."""
    out: list[Cluster] = []
    for c in clusters:
        hit = next((i for i, o in enumerate(out) if o.center == c.center), None)
        if hit is None:
            out.append(c)
            continue
        o = out[hit]
        new_id = c.id if len(c.members) >= len(o.members) else o.id
        n1, n2 = len(o.members), len(c.members)
        cx = (o.center[0] * n1 + c.center[0] * n2) / (n1 + n2)
        cy = (o.center[1] * n1 + c.center[1] * n2) / (n1 + n2)
        out[hit] = Cluster(new_id, o.members + c.members, (cx, cy))
    return out


def clean_start_clusters(
    names: Sequence[int],
    points: FloatArray,
    previous: Sequence[Cluster],
    k: int,
    weights: FloatArray | None = None,
) -> list[Cluster]:
    """Prepare the previous update's clusters as k-means seeds (Pol.is ``clean-start-clusters``)."""
    index = {n: i for i, n in enumerate(names)}
    clusters = _uniqify(_recenter(index, points, list(previous), weights), index)
    if not clusters:
        return init_clusters(names, points, k)
    possible = min(k, len({(float(p[0]), float(p[1])) for p in points}))
    while True:
        clusters = _recenter(index, points, clusters, weights)
        if possible <= len(clusters):
            return clusters
        centers = np.array([c.center for c in clusters], dtype=np.float64)
        d = np.linalg.norm(points[:, np.newaxis, :] - centers[np.newaxis, :, :], axis=2)
        nearest = d.min(axis=1)
        far = int(nearest.shape[0] - 1 - int(np.argmax(nearest[::-1])))
        if nearest[far] <= 0:
            return clusters
        outlier = names[far]
        clusters = [
            Cluster(c.id, tuple(m for m in c.members if m != outlier), c.center) for c in clusters
        ]
        clusters = [c for c in clusters if any(m in index for m in c.members)]
        new_id = max(c.id for c in clusters) + 1 if clusters else 0
        clusters.append(Cluster(new_id, (outlier,), (float(points[far, 0]), float(points[far, 1]))))


def kmeans(
    names: Sequence[int],
    points: FloatArray,
    k: int,
    *,
    last_clusters: Sequence[Cluster] | None = None,
    max_iters: int = 20,
    weights: FloatArray | None = None,
) -> list[Cluster]:
    """Pol.is ``kmeans``; returns clusters sorted by id. ``points`` is (n, 2)."""
    if len(names) == 0:
        return []
    if last_clusters:
        clusters = clean_start_clusters(names, points, last_clusters, k, weights)
    else:
        clusters = init_clusters(names, points, k)
    for remaining in range(max_iters, -1, -1):
        new = _step(names, points, clusters, weights)
        if remaining == 0 or _same_clustering(clusters, new):
            clusters = new
            break
        clusters = new
    return sorted(clusters, key=lambda c: c.id)


def silhouette(names: Sequence[int], points: FloatArray, clusters: Sequence[Cluster]) -> float:
    """Mean silhouette over all clustered points; a point alone in its cluster scores 0."""
    index = {n: i for i, n in enumerate(names)}
    dist = np.linalg.norm(points[:, np.newaxis, :] - points[np.newaxis, :, :], axis=2)
    label = np.full(len(names), -1)
    for ci, c in enumerate(clusters):
        for m in c.members:
            label[index[m]] = ci
    scores: list[float] = []
    for c in clusters:
        for m in c.members:
            i = index[m]
            own = [index[o] for o in c.members if o != m]
            if not own:
                scores.append(0.0)
                continue
            a = float(dist[i, own].mean())
            others = [
                float(dist[i, [index[o] for o in other.members]].mean())
                for other in clusters
                if other is not c
            ]
            if not others:
                scores.append(0.0)
                continue
            b = min(others)
            scores.append((b - a) / max(a, b) if max(a, b) > 0 else 0.0)
    return float(np.mean(scores)) if scores else 0.0
