"""Replay seats: answers taken from a recorded log, so a meeting can be re-run exactly.

A replay seat never invents an answer: when the record holds none for a request, it raises
:class:`~detente.seats.base.SeatCannotAnswer` and the runner says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

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
)
from detente.store.events import ClarificationExchanged, Event, PresentationDelivered, decode
from detente.store.log import Record

R = TypeVar("R", bound=Request[Any])
Matcher = Callable[[str, Any, Event], Any]
_matchers: dict[type[Request[Any]], Matcher] = {}


def replay_answer(
    request_type: type[R],
) -> Callable[[Callable[[str, R, Event], Any]], Callable[[str, R, Event], Any]]:
    """Register how a replay seat finds its answer to one request type in a recorded event.

    The matcher gets (delegation, request, event) and returns the answer, or None when the event
    is not the answer to this request.
    """

    def decorate(fn: Callable[[str, R, Event], Any]) -> Callable[[str, R, Event], Any]:
        if request_type in _matchers:
            raise ValueError(f"{request_type.__name__} already has a replay matcher")
        _matchers[request_type] = fn
        return fn

    return decorate


class ReplaySeat:
    """Answers for one delegation from the events of a recorded meeting."""

    kind = "replay"

    def __init__(self, delegation: str, records: Sequence[Record]) -> None:
        self._delegation = delegation
        self._events: list[Event] = [decode(r) for r in records if r.kind in Event.registry]

    @property
    def delegation(self) -> str:
        return self._delegation

    def answer(self, request: Request[T]) -> T:
        for event in self._events:
            found = self._match(request, event)
            if found is not None:
                return cast(T, found)
        raise SeatCannotAnswer(
            f"the record holds no answer from {self._delegation} to {type(request).__name__}"
        )

    def _match(self, request: object, event: Event) -> object | None:
        me = self._delegation
        matcher = _matchers.get(cast(type[Request[Any]], type(request)))
        if matcher is not None:
            found: object | None = matcher(me, request, event)
            return found
        if isinstance(request, PresentationRequest) and isinstance(event, PresentationDelivered):
            if event.item_id == request.item_id and event.delegation == me:
                return Presentation(tuple(event.points))
        if isinstance(event, ClarificationExchanged) and event.item_id == getattr(
            request, "item_id", None
        ):
            if isinstance(request, QuestionRequest):
                if event.asked_by == me and event.asked_of == request.asked_of:
                    return Question(topic=event.topic, text=event.question)
            if isinstance(request, AnswerRequest):
                if (
                    event.asked_of == me
                    and event.asked_by == request.asked_by
                    and event.topic == request.question.topic
                ):
                    return Answer(text=event.answer, source=event.source)
        return None
