"""Contingency table and adjusted Rand index against hand-computed values (no sklearn)."""

from __future__ import annotations

import numpy as np
import pytest

from detente.deliberation.compare import adjusted_rand_index, contingency


def test_contingency_counts_and_label_order() -> None:
    ct = contingency(["b", "b", "a", "a", "c"], [0, 0, 0, 1, 1])
    assert ct.rows == ("b", "a", "c")  # first appearance
    assert ct.cols == (0, 1)
    assert ct.table.tolist() == [[2, 0], [1, 1], [0, 1]]


def test_contingency_integer_array_fast_path_matches_generic() -> None:
    a = np.array([3, 3, 1, 1, 2, 7, 3])
    b = np.array([0, 5, 0, 1, 1, 1, 0])
    fast = contingency(a, b)
    slow = contingency(a.tolist(), b.tolist())
    assert fast.rows == slow.rows == (3, 1, 2, 7)
    assert fast.cols == slow.cols == (0, 5, 1)
    assert fast.table.tolist() == slow.table.tolist()


def test_ari_hand_example() -> None:
    # Table [[2,0],[1,1],[0,1]]: index = C(2,2) = 1; rows (2,2,1) -> 2 pairs; columns (3,2)
    # -> 3 + 1 = 4 pairs; n = 5 -> 10 pairs. expected = 2*4/10 = 0.8; max = (2+4)/2 = 3.
    # ARI = (1 - 0.8) / (3 - 0.8) = 0.2 / 2.2 = 1/11.
    assert adjusted_rand_index([3, 3, 1, 1, 2], [0, 0, 0, 1, 1]) == pytest.approx(1 / 11)


def test_ari_second_hand_example() -> None:
    # Table [[2,0,0],[0,1,0],[0,1,2]]: index = 1 + 1 = 2; rows (2,1,3) -> 1+0+3 = 4;
    # columns (2,2,2) -> 3; n = 6 -> 15 pairs. expected = 12/15 = 0.8; max = 3.5.
    # ARI = 1.2 / 2.7 = 4/9.
    got = adjusted_rand_index([0, 0, 1, 2, 2, 2], [0, 0, 1, 1, 2, 2])
    assert got == pytest.approx(4 / 9)


def test_ari_label_names_do_not_matter_and_is_symmetric() -> None:
    a = ["x", "x", "y", "y", "z", "z", "z"]
    b = [1, 1, 2, 2, 2, 3, 3]
    renamed = [{"x": "q", "y": "r", "z": "s"}[v] for v in a]
    assert adjusted_rand_index(a, b) == pytest.approx(adjusted_rand_index(renamed, b))
    assert adjusted_rand_index(a, b) == pytest.approx(adjusted_rand_index(b, a))


def test_ari_identical_and_chance_partitions() -> None:
    assert adjusted_rand_index([0, 0, 1, 1], [1, 1, 0, 0]) == 1.0
    # One big group against all singletons: index 0, expected 0 -> ARI 0.
    assert adjusted_rand_index([0, 0, 0, 0], [0, 1, 2, 3]) == 0.0
    # Crossed halves are worse than chance.
    assert adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)


def test_ari_degenerate_inputs() -> None:
    assert adjusted_rand_index([], []) == 1.0
    assert adjusted_rand_index([5], [7]) == 1.0
    assert adjusted_rand_index([1, 1, 1], [2, 2, 2]) == 1.0


def test_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        adjusted_rand_index([1, 2], [1])
    with pytest.raises(ValueError, match="differ in length"):
        contingency([1], [])
