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


def euclidean_matrix(points: FloatArray, rows: FloatArray | None = None) -> FloatArray:
    """Distances from ``rows`` (default: all points) to every point, as scikit-learn computes
    them (``|x|^2 + |y|^2 - 2 x.y``, clipped at 0; a point's distance to itself is 0)."""
    sq = (points * points).sum(axis=1)
    if rows is None:
        rows = points
    rsq = (rows * rows).sum(axis=1)
    d = -2.0 * (rows @ points.T)
    d += rsq[:, np.newaxis]
    d += sq[np.newaxis, :]
    np.maximum(d, 0.0, out=d)
    out: FloatArray = np.sqrt(d)
    return out


#: Rows of the distance matrix held at once by :func:`silhouettes` (memory ~ rows x n x 8 B).
CHUNK = 1024


def _valid(labels: IntArray) -> bool:
    n = labels.shape[0]
    return bool(2 <= np.unique(labels).size <= n - 1)


def silhouettes(points: FloatArray, label_sets: list[IntArray]) -> list[float]:
    """Mean silhouette of each labelling of ``points`` (scikit-learn ``silhouette_score``).

    One pass over the distance matrix, ``CHUNK`` rows at a time, serves every labelling (so
    memory stays linear in n). A point alone in its cluster scores 0; a labelling with fewer
    than 2 or more than n - 1 labels gets NaN, as scikit-learn refuses it.
    """
    n = points.shape[0]
    ks = [int(lab.max()) + 1 if n else 0 for lab in label_sets]
    offsets = np.concatenate([[0], np.cumsum(ks)]).astype(np.intp)
    onehot = np.zeros((n, int(offsets[-1])))
    for lab, off in zip(label_sets, offsets[:-1].tolist(), strict=True):
        onehot[np.arange(n), off + lab] = 1.0
    sums = np.empty((n, onehot.shape[1]))
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        d = euclidean_matrix(points, points[start:stop])
        d[np.arange(stop - start), np.arange(start, stop)] = 0.0
        sums[start:stop] = d @ onehot
    out = []
    for lab, off, k in zip(label_sets, offsets[:-1].tolist(), ks, strict=True):
        if not _valid(lab):
            out.append(float("nan"))
            continue
        out.append(_mean_silhouette(sums[:, off : off + k], lab))
    return out


def _mean_silhouette(sums: FloatArray, labels: IntArray) -> float:
    """Mean silhouette from each point's summed distance to every cluster (n, k)."""
    n, k = sums.shape
    freq = np.bincount(labels, minlength=k).astype(np.float64)
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


def silhouette_score(points: FloatArray, labels: IntArray) -> float:
    """Mean silhouette of one labelling (see :func:`silhouettes`)."""
    return silhouettes(points, [labels])[0]


def fresh_groups(points: FloatArray, max_k: int = 5) -> FreshGroups:
    """Group clustering of ``points`` (n, 2) for k = 2 .. ``max_k``, best silhouette wins."""
    sil: dict[int, float] = {k: float("nan") for k in range(2, max_k + 1)}
    fits: dict[int, tuple[IntArray, FloatArray]] = {}
    for k in sil:
        seeds = polis_seeds(points, k)
        if seeds is not None:
            fits[k] = lloyd(points, seeds)
    scores = silhouettes(points, [fits[k][0] for k in fits])
    sil.update(zip(fits, scores, strict=True))
    scored = [k for k in sorted(sil) if not np.isnan(sil[k])]
    if not scored:
        return FreshGroups(None, None, None, sil)
    best = max(scored, key=lambda k: (sil[k], -k))
    labels, centers = fits[best]
    return FreshGroups(best, labels, centers, sil)
