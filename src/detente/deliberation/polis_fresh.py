"""Group clustering of a Pol.is conversation computed from scratch (no carried history).

Pol.is never computes its groups from scratch: every update starts k-means from the previous
update's base clusters, so a published grouping depends on the order in which participants
arrived and on when the worker ran - none of which an export records. A from-scratch run has
to choose; we choose what red-dwarf 0.4.0 (``reddwarf.implementations.polis.run_pipeline``,
the maintained Python port of Pol.is' math) does, because it is documented, runnable, and
reproduces Pol.is' published groups where Pol.is' own history does not matter:

* k-means of the in-conversation participants' projections *directly* (no 100 base
  clusters, whose only role in Pol.is is to carry state between updates cheaply);
* for every k = 2 .. ``max_k``: seeds are the first k rows of the *sorted* distinct points
  (red-dwarf ``PolisKMeans(init="polis")``: ``numpy.unique(X, axis=0)[:k]``), then Lloyd
  iterations as scikit-learn's ``KMeans(algorithm="lloyd", max_iter=300, tol=1e-4)`` runs
  them (data centred, tolerance scaled by the mean feature variance, stop on identical
  labels or a small total centre shift, empty clusters relocated to the farthest points);
* each k scored by the mean silhouette over participants; the best k wins, ties to the
  *smaller* k (scikit-learn ``GridSearchCV`` ranks ties equal and keeps the first).

Arithmetic follows scikit-learn's formulas (squared distances as ``|c|^2 - 2 x.c`` for the
assignment, ``|x|^2 + |y|^2 - 2 x.y`` for the silhouette), so near-ties break the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

#: k-means iteration cap and relative tolerance (scikit-learn ``KMeans`` defaults).
MAX_ITER = 300
TOL = 1e-4


@dataclass(frozen=True)
class FreshGroups:
    """Outcome of :func:`fresh_groups`.

    ``labels``: group index (0..k-1) per input row for the chosen k, or ``None`` when no k
    could be fitted. ``silhouettes``: mean silhouette per k tried (NaN when that k could not
    be fitted: fewer distinct points than k, or fewer than k + 1 points). ``centers``: group
    centres of the chosen k, (k, 2).
    """

    k: int | None
    labels: IntArray | None
    centers: FloatArray | None
    silhouettes: Mapping[int, float]


def polis_seeds(points: FloatArray, k: int) -> FloatArray | None:
    """First ``k`` rows of the lexicographically sorted distinct points, or None if fewer."""
    uniq = np.unique(points, axis=0)
    if uniq.shape[0] < k:
        return None
    out: FloatArray = uniq[:k].copy()
    return out


def _assign(x: FloatArray, centers: FloatArray) -> IntArray:
    """Closest centre per row by ``|c|^2 - 2 x.c`` (scikit-learn's Lloyd), first on ties."""
    d = (centers * centers).sum(axis=1)[np.newaxis, :] - 2.0 * (x @ centers.T)
    out: IntArray = np.argmin(d, axis=1)
    return out


def _update(x: FloatArray, labels: IntArray, centers: FloatArray) -> tuple[FloatArray, FloatArray]:
    """New centres (means of members) with empty clusters relocated like scikit-learn.

    An empty cluster takes the point farthest from its current centre (largest first), which
    leaves its old cluster. Returns (new centres, weight per cluster)."""
    k = centers.shape[0]
    sums = np.zeros((k, 2))
    np.add.at(sums, labels, x)
    weight = np.bincount(labels, minlength=k).astype(np.float64)
    empty = np.flatnonzero(weight == 0)
    if empty.size:
        far = ((x - centers[labels]) ** 2).sum(axis=1)
        order = np.argsort(-far, kind="stable")[: empty.size]
        for new_id, idx in zip(empty.tolist(), order.tolist(), strict=True):
            old_id = int(labels[idx])
            sums[old_id] -= x[idx]
            sums[new_id] = x[idx]
            weight[new_id] = 1.0
            weight[old_id] -= 1.0
    new: FloatArray = sums / np.maximum(weight, 1e-300)[:, np.newaxis]
    return new, weight


def lloyd(
    points: FloatArray, seeds: FloatArray, max_iter: int = MAX_ITER, tol: float = TOL
) -> tuple[IntArray, FloatArray]:
    """scikit-learn Lloyd k-means from ``seeds``; returns (labels, centres).

    Centres the data first (as scikit-learn does for dense input), stops when labels repeat
    or the summed squared centre shift is at most ``tol`` times the mean feature variance,
    and after a non-strict stop reassigns labels to the final centres."""
    mean = points.mean(axis=0)
    x = points - mean
    tol_abs = float(np.mean(np.var(points, axis=0))) * tol
    centers = seeds - mean
    labels = np.full(x.shape[0], -1, dtype=np.intp)
    strict = False
    for _ in range(max_iter):
        new_labels = _assign(x, centers)
        new_centers, _ = _update(x, new_labels, centers)
        shift = float(((new_centers - centers) ** 2).sum())
        centers = new_centers
        if np.array_equal(new_labels, labels):
            labels = new_labels
            strict = True
            break
        labels = new_labels
        if shift <= tol_abs:
            break
    if not strict:
        labels = _assign(x, centers)
    return labels, centers + mean


def euclidean_matrix(points: FloatArray) -> FloatArray:
    """Pairwise distances as scikit-learn computes them (dot-product form, zero diagonal)."""
    sq = (points * points).sum(axis=1)
    d = -2.0 * (points @ points.T)
    d += sq[:, np.newaxis]
    d += sq[np.newaxis, :]
    np.maximum(d, 0.0, out=d)
    np.fill_diagonal(d, 0.0)
    out: FloatArray = np.sqrt(d)
    return out


def silhouette_score(dist: FloatArray, labels: IntArray) -> float:
    """Mean silhouette (scikit-learn ``silhouette_score``); points alone in a cluster score 0.

    Requires 2 <= number of labels <= n - 1 (else NaN, as scikit-learn refuses)."""
    n = labels.shape[0]
    k = int(labels.max()) + 1 if n else 0
    freq = np.bincount(labels, minlength=k).astype(np.float64)
    n_labels = int((freq > 0).sum())
    if not 2 <= n_labels <= n - 1:
        return float("nan")
    onehot = np.zeros((n, k))
    onehot[np.arange(n), labels] = 1.0
    sums = dist @ onehot
    rows = np.arange(n)
    with np.errstate(invalid="ignore", divide="ignore"):
        intra = sums[rows, labels] / (freq[labels] - 1.0)
        means = sums / freq[np.newaxis, :]
    means[rows, labels] = np.inf
    means[:, freq == 0] = np.inf
    inter = means.min(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        sil = (inter - intra) / np.maximum(intra, inter)
    sil = np.nan_to_num(sil)
    sil[freq[labels] == 1] = 0.0
    return float(sil.mean())


def fresh_groups(points: FloatArray, max_k: int = 5) -> FreshGroups:
    """Group clustering of ``points`` (n, 2) for k = 2 .. ``max_k``, best silhouette wins."""
    sil: dict[int, float] = {}
    fits: dict[int, tuple[IntArray, FloatArray]] = {}
    dist: FloatArray | None = None
    for k in range(2, max_k + 1):
        seeds = polis_seeds(points, k)
        if seeds is None:
            sil[k] = float("nan")
            continue
        labels, centers = lloyd(points, seeds)
        if dist is None:
            dist = euclidean_matrix(points)
        sil[k] = silhouette_score(dist, labels)
        fits[k] = (labels, centers)
    scored = [k for k in sorted(sil) if not np.isnan(sil[k])]
    if not scored:
        return FreshGroups(None, None, None, sil)
    best = max(scored, key=lambda k: (sil[k], -k))
    labels, centers = fits[best]
    return FreshGroups(best, labels, centers, sil)
