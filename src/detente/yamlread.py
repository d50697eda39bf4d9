"""Reading YAML safely: one pass over libyaml's event stream into plain data and positions.

Why not a YAML library's loader: a loader expands aliases without limit (a few hundred bytes of
"billion laughs" take gigabytes), recurses on nesting (deep input overflows the stack), and the
round-trip loader that keeps positions is slow (a 5 MB file took 16 s). Here the event stream is
folded iteratively into dicts, lists and scalars, recording the line and column of every key and
value, and every limit below is checked as it is crossed, so hostile input fails fast with a located
error and bounded memory.

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

MAX_FILE_BYTES = 16 * 1024 * 1024
"""Largest input file read (16 MiB): ample for any meeting (a 5 MB statements file is ~20 000
statements), small enough that parsing stays in seconds and memory in hundreds of MB."""

MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences, aliases expanded (real files nest under 10)."""

MAX_ALIASES = 10_000
"""Most alias uses (`*name`) in one file."""

MAX_VALUES = 2_000_000
"""Most values (scalars, mappings, sequences) in one file once its aliases are expanded."""

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


@dataclass
class _Frame:
    """An open mapping or sequence while its events are read."""

    container: dict[str, Any] | list[Any]
    path: tuple[PathPart, ...]
    anchor: str | None
    at: tuple[int, int]
    size: int = 1
    height: int = 0
    key: str | None = None  # a mapping's pending key, between key and value
    key_at: tuple[int, int] = (0, 0)
    merged: frozenset[str] = frozenset()


@dataclass
class Parsed:
    """Plain data with the 1-based positions of every value and mapping key outside aliases."""

    data: Any
    values: dict[tuple[PathPart, ...], tuple[int, int]]
    keys: dict[tuple[PathPart, ...], tuple[int, int]]


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


def parse(text: str, name: str) -> Parsed:
    """Fold the YAML `text` into plain data and positions; raise :class:`InputError` (located)
    on a syntax error, a second document, a crossed limit, or a refused value."""
    check_text(text, name)
    values: dict[tuple[PathPart, ...], tuple[int, int]] = {}
    keys: dict[tuple[PathPart, ...], tuple[int, int]] = {}
    anchors: dict[str, tuple[Any, int, int]] = {}  # value, expanded size, height
    stack: list[_Frame] = []
    problems: list[Diagnostic] = []
    total = 0
    aliases = 0
    documents = 0
    root: Any = None
    place = (1, 1)
    path: tuple[PathPart, ...] = ()

    def fail(message: str, where: tuple[PathPart, ...] | None = None) -> InputError:
        at = path if where is None else where
        return InputError([Diagnostic(name, place[0], place[1], at, message)])

    def child_path() -> tuple[PathPart, ...]:
        if not stack:
            return ()
        top = stack[-1]
        if isinstance(top.container, list):
            return (*top.path, len(top.container))
        return top.path if top.key is None else (*top.path, top.key)

    def attach(value: Any, size: int, height: int, at: tuple[int, int], recorded: bool) -> None:
        """Put a finished value into the open container (as a key or a value)."""
        nonlocal root
        if not stack:
            root = value
            return
        top = stack[-1]
        top.size += size
        if height >= top.height:
            top.height = height + 1
        if isinstance(top.container, list):
            if recorded:
                values[(*top.path, len(top.container))] = at
            top.container.append(value)
            return
        if top.key is None:
            if isinstance(value, dict | list):
                raise fail("a mapping key must be a plain value, not a mapping or list")
            key = str(value)
            if key in top.container and key not in top.merged:
                first = keys.get((*top.path, key), at)
                raise fail(f"duplicate key '{key}' (first at line {first[0]})", (*top.path, key))
            top.key, top.key_at = key, at
            return
        key = top.key
        top.key = None
        if key == "<<" and isinstance(value, dict | list):
            _merge(top, value, fail)
            return
        top.merged = top.merged - {key}
        full = (*top.path, key)
        keys[full] = top.key_at
        if recorded:
            values[full] = at
        top.container[key] = value

    check_bidi = BIDI.search(text) is not None
    loader = _Loader(text)
    get_event = loader.get_event
    try:
        while True:
            event = get_event()
            if event is None or type(event) is yaml.StreamEndEvent:
                break
            mark = event.start_mark
            place = (mark.line + 1, mark.column + 1)
            kind = type(event)
            if kind is yaml.ScalarEvent:
                path = child_path()
                total += 1
                raw = event.value
                try:
                    if event.tag is not None and event.tag != "!":
                        value = _tagged(event.tag, raw)
                    elif event.style in (None, "") and event.implicit[0] and event.tag is None:
                        value = resolve_plain(raw)
                    else:
                        value = raw
                except _Bad as exc:
                    raise fail(str(exc)) from None
                if check_bidi and isinstance(value, str) and BIDI.search(value):
                    char = BIDI.search(value)
                    assert char is not None
                    problems.append(
                        Diagnostic(
                            name,
                            place[0],
                            place[1],
                            path,
                            f"bidirectional control character U+{ord(char.group()):04X} is not "
                            "allowed (it makes text display differently from what it says)",
                        )
                    )
                if event.anchor:
                    anchors[event.anchor] = (value, 1, 0)
                attach(value, 1, 0, place, True)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                path = child_path()
                total += 1
                if len(stack) + 1 > MAX_DEPTH:
                    raise fail(f"nested more than {MAX_DEPTH} levels deep")
                container: dict[str, Any] | list[Any] = {} if kind is yaml.MappingStartEvent else []
                stack.append(_Frame(container, path, event.anchor, place))
                values.setdefault(path, place)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                frame = stack.pop()
                if frame.anchor:
                    anchors[frame.anchor] = (frame.container, frame.size, frame.height)
                path = frame.path
                attach(frame.container, frame.size, frame.height, frame.at, False)
            elif kind is yaml.AliasEvent:
                path = child_path()
                found = anchors.get(event.anchor)
                if found is None:
                    raise fail(f"unknown alias '*{event.anchor}'")
                value, size, height = found
                aliases += 1
                total += size
                if aliases > MAX_ALIASES:
                    raise fail(f"more than {MAX_ALIASES} aliases in one file")
                if total > MAX_VALUES:
                    raise fail(
                        f"aliases expand this file to more than {MAX_VALUES:,} values (an alias "
                        "bomb?); write the values out or use fewer aliases"
                    )
                if len(stack) + height > MAX_DEPTH:
                    raise fail(f"the alias nests more than {MAX_DEPTH} levels deep")
                attach(value, size, height, place, True)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise fail("a second YAML document ('---'): one file holds one document")
            if total > MAX_VALUES:
                raise fail(f"more than {MAX_VALUES:,} values in one file")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else place
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError([Diagnostic(name, line, column, (), f"YAML syntax: {problem}")]) from None
    except yaml.YAMLError as exc:
        raise InputError(
            [Diagnostic(name, place[0], place[1], (), f"YAML syntax: {exc}")]
        ) from None
    if problems:
        raise InputError(problems)
    values[()] = (1, 1)
    return Parsed(root, values, keys)


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
    frame.merged = frame.merged | added
