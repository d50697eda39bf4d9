"""Programme checks: the timing problems a facilitator wants to hear about before the meeting.

Findings are diagnostics located in `meeting.yaml`. Errors make `detente validate` fail; warnings
only with `--strict`. Real programmes are often inconsistent (the founding example overlaps two
sessions), so most timing findings are warnings, not errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from detente.diagnostics import Diagnostic, PathPart, Severity
from detente.meeting.model import Item, ItemKind, Meeting
from detente.sourcefile import SourceFile

MAX_WITHOUT_BREAK = dt.timedelta(hours=3)

Pauses = Mapping[str, Sequence[tuple[dt.time, dt.time]]]
"""Pauses declared inside programme items, by item id: (start, end) clock times — e.g. the
breaks a tabletop exercise's run-of-show schedules inside its session."""
_PAUSES = {ItemKind.BREAK, ItemKind.MEAL, ItemKind.END, ItemKind.ARRIVAL}


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def crosses_midnight(item: Item) -> bool:
    """An evening item whose end is written as an early-morning time (e.g. 22:00–01:00)."""
    return (
        item.start is not None
        and item.end is not None
        and item.end < item.start
        and item.start.hour >= 18
        and item.end.hour < 6
    )


def _label(item: Item) -> str:
    span = ""
    if item.start is not None:
        span = f"{item.start:%H:%M}" + (f"–{item.end:%H:%M}" if item.end else "")
    name = f"Session {item.session}" if item.session is not None else f"'{item.title}'"
    return f"{name} ({span})" if span else name


def check_programme(
    meeting: Meeting, source: SourceFile, pauses: Pauses | None = None
) -> list[Diagnostic]:
    """All timing findings for the programme, in file order. `pauses` are breaks declared
    inside items (see :data:`Pauses`): the check for long runs without a break counts them."""
    pos = source.positions
    out: list[Diagnostic] = []

    def warn(path: tuple[PathPart, ...], msg: str) -> None:
        out.append(pos.diagnostic(path, msg, Severity.WARNING))

    def error(path: tuple[PathPart, ...], msg: str) -> None:
        out.append(pos.diagnostic(path, msg, Severity.ERROR))

    expected_session = 1
    for di, day in enumerate(meeting.programme):
        previous: dt.time | None = None
        for ii, item in enumerate(day.items):
            base: tuple[PathPart, ...] = ("programme", di, "items", ii)
            if item.start is not None and item.end is not None:
                if crosses_midnight(item):
                    warn((*base, "end"), f"{_label(item)} crosses midnight")
                elif item.end == item.start:
                    error((*base, "end"), f"{_label(item)} ends when it starts")
                elif item.end < item.start:
                    error((*base, "end"), f"{_label(item)} ends before it starts")
            if item.start is not None:
                if previous is not None and item.start < previous:
                    warn(
                        (*base, "start"),
                        f"{_label(item)} starts before the item listed above it "
                        "(items out of chronological order)",
                    )
                previous = item.start
            if item.session is not None:
                if item.session != expected_session:
                    warn(
                        (*base, "session"),
                        f"session {item.session} follows session {expected_session - 1}; "
                        f"expected session {expected_session} (sessions numbered out of sequence)",
                    )
                expected_session = item.session + 1
            out.extend(_check_parts(item, base, source))
        out.extend(_check_overlaps(day.items, di, source))
        out.extend(_check_breaks(day.items, di, source, pauses or {}))
    return out


def _check_parts(item: Item, base: tuple[PathPart, ...], source: SourceFile) -> list[Diagnostic]:
    out = []
    last: dt.time | None = None
    for pi, part in enumerate(item.parts):
        path = (*base, "parts", pi, "start")
        if item.start is not None and part.start < item.start:
            out.append(
                source.positions.diagnostic(
                    path,
                    f"'{part.title}' is timed {part.start:%H:%M}, before {_label(item)} starts",
                    Severity.WARNING,
                )
            )
        elif item.end is not None and not crosses_midnight(item) and part.start >= item.end:
            out.append(
                source.positions.diagnostic(
                    path,
                    f"'{part.title}' is timed {part.start:%H:%M}, after {_label(item)} ends",
                    Severity.WARNING,
                )
            )
        elif last is not None and part.start < last:
            out.append(
                source.positions.diagnostic(
                    path,
                    f"'{part.title}' ({part.start:%H:%M}) is out of chronological order",
                    Severity.WARNING,
                )
            )
        last = part.start
    return out


def _span(item: Item) -> tuple[int, int] | None:
    if item.start is None or item.end is None or item.end <= item.start:
        return None
    return _minutes(item.start), _minutes(item.end)


def _check_overlaps(items: list[Item], di: int, source: SourceFile) -> list[Diagnostic]:
    out = []
    spans = [(ii, it, _span(it)) for ii, it in enumerate(items)]
    for a_index, (_, a, sa) in enumerate(spans):
        if sa is None:
            continue
        for bi, b, sb in spans[a_index + 1 :]:
            if sb is None:
                continue
            if sa[0] < sb[1] and sb[0] < sa[1]:
                minutes = min(sa[1], sb[1]) - max(sa[0], sb[0])
                out.append(
                    source.positions.diagnostic(
                        ("programme", di, "items", bi, "start"),
                        f"{_label(b)} overlaps {_label(a)} by {minutes} minutes",
                        Severity.WARNING,
                    )
                )
    return out


def _pieces(item: Item, span: tuple[int, int], pauses: Pauses) -> list[tuple[int, int]]:
    """The item's span cut at the pauses declared inside it (those within its span)."""
    cuts = sorted(
        (_minutes(a), _minutes(b))
        for a, b in pauses.get(item.id or "", ())
        if span[0] <= _minutes(a) < _minutes(b) <= span[1]
    )
    pieces, start = [], span[0]
    for a, b in cuts:
        if a > start:
            pieces.append((start, a))
        start = max(start, b)
    if span[1] > start:
        pieces.append((start, span[1]))
    return pieces


def _check_breaks(
    items: list[Item], di: int, source: SourceFile, pauses: Pauses
) -> list[Diagnostic]:
    """Warn when working items run back to back for more than three hours without a pause.

    A run is a sequence of timed non-pause items with no gap between them; a break, meal or end
    of day, any gap in the timetable, or a pause declared inside an item (`pauses`, e.g. the
    break of an exercise's run-of-show) ends it. One warning per run, on the item that crosses
    the limit.
    """
    out = []
    limit = int(MAX_WITHOUT_BREAK.total_seconds() // 60)
    run: tuple[int, int, Item] | None = None  # (start minute, end minute, first item)
    warned = False
    for ii, item in enumerate(items):
        whole = _span(item)
        if item.kind in _PAUSES:
            run, warned = None, False
            continue
        if whole is None:
            continue
        for k, span in enumerate(_pieces(item, whole, pauses)):
            if k or span[0] > whole[0]:  # a declared pause came before this piece
                run, warned = None, False
            if run is None or span[0] > run[1]:
                run, warned = (span[0], span[1], item), False
            else:
                run = (run[0], max(run[1], span[1]), run[2])
            length = run[1] - run[0]
            if length > limit and not warned:
                what = _label(item) if run[2] is item else f"{_label(run[2])} to {_label(item)}"
                out.append(
                    source.positions.diagnostic(
                        ("programme", di, "items", ii),
                        f"{what} runs {length // 60}h{length % 60:02d} without a break "
                        f"(more than {limit // 60} hours)",
                        Severity.WARNING,
                    )
                )
                warned = True
    return out
