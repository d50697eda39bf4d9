"""Every kind of event a meeting's log can hold, each a small frozen Pydantic model.

An event is what happened; the envelope (:class:`~detente.store.log.Record`) says who did it, when,
and who may see it. Event classes register themselves by their `kind`, so decoding a stored record
is a dictionary lookup, and a stored kind this version does not know is reported, not guessed.

Visibility is one of `all`, `delegation:<id>` or `facilitator`; the facilitator sees everything.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from detente.store.log import Record

ALL = "all"
FACILITATOR = "facilitator"
SYSTEM = "system"


def delegation_only(delegation_id: str) -> str:
    """Visibility for one delegation's private material (and the facilitator)."""
    return f"delegation:{delegation_id}"


def visible_to(visibility: str, *, delegation: str | None, facilitator: bool = False) -> bool:
    """Whether a viewer (a delegation member, observer with `delegation=None`, or the facilitator)
    may see an event with this visibility."""
    if facilitator or visibility == ALL:
        return True
    return delegation is not None and visibility == delegation_only(delegation)


class Event(BaseModel):
    """Base of all events. Subclasses set `kind` and are registered automatically."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: ClassVar[str] = ""
    registry: ClassVar[dict[str, type[Event]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.kind:
            raise TypeError(f"{cls.__name__} must set a 'kind'")
        if cls.kind in Event.registry:
            raise TypeError(f"event kind {cls.kind!r} is defined twice")
        Event.registry[cls.kind] = cls

    def payload(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class UnknownEventError(ValueError):
    """A stored record whose kind this version of détente does not define."""


def decode(record: Record) -> Event:
    """The typed event stored in a record."""
    cls = Event.registry.get(record.kind)
    if cls is None:
        raise UnknownEventError(f"event #{record.seq}: unknown kind {record.kind!r}")
    return cls.model_validate(record.payload)


# --- the meeting and its programme -------------------------------------------------------------


class MeetingOpened(Event):
    """The record of a meeting starts: which meeting, in which mode, who holds each seat.

    `seats` maps a delegation id to the kind of seat answering for it (`simulated`, `replay`,
    `web` ...). `seed` is the simulation seed, when simulated.
    """

    kind: ClassVar[str] = "meeting_opened"
    meeting_id: str
    title: str
    mode: str
    seed: int | None = None
    timezone: str
    seats: dict[str, str]


class MeetingClosed(Event):
    """The last programme item has been walked; nothing more will be appended by the runner."""

    kind: ClassVar[str] = "meeting_closed"
    items_held: int


class ItemStarted(Event):
    """A programme item (session, break, meal …) began."""

    kind: ClassVar[str] = "item_started"
    item_id: str
    title: str
    item_kind: str
    session: int | None = None
    activity: str | None = None


class ItemEnded(Event):
    """A programme item ended."""

    kind: ClassVar[str] = "item_ended"
    item_id: str


class ActivityUnavailable(Event):
    """The item names an activity this installation cannot run (yet). Nothing was fabricated."""

    kind: ClassVar[str] = "activity_unavailable"
    item_id: str
    activity: str
    reason: str


class FacilitatorNote(Event):
    """A note by the facilitator, usually private (visibility `facilitator`)."""

    kind: ClassVar[str] = "facilitator_note"
    item_id: str | None = None
    text: str


# --- presentations -----------------------------------------------------------------------------


class PresentationPoint(BaseModel):
    """One point of a country intervention: a stated position and where it was stated."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    topic: str
    statement: str
    source: str


class PresentationDelivered(Event):
    """A delegation's country intervention (e.g. the 10-minute presentations of Session 1)."""

    kind: ClassVar[str] = "presentation_delivered"
    item_id: str
    delegation: str
    title: str
    minutes: int
    points: list[PresentationPoint]


class ClarificationExchanged(Event):
    """In "questions and clarifications", one delegation asks another about a topic; the answer
    restates the asked delegation's position with its source."""

    kind: ClassVar[str] = "clarification_exchanged"
    item_id: str
    asked_by: str
    asked_of: str
    topic: str
    question: str
    answer: str
    source: str
