"""One exercise played in the room (or in `detente ttx play`): the engine with runs=1 and seats.

The rules are the engine's (:class:`~detente.ttx.engine.Play`); this module only asks the seats
and the facilitator, and records what happens. Per move it records, in order:

- `ttx_move_started` (all) and `ttx_inject_released` per inject at its delivery offset — to all,
  to one delegation (`delegation:<id>`), or to the facilitator for facilitation rows;
- `ttx_decision` per delegation (visible to that delegation): its accepted actions, statement;
- `ttx_adjudication_proposed` (facilitator): the engine's proposal; then, if the facilitator
  overrides it, `ttx_adjudication_overridden` (facilitator) with effects and rationale;
- `ttx_mechanics_audit` (facilitator): every state change (variable, before, after, reason);
- `ttx_narrative` (all): the public narrative, public actions and statements, outcomes;
- a private `facilitator_note` (facilitator) with what the room does not see (private actions,
  actions whose precondition no longer held, contingency injects released, held or rejected);

and `ttx_exercise_started` / `ttx_exercise_ended` around the moves.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from detente.meeting.context import ActivityContext
from detente.meeting.events import FacilitatorNote
from detente.meeting.model import Item
from detente.store.events import SYSTEM
from detente.store.visibility import ALL, FACILITATOR, delegation_only
from detente.ttx.engine import AuditEntry, Engine, MoveReport, Play
from detente.ttx.events import (
    TtxActionResult,
    TtxAdjudicationOverridden,
    TtxAdjudicationProposed,
    TtxAuditEntry,
    TtxDecisionMade,
    TtxExerciseEnded,
    TtxExerciseStarted,
    TtxInjectReleased,
    TtxMechanicsAudit,
    TtxMoveStarted,
    TtxNarrative,
    TtxOutcomeResult,
)
from detente.ttx.expressions import ExpressionError
from detente.ttx.pack import CompiledInject, CompiledScenario, Pack
from detente.ttx.policy import PASS
from detente.ttx.requests import (
    TtxDecision,
    TtxDecisionRequest,
    TtxInjectView,
    TtxOpenMove,
    TtxOption,
    TtxReleaseContingency,
    TtxReview,
)
from detente.ttx.scenario import Move, Scenario

DECISION_SHARE = 2 / 3
"""Decisions are recorded two thirds into a move; adjudication at its end."""


def _trigger(inject: CompiledInject) -> str:
    if inject.scheduled:
        return "scheduled"
    return "condition" if inject.condition is not None else "after"


def _language(ctx: ActivityContext, delegation: str, scenario: Scenario) -> str:
    try:
        language = ctx.folder.meeting.delegation(delegation).language
    except KeyError:
        return "en"
    return language if language in scenario.scenario.languages else "en"


def _audit(entries: list[AuditEntry]) -> list[TtxAuditEntry]:
    """Changes in the single run, in order (writes masked out in this run change nothing)."""
    return [
        TtxAuditEntry(
            variable=e.variable,
            before=float(e.before[0]),
            after=float(e.after[0]),
            reason=e.reason,
        )
        for e in entries
        if e.before[0] != e.after[0]
    ]


class Exercise:
    """The live loop's bookkeeping for one exercise; see the module docstring."""

    def __init__(self, ctx: ActivityContext, item: Item, pack: Pack, seed: int) -> None:
        assert item.id is not None
        self.ctx = ctx
        self.item_id = item.id
        self.pack = pack
        self.c: CompiledScenario = pack.compiled
        self.s: Scenario = pack.scenario
        self.seed = seed
        self.engine = Engine(self.c, ctx.folder.profiles)
        self.play: Play = self.engine.start(1, seed, audit=True)
        self.notes: list[str] = []
        self.occurred: list[TtxOutcomeResult] = []
        self.ended_by: str | None = None
        self.scale = 1.0
        """Share of its planned minutes each move of the current part gets (< 1: compressed)."""

    def name(self, actor: int) -> str:
        return self.s.actors[actor].name.en

    def delegation(self, actor: int) -> str:
        return self.s.actors[actor].delegation or self.c.actor_ids[actor]

    # --- injects -------------------------------------------------------------------------------

    def _approve(self, inject: CompiledInject) -> bool:
        ruling = self.ctx.facilitator.decide(
            TtxReleaseContingency(
                self.item_id, self.play.move, inject.number, self.s.msel[inject.index].title.en
            )
        )
        verb = "released" if ruling.release else "held"
        self.notes.append(
            f"Contingency inject {inject.number} {verb}"
            + (f": {ruling.note}" if ruling.note else "")
        )
        return ruling.release

    def release(
        self, start: dt.datetime, minutes: float
    ) -> tuple[list[CompiledInject], list[AuditEntry]]:
        new, audit = self.play.begin_move(self._approve)
        released = [self.c.injects[int(i)] for i in np.flatnonzero(new[0])]
        released.sort(key=lambda j: (self.s.msel[j.index].offset, j.number))
        for inject in released:
            row = self.s.msel[inject.index]
            event = TtxInjectReleased(
                item_id=self.item_id,
                move=self.play.move,
                number=inject.number,
                inject_type=inject.type.value,
                title=row.title.en,
                text=row.text.en,
                sender=row.sender.en,
                method=row.method.en,
                to=list(inject.to),
                trigger=_trigger(inject),
                contingency=inject.contingency,
            )
            at = max(
                self.ctx.now,
                start + dt.timedelta(minutes=min(row.offset * self.scale, minutes - 1)),
            )
            for visibility in self._audiences(inject):
                self.ctx.emit(event, actor=FACILITATOR, visibility=visibility, at=at)
        return released, audit

    def _audiences(self, inject: CompiledInject) -> list[str]:
        if inject.facilitation:
            return [FACILITATOR]
        if "all" in inject.to:
            return [ALL]
        return [delegation_only(self.delegation(self.c.actor_index(a))) for a in inject.to]

    def _visible(self, inject: CompiledInject, actor: int) -> bool:
        return not inject.facilitation and (
            "all" in inject.to or self.c.actor_ids[actor] in inject.to
        )

    # --- decisions -----------------------------------------------------------------------------

    def request(self, actor: int, injects: list[CompiledInject]) -> TtxDecisionRequest:
        available, appeal = self.play.options()
        delegation = self.delegation(actor)
        lang = _language(self.ctx, delegation, self.s)
        move = self.s.moves[self.play.move - 1]
        options = tuple(
            TtxOption(
                id=a.id,
                label=self.s.actions[a.index].label.get(lang),
                private=a.private,
                escalation=self.s.ladder[a.rung].id,
                tags=tuple(sorted(a.tags.items())),
                appeal=float(appeal[0, a.index]),
                label_en=self.s.actions[a.index].label.en,
            )
            for a in self.c.actions
            if actor in a.actors and available[0, a.index]
        )
        return TtxDecisionRequest(
            item_id=self.item_id,
            move=move.number,
            actor=self.c.actor_ids[actor],
            delegation=delegation,
            title=move.title.get(lang),
            scenario_time=move.scenario_time.isoformat(),
            brief=move.brief.get(lang),
            injects=tuple(
                TtxInjectView(
                    j.number,
                    j.type.value,
                    self.s.msel[j.index].title.get(lang),
                    self.s.msel[j.index].text.get(lang),
                    self.s.msel[j.index].sender.get(lang),
                    self.s.msel[j.index].method.get(lang),
                )
                for j in injects
                if self._visible(j, actor)
            ),
            options=options,
            questions=tuple(q.get(lang) for q in move.questions.get(self.c.actor_ids[actor], [])),
            max_actions=self.engine.k,
        )

    def decide(
        self, injects: list[CompiledInject], at: dt.datetime
    ) -> tuple[np.ndarray, dict[int, str]]:
        k = self.engine.k
        choices = np.full((1, len(self.c.players), k), PASS, dtype=np.int64)
        requests = {self.delegation(a): self.request(a, injects) for a in self.c.players}
        answers = self.ctx.ask_all(requests)
        statements: dict[int, str] = {}
        for p, actor in enumerate(self.c.players):
            delegation = self.delegation(actor)
            answer = answers.get(delegation)
            if not isinstance(answer, TtxDecision):
                reason = str(answer) if answer is not None else "no seat"
                self.notes.append(f"{delegation} made no decision: {reason}")
                continue
            open_ids = [o.id for o in requests[delegation].options]
            accepted: list[str] = []
            rejected: list[str] = []
            for action_id in answer.actions:
                if action_id in open_ids and action_id not in accepted and len(accepted) < k:
                    accepted.append(action_id)
                else:
                    rejected.append(action_id)
            for slot, action_id in enumerate(accepted):
                choices[0, p, slot] = self.c.action_index(action_id)
            if rejected:
                self.notes.append(f"{delegation}: ignored unavailable or extra actions {rejected}")
            statements[actor] = answer.statement
            self.ctx.emit(
                TtxDecisionMade(
                    item_id=self.item_id,
                    move=self.play.move,
                    delegation=delegation,
                    actor=self.c.actor_ids[actor],
                    actions=accepted,
                    statement=answer.statement,
                    answers=list(answer.answers),
                    rejected=rejected,
                ),
                actor=delegation,
                visibility=delegation_only(delegation),
                at=at,
            )
        return choices, statements

    # --- adjudication --------------------------------------------------------------------------

    def results(self, choices: np.ndarray, report: MoveReport) -> list[TtxActionResult]:
        out = []
        for p, actor in enumerate(self.c.players):
            for slot in range(self.engine.k):
                index = int(choices[0, p, slot])
                if index == PASS:
                    continue
                action = self.c.actions[index]
                out.append(
                    TtxActionResult(
                        actor=self.c.actor_ids[actor],
                        action=action.id,
                        label=action.label,
                        applied=bool(report.applied[0, p, slot]),
                        private=action.private,
                    )
                )
        for rule in self.c.reactions:
            if report.reactions[0, rule.index]:
                action = self.c.actions[rule.action]
                out.append(
                    TtxActionResult(
                        actor=self.c.actor_ids[rule.actor],
                        action=action.id,
                        label=action.label,
                        applied=True,
                        private=action.private,
                        by=f"reaction:{rule.id}",
                    )
                )
        return out

    def state_now(self) -> tuple[tuple[str, float], ...]:
        state = self.play.state
        values = [
            (v.id, float(state.scalars[0, self.c.symbols.scalars[v.id]])) for v in self.s.state
        ]
        for d in self.s.dyadic:
            index = self.c.symbols.dyadics[d.id].index
            for i, a in enumerate(self.c.actor_ids):
                for j, b in enumerate(self.c.actor_ids):
                    if i != j and (not d.symmetric or i < j):
                        values.append((f"{d.id}[{a},{b}]", float(state.dyadic[0, index, i, j])))
        return tuple(values)

    def review(self, actions: list[TtxActionResult], at: dt.datetime) -> list[AuditEntry]:
        proposal = tuple(
            f"{r.actor}: {r.action} ({'applied' if r.applied else 'blocked'})" for r in actions
        )
        ruling = self.ctx.facilitator.decide(
            TtxReview(self.item_id, self.play.move, proposal, self.state_now())
        )
        if not ruling.effects.strip():
            return []
        try:
            audit = self.play.override(ruling.effects, f"facilitator override: {ruling.rationale}")
        except ExpressionError as exc:
            self.notes.append(f"Override not applied ({exc}): {ruling.effects}")
            return []
        self.ctx.emit(
            TtxAdjudicationOverridden(
                item_id=self.item_id,
                move=self.play.move,
                effects=ruling.effects,
                rationale=ruling.rationale,
            ),
            actor=FACILITATOR,
            visibility=FACILITATOR,
            at=at,
        )
        return audit

    def narrative(
        self,
        actions: list[TtxActionResult],
        report: MoveReport,
        outcomes: list[str],
    ) -> str:
        move = self.s.moves[self.play.move - 1]
        lines = [f"Move {move.number} — {move.title.en}."]
        names = {self.c.actor_ids[i]: self.name(i) for i in range(len(self.c.actor_ids))}
        public = [r for r in actions if r.applied and not r.private]
        lines += [f"{names[r.actor]}: {r.label}." for r in public]
        for event in self.c.chance:
            if report.chance[0, event.index]:
                text = self.s.chance[event.index].narrative
                lines.append((text.en if text else event.label).rstrip(".") + ".")
        lines += [f"Outcome: {label}." for label in outcomes]
        if len(lines) == 1:
            lines.append("Nothing changed the situation this move.")
        return " ".join(lines)


def start_exercise(ctx: ActivityContext, item: Item, pack: Pack, *, seed: int) -> Exercise:
    """Record `ttx_exercise_started` in `item` and return the exercise, ready for its first move."""
    ex = Exercise(ctx, item, pack, seed)
    s, c = ex.s, ex.c
    ctx.emit(
        TtxExerciseStarted(
            item_id=ex.item_id,
            scenario_id=s.scenario.id,
            title=s.scenario.title.en,
            background=s.scenario.background.en,
            moves=len(s.moves),
            max_actions=ex.engine.k,
            players={c.actor_ids[a]: ex.delegation(a) for a in c.players},
            seed=seed,
        ),
        actor=FACILITATOR,
    )
    return ex


def run_exercise(ctx: ActivityContext, item: Item, pack: Pack, *, seed: int) -> None:
    """Play every move of `pack` with the context's seats and facilitator, recording it all."""
    ex = start_exercise(ctx, item, pack, seed=seed)
    play_moves(ex, item)
    end_exercise(ex)


def end_exercise(ex: Exercise) -> None:
    """Record `ttx_exercise_ended` (in the item of the part that played last)."""
    ex.ctx.emit(
        TtxExerciseEnded(
            item_id=ex.item_id,
            moves_played=ex.play.closed,
            outcomes=ex.occurred,
            ended_by=ex.ended_by,
        ),
        actor=FACILITATOR,
    )


def play_moves(
    ex: Exercise, item: Item, *, last_move: int | None = None, until: dt.datetime | None = None
) -> list[int]:
    """Play the exercise's next moves in `item`: from the first move not yet played up to
    `last_move` (default: the last), stopping early when a terminal outcome ends it.

    With `until` (the item's end) the simulated clock keeps within the item: when the moves'
    minutes exceed the time left, every move (and its inject offsets) is shortened in proportion.
    Returns the numbers of the moves played."""
    assert item.id is not None
    ex.item_id = item.id
    todo = [m for m in ex.s.moves if m.number > ex.play.closed]
    if last_move is not None:
        todo = [m for m in todo if m.number <= last_move]
    ex.scale = _time_scale(ex.ctx, todo, until)
    played: list[int] = []
    for move in todo:
        if ex.play.finished:
            break
        _play_move(ex, move)
        played.append(move.number)
    return played


def _time_scale(ctx: ActivityContext, todo: list[Move], until: dt.datetime | None) -> float:
    """The share of their planned minutes the moves `todo` get so that they end by `until` on
    the simulated clock: 1 unless their minutes exceed the time left (or a live clock runs)."""
    planned = sum(m.minutes for m in todo)
    if until is not None and ctx.clock is None and planned:
        left = (until - ctx.now).total_seconds() / 60
        if 0 < left < planned:
            return left / planned
    return 1.0


def _play_move(ex: Exercise, move: Move) -> None:
    """One move, recorded in the order of the module docstring: opened, injects released,
    decisions asked and taken, adjudication proposed and reviewed, outcomes, mechanics audit,
    narrative, and the facilitator's note; the simulated clock ends at the move's end."""
    ctx, play = ex.ctx, ex.play
    start = _open_move(ex, move)
    minutes = move.minutes * ex.scale
    injects, audit = ex.release(start, minutes)
    decide_at = max(ctx.now, start + dt.timedelta(minutes=minutes * DECISION_SHARE))
    choices, statements = ex.decide(injects, decide_at)
    report = play.adjudicate(choices)
    actions = ex.results(choices, report)
    end = max(ctx.now, start + dt.timedelta(minutes=minutes))
    _propose(ex, move.number, actions, report, end)
    override = ex.review(actions, end)
    labels = _close_move(ex, move.number)
    ctx.emit(
        TtxMechanicsAudit(
            item_id=ex.item_id,
            move=move.number,
            entries=_audit([*audit, *report.audit, *override]),
        ),
        actor=SYSTEM,
        visibility=FACILITATOR,
    )
    ctx.emit(
        TtxNarrative(
            item_id=ex.item_id,
            move=move.number,
            text=ex.narrative(actions, report, labels),
            actions=[r for r in actions if r.applied and not r.private],
            statements={ex.delegation(a): text for a, text in statements.items() if text},
            outcomes=labels,
        ),
        actor=FACILITATOR,
    )
    _note_unseen(ex, move.number, actions)
    ctx.now = end


def _open_move(ex: Exercise, move: Move) -> dt.datetime:
    """Ask the facilitator to open `move`, clear the move's notes and record `ttx_move_started`;
    returns the move's start on the clock (taken before the record)."""
    ctx = ex.ctx
    ctx.facilitator.decide(TtxOpenMove(ex.item_id, move.number, move.title.en))
    start = ctx.now
    ex.notes = []
    ctx.emit(
        TtxMoveStarted(
            item_id=ex.item_id,
            move=move.number,
            title=move.title.en,
            scenario_time=move.scenario_time.isoformat(),
            minutes=move.minutes,
            brief=move.brief.en,
        ),
        actor=FACILITATOR,
    )
    return start


def _propose(
    ex: Exercise, move: int, actions: list[TtxActionResult], report: MoveReport, at: dt.datetime
) -> None:
    """Record the engine's proposal for the facilitator: actions, chance events that occurred,
    escalation per actor."""
    c = ex.c
    ex.ctx.emit(
        TtxAdjudicationProposed(
            item_id=ex.item_id,
            move=move,
            actions=actions,
            chance=[e.id for e in c.chance if report.chance[0, e.index]],
            escalation={c.actor_ids[i]: float(v) for i, v in enumerate(report.escalation[0])},
        ),
        actor=SYSTEM,
        visibility=FACILITATOR,
        at=at,
    )


def _close_move(ex: Exercise, move: int) -> list[str]:
    """Close the move in the engine and keep the outcomes that occurred in it (the first
    terminal one ends the exercise); returns their labels."""
    new = ex.play.close_move()
    labels = []
    for outcome in ex.c.outcomes:
        if new[0, outcome.index]:
            labels.append(outcome.label)
            ex.occurred.append(
                TtxOutcomeResult(
                    id=outcome.id,
                    label=outcome.label,
                    move=move,
                    terminal=outcome.terminal,
                )
            )
            if outcome.terminal and ex.ended_by is None:
                ex.ended_by = outcome.id
    return labels


def _note_unseen(ex: Exercise, move: int, actions: list[TtxActionResult]) -> None:
    """Record, for the facilitator only, what the room does not see of the move: private
    actions, actions whose precondition no longer held, and the move's notes (none: no record)."""
    private = [f"{r.actor}: {r.label} (private)" for r in actions if r.private and r.applied]
    blocked = [
        f"{r.actor}: {r.label} (precondition no longer held)" for r in actions if not r.applied
    ]
    notes = [*private, *blocked, *ex.notes]
    if notes:
        ex.ctx.emit(
            FacilitatorNote(item_id=ex.item_id, text=f"Move {move}: " + "; ".join(notes)),
            actor=FACILITATOR,
            visibility=FACILITATOR,
        )
