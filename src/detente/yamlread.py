"""Reading YAML safely: one pass over libyaml's event stream into plain data and positions.

Why not a YAML library's loader: a loader expands aliases without limit (a few hundred bytes of
"billion laughs" take gigabytes), recurses on nesting (deep input overflows the stack), and the
round-trip loader that keeps positions is slow (a 5 MB file took 16 s). Here the event stream is
folded iteratively into dicts, lists and scalars, recording the line and column of every key and
value in a compact tree (:mod:`detente.positions`), and every limit below is checked as it is
crossed, so hostile input fails fast with a located error and bounded memory.

Scalars are resolved by the YAML 1.2 core schema (`yes`/`no` stay strings, `017` is 17, `09:00`
is a string), plus dates and timestamps. Non-finite numbers (`.inf`, `.nan`), impossible dates
(2024-02-30), control characters and bidirectional-override characters are refused with their
line and column.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from detente.diagnostics import Diagnostic, InputError, PathPart
from detente.positions import Spot, unpack

MAX_FILE_BYTES = 16 * 1024 * 1024
"""Largest input file read (16 MiB): ample for any meeting (a 5 MB statements file is ~20 000
statements), small enough that parsing stays in seconds and memory in hundreds of MB."""

MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences, aliases expanded (real files nest under 10)."""

MAX_ALIASES = 10_000
"""Most alias uses (`*name`) in one file."""

MAX_VALUES = 2_000_000
"""Most values (scalars, mappings, sequences) in one file once its aliases are expanded."""

MAX_ITEMS = 100_000
"""Most items in one list, or keys in one mapping. The largest real collection is a list of
statements (a 16 MiB file, the size limit, holds about 25,000); a list of hundreds of thousands
of values is hostile input, refused where it crosses the limit instead of being read and then
validated value by value (700,000 one-line values took over 2 s)."""

_SPLIT = " (split it into several, or shorten it)"

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f]")
"""C0/C1 control characters other than tab, line feed, carriage return and NEL."""

BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Bidirectional embedding, override and isolate characters: they make text display in another
order than it is stored (a name that reads differently from what it says), so they are refused in
every string. Plain right-to-left text needs none of them."""

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_WORDS: dict[str, object] = {**_BOOL, "null": None, "Null": None, "NULL": None}
_NUMERIC_START = frozenset("0123456789+-.~")
"""A plain scalar starting with anything else is a string, a boolean or null."""
_HAS_DIGIT = re.compile(r"[0-9]")
_INT = re.compile(r"^[-+]?[0-9][0-9_]*$")
_INT_OCT = re.compile(r"^0o[0-7_]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F_]+$")
_INT_BIN = re.compile(r"^0b[01_]+$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_TIMESTAMP = re.compile(
    r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]*))?(?:[ \t]*(Z|[-+][0-9]{1,2}(?::?[0-9]{2})?))?$"
)
_STR = "tag:yaml.org,2002:str"


class _Bad(Exception):
    """A problem at the current event (message only; the caller adds the place)."""


def resolve_plain(value: str) -> Any:
    """The value of an untagged plain scalar (YAML 1.2 core schema plus dates and timestamps).

    Raises :class:`_Bad` for a non-finite number or an impossible date."""
    if not value:
        return None
    if value[0] not in _NUMERIC_START:
        return _WORDS.get(value, value)
    if value == "~":
        return None
    if _INT.match(value):
        return int(value.replace("_", ""))
    if _INT_HEX.match(value):
        return int(value[2:].replace("_", ""), 16)
    if _INT_OCT.match(value):
        return int(value[2:].replace("_", ""), 8)
    if _INT_BIN.match(value):
        return int(value[2:].replace("_", ""), 2)
    if _SPECIAL_FLOAT.match(value):
        raise _Bad(f"'{value}' is not a finite number (infinity and NaN are not accepted)")
    if _FLOAT.match(value) and _HAS_DIGIT.search(value):
        return float(value.replace("_", ""))
    if len(value) >= 10 and value[0].isdigit():
        date = _DATE.match(value)
        if date:
            try:
                return dt.date(*(int(g) for g in date.groups()))
            except ValueError as exc:
                raise _Bad(f"'{value}' is not a valid date ({exc})") from None
        stamp = _TIMESTAMP.match(value)
        if stamp:
            return _timestamp(value, stamp)
    return value


def _timestamp(value: str, m: re.Match[str]) -> dt.datetime:
    year, month, day, hour, minute, second = (int(m.group(i)) for i in range(1, 7))
    micro = int((m.group(7) or "0")[:6].ljust(6, "0"))
    zone = m.group(8)
    tz: dt.tzinfo | None = None
    if zone == "Z":
        tz = dt.UTC
    elif zone:
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        hours, minutes = (
            (int(digits), 0) if len(digits) <= 2 else (int(digits[:-2]), int(digits[-2:]))
        )
        tz = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    try:
        return dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)
    except ValueError as exc:
        raise _Bad(f"'{value}' is not a valid date and time ({exc})") from None


def _tagged(tag: str, value: str) -> Any:
    """An explicitly tagged scalar (`!!str 12`); only the core tags are understood."""
    core = "tag:yaml.org,2002:"
    if tag in ("!", _STR):
        return value
    if tag == core + "int":
        try:
            return int(value.replace("_", ""), 0)
        except ValueError:
            raise _Bad(f"'{value}' is not an integer") from None
    if tag == core + "float":
        try:
            number = float(value.replace("_", ""))
        except ValueError:
            raise _Bad(f"'{value}' is not a number") from None
        if not math.isfinite(number):
            raise _Bad(f"'{value}' is not a finite number (infinity and NaN are not accepted)")
        return number
    if tag == core + "bool" and value in _BOOL:
        return _BOOL[value]
    if tag == core + "null":
        return None
    raise _Bad(f"the YAML tag '{tag}' is not supported here (write plain values)")


class _Frame:
    """An open mapping or sequence while its events are read."""

    __slots__ = (
        "anchor",
        "at",
        "container",
        "height",
        "key",
        "key_at",
        "merged",
        "slot",
        "spot",
        "start",
    )

    def __init__(
        self,
        container: dict[str, Any] | list[Any],
        spot: Spot,
        slot: PathPart | None,
        anchor: str | None,
        start: int,
        at: int,
    ) -> None:
        self.container = container
        self.at = at  # packed position of its first event
        self.spot = spot
        self.slot = slot  # its key or index in the enclosing container (None: root or a key)
        self.anchor = anchor
        self.start = start  # values counted before it (its expanded size is the difference)
        self.height = 0
        self.key: str | None = None  # a mapping's pending key, between key and value
        self.key_at = 0
        self.merged: set[str] | None = None  # keys copied by a merge key ('<<'), overridable


@dataclass
class Parsed:
    """Plain data with the positions of every value and mapping key outside aliases (None when
    the document is a single scalar or empty: everything is then at 1:1)."""

    data: Any
    positions: Spot | None


def check_text(text: str, name: str) -> None:
    """Refuse control characters anywhere in the file, with line and column."""
    bad = CONTROL.search(text)
    if bad is not None:
        line, column = _position(text, bad.start())
        raise InputError(
            [
                Diagnostic(
                    name,
                    line,
                    column,
                    (),
                    f"control character U+{ord(bad.group()):04X} is not "
                    "allowed (remove it; only tab and line breaks may appear)",
                )
            ]
        )


def _position(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _path(stack: list[_Frame]) -> tuple[PathPart, ...]:
    """The path of the value the next event gives (a key's events: its mapping's path)."""
    parts: list[PathPart] = [f.slot for f in stack[1:] if f.slot is not None]
    if stack:
        top = stack[-1]
        if isinstance(top.container, list):
            parts.append(len(top.container))
        elif top.key is not None:
            parts.append(top.key)
    return tuple(parts)


def _bidi(value: str) -> str | None:
    char = BIDI.search(value)
    if char is None:
        return None
    return (
        f"bidirectional control character U+{ord(char.group()):04X} is not "
        "allowed (it makes text display differently from what it says)"
    )


def parse(text: str, name: str) -> Parsed:
    """Fold the YAML `text` into plain data and positions; raise :class:`InputError` (located)
    on a syntax error, a second document, a crossed limit, or a refused value.

    One loop over the events, written for speed (about 1 µs per value on top of libyaml's
    own), handing each event to a method of :class:`_Fold`: a scalar is resolved and appended
    with its packed position without building its path; paths are built only for a
    diagnostic."""
    check_text(text, name)
    fold = _Fold(name, check_bidi=BIDI.search(text) is not None)
    get_event = _Loader(text).get_event
    handlers: dict[type, Callable[[Any], None]] = {
        yaml.MappingStartEvent: fold.open_mapping,
        yaml.SequenceStartEvent: fold.open_sequence,
        yaml.MappingEndEvent: fold.close,
        yaml.SequenceEndEvent: fold.close,
        yaml.AliasEvent: fold.alias,
        yaml.DocumentStartEvent: fold.document,
    }
    stream_end = yaml.StreamEndEvent
    scalar_event, scalar = yaml.ScalarEvent, fold.scalar  # the common event, tested first
    try:
        while True:
            event = get_event()
            if event is None:
                break
            kind = type(event)
            fold.mark = event.start_mark
            if kind is scalar_event:
                scalar(event)
                continue
            handler = handlers.get(kind)
            if handler is not None:
                handler(event)
            elif kind is stream_end:
                break
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, fold.mark, name) from None
    if fold.problems:
        raise InputError(fold.problems)
    return Parsed(fold.root, fold.root_spot)


def _syntax_error(exc: yaml.YAMLError, mark: Any, name: str) -> InputError:
    """libyaml's complaint, located at its problem mark (else at the last event read)."""
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if isinstance(exc, yaml.MarkedYAMLError):
        problem_mark = exc.problem_mark or exc.context_mark
        if problem_mark is not None:
            line, column = problem_mark.line + 1, problem_mark.column + 1
        problem = exc.problem or exc.context or "invalid YAML"
        return InputError([Diagnostic(name, line, column, (), f"YAML syntax: {problem}")])
    return InputError([Diagnostic(name, line, column, (), f"YAML syntax: {exc}")])


class _Fold:
    """The state of one fold of an event stream: the open containers, the anchors, the counts
    checked against the limits, and the finished root. One method per kind of event.

    The open container is also kept in flat attributes (`top`, `in_list`, `items`,
    `spot_values`, `add_item`, `add_at`) so the common event, a scalar in a list or mapping,
    touches no frame."""

    __slots__ = (
        "add_at",
        "add_item",
        "aliases",
        "anchors",
        "check_bidi",
        "documents",
        "in_list",
        "items",
        "mark",
        "max_items",
        "max_values",
        "name",
        "problems",
        "root",
        "root_spot",
        "spot_values",
        "stack",
        "top",
        "total",
    )

    def __init__(self, name: str, *, check_bidi: bool) -> None:
        self.name = name
        self.check_bidi = check_bidi  # whether any string can hold a bidi character
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # value, expanded size, height
        self.stack: list[_Frame] = []
        self.problems: list[Diagnostic] = []
        self.total = 0
        self.aliases = 0
        self.documents = 0
        self.root: Any = None
        self.root_spot: Spot | None = None
        self.mark: Any = None  # the current event's start mark
        self.top: _Frame | None = None
        self.in_list = False
        self.items: Any = None  # the open container's list (sequence) or dict (mapping)
        self.spot_values: Any = None  # its positions: an array (sequence) or a dict (mapping)
        self.add_item: Any = None  # a sequence's list.append and its positions' array.append
        self.add_at: Any = None
        self.max_items = MAX_ITEMS
        self.max_values = MAX_VALUES

    def fail(self, message: str, where: tuple[PathPart, ...] | None = None) -> InputError:
        """The error for `message` at the current event (at `where`, else the event's path)."""
        at = _path(self.stack) if where is None else where
        mark = self.mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        return InputError([Diagnostic(self.name, line, column, at, message)])

    def scalar(self, event: Any) -> None:
        """Resolve a scalar and put it into the open container (or make it the root)."""
        self.total += 1
        raw = event.value
        tag = event.tag
        try:
            if tag is None and not event.style and event.implicit[0]:
                if raw and raw[0] not in _NUMERIC_START:
                    value = _WORDS.get(raw, raw)
                else:
                    value = resolve_plain(raw)
            elif tag is not None and tag != "!":
                value = _tagged(tag, raw)
            else:
                value = raw
        except _Bad as exc:
            raise self.fail(str(exc)) from None
        mark = self.mark
        if self.check_bidi and isinstance(value, str):
            refused = _bidi(value)
            if refused is not None:
                diagnostic = Diagnostic(
                    self.name, mark.line + 1, mark.column + 1, _path(self.stack), refused
                )
                self.problems.append(diagnostic)
        if event.anchor:
            self.anchors[event.anchor] = (value, 1, 0)
        if self.in_list:
            if len(self.items) >= self.max_items:
                raise self.fail(f"more than {self.max_items:,} items in one list{_SPLIT}")
            self.add_item(value)
            self.add_at(mark.line << 32 | mark.column)
        elif self.top is not None:
            self._into_mapping(value, mark.line << 32 | mark.column, None)
        else:
            self.root = value
        if self.total > self.max_values:
            raise self.fail(f"more than {self.max_values:,} values in one file")

    def open_mapping(self, event: Any) -> None:
        """Open a mapping: push its frame."""
        self._open(event, sequence=False)

    def open_sequence(self, event: Any) -> None:
        """Open a sequence: push its frame."""
        self._open(event, sequence=True)

    def _open(self, event: Any, *, sequence: bool) -> None:
        self.total += 1
        if len(self.stack) >= MAX_DEPTH:
            raise self.fail(f"nested more than {MAX_DEPTH} levels deep")
        container: dict[str, Any] | list[Any] = [] if sequence else {}
        slot: PathPart | None = None
        if self.in_list:
            slot = len(self.items)
            if slot >= self.max_items:
                raise self.fail(f"more than {self.max_items:,} items in one list{_SPLIT}")
        elif self.top is not None:
            slot = self.top.key
        mark = self.mark
        at = mark.line << 32 | mark.column
        frame = _Frame(container, Spot(sequence), slot, event.anchor, self.total - 1, at)
        self.stack.append(frame)
        self._focus(frame)
        if self.total > self.max_values:
            raise self.fail(f"more than {self.max_values:,} values in one file")

    def _focus(self, frame: _Frame) -> None:
        """Make `frame` the open container of the flat attributes."""
        self.top, self.items, self.spot_values = frame, frame.container, frame.spot.values
        self.in_list = isinstance(frame.container, list)
        if self.in_list:
            self.add_item, self.add_at = self.items.append, self.spot_values.append

    def close(self, event: Any) -> None:
        """Close the open container and put it into its parent (or make it the root)."""
        done = self.stack.pop()
        finished = done.container
        height = done.height or (1 if finished else 0)
        if done.anchor:
            self.anchors[done.anchor] = (finished, self.total - done.start, height)
        if not self.stack:
            self.top = None
            self.root, self.root_spot = finished, done.spot
            self.in_list = False
            return
        top = self.stack[-1]
        self._focus(top)
        if height + 1 > top.height:
            top.height = height + 1
        if self.in_list:  # its length was checked at its start
            top.spot.inner[len(self.items)] = done.spot
            self.add_item(finished)
            self.add_at(done.at)  # a container is located where it starts
        else:
            self._into_mapping(finished, done.at, done.spot)

    def alias(self, event: Any) -> None:
        """Put an anchored value again, counting its expanded size against the limits."""
        found = self.anchors.get(event.anchor)
        if found is None:
            raise self.fail(f"unknown alias '*{event.anchor}'")
        value, size, height = found
        self.aliases += 1
        self.total += size
        if self.aliases > MAX_ALIASES:
            raise self.fail(f"more than {MAX_ALIASES} aliases in one file")
        if self.total > MAX_VALUES:
            raise self.fail(
                f"aliases expand this file to more than {MAX_VALUES:,} values (an alias "
                "bomb?); write the values out or use fewer aliases"
            )
        if len(self.stack) + height > MAX_DEPTH:
            raise self.fail(f"the alias nests more than {MAX_DEPTH} levels deep")
        at = self.mark.line << 32 | self.mark.column
        top = self.top
        if top is None:
            self.root = value
            return
        if height + 1 > top.height:
            top.height = height + 1
        if self.in_list:
            if len(self.items) >= self.max_items:
                raise self.fail(f"more than {self.max_items:,} items in one list{_SPLIT}")
            self.add_item(value)
            self.add_at(at)
        else:
            self._into_mapping(value, at, None)

    def document(self, event: Any) -> None:
        """Count a document start: one file holds one document."""
        self.documents += 1
        if self.documents > 1:
            raise self.fail("a second YAML document ('---'): one file holds one document")

    def _into_mapping(self, value: Any, at: int, spot: Spot | None) -> None:
        """Put a finished value into the open mapping, as its pending key or as that key's
        value (`spot`: the value's own positions when it is a container written out)."""
        top = self.top
        assert top is not None
        if top.key is None:
            self._set_key(top, value, at)
            return
        key = top.key
        top.key = None
        if key == "<<" and isinstance(value, dict | list):
            _merge(top, value, self.fail)
            return
        if top.merged is not None:
            top.merged.discard(key)
        keys = top.spot.keys
        assert keys is not None
        keys[key] = top.key_at
        self.spot_values[key] = at
        if spot is not None:
            top.spot.inner[key] = spot
        mapping = top.container
        assert isinstance(mapping, dict)
        mapping[key] = value

    def _set_key(self, top: _Frame, value: Any, at: int) -> None:
        """Make `value` the open mapping's pending key, refusing a container, a duplicate key
        (unless a merge key set it) and one key too many."""
        mapping = top.container
        assert isinstance(mapping, dict)
        if isinstance(value, dict | list):
            raise self.fail("a mapping key must be a plain value, not a mapping or list")
        key = str(value)
        if len(mapping) >= self.max_items and key not in mapping:
            raise self.fail(f"more than {self.max_items:,} keys in one mapping{_SPLIT}")
        if key in mapping and (top.merged is None or key not in top.merged):
            keys = top.spot.keys
            assert keys is not None
            first = unpack(keys[key])[0] if key in keys else at >> 32
            path = (*_path(self.stack), key)
            raise self.fail(f"duplicate key '{key}' (first at line {first})", path)
        top.key, top.key_at = key, at


def _merge(
    frame: _Frame, value: dict[str, Any] | list[Any], fail: Callable[[str], InputError]
) -> None:
    """A merge key (`<<: *base`): copy the keys the mapping does not set itself."""
    sources = value if isinstance(value, list) else [value]
    target = frame.container
    assert isinstance(target, dict)
    added: set[str] = set()
    for source in sources:
        if not isinstance(source, dict):
            raise fail("a merge key ('<<') takes a mapping or a list of mappings")
        for k, v in source.items():
            if k not in target:
                target[k] = v
                added.add(k)
    if added:
        frame.merged = (frame.merged or set()) | added
