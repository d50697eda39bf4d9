"""What the exercise asks seats and the facilitator, and how simulated and replayed seats answer.

- :class:`TtxDecisionRequest` → :class:`TtxDecision`: a delegation's decision in a move. The
  request carries only what that delegation may see (the brief, the injects released to it, the
  actions open to it with their situational appeal, its questions).
- :class:`TtxReview` → :class:`TtxRuling`: the facilitator accepts the engine's adjudication or
  overrides it with effect statements and a rationale.
- :class:`TtxReleaseContingency` → :class:`TtxInjectRuling`: the facilitator releases or holds a
  contingency inject whose trigger holds.

A simulated seat decides with the same softmax policy the vectorised engine uses
(:func:`detente.ttx.policy.sample_choices`), from its delegation's interest weights and
temperature and its own seeded generator. The automatic facilitator accepts every adjudication and
releases every contingency inject whose trigger holds (the engine plays control).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from detente.meeting.facilitator import Go, automatic_decision
from detente.seats.base import Request
from detente.seats.replay import first_recorded, replay_answer
from detente.seats.simulated import SimulatedDelegation, simulated_answer
from detente.store.events import Event
from detente.ttx.events import TtxAdjudicationOverridden, TtxDecisionMade
from detente.ttx.policy import PASS, interest_utility, sample_choices


@dataclass(frozen=True)
class TtxInjectView:
    """An inject as its audience sees it."""

    number: int
    type: str
    title: str
    text: str
    sender: str = ""
    method: str = ""


@dataclass(frozen=True)
class TtxOption:
    """An action open to the delegation now: its id and label, whether it is private, its rung,
    its tags on the interest dimensions, and its appeal in the current situation.

    `label` is in the delegation's language (what its people read); `label_en` is the English
    label, which a simulated seat's statement uses so that the record of a run does not depend on
    which translations the scenario carries (empty: `label` is used)."""

    id: str
    label: str
    private: bool
    escalation: str
    tags: tuple[tuple[str, float], ...] = ()
    appeal: float = 0.0
    label_en: str = ""


@dataclass(frozen=True)
class TtxDecision:
    """Up to `max_actions` action ids, a free-text statement, answers to the questions."""

    actions: tuple[str, ...]
    statement: str = ""
    answers: tuple[str, ...] = ()


@dataclass(frozen=True)
class TtxDecisionRequest(Request[TtxDecision]):
    """Decide move `move` for `actor`, played by `delegation`."""

    item_id: str
    move: int
    actor: str
    delegation: str
    title: str
    scenario_time: str
    brief: str
    injects: tuple[TtxInjectView, ...]
    options: tuple[TtxOption, ...]
    questions: tuple[str, ...]
    max_actions: int


@dataclass(frozen=True)
class TtxRuling:
    """The facilitator's ruling: empty `effects` accepts the engine's adjudication."""

    effects: str = ""
    rationale: str = ""


@dataclass(frozen=True)
class TtxReview(Request[TtxRuling]):
    """Review the engine's adjudication of a move before it is announced.

    `proposal` lists "actor: action (applied|blocked)" lines; `state` the variables now."""

    item_id: str
    move: int
    proposal: tuple[str, ...]
    state: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class TtxInjectRuling:
    release: bool = True
    note: str = ""


@dataclass(frozen=True)
class TtxReleaseContingency(Request[TtxInjectRuling]):
    """A contingency inject's trigger holds: release it now, or hold it?"""

    item_id: str
    move: int
    number: int
    title: str


@dataclass(frozen=True)
class TtxOpenMove(Request[Go]):
    """May the exercise open move `move` now (its injects go out, delegations start deciding)?
    In a live meeting the facilitator opens each move when the room is ready; the automatic
    facilitator opens it at once."""

    item_id: str
    move: int
    title: str


def simulated_statement(labels: list[str]) -> str:
    """The simulated statement: what the delegation does in public, in plain words."""
    if not labels:
        return "We take no action this move."
    return "We will: " + "; ".join(labels) + "."


@simulated_answer(TtxDecisionRequest)
def _simulated_decision(seat: SimulatedDelegation, request: TtxDecisionRequest) -> TtxDecision:
    """Softmax over interest weights · tags + appeal, at the profile's temperature."""
    options = request.options
    if not options:
        return TtxDecision((), simulated_statement([]))
    utility = interest_utility(seat.profile.interests, [dict(o.tags) for o in options])
    utility = utility + np.array([o.appeal for o in options])
    uniforms = seat.rng.random((1, request.max_actions))
    picked = sample_choices(
        utility[None, :],
        np.ones((1, len(options)), dtype=bool),
        seat.profile.temperature,
        uniforms,
    )[0]
    chosen = [options[int(i)] for i in picked if i != PASS]
    public = [o.label_en or o.label for o in chosen if not o.private]
    return TtxDecision(tuple(o.id for o in chosen), simulated_statement(public))


@replay_answer(TtxDecisionRequest)
def _replayed_decision(
    delegation: str, request: TtxDecisionRequest, events: Sequence[Event]
) -> TtxDecision | None:
    event = first_recorded(
        events, TtxDecisionMade, request.item_id, move=request.move, delegation=delegation
    )
    if event is None:
        return None
    return TtxDecision(tuple(event.actions), event.statement, tuple(event.answers))


@replay_answer(TtxReview)
def _replayed_ruling(
    _delegation: str, request: TtxReview, events: Sequence[Event]
) -> TtxRuling | None:
    event = first_recorded(events, TtxAdjudicationOverridden, request.item_id, move=request.move)
    return TtxRuling(event.effects, event.rationale) if event is not None else None


@automatic_decision(TtxReview)
def _accept(_request: TtxReview) -> TtxRuling:
    return TtxRuling()


@automatic_decision(TtxOpenMove)
def _open_at_once(_request: TtxOpenMove) -> Go:
    return Go()


@automatic_decision(TtxReleaseContingency)
def _release(_request: TtxReleaseContingency) -> TtxInjectRuling:
    return TtxInjectRuling(release=True)
