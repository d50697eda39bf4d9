"""The from-scratch grouping (red-dwarf 0.4.0's choices) and its agreement with red-dwarf.

The recorded fixture holds red-dwarf 0.4.0's groups on small synthetic conversations
(``bench/polis_reddwarf_fixture.py`` made it), so the suite needs no red-dwarf.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from detente.deliberation.compare import adjusted_rand_index
from detente.deliberation.polis import MIN_VOTES_IN_CONV, polis_math
from detente.deliberation.polis_fresh import (
    fresh_groups,
    lloyd,
    polis_seeds,
    silhouette_score,
)
from detente.deliberation.polis_pca import powerit_pca

FIXTURE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "polis" / "reddwarf-0.4.0-synthetic.json"
)
RECORDED: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))["conversations"]


@pytest.mark.parametrize("conv", RECORDED, ids=[c["name"] for c in RECORDED])
def test_same_groups_as_recorded_reddwarf(conv: dict[str, Any]) -> None:
    """Participant by participant: the same partition as red-dwarf on everybody it groups;
    we additionally group only participants Pol.is' greedy in-conversation rule admits
    (fewer than 7 votes while fewer than 15 participants have 7)."""
    votes = [tuple(v) for v in conv["votes"]]
    res = polis_math(votes, mod_out=conv["mod_out"])
    ours = {p: g for g, ps in res.group_pids.items() for p in ps}
    theirs = {int(p): g for p, g in conv["reddwarf"].items()}
    assert set(theirs) <= set(ours)
    both = sorted(theirs)
    if both:
        assert adjusted_rand_index([ours[p] for p in both], [theirs[p] for p in both]) == 1.0
    extra = set(ours) - set(theirs)
    assert all(res.user_vote_counts[p] < MIN_VOTES_IN_CONV for p in extra)
    if extra:
        grouped_by_rule = sum(c >= MIN_VOTES_IN_CONV for c in res.user_vote_counts.values())
        assert grouped_by_rule < 15


def test_seeds_are_the_first_sorted_distinct_points() -> None:
    pts = np.array([[2.0, 0.0], [1.0, 5.0], [1.0, 5.0], [1.0, -1.0], [0.5, 9.0]])
    seeds = polis_seeds(pts, 3)
    assert seeds is not None
    assert seeds.tolist() == [[0.5, 9.0], [1.0, -1.0], [1.0, 5.0]]
    assert polis_seeds(pts, 5) is None  # only four distinct points


def _silhouette_reference(pts: np.ndarray[Any, Any], labels: list[int]) -> float:
    scores = []
    for i, li in enumerate(labels):
        own = [j for j, lj in enumerate(labels) if lj == li and j != i]
        if not own:
            scores.append(0.0)
            continue
        a = np.mean([np.linalg.norm(pts[i] - pts[j]) for j in own])
        b = min(
            np.mean([np.linalg.norm(pts[i] - pts[j]) for j, lj in enumerate(labels) if lj == g])
            for g in set(labels) - {li}
        )
        scores.append((b - a) / max(a, b) if max(a, b) > 0 else 0.0)
    return float(np.mean(scores))


@pytest.mark.parametrize("seed", range(3))
def test_silhouette_matches_the_definition(seed: int) -> None:
    rng = np.random.default_rng(seed)
    pts = rng.normal(size=(25, 2))
    labels = rng.integers(0, 3, size=25)
    labels[:3] = [0, 1, 2]
    labels[24] = 3  # a singleton scores 0
    got = silhouette_score(pts, labels.astype(np.intp))
    assert got == pytest.approx(_silhouette_reference(pts, labels.tolist()), abs=1e-9)


def test_silhouette_in_chunks_equals_one_block(monkeypatch: pytest.MonkeyPatch) -> None:
    import detente.deliberation.polis_fresh as fresh

    rng = np.random.default_rng(7)
    pts = rng.normal(size=(50, 2))
    labs = [rng.integers(0, k, size=50).astype(np.intp) for k in (2, 3, 5)]
    whole = fresh.silhouettes(pts, labs)
    monkeypatch.setattr(fresh, "CHUNK", 7)
    assert fresh.silhouettes(pts, labs) == pytest.approx(whole, abs=1e-12)


def test_silhouette_needs_two_labels_and_fewer_than_n() -> None:
    pts = np.array([[0.0, 0.0], [1.0, 0.0]])
    assert np.isnan(silhouette_score(pts, np.array([0, 1], dtype=np.intp)))
    assert np.isnan(silhouette_score(pts, np.array([0, 0], dtype=np.intp)))


def test_lloyd_converges_on_separated_blobs_and_relocates_empty_clusters() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(size=(30, 2)) * 0.1
    b = rng.normal(size=(30, 2)) * 0.1 + [5.0, 5.0]
    pts = np.vstack([a, b])
    labels, centers = lloyd(pts, np.array([[0.0, 0.0], [0.1, 0.1]]))
    assert len(set(labels[:30].tolist())) == 1 and len(set(labels[30:].tolist())) == 1
    assert labels[0] != labels[30]
    assert np.allclose(sorted(centers[:, 0]), [a[:, 0].mean(), b[:, 0].mean()])
    # A seed far from every point gets no member at first and is relocated.
    labels, _ = lloyd(pts, np.array([[2.5, 2.5], [100.0, 100.0]]))
    assert set(labels.tolist()) == {0, 1}


def test_fresh_groups_picks_the_best_silhouette_and_reports_every_k() -> None:
    rng = np.random.default_rng(1)
    blobs = [rng.normal(size=(20, 2)) * 0.05 + c for c in ([0, 0], [3, 0], [0, 3])]
    fit = fresh_groups(np.vstack(blobs))
    assert set(fit.silhouettes) == {2, 3, 4, 5}
    assert fit.k is not None and fit.silhouettes[fit.k] == max(fit.silhouettes.values())
    assert fit.labels is not None and len(set(fit.labels.tolist())) == fit.k
    # The seeds are the k leftmost points (all in the blobs at x = 0 here), so k = 3 ends in
    # a local optimum that merges two blobs - red-dwarf's outcome too - and k = 2 wins.
    assert fit.k == 2


def test_fresh_groups_ties_go_to_the_smaller_k(monkeypatch: pytest.MonkeyPatch) -> None:
    """scikit-learn's grid search ranks equal scores equally and keeps the first (smallest k)."""
    import detente.deliberation.polis_fresh as fresh

    monkeypatch.setattr(fresh, "silhouettes", lambda pts, sets: [0.25] * len(sets))
    pts = np.random.default_rng(2).normal(size=(30, 2))
    assert fresh.fresh_groups(pts).k == 2


def test_fresh_groups_without_enough_distinct_points() -> None:
    fit = fresh_groups(np.zeros((10, 2)))
    assert fit.k is None and fit.labels is None
    assert all(np.isnan(v) for v in fit.silhouettes.values())


def test_fresh_pca_sign_is_scikit_learns() -> None:
    """Largest-magnitude entry of each component negative in Pol.is' sign (agree = -1),
    i.e. positive in the export's sign, as scikit-learn orients it."""
    rng = np.random.default_rng(3)
    mat = rng.choice([-1.0, 0.0, 1.0], size=(40, 12))
    _, comps = powerit_pca(mat)
    for pc in comps:
        assert pc[np.argmax(np.abs(pc))] < 0


def test_all_passes_give_a_valid_empty_grouping() -> None:
    votes = [(p, t, 0) for p in range(20) for t in range(8)]
    res = polis_math(votes)
    assert res.status == "ok" and res.group_pids == {}
    assert res.diagnostics["k"] is None
    assert len(res.diagnostics["ungrouped"]) == 20
    assert "distinct positions" in next(iter(res.diagnostics["ungrouped"].values()))


def test_diagnostics_explain_who_is_out() -> None:
    votes = [(p, t, 1 if (p + t) % 3 else -1) for p in range(30) for t in range(10)]
    votes += [(99, 0, 1), (99, 1, -1)]
    res = polis_math(votes)
    diag = res.diagnostics
    assert diag["method"] == "fresh" and diag["participants"] == 31
    assert diag["in_conversation"] == 30 and diag["min_votes"] == 7
    assert set(diag["ungrouped"]) == {99}
    assert diag["ungrouped"][99].startswith("2 vote(s), fewer than the 7")
    assert diag["k"] == len(res.group_pids)
