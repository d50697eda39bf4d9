"""How a simulated delegation chooses its actions in a move: a softmax over utilities.

The utility of action *a* for a delegation is its interest weights · the action's tags, plus the
action's `appeal` expression evaluated on the current state, plus any appeal a measure adds. A seat
picks up to *k* distinct actions by drawing without replacement from the softmax at the profile's
temperature (the Plackett–Luce model, equivalent to Gumbel top-*k*). An implicit **pass** option of
utility 0 competes with the actions at every draw; once it is drawn the seat stops, so a delegation
takes fewer than *k* actions when nothing left serves its interests. Unavailable actions
(precondition false, disabled by a measure, not the seat's to take) have probability 0.

One function, :func:`sample_choices`, serves both the vectorised engine (thousands of runs at once)
and a single simulated seat in a live exercise (one run): there is one implementation of the rule.
Each draw consumes exactly one uniform number per run, taken from the caller, so the caller controls
the random streams (see :mod:`detente.ttx.streams`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

PASS = -1
"""Marks a choice slot left empty (the seat passed, or had nothing available)."""


def interest_utility(
    weights: Mapping[str, float], tags: Sequence[Mapping[str, float]]
) -> NDArray[np.float64]:
    """Weights · tags for each action: how well each serves a delegation's interests."""
    return np.array([sum(weights.get(d, 0.0) * t for d, t in tag.items()) for tag in tags])


def sample_choices(
    utility: NDArray[np.float64],
    available: NDArray[np.bool_],
    temperature: float,
    uniforms: NDArray[np.float64],
) -> NDArray[np.int64]:
    """Draw up to k distinct actions per run; k is `uniforms.shape[1]`.

    `utility` and `available` are (runs, actions); `uniforms` is (runs, k) in [0, 1). Returns
    (runs, k) column indices into the actions, :data:`PASS` for empty slots; chosen actions come
    first. Rows are computed independently (same row in ⇒ same row out, whatever the batch).
    """
    runs, n = utility.shape
    k = uniforms.shape[1]
    out = np.full((runs, k), PASS, dtype=np.int64)
    if n == 0 or runs == 0:
        return out
    with np.errstate(over="ignore", invalid="ignore"):
        logits = np.where(available, utility / temperature, -np.inf)
        top = np.maximum(logits.max(axis=1), 0.0)
        weights = np.exp(logits - top[:, None])
        weights[~available] = 0.0
        weights = np.nan_to_num(weights, nan=0.0)
        pass_weight = np.exp(-top)
    active = np.ones(runs, dtype=bool)
    rows = np.arange(runs)
    for slot in range(k):
        cumulative = np.cumsum(weights, axis=1)
        total = cumulative[:, -1] + pass_weight
        target = uniforms[:, slot] * total
        index = (cumulative <= target[:, None]).sum(axis=1)
        chose = active & (index < n)
        out[chose, slot] = index[chose]
        weights[rows[chose], index[chose]] = 0.0
        active &= chose
        if not active.any():
            break
    return out


def softmax_first_choice(
    utility: NDArray[np.float64], available: NDArray[np.bool_], temperature: float
) -> NDArray[np.float64]:
    """Probabilities of each action (and, last column, of passing) for the first draw.

    Reference for tests and documentation: `sample_choices` draws its first slot from this.
    """
    logits = np.where(available, utility / temperature, -np.inf)
    logits = np.concatenate([logits, np.zeros((logits.shape[0], 1))], axis=1)
    top = logits.max(axis=1, keepdims=True)
    weights = np.exp(logits - top)
    result: NDArray[np.float64] = weights / weights.sum(axis=1, keepdims=True)
    return result
