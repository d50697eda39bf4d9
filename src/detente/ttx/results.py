"""Per-run results of the engine, and how chunks of runs join into one result.

Every array has the runs axis first, so results of chunks ``[0, a)``, ``[a, b)``, … concatenate
into the result of ``[0, b)`` — identical to computing it in one go (see
:mod:`detente.ttx.streams`). The sweep command builds its statistics (outcome probabilities with
intervals, escalation fan charts, measure effects) from these arrays.

Moves are counted from 1 in the ``*_move`` arrays; 0 means "never" (not occurred, not released,
not ended). After a run ended (terminal outcome), its escalation in later moves is 0 and its
choices are :data:`~detente.ttx.policy.PASS`; use :attr:`Results.ended_move` to mask them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class Results:
    """What happened in each run of a batch.

    - `occurred` (runs, outcomes) bool and `occurred_move` (runs, outcomes): outcomes and when;
    - `ended_move` (runs,): the move a terminal outcome ended the run, 0 if it played out;
    - `escalation` (runs, moves, actors): the escalation score of each actor in each move;
    - `choices` (runs, moves, players, k): action indices chosen (-1 none); `applied` whether
      each took effect (its precondition still held at adjudication);
    - `chance` (runs, moves, chance events), `reactions` (runs, moves, reactions): what fired;
    - `released_move` (runs, injects): when each inject was released;
    - `scalars` (runs, variables), `dyadic` (runs, dyadic variables, actors, actors): final state.
    """

    seed: int
    start_run: int
    occurred: NDArray[np.bool_]
    occurred_move: NDArray[np.int16]
    ended_move: NDArray[np.int16]
    escalation: NDArray[np.float64]
    choices: NDArray[np.int16]
    applied: NDArray[np.bool_]
    chance: NDArray[np.bool_]
    reactions: NDArray[np.bool_]
    released_move: NDArray[np.int16]
    scalars: NDArray[np.float64]
    dyadic: NDArray[np.float64]

    @property
    def runs(self) -> int:
        return int(self.occurred.shape[0])

    def arrays(self) -> dict[str, NDArray[np.generic]]:
        """Every per-run array by field name."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _META}

    def outcome_probability(self) -> NDArray[np.float64]:
        """Share of runs in which each outcome occurred."""
        result: NDArray[np.float64] = self.occurred.mean(axis=0)
        return result

    def total_escalation(self) -> NDArray[np.float64]:
        """(runs, moves): the escalation of all actors together in each move."""
        result: NDArray[np.float64] = self.escalation.sum(axis=2)
        return result


_META = ("seed", "start_run")


def concat(parts: Sequence[Results]) -> Results:
    """Join results of consecutive chunks of the same seed into one.

    Raises ``ValueError`` unless the chunks share a seed and follow each other without gaps."""
    if not parts:
        raise ValueError("nothing to join")
    for before, after in pairwise(parts):
        if after.seed != before.seed or after.start_run != before.start_run + before.runs:
            raise ValueError("chunks must share a seed and be consecutive")
    joined = {name: np.concatenate([p.arrays()[name] for p in parts]) for name in parts[0].arrays()}
    return Results(seed=parts[0].seed, start_run=parts[0].start_run, **joined)
