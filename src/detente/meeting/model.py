"""The meeting file's schema: who meets, why, and the programme they follow.

These Pydantic models are the single definition of `meeting.yaml`. They forbid unknown keys so a
typo is an error with a "did you mean" rather than a silently ignored field. Cross-references
(people to delegations, presentation order to delegations) are checked in
:mod:`detente.meeting.loader`, where the YAML positions are known.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from enum import StrEnum
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import Field, field_validator

from detente.schema_types import Id, NonEmpty, Strict
from detente.text import LanguageCode, LocalText, Text

_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


def parse_clock(value: object) -> dt.time:
    """Parse a wall-clock time written `HH:MM` (24-hour), the way programmes print it.

    YAML 1.1 readers turn unquoted `09:00` into a sexagesimal integer (540); we accept that form too
    so an unquoted time is not an error, and convert it back.
    """
    if isinstance(value, dt.time):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return dt.time(value // 60, value % 60)
    if isinstance(value, str):
        match = _TIME.match(value.strip())
        if match:
            hour, minute = int(match.group(1)), int(match.group(2))
            if hour < 24 and minute < 60:
                return dt.time(hour, minute)
    raise ValueError(f"{value!r} is not a time (write HH:MM, 24-hour)")


def zone_hint(value: str) -> str:
    """A suggestion for an unknown time-zone name: the closest IANA name (`Europe/Istambul` →
    Europe/Istanbul, `Hanoi` → Asia/Ho_Chi_Minh is not guessable, but `Bangkok` → Asia/Bangkok),
    else how such names are written."""
    zones = sorted(available_timezones())
    close = difflib.get_close_matches(value, zones, n=1, cutoff=0.75)
    if not close:
        cities: dict[str, str] = {}
        for zone in zones:
            cities.setdefault(zone.rsplit("/", 1)[-1].lower(), zone)
        city = value.strip().rsplit("/", 1)[-1].replace(" ", "_").lower()
        found = difflib.get_close_matches(city, list(cities), n=1, cutoff=0.75)
        close = [cities[found[0]]] if found else []
    if close:
        return f"did you mean '{close[0]}'?"
    return "write an IANA name, Area/City, e.g. Asia/Singapore or America/Bogota"


Clock = Annotated[dt.time, Field(json_schema_extra={"format": "HH:MM"})]


class Objective(Strict):
    """One of the meeting's focus areas (the seed has two)."""

    id: Id
    title: LocalText
    text: LocalText


class MeetingInfo(Strict):
    """Title, organiser, place and time zone of the meeting."""

    id: Id
    title: LocalText
    organizer: LocalText
    location: LocalText
    timezone: NonEmpty = Field(description="IANA time zone name, e.g. Europe/Istanbul")
    start_date: dt.date
    end_date: dt.date
    languages: list[LanguageCode] = Field(
        default=["en"],
        description="BCP-47 codes of the languages the meeting's texts are written in; en first",
    )
    background: Text = Text()
    purpose: Text = Text()
    objectives: list[Objective] = Field(min_length=1)
    logistics: Text = Text()
    participants_as_of: dt.date | None = None
    attribution: Literal["room", "delegation"] = Field(
        default="room",
        description="how the circulated meeting report attributes views: `room` (the room as a "
        "whole, the default) or `delegation` (per delegation of at least 3 people)",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"{value!r} is not an IANA time zone ({zone_hint(value)})") from exc
        return value

    @field_validator("languages")
    @classmethod
    def _english_first(cls, value: list[str]) -> list[str]:
        if "en" not in value:
            raise ValueError("languages must include 'en' (English is the fallback)")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class Delegation(Strict):
    """A national delegation (or any party) taking part in the dialogue."""

    id: Id
    name: LocalText
    country: LocalText
    language: LanguageCode = "en"


class Role(StrEnum):
    DELEGATE = "delegate"
    OBSERVER = "observer"
    FACILITATOR = "facilitator"


class Person(Strict):
    """A participant. Delegates belong to a delegation; observers and facilitators do not."""

    id: Id
    name: NonEmpty
    title: Text = Text()
    affiliation: Text = Text()
    role: Role
    delegation: Id | None = None
    language: LanguageCode = "en"
    votes: bool | None = Field(
        default=None,
        description="observers only: `false` declares a non-voting observer (observers vote "
        "apart from the delegations by default; delegates always vote, facilitators never)",
    )

    @property
    def voting(self) -> bool:
        """Whether this person votes: delegates always, facilitators never, observers unless
        declared `votes: false` (their votes are counted apart, never toward a delegation)."""
        if self.role is Role.OBSERVER:
            return self.votes is not False
        return self.role is Role.DELEGATE


class ItemKind(StrEnum):
    ARRIVAL = "arrival"
    MEAL = "meal"
    BREAK = "break"
    SESSION = "session"
    REMARKS = "remarks"
    END = "end"


class Part(Strict):
    """A timed line inside an item, e.g. "09:20 Presentation by ..." within Session 1."""

    start: Clock
    title: LocalText
    description: Text = Text()
    delegation: Id | None = Field(
        default=None, description="the delegation that speaks, for a presentation slot"
    )
    minutes: int | None = Field(default=None, ge=1, le=24 * 60)

    @field_validator("start", mode="before")
    @classmethod
    def _clock(cls, value: object) -> dt.time:
        return parse_clock(value)


class Question(Strict):
    """A discussion question or focus point."""

    id: Id
    text: LocalText


class StepCategory(Strict):
    """A category of steps in a roadmap session, with its guiding questions."""

    id: Id
    title: LocalText
    questions: list[LocalText] = Field(min_length=1)


class Item(Strict):
    """One line of the programme: a session, meal, break, remarks, arrival or end of day."""

    id: Id | None = None
    kind: ItemKind
    title: LocalText
    start: Clock | None = None
    end: Clock | None = None
    session: int | None = Field(default=None, ge=1)
    activity: Id | None = Field(
        default=None,
        description="registered activity that runs this item (presentations, discussion, ...)",
    )
    description: Text = Text()
    parts: list[Part] = []
    questions_intro: Text = Text()
    questions: list[Question] = []
    steps: list[StepCategory] = []
    moves: list[Annotated[int, Field(ge=1)]] | None = Field(
        default=None,
        min_length=1,
        description="for a `ttx` item that is one part of a split exercise: the numbers of the "
        "moves it plays, consecutive (default: the remaining moves shared by available time)",
    )
    note: Text = Text()

    @field_validator("start", "end", mode="before")
    @classmethod
    def _clock(cls, value: object) -> dt.time | None:
        return None if value is None else parse_clock(value)

    @field_validator("moves")
    @classmethod
    def _consecutive(cls, value: list[int] | None) -> list[int] | None:
        if value is not None and value != list(range(value[0], value[0] + len(value))):
            raise ValueError("moves must be consecutive move numbers in order, e.g. [3, 4]")
        return value

    @property
    def presentation_order(self) -> list[Part]:
        """The presentation slots in speaking order (parts that name a delegation)."""
        return sorted((p for p in self.parts if p.delegation), key=lambda p: p.start)


class Day(Strict):
    """A calendar day of the meeting and its items in programme order."""

    date: dt.date
    title: LocalText
    items: list[Item] = Field(min_length=1)


class Meeting(Strict):
    """The whole meeting file."""

    meeting: MeetingInfo
    delegations: list[Delegation] = Field(min_length=1)
    people: list[Person] = Field(min_length=1)
    programme: list[Day] = Field(min_length=1)

    def delegation(self, delegation_id: str) -> Delegation:
        for d in self.delegations:
            if d.id == delegation_id:
                return d
        raise KeyError(delegation_id)

    def members(self, delegation_id: str) -> list[Person]:
        """Delegates of one delegation, in file order."""
        return [p for p in self.people if p.delegation == delegation_id and p.role is Role.DELEGATE]

    @property
    def observers(self) -> list[Person]:
        return [p for p in self.people if p.role is Role.OBSERVER]

    def items(self) -> list[tuple[Day, Item]]:
        """Every programme item with its day, in file order."""
        return [(day, item) for day in self.programme for item in day.items]

    def item(self, item_id: str) -> Item:
        for _, item in self.items():
            if item.id == item_id:
                return item
        raise KeyError(item_id)


def item_slug(day_index: int, item: Item) -> str:
    """The id an item gets when the file gives none: stable, readable, unique within a meeting.

    Sessions are `session-N`; other items `dD-HHMM-kind` (or `dD-kind` when untimed); a repeated
    derived id gets `-2`, `-3` … in programme order.
    """
    if item.session is not None:
        return f"session-{item.session}"
    if item.start is not None:
        return f"d{day_index + 1}-{item.start:%H%M}-{item.kind.value}"
    return f"d{day_index + 1}-{item.kind.value}"


def with_item_ids(meeting: Meeting) -> Meeting:
    """Return the meeting with every item's id filled in (explicit ids are kept)."""
    days: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for d_index, day in enumerate(meeting.programme):
        items = []
        for item in day.items:
            ident = item.id or item_slug(d_index, item)
            if item.id is None and ident in seen:
                seen[ident] += 1
                ident = f"{ident}-{seen[ident]}"
            seen.setdefault(ident, 1)
            items.append(item.model_copy(update={"id": ident}))
        days.append({"date": day.date, "title": day.title, "items": items})
    programme = [Day.model_construct(**d) for d in days]
    return meeting.model_copy(update={"programme": programme})
