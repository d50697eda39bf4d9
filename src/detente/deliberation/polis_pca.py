"""Pol.is rating matrix, power-iteration PCA and sparsity-aware projection.

Mirrors ``polismath.math.pca`` and the matrix steps of ``polismath.math.conversation``.
All arrays here use Pol.is' *internal* vote sign (agree = -1, disagree = +1, pass = 0,
missing = NaN), because the published ``pca.center`` and projections are in that convention.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

#: Power-iteration steps per component (``:pca-iters`` in Pol.is).
PCA_ITERS = 100


@dataclass(frozen=True)
class PcaResult:
    """Two principal components of the mean-imputed rating matrix.

    ``comps`` has shape (2, n_comments); ``center`` the column means (n_comments,).
    ``comment_projection`` is (2, n_comments) and ``comment_extremity`` (n_comments,), as
    published under ``pca`` in ``math-pca2.json``.
    """

    center: FloatArray
    comps: FloatArray
    comment_projection: FloatArray
    comment_extremity: FloatArray


def zero_out_columns(mat: FloatArray, tids: tuple[int, ...], mod_out: frozenset[int]) -> FloatArray:
    """Copy with moderated-out columns set to 0 for *every* row (Pol.is ``zero-out-columns``).

    Note that missing votes in those columns become 0 too, so they count as "votes" in the
    sparsity-aware projection, exactly as in Pol.is.
    """
    out = mat.copy()
    cols = [i for i, t in enumerate(tids) if t in mod_out]
    if cols:
        out[:, cols] = 0.0
    return out


def impute_column_means(mat: FloatArray) -> FloatArray:
    """Replace NaN by the mean of the non-missing entries in the same column.

    A column with no votes at all cannot occur in a Pol.is rating matrix (columns exist only
    for voted comments); we map it to 0 rather than dividing by zero.
    """
    present = ~np.isnan(mat)
    counts = present.sum(axis=0)
    sums = np.where(present, mat, 0.0).sum(axis=0)
    means = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    return np.where(present, mat, means[np.newaxis, :])


def _power_iteration(gram: FloatArray, start: FloatArray, iters: int) -> FloatArray:
    """Pol.is ``power-iteration``: repeat v <- normalise(Xᵀ X v) up to ``iters`` + 1 times.

    ``gram`` is Xᵀ X, so a step costs one small matrix-vector product instead of two passes
    over the data (same vectors up to rounding). Stops early when the eigenvalue estimate
    repeats exactly, like the reference.
    """
    vec = start
    last = 0.0
    for remaining in range(iters, -1, -1):
        product = gram @ vec
        eigval = float(np.linalg.norm(product))
        normed = product / eigval if eigval > 0 else product
        if remaining == 0 or eigval == last:
            return normed
        vec, last = normed, eigval
    return vec  # pragma: no cover - loop always returns


def _deflate(gram: FloatArray, pc: FloatArray) -> FloatArray:
    """Gram matrix of X (I - p pᵀ / |p|²), the data with component p factored out."""
    norm2 = float(pc @ pc)
    if norm2 == 0.0:
        return gram
    gp = gram @ pc
    out: FloatArray = (
        gram
        - (np.outer(gp, pc) + np.outer(pc, gp)) / norm2
        + np.outer(pc, pc) * (float(pc @ gp) / norm2**2)
    )
    return out


def _top_eigvecs(gram: FloatArray, tol: float = 1e-12, max_iter: int = 60) -> FloatArray:
    """Eigenvectors of the two largest eigenvalues of a symmetric PSD matrix, as columns.

    Subspace iteration with Rayleigh-Ritz on eight vectors: a few small products instead of a
    full eigendecomposition (which multi-threaded LAPACK makes slow on busy machines). Falls
    back to ``numpy.linalg.eigh`` after ``max_iter`` steps without convergence (small
    eigen-gaps, where the iteration would crawl: the decomposition is then the faster way).
    """
    c = gram.shape[0]
    p = min(c, 8)
    # Deterministic start: a smooth spread over all coordinates, rotated per column.
    base = np.arange(1, c + 1, dtype=np.float64)
    q = np.column_stack([np.cos(base * (j + 1) * 0.7 + j) for j in range(p)]) + 1.0
    q, _ = np.linalg.qr(gram @ q)
    scale = float(np.abs(gram).max()) or 1.0
    for _ in range(max_iter):
        z = gram @ q
        vals, vecs = np.linalg.eigh(q.T @ z)
        ritz = q @ vecs[:, ::-1]
        top = vals[::-1][: min(2, p)]
        resid = gram @ ritz[:, : top.size] - ritz[:, : top.size] * top
        if float(np.abs(resid).max()) <= tol * scale:
            out: FloatArray = ritz[:, : top.size]
            return out
        q, _ = np.linalg.qr(z)
    full = np.linalg.eigh(gram)[1]
    fallback: FloatArray = full[:, ::-1][:, : min(2, c)]
    return fallback


def _sklearn_sign(pc: FloatArray) -> FloatArray:
    """Orient a fresh component as scikit-learn's PCA does (``svd_flip``, component based).

    scikit-learn (hence red-dwarf) makes the entry of largest magnitude positive in the export
    sign (agree = +1); in Pol.is' internal sign (agree = -1) that entry is negative. Pol.is'
    own fresh sign is that of a random start vector, so any choice is as faithful; this one
    gives the same projections as red-dwarf, whose k-means seeds depend on the sign.
    """
    j = int(np.argmax(np.abs(pc)))
    out: FloatArray = -pc if pc[j] > 0 else pc
    return out


def powerit_pca(
    mat: FloatArray, start_vectors: FloatArray | None = None, iters: int = PCA_ITERS
) -> tuple[FloatArray, FloatArray]:
    """Pol.is ``powerit-pca`` for two components: returns (center, comps).

    ``start_vectors`` are the previous update's components (Pol.is keeps them across
    updates); extra comments are padded with 1 as in the reference. Without them Pol.is
    starts from a *random* vector; the iteration's limit is the dominant eigenvector, so we
    start there (exact eigenvectors of Xᵀ X), which reproduces Pol.is up to sign, and orient
    it as scikit-learn does (:func:`_sklearn_sign`). The second component is found with the
    first factored out (Gram-Schmidt deflation).
    """
    center = mat.mean(axis=0)
    data = mat - center
    n_comps = min(2, data.shape[0], data.shape[1])
    gram = data.T @ data
    eigvecs: FloatArray | None = None
    comps: list[FloatArray] = []
    for i in range(n_comps):
        start: FloatArray | None = None
        if start_vectors is not None and i < len(start_vectors):
            prev = np.asarray(start_vectors[i], dtype=np.float64)
            if np.any(prev != 0):
                start = np.concatenate([prev, np.ones(data.shape[1] - prev.shape[0])])
        if start is None:
            if i == 0 or eigvecs is None or eigvecs.shape[1] < 2:
                # With component 1 factored out, the next eigenvector of the current Gram
                # matrix is its dominant one: one decomposition serves both components.
                eigvecs = _top_eigvecs(gram)
                start = eigvecs[:, 0].copy()
            else:
                start = eigvecs[:, 1].copy()
        pc = _power_iteration(gram, start, iters)
        if start_vectors is None:
            pc = _sklearn_sign(pc)
        comps.append(pc)
        gram = _deflate(gram, pc)
    while len(comps) < 2:
        comps.append(np.zeros(data.shape[1]))
    return center, np.vstack(comps)


def sparsity_aware_project(votes: FloatArray, center: FloatArray, comps: FloatArray) -> FloatArray:
    """Project rows with missing votes (NaN) onto the components, Pol.is style.

    Only voted entries contribute to the dot product; the result is scaled by
    ``sqrt(n_comments / max(n_votes, 1))`` so that sparse voters are pushed out from the
    centre instead of collapsing onto it. Returns an (n_rows, 2) array.
    """
    present = ~np.isnan(votes)
    centred = np.where(present, votes - center[np.newaxis, :], 0.0)
    raw = centred @ comps.T
    n_votes = np.maximum(present.sum(axis=1), 1)
    scale = np.sqrt(votes.shape[1] / n_votes)
    projected: FloatArray = raw * scale[:, np.newaxis]
    return projected


def pca_with_comment_projection(
    mat: FloatArray, start_vectors: FloatArray | None = None
) -> PcaResult:
    """Run PCA and add each comment's projection (a lone agree vote) and its extremity."""
    center, comps = powerit_pca(mat, start_vectors)
    n = mat.shape[1]
    single = np.full((n, n), np.nan)
    np.fill_diagonal(single, -1.0)
    cmnt = sparsity_aware_project(single, center, comps)
    return PcaResult(
        center=center,
        comps=comps,
        comment_projection=cmnt.T.copy(),
        comment_extremity=np.linalg.norm(cmnt, axis=1),
    )
