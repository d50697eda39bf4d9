"""The tabletop exercise as each viewer may see it: brief, injects, decisions, MSEL, meter.

Every function builds from the records :func:`detente.web.views.visible` lets through, like the
rest of :mod:`detente.web.views`; the scenario pack only supplies the *text* of what a visible
record names (a move's brief, an inject's title, an action's label) in the viewer's language.
The MSEL view (:func:`msel`) reads the pack's rows — expected actions, evaluator notes,
facilitation rows — and is built for the facilitator only: it returns nothing to anyone else.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from detente.store.log import Record
from detente.ttx.live import DECISION_SHARE
from detente.ttx.pack import Pack
from detente.ttx.scenario import Inject
from detente.ttx.web_handout import ScreenHandout, actor_of, screen_handout
from detente.ttx.web_handout import text as text
from detente.web.api import PendingRequest, Snapshot, Viewer, visible_entries

TTX_KINDS = (
    "ttx_exercise_started",
    "ttx_move_started",
    "ttx_inject_released",
    "inject_delivered",
    "inject_written",
    "ttx_narrative",
    "ttx_exercise_ended",
    "ttx_part_started",
)


@dataclass(frozen=True)
class MoveView:
    number: int
    title: str
    scenario_time: str
    minutes: int
    brief: str
    opened_at: dt.datetime
    deadline: dt.datetime
    handout: ScreenHandout | None = None
    """What the move's printed handout gives the viewer (the same function builds both): its
    title, time and brief are the ones above; the screen lists its injects too."""


@dataclass(frozen=True)
class InjectLine:
    seq: int
    time: dt.datetime
    move: int
    number: int
    type: str
    title: str
    text: str
    sender: str
    method: str
    scope: str
    """`all`, `delegation` (sent to the viewer's delegation only) or `facilitator`."""


@dataclass(frozen=True)
class NarrativeView:
    move: int
    text: str
    statements: tuple[tuple[str, str], ...]
    outcomes: tuple[str, ...]


@dataclass(frozen=True)
class MeterRow:
    actor: str
    name: str
    rung: str
    score: float
    percent: int


@dataclass(frozen=True)
class Exercise:
    item_id: str
    title: str
    background: str
    moves: int
    move: MoveView | None
    injects: tuple[InjectLine, ...]
    """Newest first."""
    narratives: tuple[NarrativeView, ...]
    """Newest first."""
    meter: tuple[MeterRow, ...]
    meter_move: int | None
    ended: bool
    parts: tuple[str, ...] = ()
    """Every item holding a part of the exercise (the first is `item_id`)."""


def exercise(
    pack: Pack | None,
    snap: Snapshot,
    viewer: Viewer,
    language: str,
    deadline: dt.datetime | None = None,
) -> Exercise | None:
    """The latest exercise of the log as `viewer` may see it, or None when none has started.

    Injects: the facilitator sees every inject the runner released; the others see those the
    exercise clock delivered (see :mod:`detente.web.clock`); everyone sees the injects written
    on the spot that were sent to them and not withdrawn. `deadline` is the running move's
    decision deadline on the exercise clock (two thirds into the move when not given)."""
    records = [e.record for e in visible_entries(snap.of(*TTX_KINDS), viewer)]
    withdrawn = {int(e.record.payload["undone"]) for e in snap.of("control_undone")}
    started = [r for r in records if r.kind == "ttx_exercise_started"]
    if not started:
        return None
    head = started[-1]
    item_id = str(head.payload["item_id"])
    parts = _exercise_parts(records, item_id)
    mine = [r for r in records if r.seq > head.seq and r.payload.get("item_id") in parts]
    scenario = pack.scenario if pack is not None else None
    move: MoveView | None = None
    injects: list[InjectLine] = []
    narratives: list[NarrativeView] = []
    ended = False
    for r in mine:
        if r.kind == "ttx_move_started":
            move = _move_view(pack, r, viewer, language)
        elif r.kind == "inject_written" and r.seq not in withdrawn:
            injects.append(_written_inject(r))
        elif r.kind == "ttx_inject_released" or (
            r.kind == "inject_delivered" and viewer.role != "facilitator"
        ):
            injects.append(_scheduled_inject(pack, r, language))
        elif r.kind == "ttx_narrative":
            narratives.append(_narrative_view(r))
        elif r.kind == "ttx_exercise_ended":
            ended = True
    if move is not None and deadline is not None:
        move = dataclasses.replace(move, deadline=deadline)
    meter, meter_move = _meter(pack, narratives[-1:], mine, language)
    return Exercise(
        item_id,
        text(scenario.scenario.title if scenario else None, language, str(head.payload["title"])),
        text(
            scenario.scenario.background if scenario else None,
            language,
            str(head.payload["background"]),
        ),
        int(head.payload["moves"]),
        move,
        tuple(reversed(injects)),
        tuple(reversed(narratives)),
        meter,
        meter_move,
        ended,
        parts,
    )


def _exercise_parts(records: list[Record], item_id: str) -> tuple[str, ...]:
    """Every programme item holding a part of the exercise started in `item_id`, that one
    first, then the items whose `ttx_part_started` names it, in log order."""
    later = [
        str(r.payload["item_id"])
        for r in records
        if r.kind == "ttx_part_started"
        and r.payload.get("exercise_item") == item_id
        and r.payload.get("item_id") != item_id
    ]
    return (item_id, *later)


def _move_view(pack: Pack | None, r: Record, viewer: Viewer, language: str) -> MoveView:
    """The move a `ttx_move_started` record opened, in the viewer's handout words when the pack
    has them (the record's own title and brief otherwise)."""
    p = r.payload
    number = int(p["move"])
    handout = screen_handout(pack, number, actor_of(pack, viewer.delegation), language)
    minutes = int(p["minutes"])
    return MoveView(
        number,
        handout.title if handout else str(p["title"]),
        str(p["scenario_time"]).replace("T", " ")[:16],
        minutes,
        handout.brief if handout else str(p["brief"]),
        r.time,
        r.time + dt.timedelta(minutes=minutes * DECISION_SHARE),
        handout,
    )


def _scope(r: Record) -> str:
    """An inject record's audience: `all`, or the first part of its visibility
    (`delegation`, `facilitator`)."""
    return "all" if r.visibility == "all" else r.visibility.split(":")[0]


def _written_inject(r: Record) -> InjectLine:
    """An inject written on the spot (`inject_written`): number 0, type `written`, no sender."""
    p = r.payload
    return InjectLine(
        r.seq,
        r.time,
        int(p["move"]),
        0,
        "written",
        str(p["title"]),
        str(p["text"]),
        "",
        "",
        _scope(r),
    )


def _scheduled_inject(pack: Pack | None, r: Record, language: str) -> InjectLine:
    """A released or delivered MSEL inject, its texts in `language` from the pack's row (the
    record's own texts when the pack has no such row)."""
    p = r.payload
    row = _msel_row(pack, int(p["number"]))
    return InjectLine(
        r.seq,
        r.time,
        int(p["move"]),
        int(p["number"]),
        str(p["inject_type"]),
        text(row.title if row else None, language, str(p["title"])),
        text(row.text if row else None, language, str(p["text"])),
        text(row.sender if row else None, language, str(p.get("sender", ""))),
        text(row.method if row else None, language, str(p.get("method", ""))),
        _scope(r),
    )


def _narrative_view(r: Record) -> NarrativeView:
    """A published move narrative (`ttx_narrative`) with its statements and outcomes."""
    p = r.payload
    return NarrativeView(
        int(p["move"]),
        str(p["text"]),
        tuple((str(d), str(t)) for d, t in dict(p["statements"]).items()),
        tuple(str(o) for o in p["outcomes"]),
    )


def _msel_row(pack: Pack | None, number: int) -> Any | None:
    if pack is None:
        return None
    return next((row for row in pack.scenario.msel if row.number == number), None)


def _meter(
    pack: Pack | None, latest: list[NarrativeView], mine: list[Any], language: str
) -> tuple[tuple[MeterRow, ...], int | None]:
    """Escalation by actor in the latest published move: the highest rung among each actor's
    public, applied actions (from the public narrative), on the scenario's ladder."""
    if pack is None or not latest:
        return (), None
    scenario = pack.scenario
    narrative = next(
        (
            r
            for r in reversed(mine)
            if r.kind == "ttx_narrative" and int(r.payload["move"]) == latest[0].move
        ),
        None,
    )
    if narrative is None:
        return (), None
    scores = [rung.score for rung in scenario.ladder]
    low, high = min(scores), max(scores)
    best: dict[str, Any] = {}
    for action in narrative.payload["actions"]:
        try:
            rung = scenario.rung(scenario.action(str(action["action"])).escalation)
        except KeyError:
            continue
        actor = str(action["actor"])
        if actor not in best or rung.score > best[actor].score:
            best[actor] = rung
    rows = []
    status_quo = min(scenario.ladder, key=lambda r: abs(r.score))
    for player in scenario.actors:
        if player.role.value != "player" and player.id not in best:
            continue
        rung = best.get(player.id, status_quo)
        span = (high - low) or 1.0
        rows.append(
            MeterRow(
                player.id,
                text(player.name, language),
                text(rung.label, language),
                rung.score,
                round(100 * (rung.score - low) / span),
            )
        )
    return tuple(rows), latest[0].move


@dataclass(frozen=True)
class MselRow:
    number: int
    move: int | None
    offset: int
    type: str
    sender: str
    to: str
    title: str
    text: str
    trigger: str
    contingency: bool
    expected: str
    notes: str
    status: str
    """`released`, `pending` (waiting for the facilitator), `held`, or `not yet`."""


def msel(
    pack: Pack | None, snap: Snapshot, viewer: Viewer, ex: Exercise | None, language: str
) -> list[MselRow]:
    """The current move's MSEL: its scheduled rows and every triggered row (condition, after,
    contingency) with what happened to it. Facilitator only (empty for anyone else)."""
    if viewer.role != "facilitator" or pack is None or ex is None or ex.move is None:
        return []
    parts = ex.parts or (ex.item_id,)
    released = {
        int(e.record.payload["number"])
        for e in snap.of("ttx_inject_released")
        if e.record.payload["item_id"] in parts
    }
    pending, held = _contingencies_waiting_and_held(snap, parts)
    rows = []
    for row in pack.scenario.msel:
        scheduled = row.trigger.scheduled and row.move is not None
        if scheduled and row.move != ex.move.number:
            continue
        if row.number in released:
            status = "released"
        elif row.number in pending:
            status = "pending"
        elif row.number in held:
            status = "held"
        else:
            status = "not yet"
        rows.append(
            MselRow(
                row.number,
                row.move,
                row.offset,
                row.type.value,
                text(row.sender, language),
                ", ".join(row.to),
                text(row.title, language),
                text(row.text, language),
                _trigger_words(row, scheduled),
                row.contingency,
                row.expected_action,
                row.evaluator_notes,
                status,
            )
        )
    return rows


def _contingencies_waiting_and_held(
    snap: Snapshot, parts: tuple[str, ...]
) -> tuple[set[int], set[int]]:
    """The MSEL numbers of the exercise's contingency injects whose release request is still
    unanswered (first set) and of those the facilitator chose to hold back (second set)."""
    pending: set[int] = set()
    held: set[int] = set()
    taken = {
        str(e.record.payload["key"]): dict(e.record.payload["answer"])
        for e in snap.of("decision_taken", "decision_automatic")
    }
    for e in snap.of("decision_requested"):
        p = e.record.payload
        if p["request_type"] != "ttx_release_contingency":
            continue
        if p["request"].get("item_id") not in parts:
            continue
        number = int(p["request"]["number"])
        answer = taken.get(str(p["key"]))
        if answer is None:
            pending.add(number)
        elif not answer.get("release", True):
            held.add(number)
    return pending, held


def _trigger_words(row: Inject, scheduled: bool) -> str:
    """When an MSEL row fires, in the console's short words: `+N min` for a scheduled row,
    `if <condition>`, `after #<number>`, or empty."""
    if scheduled:
        return f"+{row.offset} min"
    if row.trigger.condition is not None:
        return f"if {row.trigger.condition}"
    if row.trigger.after is not None:
        return f"after #{row.trigger.after}"
    return ""


@dataclass(frozen=True)
class DecisionStatus:
    delegation: str
    status: str
    drafts: int
    actions: tuple[str, ...]
    statement: str
    key: str = ""


def decisions_arriving(
    requests: list[PendingRequest], ex: Exercise | None, pack: Pack | None, language: str
) -> list[DecisionStatus]:
    """The current move's decision requests, per delegation, with their drafts and answers
    (the facilitator's view: `requests` are the seat requests the viewer may see)."""
    if ex is None or ex.move is None:
        return []
    out = []
    for r in requests:
        if r.request_type != "ttx_decision_request" or r.request.get("move") != ex.move.number:
            continue
        if r.request.get("item_id") not in (ex.parts or (ex.item_id,)):
            continue
        answer = r.answer or {}
        out.append(
            DecisionStatus(
                str(r.delegation),
                r.status,
                r.drafts,
                tuple(action_label(pack, a, language) for a in answer.get("actions", ())),
                str(answer.get("statement", "")),
                r.key,
            )
        )
    return out


def action_label(pack: Pack | None, action_id: str, language: str) -> str:
    """An action's label in `language` (its id when the pack does not know it)."""
    if pack is None:
        return action_id
    try:
        return text(pack.scenario.action(action_id).label, language)
    except KeyError:
        return action_id


@dataclass(frozen=True)
class StateLine:
    name: str
    """The variable as the engine writes it (`tension`, `channel[DPRK,ROK]`): the raw form."""
    meaning: str
    """What the pack's designer says it means (the raw name when the pack does not know it)."""
    value: str
    """The value with its unit."""
    pair: str
    """`A–B` for a variable of a pair of actors, empty for a scalar."""
    was: str = ""
    """The value (with its unit) when the move opened, when it changed since; empty otherwise."""


def state_lines(
    pack: Pack | None, state: Any, before: dict[str, float] | None = None
) -> list[StateLine]:
    """The adjudication's state in words: each variable with its meaning from the pack, scalars
    first, then pair variables grouped by variable; with `before` (see :func:`state_at_start`),
    each variable that changed since the move opened carries its value then."""
    scenario = pack.scenario if pack is not None else None
    scalars = {v.id: v for v in scenario.state} if scenario else {}
    dyadics = {d.id: d for d in scenario.dyadic} if scenario else {}
    out: list[StateLine] = []
    for name, value in state:
        base, _, rest = str(name).partition("[")
        number = f"{float(value):g}"
        then = (before or {}).get(str(name))
        was = f"{then:g}" if then is not None and abs(then - float(value)) > 1e-9 else ""
        if not rest:
            known = scalars.get(base)
            unit = f" {known.unit}" if known is not None and known.unit else ""
            meaning = known.meaning if known else name
            out.append(StateLine(name, meaning, number + unit, "", was + unit if was else ""))
        else:
            found = dyadics.get(base)
            pair = rest.rstrip("]").replace(",", "–")
            out.append(StateLine(name, found.meaning if found else base, number, pair, was))
    return sorted(out, key=lambda s: (bool(s.pair), s.name.partition("[")[0]))


def state_at_start(pack: Pack | None, snap: Snapshot, move: int) -> dict[str, float]:
    """The state of the latest exercise when its move `move` opened, named as the adjudication
    names it (`tension`, `trust[ALD,BRV]` with a symmetric pair in the pack's actor order): the
    pack's initial state with every change the mechanics audits of the earlier moves recorded.
    Empty without a pack."""
    if pack is None:
        return {}
    c = pack.compiled
    state = c.new_state(1)
    values = {v.id: float(state.scalars[0, c.symbols.scalars[v.id]]) for v in pack.scenario.state}
    for d in pack.scenario.dyadic:
        index = c.symbols.dyadics[d.id].index
        for i, a in enumerate(c.actor_ids):
            for j, b in enumerate(c.actor_ids):
                if i != j and (not d.symmetric or i < j):
                    values[f"{d.id}[{a},{b}]"] = float(state.dyadic[0, index, i, j])
    started = [e.record.seq for e in snap.of("ttx_exercise_started")]
    for e in snap.of("ttx_mechanics_audit"):
        p = e.record.payload
        if not started or e.record.seq < started[-1] or int(p["move"]) >= move:
            continue
        for entry in p["entries"]:
            name = str(entry["variable"])
            base, _, rest = name.partition("[")
            swapped = f"{base}[{','.join(reversed(rest.rstrip(']').split(',')))}]"
            if name in values:
                values[name] = float(entry["after"])
            elif rest and swapped in values:
                values[swapped] = float(entry["after"])
    return values


def proposal_words(pack: Pack | None, line: str, language: str) -> tuple[str, str, str]:
    """An engine proposal line `ACTOR: action-id (applied)` as (actor's name, the action's
    label, `applied` or `blocked`); the line itself when it has another shape."""
    actor, sep, rest = line.partition(": ")
    action, _, status = rest.rpartition(" (")
    if not sep or not action:
        return line, "", ""
    name = actor
    if pack is not None:
        found = next((a for a in pack.scenario.actors if a.id == actor), None)
        if found is not None:
            name = text(found.name, language, actor)
    return name, action_label(pack, action, language), status.rstrip(")")
