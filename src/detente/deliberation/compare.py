"""Compare two partitions of the same items: contingency table and adjusted Rand index.

Used to set emergent opinion groups against known groups (delegations: an opinion group that
cuts across delegations is a coalition) and, in ``bench/common_ground.py``, our Pol.is groups
against the groups Pol.is published. Pure NumPy so that no statistics package is needed.

Labels may be any hashable values; the two sequences must have the same length and are
compared position by position.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
#: A labelling: any sequence of hashable labels, or a 1-D NumPy array (integer arrays take a
#: vectorised path).
Labels = Sequence[Hashable] | npt.NDArray[Any]


@dataclass(frozen=True)
class Contingency:
    """Counts ``table[i, j]`` of items labelled ``rows[i]`` in A and ``cols[j]`` in B.

    ``rows`` and ``cols`` are the distinct labels in order of first appearance, so the table
    is deterministic for a given input order.
    """

    rows: tuple[Hashable, ...]
    cols: tuple[Hashable, ...]
    table: IntArray


def _codes(labels: Labels) -> tuple[tuple[Hashable, ...], IntArray]:
    """Distinct labels in order of first appearance, and each item's index into them."""
    if isinstance(labels, np.ndarray) and labels.ndim == 1 and labels.dtype.kind in "iub":
        # Fast path for integer arrays (used in tight loops): same result, no Python loop.
        uniq, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
        order = np.argsort(first, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(order.size)
        names: tuple[Hashable, ...] = tuple(uniq[order].tolist())
        return names, rank[inverse].astype(np.int64)
    index: dict[Hashable, int] = {}
    codes = np.fromiter(
        (index.setdefault(x, len(index)) for x in labels), dtype=np.int64, count=len(labels)
    )
    return tuple(index), codes


def contingency(labels_a: Labels, labels_b: Labels) -> Contingency:
    """Cross-tabulate two labellings of the same items.

    Raises ``ValueError`` when the sequences differ in length.
    """
    if len(labels_a) != len(labels_b):
        raise ValueError(f"labellings differ in length: {len(labels_a)} and {len(labels_b)} items")
    rows, ra = _codes(labels_a)
    cols, cb = _codes(labels_b)
    flat = np.bincount(ra * len(cols) + cb, minlength=len(rows) * len(cols))
    table = flat.reshape(len(rows), len(cols)).astype(np.int64)
    return Contingency(rows, cols, table)


def _pairs(x: IntArray) -> float:
    """Sum of n choose 2 over the entries of ``x``."""
    return float((x * (x - 1) // 2).sum())


def adjusted_rand_index(labels_a: Labels, labels_b: Labels) -> float:
    """Hubert-Arabie adjusted Rand index of two labellings (1 = identical partitions).

    ARI = (index - expected) / (max - expected) with index = sum over cells of C(n_ij, 2),
    expected = sum_i C(a_i, 2) * sum_j C(b_j, 2) / C(n, 2), max = mean of the two row/column
    sums. Label names do not matter, only the partitions. When the denominator is zero (both
    labellings put everything in one group, or every item alone, or fewer than two items) the
    partitions are identical in the only way available and the result is 1.0, the convention
    of scikit-learn. Raises ``ValueError`` when the sequences differ in length.
    """
    ct = contingency(labels_a, labels_b)
    n = int(ct.table.sum())
    index = _pairs(ct.table)
    sum_a = _pairs(ct.table.sum(axis=1))
    sum_b = _pairs(ct.table.sum(axis=0))
    total = n * (n - 1) / 2
    if total == 0:
        return 1.0
    expected = sum_a * sum_b / total
    maximum = (sum_a + sum_b) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)


__all__ = ["Contingency", "Labels", "adjusted_rand_index", "contingency"]
