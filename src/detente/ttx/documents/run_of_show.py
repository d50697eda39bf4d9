"""The run-of-show of each exercise session: brief, moves, breaks and hotwash, minute by minute.

Each `ttx` item of the programme is one part of the exercise (:mod:`detente.ttx.parts` says which
moves it plays). The scenario's `run_of_show` adds the facilitation around the moves: the opening
brief goes before the first move of the first part, a break after the move it names (in the part
that plays that move) and the hotwash after the last move of the last part. Rows follow each
other from the item's start. The rows' total is compared with the item's scheduled length, so
the handbook can say how many minutes are unassigned or how far the plan overruns.

This is also where the room time of every move comes from, so the MSEL's delivery times in the
handbook and the run-of-show agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from detente.meeting.loader import MeetingFolder
from detente.meeting.model import Day, Item, Meeting
from detente.ttx.parts import exercise_items, item_minutes, plan_parts
from detente.ttx.scenario import Scenario


@dataclass(frozen=True)
class Row:
    """One line of a run-of-show: `kind` is brief, move, break or hotwash; `move` for a move."""

    start: dt.datetime
    minutes: int
    kind: str
    title: str
    move: int | None = None

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class SessionShow:
    """The run-of-show of one exercise session (one `ttx` item)."""

    day: Day
    item: Item
    part: int
    rows: tuple[Row, ...]
    available: int | None
    """The item's scheduled minutes (None when it has no end time)."""

    @property
    def total(self) -> int:
        return sum(r.minutes for r in self.rows)

    @property
    def balance(self) -> int | None:
        """Scheduled minus planned minutes: > 0 unassigned, < 0 overrun, None when unknown."""
        return None if self.available is None else self.available - self.total


def run_of_show(meeting: Meeting, scenario: Scenario) -> list[SessionShow]:
    """The run-of-show of every exercise session, in programme order (empty without one)."""
    plans = plan_parts(meeting, [(m.number, m.minutes) for m in scenario.moves])
    items = {item.id: (day, item) for day, item in exercise_items(meeting)}
    moves = {m.number: m for m in scenario.moves}
    breaks = {b.after_move: b for b in scenario.run_of_show.breaks}
    timing = scenario.run_of_show
    shows: list[SessionShow] = []
    for index, plan in enumerate(plans):
        day, item = items[plan.item_id]
        plan_rows: list[tuple[int, str, str, int | None]] = []
        if index == 0 and timing.opening_brief:
            brief = "Opening brief: rules of play, starting situation"
            plan_rows.append((timing.opening_brief, "brief", brief, None))
        for number in plan.moves:
            move = moves.get(number)
            if move is None:
                continue  # validate reports a part that lists a move the scenario lacks
            plan_rows.append((move.minutes, "move", f"Move {number}: {move.title.en}", number))
            pause = breaks.get(number)
            if pause is not None and number != plan.moves[-1]:
                plan_rows.append((pause.minutes, "break", pause.title, None))
        if index == len(plans) - 1 and timing.hotwash:
            hotwash = "Hotwash: immediate debrief with all delegations"
            plan_rows.append((timing.hotwash, "hotwash", hotwash, None))
        clock = dt.datetime.combine(day.date, item.start or dt.time(0, 0))
        rows: list[Row] = []
        for length, kind, title, which in plan_rows:
            rows.append(Row(clock, length, kind, title, which))
            clock += dt.timedelta(minutes=length)
        shows.append(SessionShow(day, item, plan.part, tuple(rows), item_minutes(day, item)))
    return shows


def move_starts(meeting: Meeting, scenario: Scenario) -> dict[int, tuple[dt.datetime, int]]:
    """Room start time and minutes of each move, from the run-of-show; a move that no part plays
    follows the last planned one, back to back."""
    out: dict[int, tuple[dt.datetime, int]] = {}
    clock: dt.datetime | None = None
    for show in run_of_show(meeting, scenario):
        for row in show.rows:
            if row.move is not None and row.move not in out:
                out[row.move] = (row.start, row.minutes)
            clock = row.end
    if clock is None:
        clock = dt.datetime.combine(meeting.programme[0].date, dt.time(0, 0))
    for move in sorted(scenario.moves, key=lambda m: m.number):
        if move.number not in out:
            out[move.number] = (clock, move.minutes)
            clock += dt.timedelta(minutes=move.minutes)
    return out


def declared_breaks(
    meeting: Meeting, scenario: Scenario
) -> dict[str, list[tuple[dt.time, dt.time]]]:
    """The breaks the run-of-show schedules inside exercise sessions, by item id, as clock
    times — for the programme check of long runs without a break
    (:func:`detente.meeting.checks.check_programme`)."""
    out: dict[str, list[tuple[dt.time, dt.time]]] = {}
    for show in run_of_show(meeting, scenario):
        for row in show.rows:
            if row.kind == "break" and show.item.id is not None:
                out.setdefault(show.item.id, []).append((row.start.time(), row.end.time()))
    return out


def folder_breaks(folder: MeetingFolder) -> dict[str, list[tuple[dt.time, dt.time]]]:
    """:func:`declared_breaks` for a meeting folder's scenario pack; empty without a pack or
    with one that does not load (`detente validate` reports its errors separately)."""
    from detente.diagnostics import InputError
    from detente.ttx.pack import has_pack, load_pack

    if not has_pack(folder.root):
        return {}
    try:
        scenario = load_pack(folder.root, meeting=folder).scenario
    except InputError:
        return {}
    return declared_breaks(folder.meeting, scenario)
