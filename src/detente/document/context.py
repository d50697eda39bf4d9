"""What a section function gets: the meeting, the record as one audience may see it, the scenario.

Confidentiality is enforced here, where the view is built, not in templates: a
:class:`ReportContext` hands out only the records its :class:`Audience` may see, decided by the
same rule as the live app (:func:`detente.store.visibility.may_read`): a delegation's pack never
receives another delegation's private events; the meeting report receives only public ones; the
participants' after-action report receives public ones plus those released after the exercise.
Section functions therefore cannot leak what they are never given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from detente.document.messages import Messages
from detente.meeting.loader import MeetingFolder
from detente.meeting.model import Day, Item
from detente.meeting.state import HeldItem, MeetingState, meeting_state
from detente.public_url import DEFAULT_URL
from detente.store.events import Event, decode, known
from detente.store.log import Record
from detente.store.visibility import Reader, may_read, released

if TYPE_CHECKING:
    from detente.ttx.scenario import Scenario, Text

DEFAULT_BASE_URL = DEFAULT_URL  # the one rule: detente.public_url
E = TypeVar("E", bound=Event)


class DocumentUnavailable(Exception):
    """A document cannot be made yet (or at all); the message says why, e.g. which session has
    not run yet."""


AUDIENCES = ("facilitator", "delegation", "participants", "observers", "public")


@dataclass(frozen=True)
class Audience:
    """Who a document is for.

    - `facilitator`: the facilitation team, reads everything;
    - `delegation`: one delegation, reads public records and its own;
    - `participants`: everyone who took part, reads public records and those released after the
      exercise (:func:`detente.store.visibility.released`);
    - `observers` and `public` (a circulated document): public records only.
    """

    kind: str
    delegation: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in AUDIENCES:
            raise ValueError(f"unknown audience {self.kind!r}")
        if (self.kind == "delegation") != (self.delegation is not None):
            raise ValueError("a delegation audience, and only it, names a delegation")

    @property
    def reader(self) -> Reader:
        return Reader(facilitator=self.kind == "facilitator", delegation=self.delegation)

    @property
    def facilitation(self) -> bool:
        return self.kind == "facilitator"

    def sees(
        self, visibility: str, seq: int | None = None, released: frozenset[int] = frozenset()
    ) -> bool:
        """The shared rule; `released` is honoured for the `participants` audience only."""
        honoured = released if self.kind == "participants" else frozenset()
        return may_read(visibility, self.reader, seq=seq, released=honoured)


def load_scenario(folder: MeetingFolder) -> Scenario | None:
    """The meeting's scenario pack (`scenario.yaml` beside `meeting.yaml`), checked against the
    meeting, or None when the folder has none. Bad input raises
    :class:`~detente.diagnostics.InputError` with locations."""
    from detente.ttx.pack import has_pack, load_pack

    if not has_pack(folder.root):
        return None
    return load_pack(folder.root, meeting=folder).scenario


def ttx_items(folder: MeetingFolder) -> list[tuple[Day, Item]]:
    """The programme items that run the tabletop exercise, in programme order."""
    return [(day, item) for day, item in folder.meeting.items() if item.activity == "ttx"]


def item_label(item: Item) -> str:
    """`Session 4 “Title”` for a session, the title otherwise."""
    if item.session is not None:
        return f"Session {item.session} “{item.title}”"
    return f"“{item.title}”"


@dataclass
class ReportContext:
    """The inputs of one document. `records` is the whole log; sections read it through
    :meth:`visible` and :meth:`events`, which apply the audience's visibility."""

    folder: MeetingFolder
    records: Sequence[Record]
    scenario: Scenario | None
    audience: Audience
    language: str = "en"
    annex: bool = True
    base_url: str = DEFAULT_BASE_URL
    secret: bytes | None = None
    out_dir: Path | None = None
    missing_texts: int = 0
    strings: Messages = field(init=False)

    def __post_init__(self) -> None:
        self.strings = Messages(self.language)

    # --- the record, as this audience may see it ------------------------------------------------

    @cached_property
    def released(self) -> frozenset[int]:
        """Records released to everyone after the exercise (honoured for participants only)."""
        return released(self.records) if self.audience.kind == "participants" else frozenset()

    @cached_property
    def visible(self) -> tuple[Record, ...]:
        return tuple(
            r for r in self.records if self.audience.sees(r.visibility, r.seq, self.released)
        )

    @cached_property
    def decoded(self) -> tuple[tuple[Record, Event], ...]:
        return tuple((r, decode(r)) for r in self.visible if known(r.kind))

    @cached_property
    def state(self) -> MeetingState:
        return meeting_state(self.visible)

    def events(self, kind: type[E]) -> list[tuple[Record, E]]:
        """Visible events of one type, in log order."""
        return [(r, e) for r, e in self.decoded if isinstance(e, kind)]

    def held(self, item_id: str) -> HeldItem | None:
        return self.state.item(item_id)

    # --- text in the document's language --------------------------------------------------------

    def gettext(self, msgid: str, **values: object) -> str:
        """A fixed message in the document's language (:class:`~detente.document.messages.Messages`;
        English for a language without a catalog, recorded as a warning)."""
        return self.strings(msgid, **values)

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        """A counted message: the language's plural form for `n`."""
        return self.strings.n(singular, plural, n, **values)

    def pgettext(self, context: str, msgid: str, **values: object) -> str:
        """A message whose English word has several translations, told apart by `context`."""
        return self.strings.c(context, msgid, **values)

    def text(self, value: Text | None) -> str:
        """A scenario text in the document's language; English when it has no translation (the
        fallback is counted and reported as a warning)."""
        if value is None:
            return ""
        if self.language != "en" and not value.translation(self.language):
            self.missing_texts += 1
        return value.get(self.language)

    def date(self, day: dt.date) -> str:
        return self.strings.date(day)

    def local(self, time: dt.datetime) -> dt.datetime:
        """A record time in the meeting's time zone."""
        return time.astimezone(self.folder.meeting.meeting.zone)

    def delegation_name(self, delegation_id: str) -> str:
        try:
            return self.folder.meeting.delegation(delegation_id).name
        except KeyError:
            return delegation_id

    def warnings(self) -> list[str]:
        out = self.strings.warnings()
        if self.missing_texts:
            out.append(
                f"{self.missing_texts} scenario text(s) have no '{self.language}' translation: "
                "English used"
            )
        return out
