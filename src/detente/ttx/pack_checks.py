"""Whole-pack checks of a scenario: what the schema alone cannot see.

Each check returns located :class:`~detente.diagnostics.Diagnostic`s (never raises), so one load
reports every problem at once. Checks of expressions (unknown variables and actors inside
conditions and effects) happen when the pack is compiled, in :mod:`detente.ttx.pack`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from detente.diagnostics import Diagnostic, PathPart
from detente.meeting.loader import MeetingFolder
from detente.sourcefile import SourceFile, duplicates, keyed
from detente.ttx.expressions_lexer import FUNCTIONS, LANGUAGE_WORDS, RESERVED_WORDS
from detente.ttx.release import check_release
from detente.ttx.scenario import ActorRole, Inject, Scenario

Path_ = tuple[PathPart, ...]

MIN_QUESTIONS = 2
MAX_QUESTIONS = 4
PLAYED_BY = ("engine", "facilitator")


def unknown(what: str, value: str, known: Iterable[str]) -> str:
    """`unknown actor 'X' (did you mean 'Y'?)`, or the list of known ids when nothing is close."""
    pool = sorted(set(known))
    folded = [k for k in pool if k.casefold() == value.casefold()]
    close = folded or difflib.get_close_matches(value, pool, n=1)
    if close:
        return f"unknown {what} '{value}' (did you mean '{close[0]}'?)"
    shown = ", ".join(pool[:12]) + (" …" if len(pool) > 12 else "")
    return f"unknown {what} '{value}' (known: {shown or 'none'})"


def _reserved(name: str) -> bool:
    return name in LANGUAGE_WORDS or name in RESERVED_WORDS or name in FUNCTIONS


def _names(scenario: Scenario, source: SourceFile) -> list[Diagnostic]:
    pos = source.positions
    diags: list[Diagnostic] = []
    variables: list[tuple[Path_, object]] = [
        (("state", i, "id"), v.id) for i, v in enumerate(scenario.state)
    ]
    variables += [(("dyadic", i, "id"), v.id) for i, v in enumerate(scenario.dyadic)]
    diags += duplicates(source, variables, "variable")
    actors = [(("actors", i, "id"), a.id) for i, a in enumerate(scenario.actors)]
    diags += duplicates(source, actors, "actor")
    names = {str(name) for _, name in variables}
    for path, name in [*variables, *actors]:
        if _reserved(str(name)):
            diags.append(pos.diagnostic(path, f"'{name}' is a reserved word of the expressions"))
    for path, name in actors:
        if name in names:
            diags.append(pos.diagnostic(path, f"'{name}' is already the name of a variable"))
    for path, items, key, what in (
        (("ladder",), scenario.ladder, "id", "rung"),
        (("actions",), scenario.actions, "id", "action"),
        (("moves",), scenario.moves, "number", "move"),
        (("msel",), scenario.msel, "number", "inject"),
        (("reactions",), scenario.reactions, "id", "reaction"),
        (("chance",), scenario.chance, "id", "chance event"),
        (("outcomes",), scenario.outcomes, "id", "outcome"),
        (("scenario", "objectives"), scenario.scenario.objectives, "id", "objective"),
    ):
        diags += duplicates(source, keyed(path, items, key), what)
    return diags


def _range(
    source: SourceFile, path: Path_, low: float, high: float, initial: float
) -> list[Diagnostic]:
    pos = source.positions
    if low > high:
        return [pos.diagnostic((*path, "max"), f"max ({high}) is below min ({low})")]
    if not low <= initial <= high:
        return [pos.diagnostic((*path, "initial"), f"initial {initial} is outside [{low}, {high}]")]
    return []


def _variables(scenario: Scenario, source: SourceFile) -> list[Diagnostic]:
    pos = source.positions
    actor_ids = [a.id for a in scenario.actors]
    diags: list[Diagnostic] = []
    for i, v in enumerate(scenario.state):
        diags += _range(source, ("state", i), v.min, v.max, v.initial)
    for i, d in enumerate(scenario.dyadic):
        diags += _range(source, ("dyadic", i), d.min, d.max, d.initial)
        for key, value in d.pairs.items():
            path: Path_ = ("dyadic", i, "pairs", key)
            parts = [p.strip() for p in key.split(",")]
            if len(parts) != 2 or not all(parts):
                diags.append(pos.diagnostic(path, f"'{key}': write a pair as \"A,B\"", key=True))
                continue
            bad = [p for p in parts if p not in actor_ids]
            for p in bad:
                diags.append(pos.diagnostic(path, unknown("actor", p, actor_ids), key=True))
            if not bad and parts[0] == parts[1]:
                diags.append(pos.diagnostic(path, f"'{key}' relates an actor to itself", key=True))
            if not d.min <= value <= d.max:
                diags.append(pos.diagnostic(path, f"{value} is outside [{d.min}, {d.max}]"))
    return diags


def _actors(scenario: Scenario, source: SourceFile) -> list[Diagnostic]:
    pos = source.positions
    diags: list[Diagnostic] = []
    if not scenario.players:
        diags.append(pos.diagnostic(("actors",), "the scenario needs at least one player actor"))
    delegations: list[tuple[Path_, object]] = []
    for i, actor in enumerate(scenario.actors):
        path: Path_ = ("actors", i)
        if actor.role is ActorRole.PLAYER:
            if actor.delegation is None:
                diags.append(pos.diagnostic(path, f"player '{actor.id}' needs a 'delegation'"))
            else:
                delegations.append(((*path, "delegation"), actor.delegation))
        elif actor.delegation is not None:
            diags.append(
                pos.diagnostic(
                    (*path, "delegation"),
                    f"control actor '{actor.id}' is played by the engine or the facilitator, "
                    "not by a delegation",
                )
            )
        if actor.played_by not in PLAYED_BY:
            diags.append(
                pos.diagnostic(
                    (*path, "played_by"),
                    f"'{actor.played_by}': played_by is one of {', '.join(PLAYED_BY)}",
                )
            )
    diags += duplicates(source, delegations, "player delegation")
    return diags


def _actions(scenario: Scenario, source: SourceFile) -> list[Diagnostic]:
    pos = source.positions
    actor_ids = [a.id for a in scenario.actors]
    rungs = [r.id for r in scenario.ladder]
    diags: list[Diagnostic] = []
    for i, action in enumerate(scenario.actions):
        for j, actor in enumerate(action.actors):
            if actor not in actor_ids:
                diags.append(
                    pos.diagnostic(("actions", i, "actors", j), unknown("actor", actor, actor_ids))
                )
        if action.escalation not in rungs:
            diags.append(
                pos.diagnostic(
                    ("actions", i, "escalation"),
                    unknown("escalation rung", action.escalation, rungs)
                    + "; every action maps to exactly one rung of the ladder",
                )
            )
    return diags


def _moves(scenario: Scenario, source: SourceFile) -> list[Diagnostic]:
    pos = source.positions
    players = [a.id for a in scenario.players]
    diags: list[Diagnostic] = []
    for i, move in enumerate(scenario.moves):
        path: Path_ = ("moves", i)
        if move.number != i + 1:
            diags.append(
                pos.diagnostic(
                    (*path, "number"),
                    f"move {move.number} is move {i + 1} in the file; number the moves 1, 2, …",
                )
            )
        for actor, questions in move.questions.items():
            if actor not in players:
                diags.append(
                    pos.diagnostic(
                        (*path, "questions", actor),
                        unknown("player actor", actor, players),
                        key=True,
                    )
                )
            elif not MIN_QUESTIONS <= len(questions) <= MAX_QUESTIONS:
                diags.append(
                    pos.diagnostic(
                        (*path, "questions", actor),
                        f"{actor} has {len(questions)} decision question(s) in move "
                        f"{move.number}; give {MIN_QUESTIONS} to {MAX_QUESTIONS}",
                        key=True,
                    )
                )
        for actor in players:
            if actor not in move.questions:
                diags.append(
                    pos.diagnostic(
                        (*path, "questions") if move.questions else path,
                        f"move {move.number} has no decision questions for player '{actor}' "
                        f"(give {MIN_QUESTIONS} to {MAX_QUESTIONS})",
                    )
                )
    return diags


def _cycles(scenario: Scenario, source: SourceFile) -> list[Diagnostic]:
    """Injects released `after` themselves, directly or through a chain."""
    after = {j.number: j.trigger.after for j in scenario.msel if j.trigger.after is not None}
    index = {j.number: i for i, j in enumerate(scenario.msel)}
    reported: set[int] = set()
    diags: list[Diagnostic] = []
    for inject in scenario.msel:
        chain = [inject.number]
        current = after.get(inject.number)
        while current is not None and current in index and current not in chain:
            chain.append(current)
            current = after.get(current)
        if current != inject.number or inject.number in reported:
            continue
        reported.update(chain)
        path = ("msel", index[inject.number], "trigger", "after")
        if len(chain) == 1:
            message = f"inject {inject.number} is released after itself"
        else:
            loop = " → ".join(str(n) for n in [*chain, inject.number])
            message = f"inject trigger cycle: {loop} (each waits for the next; none is released)"
        diags.append(source.positions.diagnostic(path, message))
    return diags


def _trigger(
    source: SourceFile, path: Path_, inject: Inject, numbers: set[int]
) -> list[Diagnostic]:
    """An inject has exactly one trigger; a schedule needs a move and excludes contingency;
    `after` names an inject of the MSEL (one released after itself is left to :func:`_cycles`)."""
    pos = source.positions
    trigger = inject.trigger
    modes = [
        name
        for name, used in (
            ("scheduled", trigger.scheduled),
            ("condition", trigger.condition is not None),
            ("after", trigger.after is not None),
        )
        if used
    ]
    diags: list[Diagnostic] = []
    if not modes:
        diags.append(
            pos.diagnostic(
                (*path, "trigger"),
                f"inject {inject.number} is never released: give scheduled, condition or after",
            )
        )
    elif len(modes) > 1:
        diags.append(
            pos.diagnostic(
                (*path, "trigger"),
                f"inject {inject.number} has {' and '.join(modes)} triggers; use exactly one",
            )
        )
    if trigger.scheduled and inject.move is None:
        diags.append(
            pos.diagnostic(path, f"scheduled inject {inject.number} needs the 'move' it is in")
        )
    if trigger.scheduled and inject.contingency:
        diags.append(
            pos.diagnostic(
                (*path, "contingency"),
                f"contingency inject {inject.number} needs a condition or after trigger "
                "saying when it is needed, not a schedule",
            )
        )
    if trigger.after is not None and trigger.after != inject.number:
        if trigger.after not in numbers:
            diags.append(
                pos.diagnostic((*path, "trigger", "after"), f"there is no inject {trigger.after}")
            )
    return diags


def _msel(scenario: Scenario, source: SourceFile) -> list[Diagnostic]:
    """Each MSEL row's move, addressees, trigger, expected actions and objective exist, and no
    chain of `after` triggers loops."""
    pos = source.positions
    numbers = {j.number for j in scenario.msel}
    moves = {m.number for m in scenario.moves}
    players = [a.id for a in scenario.players]
    actions = [a.id for a in scenario.actions]
    objectives = [o.id for o in scenario.scenario.objectives]
    diags: list[Diagnostic] = []
    for i, inject in enumerate(scenario.msel):
        path: Path_ = ("msel", i)
        if inject.move is not None and inject.move not in moves:
            diags.append(pos.diagnostic((*path, "move"), f"there is no move {inject.move}"))
        for j, to in enumerate(inject.to):
            if to != "all" and to not in players:
                diags.append(
                    pos.diagnostic((*path, "to", j), unknown("player actor", to, [*players, "all"]))
                )
        diags += _trigger(source, path, inject, numbers)
        for j, action in enumerate(inject.expected_actions):
            if action not in actions:
                diags.append(
                    pos.diagnostic(
                        (*path, "expected_actions", j), unknown("action", action, actions)
                    )
                )
        if inject.objective is not None and inject.objective not in objectives:
            diags.append(
                pos.diagnostic(
                    (*path, "objective"), unknown("objective", inject.objective, objectives)
                )
            )
    return diags + _cycles(scenario, source)


def _reactions(scenario: Scenario, source: SourceFile) -> list[Diagnostic]:
    """Each reaction rule: a control actor taking an action it may take, in existing moves,
    with a probability in [0, 1]."""
    pos = source.positions
    actor_ids = [a.id for a in scenario.actors]
    controls = {a.id for a in scenario.controls}
    actions = {a.id: a for a in scenario.actions}
    moves = {m.number for m in scenario.moves}
    diags: list[Diagnostic] = []
    for i, reaction in enumerate(scenario.reactions):
        path: Path_ = ("reactions", i)
        if reaction.actor not in actor_ids:
            diags.append(
                pos.diagnostic((*path, "actor"), unknown("actor", reaction.actor, actor_ids))
            )
        elif reaction.actor not in controls:
            diags.append(
                pos.diagnostic(
                    (*path, "actor"),
                    f"'{reaction.actor}' is a player; reaction rules are for control actors",
                )
            )
        action = actions.get(reaction.action)
        if action is None:
            diags.append(
                pos.diagnostic((*path, "action"), unknown("action", reaction.action, actions))
            )
        elif reaction.actor in actor_ids and reaction.actor not in action.actors:
            diags.append(
                pos.diagnostic(
                    (*path, "action"),
                    f"'{reaction.actor}' may not take action '{reaction.action}' "
                    f"(its actors: {', '.join(action.actors)})",
                )
            )
        for j, move in enumerate(reaction.moves):
            if move not in moves:
                diags.append(pos.diagnostic((*path, "moves", j), f"there is no move {move}"))
        if isinstance(reaction.probability, float) and not 0.0 <= reaction.probability <= 1.0:
            diags.append(pos.diagnostic((*path, "probability"), "a probability is between 0 and 1"))
    return diags


def _chance_events(scenario: Scenario, source: SourceFile) -> list[Diagnostic]:
    """Each chance event: an escalation rung that exists and an actor it counts for, a known
    actor, a probability in [0, 1]."""
    pos = source.positions
    actor_ids = [a.id for a in scenario.actors]
    rungs = [r.id for r in scenario.ladder]
    diags: list[Diagnostic] = []
    for i, chance in enumerate(scenario.chance):
        path: Path_ = ("chance", i)
        if chance.escalation is not None and chance.escalation not in rungs:
            diags.append(
                pos.diagnostic(
                    (*path, "escalation"), unknown("escalation rung", chance.escalation, rungs)
                )
            )
        if chance.escalation is not None and chance.actor is None:
            diags.append(
                pos.diagnostic(
                    (*path, "escalation"),
                    "say which 'actor' the chance event's escalation counts for",
                )
            )
        if chance.actor is not None and chance.actor not in actor_ids:
            diags.append(
                pos.diagnostic((*path, "actor"), unknown("actor", chance.actor, actor_ids))
            )
        if isinstance(chance.probability, float) and not 0.0 <= chance.probability <= 1.0:
            diags.append(pos.diagnostic((*path, "probability"), "a probability is between 0 and 1"))
    return diags


def check_pack(scenario: Scenario, source: SourceFile) -> list[Diagnostic]:
    """Every structural problem of a scenario that validated against the schema."""
    return [
        *_names(scenario, source),
        *_variables(scenario, source),
        *_actors(scenario, source),
        *_actions(scenario, source),
        *_moves(scenario, source),
        *_msel(scenario, source),
        *_reactions(scenario, source),
        *_chance_events(scenario, source),
        *check_release(scenario, source),
        *_scoring_and_timing(scenario, source),
    ]


def _scoring_and_timing(scenario: Scenario, source: SourceFile) -> list[Diagnostic]:
    """An MSEL row's `actor`/`escalation` (how it scores, :mod:`detente.ttx.inject_scores`)
    and the `run_of_show` breaks name things that exist."""
    from detente.ttx.inject_scores import NOT_SCORED, inject_score

    pos = source.positions
    actors = [a.id for a in scenario.actors]
    rungs = [r.id for r in scenario.ladder]
    diags: list[Diagnostic] = []
    for i, inject in enumerate(scenario.msel):
        path: Path_ = ("msel", i)
        bad = False
        if inject.actor is not None and inject.actor not in actors:
            diags.append(pos.diagnostic((*path, "actor"), unknown("actor", inject.actor, actors)))
            bad = True
        escalation = inject.escalation
        if escalation is not None and escalation != NOT_SCORED and escalation not in rungs:
            diags.append(
                pos.diagnostic(
                    (*path, "escalation"), unknown("ladder rung", escalation, [*rungs, NOT_SCORED])
                )
            )
            bad = True
        declared = inject.actor is not None or escalation is not None
        opted_out = escalation == NOT_SCORED or inject.type.value == "facilitation"
        if not bad and declared and not opted_out and inject_score(scenario, inject) is None:
            missing = "escalation" if inject.actor is not None else "actor"
            diags.append(
                pos.diagnostic(
                    path,
                    f"inject {inject.number} is scored on the escalation ladder only with both "
                    f"an actor and a rung, and its {missing} cannot be derived from its effects: "
                    f"give '{missing}' (or escalation: {NOT_SCORED})",
                )
            )
    moves = {m.number for m in scenario.moves}
    seen: set[int] = set()
    for i, pause in enumerate(scenario.run_of_show.breaks):
        path = ("run_of_show", "breaks", i, "after_move")
        if pause.after_move not in moves:
            diags.append(pos.diagnostic(path, f"there is no move {pause.after_move}"))
        elif pause.after_move in seen:
            diags.append(pos.diagnostic(path, f"a second break after move {pause.after_move}"))
        seen.add(pause.after_move)
    return diags


def check_against_meeting(
    scenario: Scenario, source: SourceFile, folder: MeetingFolder
) -> list[Diagnostic]:
    """Players name delegations of the meeting; action tags name the profiles' dimensions."""
    pos = source.positions
    delegations = [d.id for d in folder.meeting.delegations]
    diags: list[Diagnostic] = []
    for i, actor in enumerate(scenario.actors):
        if actor.delegation is not None and actor.delegation not in delegations:
            diags.append(
                pos.diagnostic(
                    ("actors", i, "delegation"),
                    unknown("delegation", actor.delegation, delegations) + " in meeting.yaml",
                )
            )
    if folder.profiles is not None:
        dimensions = folder.profiles.dimension_ids
        for i, action in enumerate(scenario.actions):
            for dim in action.tags:
                if dim not in dimensions:
                    diags.append(
                        pos.diagnostic(
                            ("actions", i, "tags", dim),
                            unknown("interest dimension", dim, dimensions) + " in delegations.yaml",
                            key=True,
                        )
                    )
    return diags


def sorted_diagnostics(diags: Sequence[Diagnostic]) -> list[Diagnostic]:
    """File order, then by message, with exact duplicates removed."""
    return sorted(set(diags), key=lambda d: (d.file, d.line, d.column, d.message))
