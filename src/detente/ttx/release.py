"""The release plan of a scenario: what players may see, and from when.

A designer marks a move (its brief and decision questions) or an MSEL row with `release:`

- `before-meeting` — printed in the participant packs handed out before the meeting;
- `exercise-start` — first seen when the exercise opens (the same moment as move 1);
- `move-N` — first seen when move N opens (printed on that move's handout);
- `never` — never printed for players.

Defaults, so that an unmarked scenario gives nothing away: a move is released when it opens
(move 1 at exercise start); a scheduled MSEL row with a move and offset 0 is printed on its
move's handout; every other row (later offsets, condition or `after` triggers) is never printed
in advance — the engine delivers it live when it fires; facilitation rows never reach players.
The scenario background, rules of play and each delegation's own options are always pre-released.

A *stage* is the release as a number: 0 before the meeting, N when move N opens (exercise start
is stage 1), None for never. Documents ask :func:`move_stage` and :func:`inject_stage` and print
only what their moment allows; :func:`check_release` gives located errors for a plan that cannot
be kept (a move released after it opens, a move number the scenario does not have, a
facilitation row released to players).
"""

from __future__ import annotations

from dataclasses import dataclass

from detente.diagnostics import Diagnostic, InputError
from detente.meeting.loader import MeetingFolder
from detente.sourcefile import SourceFile
from detente.ttx.scenario import Inject, InjectType, Move, Scenario

BEFORE_MEETING = 0
"""The stage of the participant packs."""


def stage(value: str) -> int | None:
    """The stage of a release value (already checked by the schema)."""
    if value == "before-meeting":
        return BEFORE_MEETING
    if value == "exercise-start":
        return 1
    if value == "never":
        return None
    return int(value.removeprefix("move-"))


def move_stage(move: Move) -> int | None:
    """When a move's brief and questions are first seen (default: when it opens)."""
    return move.number if move.release is None else stage(move.release)


def inject_stage(inject: Inject) -> int | None:
    """When an MSEL row may be printed for players (None: never printed in advance)."""
    if inject.type is InjectType.FACILITATION:
        return None
    if inject.release is not None:
        return stage(inject.release)
    scheduled = inject.trigger.scheduled and inject.trigger.condition is None
    if scheduled and inject.move is not None and inject.offset == 0 and not inject.contingency:
        return inject.move
    return None


def addressed_to(inject: Inject, actor: str | None) -> bool:
    """Whether a player actor (None: observers, who see only rows to all) receives the row."""
    if "all" in inject.to:
        return True
    return actor is not None and actor in inject.to


def pre_released_moves(scenario: Scenario) -> list[Move]:
    """The moves whose brief and questions go into the packs."""
    return [m for m in scenario.moves if move_stage(m) == BEFORE_MEETING]


def pre_released_injects(scenario: Scenario, actor: str | None) -> list[Inject]:
    """The MSEL rows to `actor` (or to all, for observers) printed in the packs."""
    return [
        i for i in scenario.msel if inject_stage(i) == BEFORE_MEETING and addressed_to(i, actor)
    ]


def handout_injects(scenario: Scenario, move: int, actor: str | None) -> list[Inject]:
    """The MSEL rows to `actor` handed out when `move` opens: rows released at that move, and
    rows of that move released earlier (repeated so the sheet is complete)."""
    out = []
    for inject in scenario.msel:
        at = inject_stage(inject)
        if at is None or not addressed_to(inject, actor):
            continue
        if at == move or (inject.move == move and at < move):
            out.append(inject)
    return sorted(out, key=lambda i: (i.offset, i.number))


@dataclass(frozen=True)
class PlanRow:
    """One line of the release plan: when, and what."""

    when: str
    what: str


def _when(at: int | None) -> str:
    if at is None:
        return "never (facilitation, or marked never)"
    if at == BEFORE_MEETING:
        return "before the meeting (packs)"
    if at == 1:
        return "exercise start (move 1)"
    return f"move {at}"


def release_plan(scenario: Scenario) -> list[PlanRow]:
    """The plan as short rows, in release order (for `validate`)."""
    moves: dict[int | None, list[str]] = {}
    injects: dict[int | None, list[str]] = {}
    for move in scenario.moves:
        moves.setdefault(move_stage(move), []).append(str(move.number))
    live: list[str] = []
    for inject in scenario.msel:
        at = inject_stage(inject)
        if at is None and inject.type is not InjectType.FACILITATION and inject.release is None:
            live.append(str(inject.number))
        else:
            injects.setdefault(at, []).append(str(inject.number))
    rows = [PlanRow(_when(0), "background, rules of play, own options, programme")]
    order = sorted({k for k in [*moves, *injects] if k is not None})
    for at in [*order, None]:
        parts = []
        if moves.get(at):
            parts.append("brief and questions of move " + ", ".join(moves[at]))
        if injects.get(at):
            parts.append("injects " + ", ".join(injects[at]))
        if parts:
            if at == 0:
                rows[0] = PlanRow(rows[0].when, rows[0].what + "; " + "; ".join(parts))
            else:
                rows.append(PlanRow(_when(at), "; ".join(parts)))
    if live:
        rows.append(PlanRow("live only, when triggered", "injects " + ", ".join(live)))
    return rows


def format_plan(scenario: Scenario) -> str:
    """The release plan as a short text table."""
    rows = release_plan(scenario)
    width = max(len(r.when) for r in rows)
    lines = ["release plan:"] + [f"  {r.when.ljust(width)}  {r.what}" for r in rows]
    return "\n".join(lines)


def plan_for_folder(folder: MeetingFolder) -> str | None:
    """The release plan of a meeting folder's scenario, or None (no scenario, or one with errors,
    which `validate` reports on their own)."""
    from detente.ttx.pack import has_pack, load_pack

    if not has_pack(folder.root):
        return None
    try:
        return format_plan(load_pack(folder.root, meeting=folder).scenario)
    except InputError:
        return None


def check_release(scenario: Scenario, source: SourceFile) -> list[Diagnostic]:
    """Located errors for a release plan that cannot be kept."""
    pos = source.positions
    n = len(scenario.moves)
    diags: list[Diagnostic] = []
    for i, move in enumerate(scenario.moves):
        if move.release is None:
            continue
        at = stage(move.release)
        path = ("moves", i, "release")
        if at is not None and at > n:
            diags.append(pos.diagnostic(path, f"'{move.release}': the scenario has {n} moves"))
        elif at is not None and at > move.number:
            diags.append(
                pos.diagnostic(
                    path,
                    f"'{move.release}' is after move {move.number} opens: its players would "
                    "decide without the brief (release it at or before its own move)",
                )
            )
    for i, inject in enumerate(scenario.msel):
        if inject.release is None:
            continue
        at = stage(inject.release)
        path = ("msel", i, "release")
        if inject.type is InjectType.FACILITATION and at is not None:
            diags.append(
                pos.diagnostic(
                    path, "a facilitation row never reaches players: use 'never' or leave it out"
                )
            )
        elif at is not None and at > n:
            diags.append(pos.diagnostic(path, f"'{inject.release}': the scenario has {n} moves"))
    return diags


__all__ = [
    "BEFORE_MEETING",
    "PlanRow",
    "addressed_to",
    "check_release",
    "format_plan",
    "handout_injects",
    "inject_stage",
    "move_stage",
    "plan_for_folder",
    "pre_released_injects",
    "pre_released_moves",
    "release_plan",
    "stage",
]
