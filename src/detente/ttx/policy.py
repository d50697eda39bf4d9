"""How a simulated delegation chooses its actions in a move: a softmax over utilities.

The utility of action *a* for a delegation is its interest weights · the action's tags, plus the
action's `appeal` expression evaluated on the current state, plus any appeal a measure adds. A seat
picks up to *k* distinct actions by drawing without replacement from the softmax at the profile's
temperature (the Plackett–Luce model, equivalent to Gumbel top-*k*). An implicit **pass** option of
utility 0 competes with the actions at every draw; once it is drawn the seat stops, so a delegation
takes fewer than *k* actions when nothing left serves its interests. Unavailable actions
(precondition false, disabled by a measure, not the seat's to take) have probability 0.

One implementation serves both the vectorised engine (thousands of runs at once) and a single
simulated seat in a live exercise (one run): :func:`sample_choices` takes runs first, and
:func:`sample_columns` — the same computation, which :func:`sample_choices` calls — takes the
engine's layout with runs last (one action across runs is a contiguous vector; blocks of
:data:`SAMPLE_BLOCK` runs stay in the CPU cache). Each draw consumes exactly one uniform number per
run, taken from the caller, so the caller controls the random streams (see
:mod:`detente.ttx.streams`).
"""

from __future__ import annotations

import math
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
    picked = sample_columns(
        np.ascontiguousarray(utility.T),
        np.ascontiguousarray(available.T),
        temperature,
        np.ascontiguousarray(uniforms.T),
    )
    return np.ascontiguousarray(picked.T)


SAMPLE_BLOCK = 4096
"""Runs sampled together: the block's (actions, runs) work arrays stay in the CPU's L2 cache
(4096 runs × 28 actions × 8 bytes ≈ 0.9 MB each; on the Korea pack about 3× faster per run than
blocks of 16,384). Blocks change nothing in the result: rows are independent."""


def sample_columns(
    utility: NDArray[np.float64],
    available: NDArray[np.bool_],
    temperature: float,
    uniforms: NDArray[np.float64],
) -> NDArray[np.int64]:
    """:func:`sample_choices` with the runs axis last: `utility` and `available` are
    (actions, runs), `uniforms` (k, runs); returns (k, runs). The engine's layout (one action or
    one slot across runs is a contiguous vector), and the same numbers bit for bit."""
    n, runs = utility.shape
    k = uniforms.shape[0]
    out = np.full((k, runs), PASS, dtype=np.int64)
    if n == 0 or runs == 0:
        return out
    for lo in range(0, runs, SAMPLE_BLOCK):
        hi = min(runs, lo + SAMPLE_BLOCK)
        _sample_block(
            utility[:, lo:hi], available[:, lo:hi], temperature, uniforms[:, lo:hi], out[:, lo:hi]
        )
    return out


def _softmax_weights(
    utility: NDArray[np.float64], available: NDArray[np.bool_], temperature: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The unnormalised softmax weights (actions, runs) and the pass weight (runs,), both scaled
    by exp(−top) with top the largest available logit or 0. An unavailable action has weight 0
    (exp(−inf)); a weight that is not a number (an infinite utility) counts as 0."""
    with np.errstate(over="ignore", invalid="ignore"):
        logits = np.divide(utility, temperature)
        if math.isfinite(np.add.reduce(logits, axis=None)):
            # Every logit finite (the usual case). Zeroing the unavailable logits instead of
            # setting them to −inf leaves `top` as it was (it is at least 0 anyway), keeps exp
            # off its slow path for huge negative arguments and avoids masked writes;
            # multiplying by the mask (1.0 or 0.0) then gives exactly exp(...) or 0.
            mask = available.astype(np.float64)  # once: float × float is the fast multiply
            np.multiply(logits, mask, out=logits)
            top = np.maximum(logits.max(axis=0), 0.0)
            np.subtract(logits, top, out=logits)
            weights = np.exp(logits, out=logits)
            np.multiply(weights, mask, out=weights)
        else:
            weights = np.where(available, logits, -np.inf)
            top = np.maximum(weights.max(axis=0), 0.0)
            weights = np.exp(weights - top)
            weights[~available] = 0.0
            weights = np.nan_to_num(weights, nan=0.0)
        pass_weight = np.exp(-top)
    return weights, pass_weight


def _sample_block(
    utility: NDArray[np.float64],
    available: NDArray[np.bool_],
    temperature: float,
    uniforms: NDArray[np.float64],
    out: NDArray[np.int64],
) -> None:
    """Sample one block of runs into `out` (k, runs), prefilled with :data:`PASS`.

    Slot by slot: the cumulative weights of the actions (pass last), a target `u · total`, and
    the first action whose cumulative weight exceeds the target — the inverse of the softmax's
    distribution function. The cumulative sums run action by action over all runs at once, so
    they add in the same order (bit for bit) as a per-run running sum. A chosen action's weight
    is zeroed for the later slots; a run that passes stops choosing.
    """
    n, runs = utility.shape
    weights, pass_weight = _softmax_weights(utility, available, temperature)
    cumulative = np.empty_like(weights)
    small = n < 256  # counts fit in a byte: sum the comparisons as uint8
    active = np.ones(runs, dtype=bool)
    k = uniforms.shape[0]
    for slot in range(k):
        if runs < 64:  # cumsum along axis 0 is slow for long rows, row by row costs calls
            np.cumsum(weights, axis=0, out=cumulative)
        else:
            np.copyto(cumulative[0], weights[0])
            for j in range(1, n):
                np.add(cumulative[j - 1], weights[j], out=cumulative[j])
        target = uniforms[slot] * (cumulative[-1] + pass_weight)
        below = cumulative <= target
        if small:
            index = np.add.reduce(below.view(np.uint8), axis=0, dtype=np.uint8).astype(np.intp)
        else:
            index = below.sum(axis=0)
        chose = active & (index < n)
        runs_chose = np.flatnonzero(chose)
        index_chose = index[runs_chose]
        out[slot, runs_chose] = index_chose
        active = chose
        if slot + 1 == k or not active.any():
            break
        weights[index_chose, runs_chose] = 0.0


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
