"""Results: per-run results of the engine (sweeps), and one exercise as a meeting recorded it.

:func:`exercise_result` gathers a recorded exercise across all the programme items it spans
(its parts) into an :class:`ExerciseResult` — moves played, per-part timing, duration, outcome —
the one reading of an exercise that the after-action report, the handbook, the meeting report
and `summary.md` share.

The engine's per-run results:

Every array has the runs axis first, so results of chunks ``[0, a)``, ``[a, b)``, … concatenate
into the result of ``[0, b)`` — identical to computing it in one go (see
:mod:`detente.ttx.streams`). The sweep command builds its statistics (outcome probabilities with
intervals, escalation fan charts, measure effects) from these arrays.

Moves are counted from 1 in the ``*_move`` arrays; 0 means "never" (not occurred, not released,
not ended). After a run ended (terminal outcome), its escalation in later moves is 0 and its
choices are :data:`~detente.ttx.policy.PASS`; use :attr:`Results.ended_move` to mask them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray

from detente.meeting.events import ItemEnded, ItemStarted
from detente.names import plural
from detente.store.events import Event, decode, known
from detente.store.log import Record
from detente.ttx.events import (
    TtxExerciseEnded,
    TtxExerciseStarted,
    TtxNarrative,
    TtxOutcomeResult,
    TtxPartStarted,
)


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


# --- one exercise as recorded in a meeting, across all its parts --------------------------------


@dataclass(frozen=True)
class PartPlayed:
    """One programme item's part of an exercise as recorded.

    `planned` the moves planned for it (every move of the scenario for an exercise held in one
    item); `played` the moves it closed, in order; `started`/`ended` the item's recorded start
    and end (None while it runs, or when the record holds no item events)."""

    item_id: str
    part: int
    planned: tuple[int, ...]
    played: tuple[int, ...]
    started: dt.datetime | None
    ended: dt.datetime | None

    @property
    def duration(self) -> dt.timedelta | None:
        if self.started is None or self.ended is None:
            return None
        return self.ended - self.started


@dataclass(frozen=True)
class ExerciseResult:
    """One exercise as recorded, every part together: what every document says about it.

    `moves_played` the moves closed across all parts, in order (each once); `finished` whether
    `ttx_exercise_ended` is recorded; `ended_by` the terminal outcome that ended it early (None
    when it played out or has not ended); `outcomes` the outcomes that occurred, in move order."""

    exercise_item: str
    scenario_id: str
    title: str
    moves_total: int
    parts: tuple[PartPlayed, ...]
    moves_played: tuple[int, ...]
    finished: bool
    ended_by: str | None
    outcomes: tuple[TtxOutcomeResult, ...]

    @property
    def item_ids(self) -> tuple[str, ...]:
        """The items that hold a part, in programme order (the first is `exercise_item`)."""
        return tuple(p.item_id for p in self.parts)

    @property
    def split(self) -> bool:
        return len(self.parts) > 1

    @property
    def duration(self) -> dt.timedelta | None:
        """Time spent in the exercise's items (breaks between parts excluded); None while a part
        has no recorded end."""
        spans = [p.duration for p in self.parts]
        if not spans or any(s is None for s in spans):
            return None
        return sum((s for s in spans if s is not None), dt.timedelta())

    def part_of(self, item_id: str) -> PartPlayed | None:
        """The part held in `item_id`, or None when that item holds no part of this exercise."""
        return next((p for p in self.parts if p.item_id == item_id), None)

    def describe(self, item_id: str | None = None) -> str:
        """One English sentence on the exercise, or on the part held in `item_id`."""
        part = self.part_of(item_id) if item_id is not None else None
        if part is not None and self.split:
            text = f"Part {part.part} of {len(self.parts)} of the exercise “{self.title}”: "
            text += _moves_text(part.played) + " played"
            if part.item_id != self.parts[-1].item_id and not (
                self.finished and part.played and part.played[-1] == self.moves_played[-1]
            ):
                return text + "; the exercise continues in the next part."
            return text + "; " + self.describe()[0].lower() + self.describe()[1:]
        if not self.finished:
            played = _moves_text(self.moves_played)
            return f"The exercise “{self.title}” has not ended: {played} played."
        text = (
            f"The exercise ran for {len(self.moves_played)} of {plural(self.moves_total, 'move')}"
        )
        if self.ended_by is not None:
            label = next((o.label for o in self.outcomes if o.id == self.ended_by), self.ended_by)
            text += f" and ended {'early ' if self.ended_early else ''}with “{label}”"
        return text + "."

    @property
    def ended_early(self) -> bool:
        """A terminal outcome ended the exercise before its last move was played."""
        return self.ended_by is not None and len(self.moves_played) < self.moves_total


def _moves_text(moves: tuple[int, ...]) -> str:
    if not moves:
        return "no move"
    return f"moves {moves[0]}–{moves[-1]}" if len(moves) > 1 else f"move {moves[0]}"


_Plans = dict[str, tuple[int, tuple[int, ...]]]
"""Item id → (part number, moves planned) of each part of one exercise."""


def _exercise_events(records: Iterable[Record]) -> list[tuple[Record, Event]]:
    """The known tabletop-exercise and item start/end events, decoded, in log order."""
    events: list[tuple[Record, Event]] = []
    for record in records:
        if not known(record.kind):
            continue
        if record.kind.startswith("ttx_") or record.kind in ("item_started", "item_ended"):
            events.append((record, decode(record)))
    return events


def _plans(events: Sequence[tuple[Record, Event]], started: TtxExerciseStarted) -> _Plans:
    """The parts `ttx_part_started` declares for the exercise begun by `started`; without any,
    its own item as the one part planned for every move."""
    first = started.item_id
    part_starts = [
        e for _, e in events if isinstance(e, TtxPartStarted) and e.exercise_item == first
    ]
    plans: _Plans = {e.item_id: (e.part, tuple(e.moves)) for e in part_starts}
    if first not in plans:
        plans[first] = (1, tuple(range(1, started.moves + 1)))
    return plans


def _parts_played(
    events: Sequence[tuple[Record, Event]], plans: _Plans
) -> tuple[tuple[PartPlayed, ...], TtxExerciseEnded | None]:
    """Each planned part as recorded (item times, moves closed: each move once, in the part
    whose narrative came first), in part order; and the exercise's end event, if recorded."""
    item_start: dict[str, dt.datetime] = {}
    item_end: dict[str, dt.datetime] = {}
    played: dict[str, list[int]] = {i: [] for i in plans}
    ended: TtxExerciseEnded | None = None
    for record, event in events:
        if isinstance(event, ItemStarted) and event.item_id in plans:
            item_start[event.item_id] = record.time
        elif isinstance(event, ItemEnded) and event.item_id in plans:
            item_end[event.item_id] = record.time
        elif isinstance(event, TtxNarrative) and event.item_id in plans:
            if all(event.move not in moves for moves in played.values()):
                played[event.item_id].append(event.move)
        elif isinstance(event, TtxExerciseEnded) and event.item_id in plans:
            ended = event
    parts = (
        PartPlayed(
            item_id=item,
            part=part,
            planned=planned,
            played=tuple(played[item]),
            started=item_start.get(item),
            ended=item_end.get(item),
        )
        for item, (part, planned) in plans.items()
    )
    return tuple(sorted(parts, key=lambda p: p.part)), ended


def exercise_result(
    records: Iterable[Record], exercise_item: str | None = None
) -> ExerciseResult | None:
    """Gather one exercise's events across all its parts into an :class:`ExerciseResult`.

    `records` are a meeting's records in log order (any visibility: the events used are public);
    the exercise is the last one started unless `exercise_item` (its first part's item) is
    given. None when no exercise was started. Records written before exercises could be split
    (no `ttx_part_started`) read as one part."""
    events = _exercise_events(records)
    starts = [e for _, e in events if isinstance(e, TtxExerciseStarted)]
    if exercise_item is not None:
        starts = [e for e in starts if e.item_id == exercise_item]
    if not starts:
        return None
    started = starts[-1]
    parts, ended = _parts_played(events, _plans(events, started))
    return ExerciseResult(
        exercise_item=started.item_id,
        scenario_id=started.scenario_id,
        title=started.title,
        moves_total=started.moves,
        parts=parts,
        moves_played=tuple(m for p in parts for m in p.played),
        finished=ended is not None,
        ended_by=ended.ended_by if ended is not None else None,
        outcomes=tuple(sorted(ended.outcomes, key=lambda o: o.move)) if ended is not None else (),
    )
