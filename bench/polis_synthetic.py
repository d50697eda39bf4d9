"""Synthetic Pol.is conversations for comparing our grouping with red-dwarf's.

A conversation has ``groups`` planted opinion groups (sizes in the given proportions); each
group has a probability of agreeing with each comment drawn at random, so comments divide
or unite groups to various degrees. Every participant sees each comment with probability
``density`` (at least one comment), votes agree / disagree by their group's probability and
passes with probability ``pass_rate``. A few comments are moderated out. Deterministic for a
given ``seed``; the planted group of every participant is returned as the truth.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Synthetic:
    """Votes (pid, tid, vote; agree = 1) in chronological order, moderated-out comments and
    the planted group of each participant."""

    name: str
    votes: list[tuple[int, int, int]]
    mod_out: frozenset[int]
    truth: dict[int, int]


def make(
    name: str,
    *,
    participants: int,
    comments: int,
    proportions: Sequence[float],
    density: float,
    pass_rate: float = 0.15,
    contrast: float = 0.8,
    mod_out: int = 2,
    seed: int,
) -> Synthetic:
    """One synthetic conversation (see the module docstring). ``contrast`` in (0, 1]: how far
    group agreement probabilities spread from 0.5."""
    rng = np.random.default_rng(seed)
    weights = np.asarray(proportions, dtype=np.float64)
    group = rng.choice(len(weights), size=participants, p=weights / weights.sum())
    p_agree = 0.5 + contrast * (rng.random((len(weights), comments)) - 0.5)
    seen = rng.random((participants, comments)) < density
    seen[np.arange(participants), rng.integers(0, comments, participants)] = True
    votes: list[tuple[float, int, int, int]] = []
    for pid in range(participants):
        for tid in np.flatnonzero(seen[pid]).tolist():
            passes = rng.random() < pass_rate
            v = 0 if passes else 1 if rng.random() < p_agree[group[pid], tid] else -1
            votes.append((float(rng.random()), pid, tid, v))
    votes.sort()
    out = frozenset(rng.choice(comments, size=mod_out, replace=False).tolist())
    return Synthetic(
        name,
        [(p, t, v) for _, p, t, v in votes],
        out,
        {p: int(g) for p, g in enumerate(group.tolist())},
    )


def suite() -> list[Synthetic]:
    """The synthetic set of bench/common_ground.py: sizes 30-3000, dense to sparse, 2-5
    groups, balanced and unbalanced, weak and strong contrast. Seeds are fixed once."""
    spec: list[tuple[str, int, int, tuple[float, ...], float, float]] = [
        ("s1 small dense 2g", 30, 20, (1, 1), 0.9, 0.8),
        ("s2 small sparse 3g", 60, 40, (2, 1, 1), 0.3, 0.8),
        ("s3 mid dense 3g", 150, 50, (1, 1, 1), 0.7, 0.6),
        ("s4 mid sparse 2g unbal", 300, 120, (4, 1), 0.15, 0.8),
        ("s5 mid 4g weak", 400, 80, (1, 1, 1, 1), 0.4, 0.4),
        ("s6 large sparse 5g", 1000, 200, (3, 2, 2, 1, 1), 0.1, 0.8),
        ("s7 large dense 2g weak", 1500, 60, (1, 1), 0.6, 0.3),
        ("s8 xl sparse 3g", 3000, 300, (5, 3, 1), 0.05, 0.8),
        ("s9 one group", 200, 40, (1,), 0.5, 0.8),
        ("s10 tiny 12 ptpts", 12, 10, (1, 1), 0.8, 0.8),
    ]
    return [
        make(
            name,
            participants=n,
            comments=m,
            proportions=props,
            density=dens,
            contrast=contrast,
            seed=1000 + i,
        )
        for i, (name, n, m, props, dens, contrast) in enumerate(spec)
    ]
