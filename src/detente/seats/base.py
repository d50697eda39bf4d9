"""The seat protocol: how the runner asks a delegation for what a session needs.

A request is a small frozen dataclass whose type says what answer it expects
(`Request[Presentation]` expects a :class:`Presentation`). Every seat implementation answers the
same requests, so the runner never knows whether a person, a simulation or a replayed record is
sitting in the chair. A seat that cannot answer a request raises :class:`SeatCannotAnswer`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar, runtime_checkable

from detente.store.events import PresentationPoint

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Request(Generic[T_co]):
    """Base of everything the runner can ask a seat. Subclasses are frozen dataclasses."""


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
