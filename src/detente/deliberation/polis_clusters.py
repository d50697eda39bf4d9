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
  ``min-key``/``max-key``), ties being equal Euclidean distances.

The k-means loop is vectorised over points and centres (with exact Hamerly bounds for the 100
base clusters); tests compare it with a loop-by-loop reference. This module is the path taken
when Pol.is' history is given (:class:`detente.deliberation.polis.PolisHistory`); a
computation from scratch uses :mod:`detente.deliberation.polis_fresh`.
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


def _distances(points: FloatArray, centers: FloatArray) -> FloatArray:
    """Euclidean distances (n_points, n_centers), computed as ``sqrt(dx*dx + dy*dy)``.

    Same arithmetic as ``np.linalg.norm`` along the last axis, so ties and the convergence
    test see identical values; written out because it is the hot loop of k-means.
    """
    dx = points[:, 0, np.newaxis] - centers[np.newaxis, :, 0]
    dy = points[:, 1, np.newaxis] - centers[np.newaxis, :, 1]
    out: FloatArray = np.sqrt(dx * dx + dy * dy)
    return out


def _nearest_two(
    points: FloatArray, centers: FloatArray
) -> tuple[npt.NDArray[np.intp], FloatArray, FloatArray]:
    """Closest centre per point (ties to the later centre, Clojure ``min-key``), the distance
    to it and the distance to the second closest (inf with a single centre).

    Pol.is compares Euclidean distances, so two centres whose *squared* distances differ in
    the last bit can still tie once the square root is taken. We rank by squared distance
    (cheaper) and redo the rare rows whose two best squared distances are that close with
    the square roots, so ties are broken exactly as Pol.is breaks them.
    """
    m = centers.shape[0]
    rev = centers[::-1]
    sq = np.subtract.outer(points[:, 0], rev[:, 0])
    dy = np.subtract.outer(points[:, 1], rev[:, 1])
    sq *= sq
    dy *= dy
    sq += dy
    j = np.argmin(sq, axis=1)
    rows = np.arange(points.shape[0])
    best = sq[rows, j]
    if m > 1:
        sq[rows, j] = np.inf
        second = sq.min(axis=1)
        close = np.flatnonzero(second <= best * (1.0 + 1e-12))
        if close.size:
            d = _distances(points[close], rev)
            j[close] = np.argmin(d, axis=1)
            best[close] = d[np.arange(close.size), j[close]] ** 2
    else:
        second = np.full(points.shape[0], np.inf)
    assign: npt.NDArray[np.intp] = m - 1 - j
    return assign, np.sqrt(best), np.sqrt(second)


def _same_centers(a: FloatArray, b: FloatArray) -> bool:
    """Pol.is ``same-clustering?``: sorted centres pairwise closer than the threshold."""
    sa = a[np.lexsort((a[:, 1], a[:, 0]))]
    sb = b[np.lexsort((b[:, 1], b[:, 0]))]
    n = min(sa.shape[0], sb.shape[0])
    d = _distances(sa[:n], sb[:n]).diagonal() if n else np.zeros(0)
    return bool(np.all(d < SAME_CLUSTERING_THRESHOLD))


def _lloyd(
    points: FloatArray,
    centers: FloatArray,
    ids: npt.NDArray[np.int64],
    weights: FloatArray | None,
    max_iters: int,
) -> tuple[npt.NDArray[np.intp], FloatArray, npt.NDArray[np.int64]]:
    """Iterate k-means steps as Pol.is does; returns (assignment, centres, ids) of the result.

    Each step assigns every point to its closest centre and moves each centre to the
    (weighted) mean of its points; clusters left without points are dropped. Stops after the
    step whose centres are all within the threshold of the previous ones, or after
    ``max_iters`` + 1 steps.

    Exact acceleration for many centres (Hamerly's bounds): per point we keep an upper bound
    on the distance to its centre and a lower bound on the distance to any other centre,
    widened by how far centres moved. A point whose upper bound is clearly below its lower
    bound cannot change centre, so only the other points are re-measured. Points with
    (near-)ties are always re-measured: the assignments, tie-breaking included, are those of
    measuring every pair.
    """
    n = points.shape[0]
    w = np.ones(n) if weights is None else weights
    wx, wy = w * points[:, 0], w * points[:, 1]
    if n * centers.shape[0] <= _SMALL:
        return _lloyd_small(points, centers, ids, w, wx, wy, max_iters)
    positive = bool(np.all(w > 0))
    assign = np.zeros(n, dtype=np.intp)
    upper = np.full(n, np.inf)
    lower = np.zeros(n)
    for remaining in range(max_iters, -1, -1):
        stale = np.flatnonzero(upper >= lower - 1e-9 * (1.0 + upper))
        if stale.size:
            assign[stale], upper[stale], lower[stale] = _nearest_two(points[stale], centers)
        m = centers.shape[0]
        total = np.bincount(assign, weights=w, minlength=m)
        keep = total > 0 if positive else np.bincount(assign, minlength=m) > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            new = np.column_stack(
                [
                    np.bincount(assign, weights=wx, minlength=m) / total,
                    np.bincount(assign, weights=wy, minlength=m) / total,
                ]
            )[keep]
        moved = centers[keep] - new
        shift = np.sqrt((moved * moved).sum(axis=1))
        assign = (np.cumsum(keep) - 1)[assign]
        done = remaining == 0 or _same_centers(centers, new)
        centers, ids = new, ids[keep]
        if done:
            break
        upper += shift[assign]
        lower -= shift.max()
    return assign, centers, ids


#: Problems with at most this many point-centre pairs skip the bounds bookkeeping.
_SMALL = 4096


def _lloyd_small(
    points: FloatArray,
    centers: FloatArray,
    ids: npt.NDArray[np.int64],
    w: FloatArray,
    wx: FloatArray,
    wy: FloatArray,
    max_iters: int,
) -> tuple[npt.NDArray[np.intp], FloatArray, npt.NDArray[np.int64]]:
    """:func:`_lloyd` without bounds, for small problems (group clusters): fewer calls."""
    px, py = points[:, 0, np.newaxis], points[:, 1, np.newaxis]
    assign = np.zeros(points.shape[0], dtype=np.intp)
    for remaining in range(max_iters, -1, -1):
        m = centers.shape[0]
        rev = centers[::-1]
        dx = px - rev[:, 0]
        dy = py - rev[:, 1]
        # Euclidean (not squared) distances: Pol.is' ties are ties of the square roots.
        assign = m - 1 - np.argmin(np.sqrt(dx * dx + dy * dy), axis=1)
        total = np.bincount(assign, weights=w, minlength=m)
        keep = np.bincount(assign, minlength=m) > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            new = np.column_stack(
                [
                    np.bincount(assign, weights=wx, minlength=m) / total,
                    np.bincount(assign, weights=wy, minlength=m) / total,
                ]
            )[keep]
        assign = (np.cumsum(keep) - 1)[assign]
        done = remaining == 0 or _same_centers(centers, new)
        centers, ids = new, ids[keep]
        if done:
            break
    return assign, centers, ids


def _to_clusters(
    names: Sequence[int],
    assign: npt.NDArray[np.intp],
    centers: FloatArray,
    ids: npt.NDArray[np.int64],
) -> list[Cluster]:
    order = np.argsort(assign, kind="stable")
    bounds = np.searchsorted(assign[order], np.arange(centers.shape[0] + 1))
    out: list[Cluster] = []
    for ci in range(centers.shape[0]):
        rows = order[bounds[ci] : bounds[ci + 1]].tolist()
        out.append(
            Cluster(
                int(ids[ci]),
                tuple(names[i] for i in rows),
                (float(centers[ci, 0]), float(centers[ci, 1])),
            )
        )
    return out


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
    """Pol.is ``kmeans``; returns clusters sorted by id. ``points`` is (n, 2).

    Members are listed in row order of ``points``. Vectorised over points and centres; the
    arithmetic (distances, tie-breaking, stopping rule) is that of Pol.is.
    """
    if len(names) == 0:
        return []
    if last_clusters:
        start = clean_start_clusters(names, points, last_clusters, k, weights)
    else:
        start = init_clusters(names, points, k)
    centers = np.array([c.center for c in start], dtype=np.float64).reshape(-1, 2)
    ids = np.array([c.id for c in start], dtype=np.int64)
    assign, centers, ids = _lloyd(points, centers, ids, weights, max_iters)
    return sorted(_to_clusters(names, assign, centers, ids), key=lambda c: c.id)


def _silhouette_labels(dist: FloatArray, label: npt.NDArray[np.intp], k: int) -> float:
    """Mean silhouette of points with cluster ``label`` (0..k-1) and distance matrix ``dist``.

    ``a`` is the mean distance to the other members of the point's cluster, ``b`` the
    smallest mean distance to the members of another cluster; a point alone in its cluster,
    a point whose cluster is the only one, or one with ``a = b = 0`` scores 0 (Pol.is would
    divide by zero in the last case).
    """
    n = label.shape[0]
    if n == 0:
        return 0.0
    onehot = np.zeros((n, k))
    rows = np.arange(n)
    onehot[rows, label] = 1.0
    sizes = onehot.sum(axis=0)
    sums = dist @ onehot
    own_n = sizes[label] - 1.0
    with np.errstate(invalid="ignore", divide="ignore"):
        a = sums[rows, label] / own_n
        means = sums / sizes[np.newaxis, :]
    means[rows, label] = np.inf
    b = means.min(axis=1) if k > 1 else np.full(n, np.inf)
    top = np.maximum(a, b)
    valid = (own_n > 0) & np.isfinite(b) & (top > 0)
    scores = np.zeros(n)
    scores[valid] = (b[valid] - a[valid]) / top[valid]
    return float(scores.mean())


def silhouette(names: Sequence[int], points: FloatArray, clusters: Sequence[Cluster]) -> float:
    """Mean silhouette over all clustered points (see :func:`_silhouette_labels`)."""
    index = {n: i for i, n in enumerate(names)}
    rows = [index[m] for c in clusters for m in c.members]
    label = np.repeat(np.arange(len(clusters)), [len(c.members) for c in clusters])
    pts = points[rows]
    return _silhouette_labels(_distances(pts, pts), label, len(clusters))


@dataclass(frozen=True)
class TwoLevel:
    """One Pol.is clustering pass: base clusters, group clusters for every k, silhouettes.

    ``best_k`` is the k with the highest silhouette (ties to the larger k, as Clojure
    ``max-key`` returns the last maximum over k = 2, 3, ...).
    """

    base: tuple[Cluster, ...]
    by_k: Mapping[int, tuple[Cluster, ...]]
    silhouettes: Mapping[int, float]
    best_k: int | None


def _max_group_k(n_base: int, max_group_k: int) -> int:
    """Pol.is ``max-k-fn``: at most ``max_group_k`` and 2 + n_base // 12."""
    return min(max_group_k, 2 + n_base // 12)


def _best_k(sil: Mapping[int, float]) -> int:
    return max(sil, key=lambda k: (sil[k], k))


def two_level(
    names: Sequence[int],
    points: FloatArray,
    *,
    base_k: int,
    base_iters: int,
    max_group_k: int,
    last_base: Sequence[Cluster] | None = None,
    last_groups: Mapping[int, Sequence[Cluster]] | None = None,
) -> TwoLevel:
    """Base clusters (k = ``base_k``) over participants, then weighted group clusterings of
    the base-cluster centres for k = 2 .. min(``max_group_k``, 2 + n_base // 12), each scored
    by the silhouette of the base-cluster centres (Pol.is ``conversation.clj``).

    ``last_base``/``last_groups`` are the previous update's clusters (Pol.is history)."""
    base = kmeans(names, points, base_k, last_clusters=last_base or None, max_iters=base_iters)
    bids = [c.id for c in base]
    bpts = np.array([c.center for c in base], dtype=np.float64).reshape(-1, 2)
    weights = np.array([len(c.members) for c in base], dtype=np.float64)
    groups = last_groups or {}
    by_k = {
        k: tuple(kmeans(bids, bpts, k, last_clusters=groups.get(k) or None, weights=weights))
        for k in range(2, _max_group_k(len(base), max_group_k) + 1)
    }
    sil = {k: silhouette(bids, bpts, c) for k, c in by_k.items()}
    return TwoLevel(tuple(base), by_k, sil, _best_k(sil))
