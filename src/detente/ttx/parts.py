"""Which moves each programme item of a split exercise plays: the plan of the exercise's parts.

A meeting folder has one scenario pack, so it has one exercise. Every `ttx` item of the programme
is a *part* of that exercise, in programme order: the first part starts it, each later part
resumes where the previous one stopped (it never replays a move), and the breaks, meals or
sessions between parts are just that. A part plays the moves its item lists in `moves:`; an item
without `moves:` shares the moves left over (those no listed part claims) with the other unlisted
parts in proportion to their scheduled minutes, and the last unlisted part before a listed one (or
the end) takes whatever is left. The plan is a pure function of the meeting and the scenario, so
`validate`, the runner, the handbook and the reports see the same plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from detente.meeting.model import Day, Item, Meeting


@dataclass(frozen=True)
class PartPlan:
    """One part: its item, its number (from 1), the moves it plans to play and its minutes."""

    item_id: str
    part: int
    moves: tuple[int, ...]
    minutes: int | None
    explicit: bool
    """True when the item lists its moves (`moves:` in meeting.yaml)."""


def exercise_items(meeting: Meeting) -> list[tuple[Day, Item]]:
    """The programme items that run the exercise (`activity: ttx`), in programme order."""
    return [(day, item) for day, item in meeting.items() if item.activity == "ttx"]


def item_minutes(day: Day, item: Item) -> int | None:
    """The scheduled length of an item in minutes (None when it has no start or end)."""
    if item.start is None or item.end is None:
        return None
    a = dt.datetime.combine(day.date, item.start)
    b = dt.datetime.combine(day.date, item.end)
    return int((b - a).total_seconds() // 60) % (24 * 60)


def _share(pool: Sequence[tuple[int, int]], group: Sequence[int | None]) -> int:
    """How many moves of `pool` ((number, minutes) in order) the first of `group` (the minutes of
    the unlisted parts that share the pool) plays: the moves whose midpoint falls within its share
    of the pool's play time; at least one, and one left for each later part when possible."""
    if len(group) == 1:
        return len(pool)
    known = [m for m in group if m is not None]
    fill = sum(known) / len(known) if known else 1.0
    weights = [float(m) if m is not None else fill for m in group]
    total_weight = sum(weights) or 1.0
    target = weights[0] / total_weight * sum(m for _, m in pool)
    taken, elapsed = 0, 0.0
    for _, minutes in pool:
        if elapsed + minutes / 2 > target:
            break
        taken += 1
        elapsed += minutes
    most = max(len(pool) - (len(group) - 1), 1)
    return max(1, min(taken, most)) if pool else 0


def plan_parts(meeting: Meeting, moves: Sequence[tuple[int, int]]) -> list[PartPlan]:
    """The plan of every part; `moves` is the scenario's (number, minutes) per move, in order.

    Listed moves are taken as written (a listed number the scenario lacks is kept: `validate`
    reports it); unlisted parts share the rest as the module docstring says. A part may get no
    move when the moves run out before it (`validate` warns)."""
    items = exercise_items(meeting)
    ordered = sorted(moves)
    index_of = {number: i for i, (number, _) in enumerate(ordered)}
    plans: list[PartPlan] = []
    next_index = 0
    for i, (day, item) in enumerate(items):
        assert item.id is not None
        minutes = item_minutes(day, item)
        if item.moves is not None:
            planned = tuple(item.moves)
            last = [index_of[n] for n in planned if n in index_of]
            if last:
                next_index = max(next_index, max(last) + 1)
            plans.append(PartPlan(item.id, i + 1, planned, minutes, True))
            continue
        limit = len(ordered)
        group: list[int | None] = []
        for later_day, later in items[i:]:
            if later.moves is not None:
                firsts = [index_of[n] for n in later.moves if n in index_of]
                if firsts:
                    limit = max(min(firsts), next_index)
                break
            group.append(item_minutes(later_day, later))
        pool = ordered[next_index:limit]
        count = _share(pool, group)
        planned = tuple(number for number, _ in pool[:count])
        next_index += count
        plans.append(PartPlan(item.id, i + 1, planned, minutes, False))
    return plans
