"""Replay seats: answers taken from a recorded log, so a meeting can be re-run exactly.

A replay seat never invents an answer: when the record holds none for a request, it raises
:class:`~detente.seats.base.SeatCannotAnswer` and the runner says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar, cast

from detente.meeting.events import ClarificationExchanged, PresentationDelivered
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
from detente.store.events import Event, decode, known
from detente.store.log import Record

R = TypeVar("R", bound=Request[Any])
E = TypeVar("E", bound=Event)
V = TypeVar("V")
Matcher = Callable[[str, Any, Sequence[Event]], Any]
_matchers: dict[type[Request[Any]], Matcher] = {}


def replay_answer(
    request_type: type[R],
) -> Callable[[Callable[[str, R, Sequence[Event]], Any]], Callable[[str, R, Sequence[Event]], Any]]:
    """Register how a replay seat finds its answer to one request type in a recorded meeting.

    The matcher gets (delegation, request, the record's events in log order) and returns the
    answer, or None when the record holds none. It reads the whole record in one call, so
    whatever it folds (a voting window, say) lives in that call and never outlives it: two
    replay seats, or two replays in one process, cannot see each other's state.
    """
    return register_per_request(_matchers, request_type, "replay matcher")


def first_recorded(
    events: Iterable[Event], kind: type[E], item_id: str, **fields: object
) -> E | None:
    """The first event of `kind` on `item_id` whose named `fields` equal the given values (the
    answer a matcher looks for, e.g. this delegation's decision in this move), or None."""
    for event in events:
        if (
            isinstance(event, kind)
            and getattr(event, "item_id", None) == item_id
            and all(getattr(event, name) == value for name, value in fields.items())
        ):
            return event
    return None


def ballot_window(
    events: Iterable[Event],
    item_id: str,
    *,
    opened: type[Event],
    entry: type[E],
    closed: type[Event],
    fold: Callable[[E], tuple[tuple[str, str], V] | None],
) -> dict[tuple[str, str], V] | None:
    """The entries of the first complete ballot window of `item_id` in `events`, or None.

    A window opens at an `opened` event of the item (a later `opened` starts it afresh), takes
    every `entry` event of the item that `fold` maps to ((participant, subject), value) — a
    later value for the same pair replaces the earlier — and is complete at the item's `closed`
    event. Votes on statements and ratings of measures are both ballots of this shape.
    """
    window: dict[tuple[str, str], V] | None = None
    for event in events:
        if getattr(event, "item_id", None) != item_id:
            continue
        if isinstance(event, opened):
            window = {}
        elif isinstance(event, entry) and window is not None:
            folded = fold(event)
            if folded is not None:
                window[folded[0]] = folded[1]
        elif isinstance(event, closed) and window is not None:
            return window
    return None


class ReplaySeat:
    """Answers for one delegation from the events of a recorded meeting.

    Each answer reads the record from its start (see :func:`replay_answer`); the seat holds the
    decoded events and nothing else, so asking twice gives the same answer.
    """

    kind = "replay"

    def __init__(self, delegation: str, records: Sequence[Record]) -> None:
        self._delegation = delegation
        self._events: tuple[Event, ...] = tuple(decode(r) for r in records if known(r.kind))

    @property
    def delegation(self) -> str:
        return self._delegation

    def answer(self, request: Request[T]) -> T:
        matcher = _matchers.get(cast(type[Request[Any]], type(request)))
        if matcher is not None:
            found: object | None = matcher(self._delegation, request, self._events)
        else:
            found = next(
                (a for e in self._events if (a := self._match(request, e)) is not None), None
            )
        if found is not None:
            return cast(T, found)
        raise SeatCannotAnswer(
            f"the record holds no answer from {self._delegation} to {type(request).__name__}"
        )

    def _match(self, request: object, event: Event) -> object | None:
        """The answer to a request of :mod:`detente.seats.base` in one event, if it is one."""
        me = self._delegation
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
