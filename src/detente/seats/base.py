"""The seat protocol: how the runner asks a delegation for what a session needs.

A request is a small frozen dataclass whose type says what answer it expects
(`Request[Presentation]` expects a :class:`Presentation`). Every seat implementation answers the
same requests, so the runner never knows whether a person, a simulation or a replayed record is
sitting in the chair. A seat that cannot answer a request raises :class:`SeatCannotAnswer`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Protocol, TypeVar, runtime_checkable

from detente.meeting.events import PresentationPoint
from detente.names import snake_case

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
F = TypeVar("F", bound=Callable[..., Any])


class Request(Generic[T_co]):
    """Base of everything the runner can ask a seat. Subclasses are frozen dataclasses.

    Each request type has a stable `request_kind` (by default its class name in snake case,
    `TtxDecisionRequest` → `ttx_decision_request`), under which the log records it: moving a class
    to another module never breaks a recorded meeting. A renamed class keeps its old name by
    setting `request_kind` explicitly. Two types may not share a kind.
    """

    request_kind: ClassVar[str] = ""
    kinds: ClassVar[dict[str, type[Request[Any]]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        kind = cls.__dict__.get("request_kind") or snake_case(cls.__name__)
        known = Request.kinds.get(kind)
        if known is not None and _path(known) != _path(cls):
            raise TypeError(f"request kind {kind!r} is used by {_path(known)} already")
        cls.request_kind = kind
        Request.kinds[kind] = cls


def _path(cls: type[Any]) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


class SeatCannotAnswer(Exception):
    """The seat has no answer to this request (e.g. a replayed record that lacks it)."""


@runtime_checkable
class Seat(Protocol):
    """Answers requests for one delegation."""

    @property
    def delegation(self) -> str:
        """The delegation this seat answers for."""
        ...

    @property
    def kind(self) -> str:
        """The seat kind (`simulated`, `replay`, `web` …), recorded in the log."""
        ...

    def answer(self, request: Request[T]) -> T:
        """The seat's answer to `request`; raises :class:`SeatCannotAnswer` when it has none."""
        ...


# --- requests of the presentations activity ----------------------------------------------------


@dataclass(frozen=True)
class Presentation:
    """A country intervention: the points a delegation makes, in the order it makes them."""

    points: tuple[PresentationPoint, ...]


@dataclass(frozen=True)
class PresentationRequest(Request[Presentation]):
    """Deliver the delegation's country intervention for `item_id` in about `minutes`."""

    item_id: str
    title: str
    minutes: int


@dataclass(frozen=True)
class Question:
    """A question one delegation puts to another about a topic of its presentation."""

    topic: str
    text: str


@dataclass(frozen=True)
class QuestionRequest(Request[Question]):
    """Ask `asked_of` one question about the presentation it gave (`points`)."""

    item_id: str
    asked_of: str
    points: tuple[PresentationPoint, ...]


@dataclass(frozen=True)
class Answer:
    """A clarification: the answering delegation's position on the topic, and its source."""

    text: str
    source: str


@dataclass(frozen=True)
class AnswerRequest(Request[Answer]):
    """Answer `asked_by`'s question on `topic`."""

    item_id: str
    asked_by: str
    question: Question


def register_per_request(
    table: dict[type[Request[Any]], Any], request_type: type[Request[Any]], what: str
) -> Callable[[F], F]:
    """A decorator that enters the decorated function in `table` under `request_type` (how one
    kind of seat answers one request type). A second function for the same type is a
    :class:`ValueError` naming `what`: two domains answering one request would be ambiguous."""

    def decorate(fn: F) -> F:
        if request_type in table:
            raise ValueError(f"{request_type.__name__} already has a {what}")
        table[request_type] = fn
        return fn

    return decorate
