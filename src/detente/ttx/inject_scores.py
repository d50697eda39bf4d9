"""How a scripted inject counts on the escalation ladder: whose deed it is and on which rung.

An inject often *is* an actor's deed ("Shells on Yeonpyeong-do" is the KPA firing). If only the
players' actions were scored, an actor that acts only through the script (a control actor the
MSEL moves) would sit at 0 on the escalation chart while the players climb, and the chart would
mislead. So a released inject adds the score of its rung to its actor's escalation in that move,
exactly as an action, a control reaction or an attributed chance event does.

The scenario says it with `actor:` and `escalation:` on the MSEL row (`escalation: none` opts a
row out). When either is missing, it is derived from the row's `effects`, generally and
deterministically: among the actions of the control actors (of the named `actor`, when given),
the ones whose effects make the most changes in common with the inject's effects (at least
:data:`MIN_SHARED`; a change is a variable and its direction, and raising and lowering one
variable do not agree) are its likeness; when they all belong to one actor and sit on one rung,
the inject takes that actor and rung. Otherwise (no effects, too little in common, or a tie
between actors or rungs) the row is not scored, and the handbook says so beside the row.
Facilitation rows are never scored: they are not events of the scenario's world.
"""

from __future__ import annotations

from dataclasses import dataclass

from detente.ttx.expressions_lexer import ExpressionError
from detente.ttx.expressions_parser import Neg, Number, parse_effects
from detente.ttx.scenario import Action, ActorRole, Inject, InjectType, Scenario

MIN_SHARED = 2
"""Fewest state variables an inject's effects must share with an action to be scored like it:
one shared variable (say `tension`) is what nearly every action writes, so it says nothing."""

NOT_SCORED = "none"
"""The `escalation:` value that opts an MSEL row out of scoring."""


@dataclass(frozen=True)
class InjectScore:
    """An inject's place on the ladder: `actor` and `rung` ids; `like` is the action it was
    derived from (None when the row declares both)."""

    actor: str
    rung: str
    like: str | None = None


def changes(effects: str) -> frozenset[tuple[str, str]]:
    """What an effects text does, as (variable, direction) pairs: `+` raises, `-` lowers, `=`
    sets (and `*`, `/` scale); empty when it does not parse. Direction comes from the operator
    and the sign of a literal amount; any other amount counts as its operator says."""
    try:
        statements = parse_effects(effects)
    except ExpressionError:
        return frozenset()
    out = set()
    for s in statements:
        direction = s.op[0]
        value = s.value
        negative = isinstance(value, Neg) and isinstance(value.operand, Number)
        negative = negative or (isinstance(value, Number) and value.value < 0)
        if direction in "+-" and negative:
            direction = "-" if direction == "+" else "+"
        out.add((s.target.name, direction))
    return frozenset(out)


def _agree(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Two changes agree on the same variable unless one raises and the other lowers it."""
    return a[0] == b[0] and {a[1], b[1]} != {"+", "-"}


def _shared(target: frozenset[tuple[str, str]], other: frozenset[tuple[str, str]]) -> int:
    return sum(1 for change in target if any(_agree(change, o) for o in other))


def _likeness(scenario: Scenario, inject: Inject) -> list[tuple[Action, str]]:
    """The (action, actor) pairs whose effects share the most variables with the inject's."""
    if not inject.effects:
        return []
    target = changes(inject.effects)
    controls = {a.id for a in scenario.actors if a.role is ActorRole.CONTROL}
    allowed = {inject.actor} if inject.actor is not None else controls
    best, found = MIN_SHARED, list[tuple[Action, str]]()
    for action in scenario.actions:
        if not action.effects:
            continue
        shared = _shared(target, changes(action.effects))
        if shared < best:
            continue
        pairs = [(action, a) for a in action.actors if a in allowed]
        if not pairs:
            continue
        if shared > best:
            best, found = shared, []
        found += pairs
    return found


def inject_score(scenario: Scenario, inject: Inject) -> InjectScore | None:
    """Who the inject scores for and on which rung, or None when it is not scored."""
    if inject.type is InjectType.FACILITATION or inject.escalation == NOT_SCORED:
        return None
    if inject.actor is not None and inject.escalation is not None:
        return InjectScore(inject.actor, inject.escalation)
    found = _likeness(scenario, inject)
    actors = {inject.actor} if inject.actor is not None else {a for _, a in found}
    rungs = {x.escalation for x, _ in found}
    if inject.escalation is not None:
        rungs = {inject.escalation}
    if not found or len(actors) != 1 or len(rungs) != 1:
        return None
    like = sorted({x.id for x, _ in found})[0]
    return InjectScore(actors.pop(), rungs.pop(), like)
