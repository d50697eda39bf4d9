"""The programme as an agenda: Markdown, a self-contained HTML page, or an iCalendar file.

Times in the meeting file are local to the meeting's time zone; the iCalendar export writes them
with that zone's TZID and the VTIMEZONE component RFC 5545 requires for it (built from the
zoneinfo database, covering the meeting's dates), so a participant's calendar shows each item at
the right moment wherever they are.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Calendar, Event
from jinja2 import Environment, PackageLoader, select_autoescape

from detente.meeting.context import local_time
from detente.meeting.loader import MeetingFolder
from detente.meeting.model import Day, Item, ItemKind

FORMATS = ("md", "html", "ics")


def _span(item: Item) -> str:
    if item.start is None:
        return ""
    return f"{item.start:%H:%M}" + (f"–{item.end:%H:%M}" if item.end else "")


def _heading(item: Item) -> str:
    return f"Session {item.session}: {item.title}" if item.session is not None else item.title


def agenda_markdown(folder: MeetingFolder) -> str:
    """The programme as Markdown: one section per day, one line per item, its parts below."""
    m = folder.meeting
    info = m.meeting
    lines = [
        f"# {info.title}",
        "",
        f"{info.organizer} · {info.location} · times are {info.timezone}",
        "",
    ]
    for day in m.programme:
        lines += [f"## {day.title} — {day.date:%A %d %B %Y}", ""]
        for item in day.items:
            span = _span(item)
            lead = f"**{span}** " if span else ""
            lines.append(f"- {lead}{_heading(item)}")
            for part in item.parts:
                lines.append(f"  - {part.start:%H:%M} {part.title}")
            for q in item.questions:
                lines.append(f"  - {q.text}")
            for step in item.steps:
                lines.append(f"  - *{step.title}*")
            if item.note:
                lines.append(f"  - _{item.note}_")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def agenda_html(folder: MeetingFolder) -> str:
    """The programme as one self-contained HTML page (inline CSS, no external resources)."""
    env = Environment(
        loader=PackageLoader("detente", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["span"] = _span
    env.filters["heading"] = _heading
    html: str = env.get_template("agenda.html").render(meeting=folder.meeting)
    return html


def _uid(folder: MeetingFolder, day: Day, item: Item) -> str:
    digest = hashlib.sha1(f"{folder.meeting.meeting.id}/{day.date}/{item.id}".encode())
    return f"{digest.hexdigest()[:16]}@detente"


def agenda_ics(folder: MeetingFolder) -> str:
    """The programme as an iCalendar file. Untimed items (arrival) become all-day events; items
    with a start only last until the start (a point in time)."""
    info = folder.meeting.meeting
    cal = Calendar()
    cal.add("prodid", "-//détente//agenda//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", info.title)
    cal.add("x-wr-timezone", info.timezone)
    stamp = dt.datetime.combine(info.start_date, dt.time(0, 0), tzinfo=dt.UTC)
    for day, item in folder.meeting.items():
        event = Event()
        event.add("uid", _uid(folder, day, item))
        event.add("dtstamp", stamp)
        event.add("summary", _heading(item))
        if item.description:
            event.add("description", item.description.strip())
        event.add("location", info.location)
        event.add("categories", [item.kind.value])
        if item.start is None:
            event.add("dtstart", day.date)
            event.add("dtend", day.date + dt.timedelta(days=1))
        else:
            start = local_time(folder, day, item.start)
            event.add("dtstart", start)
            if item.end is not None:
                end = local_time(folder, day, item.end)
                if end <= start and item.kind is not ItemKind.END:
                    end += dt.timedelta(days=1)
                event.add("dtend", end)
        cal.add_component(event)
    cal.add_missing_timezones()
    ical: bytes = cal.to_ical()
    return ical.decode("utf-8")


def render_agenda(folder: MeetingFolder, fmt: str) -> str:
    if fmt == "md":
        return agenda_markdown(folder)
    if fmt == "html":
        return agenda_html(folder)
    if fmt == "ics":
        return agenda_ics(folder)
    raise ValueError(f"unknown agenda format {fmt!r} (choose from {', '.join(FORMATS)})")
