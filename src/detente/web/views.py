"""Every screen of the app as a pure function of (the log, the viewer).

Confidentiality is enforced here and only here: :func:`visible` decides which records a viewer may
see from their visibility (`all`, `delegation:<id>`, `facilitator`), and every view model below is
built from :func:`visible_entries` alone. Templates receive view models, never records, so a
template cannot show what the viewer may not see.

- facilitator: everything;
- delegate of delegation D: `all` and `delegation:D`;
- observer and projector: `all` only (never a delegation's private material, never the
  facilitator's).

A record's feed line is described by a function registered for its kind with :func:`describes`
(each domain adds its own in ``web/feed_<domain>.py``); a kind nobody describes is shown by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from detente import plugins
from detente.meeting.loader import MeetingFolder
from detente.store.log import Record
from detente.store.visibility import ALL, FACILITATOR, Reader, may_read
from detente.web import forms
from detente.web.livelog import Entry, Snapshot

ROLES = ("facilitator", "delegate", "observer", "projector")


@dataclass(frozen=True)
class Viewer:
    """Who a view is built for."""

    role: str
    person: str | None = None
    delegation: str | None = None
    language: str = "en"

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")
        if self.role == "delegate" and not self.delegation:
            raise ValueError("a delegate viewer needs a delegation")


def visible(visibility: str, viewer: Viewer) -> bool:
    """Whether `viewer` may see a record with this visibility (the shared rule,
    :func:`detente.store.visibility.may_read`)."""
    delegation = viewer.delegation if viewer.role == "delegate" else None
    return may_read(visibility, Reader(viewer.role == "facilitator", delegation))


SCHEDULED_KINDS = frozenset({"ttx_inject_released"})
"""Kinds the room receives on the exercise clock: the runner records a released inject at the
move's start, but only the facilitator sees that record; the others see the inject when its
`inject_delivered` record is written (at its MSEL offset, see :mod:`detente.web.clock`)."""


def shown(record: Record, viewer: Viewer) -> bool:
    """Whether `viewer` sees this record in the live app: :func:`visible`, and scheduled kinds
    only for the facilitator (the others see their delivery)."""
    if record.kind in SCHEDULED_KINDS and viewer.role != "facilitator":
        return False
    return visible(record.visibility, viewer)


def visible_entries(entries: Sequence[Entry], viewer: Viewer) -> list[Entry]:
    return [e for e in entries if shown(e.record, viewer)]


# --- feed lines ---------------------------------------------------------------------------------

Message = tuple[str, dict[str, Any]]
"""A catalog msgid and its `%(name)s` parameters, translated when rendered."""


@dataclass(frozen=True)
class FeedLine:
    seq: int
    time: dt.datetime
    kind: str
    scope: str
    """`public`, `delegation` or `facilitator` — where the line came from, for the reader."""
    title: Message
    body: tuple[str, ...] = ()
    css: str = ""


Describer = Callable[[Record], tuple[Message, tuple[str, ...]] | None]
_describers: dict[str, Describer] = {}


def describes(kind: str) -> Callable[[Describer], Describer]:
    """Register the feed line of one event kind: record → (title, body lines), or None to leave
    the record out of the feed (e.g. bookkeeping shown in a panel instead)."""

    def decorate(fn: Describer) -> Describer:
        _describers[kind] = fn
        return fn

    return decorate


def load_feeds() -> None:
    """Have every plugin register its feed lines (each plugin once)."""
    plugins.load_once("detente_feed_lines", lambda: list(_describers))


def scope_of(visibility: str) -> str:
    if visibility == ALL:
        return "public"
    if visibility == FACILITATOR:
        return "facilitator"
    return "delegation"


def feed_line(record: Record) -> FeedLine | None:
    """The feed line of one record (already checked visible), or None when not a feed item."""
    load_feeds()
    describer = _describers.get(record.kind)
    if describer is None:
        title: Message = ("Event: %(kind)s", {"kind": record.kind})
        body: tuple[str, ...] = ()
    else:
        described = describer(record)
        if described is None:
            return None
        title, body = described
    return FeedLine(
        record.seq, record.time, record.kind, scope_of(record.visibility), title, body, record.kind
    )


def feed(snap: Snapshot, viewer: Viewer, *, limit: int = 60) -> list[FeedLine]:
    """The viewer's feed, newest first (reads back from the end of the log until `limit` lines)."""
    lines = []
    for entry in snap.reversed():
        if not shown(entry.record, viewer):
            continue
        line = feed_line(entry.record)
        if line is not None:
            lines.append(line)
            if len(lines) >= limit:
                break
    return lines


# --- programme ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeRow:
    item_id: str
    day: str
    start: str
    end: str
    title: str
    kind: str
    session: int | None
    activity: str | None
    status: str
    """`held`, `current` or `upcoming`."""
    unavailable: str | None = None


@dataclass(frozen=True)
class Programme:
    rows: tuple[ProgrammeRow, ...]
    current: ProgrammeRow | None
    opened: bool
    closed: bool
    started_at: dt.datetime | None
    """When the current item started (for the clock)."""


PROGRAMME_KINDS = (
    "meeting_opened",
    "meeting_closed",
    "item_started",
    "item_ended",
    "activity_unavailable",
)


def programme(folder: MeetingFolder, snap: Snapshot, viewer: Viewer) -> Programme:
    """The programme with what has been held, from the records the viewer can see (item starts
    and ends are public)."""
    started: dict[str, dt.datetime] = {}
    ended: set[str] = set()
    unavailable: dict[str, str] = {}
    opened = closed = False
    for e in visible_entries(snap.of(*PROGRAMME_KINDS), viewer):
        r = e.record
        if r.kind == "meeting_opened":
            opened = True
        elif r.kind == "meeting_closed":
            closed = True
        elif r.kind == "item_started":
            started[str(r.payload["item_id"])] = r.time
        elif r.kind == "item_ended":
            ended.add(str(r.payload["item_id"]))
        elif r.kind == "activity_unavailable":
            unavailable[str(r.payload["item_id"])] = str(r.payload["reason"])
    rows = []
    current = None
    for day, item in folder.meeting.items():
        assert item.id is not None
        if item.id in ended:
            status = "held"
        elif item.id in started:
            status = "current"
        else:
            status = "upcoming"
        row = ProgrammeRow(
            item.id,
            day.date.isoformat(),
            f"{item.start:%H:%M}" if item.start else "",
            f"{item.end:%H:%M}" if item.end else "",
            item.title,
            item.kind.value,
            item.session,
            item.activity,
            status,
            unavailable.get(item.id),
        )
        rows.append(row)
        if status == "current":
            current = row
    return Programme(
        tuple(rows),
        current,
        opened,
        closed,
        started.get(current.item_id) if current is not None else None,
    )


# --- requests and decisions ---------------------------------------------------------------------


@dataclass(frozen=True)
class PendingRequest:
    """A seat request or a facilitator decision, with what has happened to it."""

    key: str
    delegation: str | None
    requested_at: dt.datetime
    request_type: str
    request: dict[str, Any]
    title: Message
    template: str | None
    """The form template, or None when the app has no form for this request type."""
    status: str
    """`open`, `answered` (by the delegation's members), `simulated` (by the rule-based
    simulated seat), `model` (by a language-model seat), `missed`, `closed` (for a request
    being closed)."""
    draft: dict[str, str] = field(default_factory=dict)
    drafts: int = 0
    answer: dict[str, Any] | None = None
    member_ballot: bool = False
    """Each member answers for themselves (votes, ratings); see :mod:`detente.web.forms`."""
    history: tuple[tuple[int, dt.datetime, str, dict[str, str]], ...] = ()
    """Every draft: (position, time, person id, fields) — the delegation's edit history."""


def _request_title(form: forms.Form[Any] | None, name: str, data: dict[str, Any]) -> Message:
    if form is None:
        return ("Request: %(type)s", {"type": name})
    request = forms.rebuild_request(name, data)
    return form.title(request)


REQUEST_KINDS = (
    "seat_requested",
    "answer_drafted",
    "answer_submitted",
    "answer_simulated",
    "answer_missed",
    "request_closed",
)


def seat_requests(snap: Snapshot, viewer: Viewer) -> list[PendingRequest]:
    """Seat requests the viewer may see (a delegate: their delegation's; the facilitator: all),
    in the order asked, each with its latest draft and outcome."""
    found: dict[str, PendingRequest] = {}
    for e in visible_entries(snap.of(*REQUEST_KINDS), viewer):
        r = e.record
        p = r.payload
        if r.kind == "seat_requested":
            name = str(p["request_type"])
            form = forms.seat_form_named(name)
            found[p["key"]] = PendingRequest(
                key=p["key"],
                delegation=p["delegation"],
                requested_at=r.time,
                request_type=name,
                request=dict(p["request"]),
                title=_request_title(form, name, dict(p["request"])),
                template=form.template if form else None,
                status="open",
                member_ballot=form.member_ballot if form else False,
            )
            continue
        key = p.get("key")
        if not isinstance(key, str) or key not in found:
            continue
        old = found[key]
        if r.kind == "answer_drafted":
            found[key] = _replace(
                old,
                draft=dict(p["fields"]),
                drafts=old.drafts + 1,
                history=(
                    *old.history,
                    (r.seq, r.time, str(p.get("person", "")), dict(p["fields"])),
                ),
            )
        elif r.kind == "answer_submitted" and old.status in ("open", "closed"):
            found[key] = _replace(old, status="answered", answer=dict(p["answer"]))
        elif r.kind == "answer_simulated":
            status = "model" if r.actor.startswith("model:") else "simulated"
            found[key] = _replace(old, status=status, answer=dict(p["answer"]))
        elif r.kind == "answer_missed":
            found[key] = _replace(old, status="missed")
        elif r.kind == "request_closed" and old.status == "open":
            found[key] = _replace(old, status="closed")
    return list(found.values())


def decisions(snap: Snapshot, viewer: Viewer) -> list[PendingRequest]:
    """The facilitator's decisions (empty for anyone else)."""
    if viewer.role != "facilitator":
        return []
    found: dict[str, PendingRequest] = {}
    for e in snap.of("decision_requested", "decision_taken", "decision_automatic"):
        r = e.record
        p = r.payload
        if r.kind == "decision_requested":
            name = str(p["request_type"])
            form = forms.decision_form_named(name)
            found[p["key"]] = PendingRequest(
                key=p["key"],
                delegation=None,
                requested_at=r.time,
                request_type=name,
                request=dict(p["request"]),
                title=_request_title(form, name, dict(p["request"])),
                template=form.template if form else None,
                status="open",
            )
        elif r.kind in ("decision_taken", "decision_automatic") and p.get("key") in found:
            found[p["key"]] = _replace(found[p["key"]], status="answered", answer=dict(p["answer"]))
    return list(found.values())


def _replace(old: PendingRequest, **changes: Any) -> PendingRequest:
    values = {**old.__dict__, **changes}
    return PendingRequest(**values)


# --- notes, seats, people -----------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    seq: int
    time: dt.datetime
    scope: str
    text: str
    item_id: str | None


def notes(snap: Snapshot, viewer: Viewer, *, limit: int = 50) -> list[Note]:
    """Private notes the viewer may read: a delegate their delegation's, the facilitator every
    note; observers and the projector none (notes are never public). The newest `limit`,
    newest first."""
    if viewer.role not in ("delegate", "facilitator"):
        return []
    out = []
    for e in reversed(snap.of("note_written")):
        r = e.record
        if r.visibility != ALL and visible(r.visibility, viewer):
            out.append(
                Note(r.seq, r.time, r.visibility, str(r.payload["text"]), r.payload.get("item_id"))
            )
            if len(out) >= limit:
                break
    return out


@dataclass(frozen=True)
class SeatRow:
    delegation: str
    name: str
    holder: str
    can_simulate: bool
    members: int
    joined: int
    open_requests: int


@dataclass(frozen=True)
class PersonRow:
    person: str
    name: str
    role: str
    delegation: str | None
    joined: bool
    generation: int


def people(
    snap: Snapshot, identities: Sequence[tuple[str, str, str, str | None]]
) -> list[PersonRow]:
    """(person, name, role, delegation) rows with whether they joined under their current code."""
    generation: dict[str, int] = {}
    joined: dict[str, int] = {}
    for e in snap.of("code_revoked", "participant_joined"):
        r = e.record
        if r.kind == "code_revoked":
            person = str(r.payload["person"])
            generation[person] = generation.get(person, 0) + 1
            joined.pop(person, None)
        elif r.kind == "participant_joined":
            joined[str(r.payload["person"])] = generation.get(str(r.payload["person"]), 0)
    return [
        PersonRow(
            pid,
            name,
            role,
            delegation,
            joined.get(pid) == generation.get(pid, 0),
            generation.get(pid, 0),
        )
        for pid, name, role, delegation in identities
    ]


def seats(
    folder: MeetingFolder,
    snap: Snapshot,
    person_rows: Sequence[PersonRow],
    requests: Sequence[PendingRequest],
    can_simulate: dict[str, bool],
) -> list[SeatRow]:
    holders: dict[str, str] = {}
    for e in snap.of("seat_assigned"):
        holders[str(e.record.payload["delegation"])] = str(e.record.payload["holder"])
    rows = []
    for d in folder.meeting.delegations:
        members = [p for p in person_rows if p.delegation == d.id and p.role == "delegate"]
        rows.append(
            SeatRow(
                d.id,
                d.name,
                holders.get(d.id, "people"),
                can_simulate.get(d.id, False),
                len(members),
                sum(p.joined for p in members),
                sum(1 for r in requests if r.delegation == d.id and r.status in ("open", "closed")),
            )
        )
    return rows


def announcements(snap: Snapshot, *, limit: int = 3) -> list[tuple[int, dt.datetime, str]]:
    """The newest `limit` public announcements, newest first (every viewer may see them)."""
    found = [
        (e.record.seq, e.record.time, str(e.record.payload["text"]))
        for e in reversed(snap.of("announcement"))
        if e.record.visibility == ALL
    ]
    return found[:limit]
