"""Warnings about material that no programme item will use, and about activities whose meaning
the programme probably did not intend.

`detente validate` runs these with the other file checks (see
:func:`detente.hooks.detente_file_checks`); they are warnings, since the meeting still runs:

- statements in `statements.yaml` for an item whose activity never puts statements to a vote
  (only `discussion` and `reflection` — the hotwash — do);
- a scenario pack with no `ttx` item to play it, or a `ttx` item without a pack;
- parts of a split exercise (:mod:`detente.ttx.parts`): a part that gets no move, a move that no
  part plays, a listed move the scenario lacks or an earlier part already plays, and a part whose
  moves take longer than its item (the simulated clock then shortens them);
- a `remarks` item before the first working session: `remarks` records the delegations'
  concluding commitments; opening remarks are `activity: opening`.

Measures need no check here: a measures catalog without a roadmap item is already an error of
the catalog (:mod:`detente.roadmap.catalog`).
"""

from __future__ import annotations

from detente.deliberation.statements import load_statements
from detente.diagnostics import Diagnostic, InputError, PathPart, Severity
from detente.meeting.loader import MeetingFolder
from detente.meeting.model import Day, Item
from detente.ttx.pack import SCENARIO_FILE, has_pack, load_pack
from detente.ttx.parts import PartPlan, item_minutes, plan_parts

VOTING_ACTIVITIES = ("discussion", "reflection")
"""Activities that put an item's prepared statements to a vote."""


def _item_paths(folder: MeetingFolder) -> dict[str, tuple[PathPart, ...]]:
    return {
        item.id: ("programme", di, "items", ii)
        for di, day in enumerate(folder.meeting.programme)
        for ii, item in enumerate(day.items)
        if item.id is not None
    }


def _statements(folder: MeetingFolder) -> list[Diagnostic]:
    try:
        loaded = load_statements(folder)
    except InputError:
        return []  # the statements file's own check reports its errors
    if loaded is None:
        return []
    items = {it.id: it for _, it in folder.meeting.items() if it.id is not None}
    out: list[Diagnostic] = []
    for bi, block in enumerate(loaded.statements.items):
        item = items.get(block.item)
        if item is None or item.activity in VOTING_ACTIVITIES:
            continue
        what = f"'activity: {item.activity}'" if item.activity else "no activity"
        out.append(
            loaded.source.positions.diagnostic(
                ("items", bi, "item"),
                f"the {len(block.statements)} statement(s) for item '{block.item}' will never be "
                f"put to a vote: the item has {what}, and only "
                f"{' and '.join(VOTING_ACTIVITIES)} items take statements",
                Severity.WARNING,
            )
        )
    return out


def _exercise(folder: MeetingFolder) -> list[Diagnostic]:
    meeting = folder.meeting
    parts = [(day, item) for day, item in meeting.items() if item.activity == "ttx"]
    if not has_pack(folder.root):
        pos, paths = folder.source.positions, _item_paths(folder)
        return [
            pos.diagnostic(
                (*paths[item.id or ""], "activity"),
                f"item '{item.id}' runs the exercise but the folder has no {SCENARIO_FILE}; "
                "the item will only record that the exercise was not run",
                Severity.WARNING,
            )
            for _, item in parts
        ]
    try:
        pack = load_pack(folder.root, meeting=folder)
    except InputError:
        return []  # the scenario's own check reports its errors
    if not parts:
        return [
            Diagnostic(
                str(folder.root / SCENARIO_FILE),
                1,
                1,
                (),
                "no programme item has 'activity: ttx', so this scenario is never played",
                Severity.WARNING,
            )
        ]
    return _split_warnings(folder, parts, {m.number: m.minutes for m in pack.scenario.moves})


def _split_warnings(
    folder: MeetingFolder, parts: list[tuple[Day, Item]], moves: dict[int, int]
) -> list[Diagnostic]:
    """Warnings about the split of the exercise's `moves` (number → minutes) over its `parts`
    (the `ttx` items): parts without moves, unknown or replayed moves, parts longer than their
    item, and moves no part plays."""
    pos = folder.source.positions
    paths = _item_paths(folder)
    plans = plan_parts(folder.meeting, sorted(moves.items()))
    days = {item.id: day for day, item in parts}
    claimed: dict[int, int] = {}
    out: list[Diagnostic] = []
    for plan, (_, item) in zip(plans, parts, strict=True):
        base = paths[plan.item_id]
        where = (*base, "moves") if plan.explicit else (*base, "activity")
        out += [
            pos.diagnostic(where, message, Severity.WARNING)
            for message in _claim(plan, moves, claimed)
        ]
        planned = sum(moves.get(n, 0) for n in plan.moves)
        available = item_minutes(days[plan.item_id], item)
        if available is not None and planned > available:
            out.append(
                pos.diagnostic(
                    (*base, "end"),
                    f"the moves of part {plan.part} take {planned} minutes but item "
                    f"'{plan.item_id}' has {available}; in simulation every move is shortened "
                    "to end with the item",
                    Severity.WARNING,
                )
            )
    unplayed = [n for n in sorted(moves) if n not in claimed]
    if unplayed:
        last = plans[-1]
        out.append(
            pos.diagnostic(
                (*paths[last.item_id], "moves" if last.explicit else "activity"),
                f"no part of the exercise plays move(s) {', '.join(map(str, unplayed))}",
                Severity.WARNING,
            )
        )
    return out


def _claim(plan: PartPlan, moves: dict[int, int], claimed: dict[int, int]) -> list[str]:
    """Record in `claimed` (move → part) the moves `plan` plays first; the problems with its
    moves: none at all, a move the scenario lacks, a move an earlier part plays."""
    problems: list[str] = []
    if not plan.moves:
        problems.append(
            f"part {plan.part} of the exercise (item '{plan.item_id}') gets no move: "
            "earlier parts play them all"
        )
    for number in plan.moves:
        if number not in moves:
            problems.append(
                f"move {number} is not a move of the scenario (moves {min(moves)}–{max(moves)})"
            )
        elif number in claimed:
            problems.append(
                f"move {number} is already played in part {claimed[number]}; a move is "
                "played once, so this part will not replay it"
            )
        else:
            claimed[number] = plan.part
    return problems


def _remarks(folder: MeetingFolder) -> list[Diagnostic]:
    paths = _item_paths(folder)
    out: list[Diagnostic] = []
    for _, item in folder.meeting.items():
        if item.activity == "remarks":
            out.append(
                folder.source.positions.diagnostic(
                    (*paths[item.id or ""], "activity"),
                    f"item '{item.id}' comes before any working session, but 'activity: "
                    "remarks' records each delegation's concluding commitments to next steps; "
                    "use 'activity: opening' for opening remarks",
                    Severity.WARNING,
                )
            )
        if item.session is not None or item.activity not in (None, "opening", "remarks"):
            break
    return out


def check_usage(folder: MeetingFolder) -> list[Diagnostic]:
    """Every warning of the module docstring, statements first."""
    return _statements(folder) + _exercise(folder) + _remarks(folder)
