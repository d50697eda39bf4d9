"""Simulated delegations: seats that answer from a delegation's declared profile.

A simulated seat speaks for a national perspective as declared in `delegations.yaml` — its stated
positions (with sources) and interest weights — never for the named people in the room. Choices
that involve judgement are seeded, so a run reproduces from its seed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np

from detente.meeting.events import PresentationPoint
from detente.seats.base import (
    Answer,
    AnswerRequest,
    Presentation,
    PresentationRequest,
    Question,
    QuestionRequest,
    Request,
    SeatCannotAnswer,
    T,
    register_per_request,
)
from detente.seats.profiles import Position, Profile, Profiles

MINUTES_PER_POINT = 2.5
"""A stated position takes about two and a half minutes to present and explain."""

R = TypeVar("R", bound=Request[Any])
Handler = Callable[["SimulatedDelegation", Any], Any]
_handlers: dict[type[Request[Any]], Handler] = {}


def simulated_answer(
    request_type: type[R],
) -> Callable[[Callable[[SimulatedDelegation, R], Any]], Callable[[SimulatedDelegation, R], Any]]:
    """Register how a simulated delegation answers one request type.

    Each domain (discussion votes, TTX decisions, roadmap ratings …) registers its own handler
    next to its request type, so this module does not grow with every activity.
    """
    return register_per_request(_handlers, request_type, "simulated handler")


def expert_weights(
    profiles: Profiles, profile: Profile, experts: int, rng: np.random.Generator
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Each expert's interest weights: the delegation's, plus a seeded Gaussian deviation of
    standard deviation `profile.spread`, clipped to [-1, 1]. Shape (experts, dimensions) in the
    order of `profiles.dimensions`."""
    base = np.array([profile.interests.get(d, 0.0) for d in profiles.dimension_ids])
    noise = rng.normal(0.0, profile.spread, size=(experts, base.size))
    return cast(np.ndarray[Any, np.dtype[np.float64]], np.clip(base + noise, -1.0, 1.0))


class SimulatedDelegation:
    """A seat answering from a delegation profile."""

    kind = "simulated"

    def __init__(self, profiles: Profiles, delegation: str, rng: np.random.Generator) -> None:
        self._profiles = profiles
        self._profile = profiles.profile(delegation)
        self._delegation = delegation
        self._rng = rng
        self._experts: dict[tuple[str, ...], np.ndarray[Any, np.dtype[np.float64]]] = {}

    @property
    def delegation(self) -> str:
        return self._delegation

    @property
    def profile(self) -> Profile:
        return self._profile

    def salience(self, position: Position) -> float:
        """How much a position matters to this delegation: the summed |weight| of its
        dimensions (an untagged position counts as mildly salient)."""
        if not position.dimensions:
            return 0.1
        return float(sum(abs(self._profile.interests.get(d, 0.0)) for d in position.dimensions))

    @property
    def profiles(self) -> Profiles:
        return self._profiles

    @property
    def rng(self) -> np.random.Generator:
        """The seat's own seeded generator (one per seat, spawned from the run's seed)."""
        return self._rng

    def experts(self, members: tuple[str, ...]) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Each member's interest weights (rows in `members` order), drawn once per member list
        from the seat's own seeded generator, so an expert keeps the same individual leaning in
        every session of a run — votes and ratings alike — and a run reproduces from its seed."""
        if members not in self._experts:
            self._experts[members] = expert_weights(
                self._profiles, self._profile, len(members), self._rng
            )
        return self._experts[members]

    def answer(self, request: Request[T]) -> T:
        if isinstance(request, PresentationRequest):
            return cast(T, self._present(request))
        if isinstance(request, QuestionRequest):
            return cast(T, self._ask(request))
        if isinstance(request, AnswerRequest):
            return cast(T, self._answer(request))
        handler = _handlers.get(type(request))
        if handler is None:
            raise SeatCannotAnswer(f"a simulated seat cannot answer {type(request).__name__}")
        return cast(T, handler(self, request))

    def _present(self, request: PresentationRequest) -> Presentation:
        count = max(1, int(request.minutes // MINUTES_PER_POINT))
        ranked = sorted(
            enumerate(self._profile.positions), key=lambda ip: (-self.salience(ip[1]), ip[0])
        )
        chosen = sorted(ranked[:count], key=lambda ip: ip[0])
        return Presentation(
            tuple(
                PresentationPoint(topic=p.topic, statement=p.statement, source=p.source)
                for _, p in chosen
            )
        )

    def _divergence(self, point: PresentationPoint, other: Profile) -> float:
        mine = self._positions_on(point.topic)
        dims = {d for p in mine for d in p.dimensions}
        theirs = [p for p in other.positions if p.topic == point.topic]
        dims |= {d for p in theirs for d in p.dimensions}
        if not dims:
            return 0.0
        return float(
            sum(
                abs(self._profile.interests.get(d, 0.0) - other.interests.get(d, 0.0)) for d in dims
            )
        )

    def _positions_on(self, topic: str) -> list[Position]:
        return [p for p in self._profile.positions if p.topic == topic]

    def _ask(self, request: QuestionRequest) -> Question:
        """Ask about the topic where the two delegations' interests diverge most (seeded ties)."""
        if not request.points:
            raise SeatCannotAnswer("nothing was presented to ask about")
        other = self._profiles.profile(request.asked_of)
        scores = np.array([self._divergence(p, other) for p in request.points])
        best = np.flatnonzero(scores == scores.max())
        point = request.points[int(self._rng.choice(best))]
        own = self._positions_on(point.topic)
        quoted = f"“{point.statement.rstrip('.')}”"
        if own:
            text = (
                f"On {point.topic}: how does your position — {quoted} — square with ours, "
                f"“{own[0].statement.rstrip('.')}”?"
            )
        else:
            text = f"On {point.topic}: could you clarify your position — {quoted}?"
        return Question(topic=point.topic, text=text)

    def _answer(self, request: AnswerRequest) -> Answer:
        own = self._positions_on(request.question.topic)
        if not own:
            return Answer(
                text=f"We have no stated position on {request.question.topic}.", source="—"
            )
        return Answer(text=own[0].statement, source=own[0].source)
