"""Agenda exports: Markdown lists every line, HTML parses, iCalendar times are right in UTC."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

from icalendar import Calendar

from detente.meeting.agenda import agenda_html, agenda_ics, agenda_markdown
from detente.meeting.loader import load_meeting


def test_markdown_lists_every_item_and_part(korea: Path) -> None:
    folder = load_meeting(korea)
    text = agenda_markdown(folder)
    for _, item in folder.meeting.items():
        assert item.title in text
        for part in item.parts:
            assert f"{part.start:%H:%M} {part.title}" in text
    assert "**09:00–10:40** Session 1:" in text


class _Strict(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.void = {"meta", "br", "link", "img", "hr", "input"}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.void:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"unbalanced </{tag}> after {self.stack[-3:]}"
        self.stack.pop()


def test_html_is_self_contained_and_balanced(korea: Path) -> None:
    html = agenda_html(load_meeting(korea))
    parser = _Strict()
    parser.feed(html)
    parser.close()
    assert parser.stack == []
    assert "http://" not in html and "https://" not in html
    assert "Session 6: Roadmap for Implementing Cooperative Measures" in html


def test_ics_times_are_correct_in_utc(korea: Path, harbour: Path) -> None:
    for root in (korea, harbour):
        folder = load_meeting(root)
        zone = folder.meeting.meeting.zone
        cal = Calendar.from_ical(agenda_ics(folder))
        events = [c for c in cal.walk() if c.name == "VEVENT"]
        items = folder.meeting.items()
        assert len(events) == len(items)
        for event, (day, item) in zip(events, items, strict=True):
            start = event.decoded("dtstart")
            if item.start is None:
                assert start == day.date
                continue
            expected = dt.datetime.combine(day.date, item.start, tzinfo=zone).astimezone(dt.UTC)
            assert start.astimezone(dt.UTC) == expected
            if item.end is not None:
                end = dt.datetime.combine(day.date, item.end, tzinfo=zone).astimezone(dt.UTC)
                assert event.decoded("dtend").astimezone(dt.UTC) == end


def test_ics_session_one_is_six_utc_in_istanbul(korea: Path) -> None:
    cal = Calendar.from_ical(agenda_ics(load_meeting(korea)))
    s1 = next(c for c in cal.walk("VEVENT") if str(c["summary"]).startswith("Session 1:"))
    assert s1.decoded("dtstart").astimezone(dt.UTC) == dt.datetime(2024, 8, 25, 6, 0, tzinfo=dt.UTC)


def test_ics_carries_a_vtimezone_for_every_tzid(korea: Path, harbour: Path) -> None:
    """RFC 5545 §3.2.19: every TZID used must have a VTIMEZONE with that TZID, and its
    offsets must match the zone on the meeting's dates."""
    import re

    for path in (korea, harbour):
        folder = load_meeting(path)
        text = agenda_ics(folder)
        used = set(re.findall(r";TZID=([^:;]+)[:;]", text))
        assert used == {folder.meeting.meeting.timezone}
        cal = Calendar.from_ical(text)
        zones = {str(c["TZID"]): c for c in cal.walk("VTIMEZONE")}
        assert set(zones) == used
        zone = folder.meeting.meeting.zone
        day = folder.meeting.meeting.start_date
        offset = zone.utcoffset(dt.datetime(day.year, day.month, day.day, 12))
        offsets = [s["TZOFFSETTO"].td for s in zones[folder.meeting.meeting.timezone].subcomponents]
        assert offset in offsets
