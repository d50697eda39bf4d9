"""The Master Scenario Events List as a spreadsheet: CSV and XLSX export and import.

Control cells keep their MSEL in a spreadsheet with conventional (HSEEP-style) column headings;
the scenario pack keeps it as the `msel:` list of :class:`~detente.ttx.scenario.Inject`. This
module converts between the two without loss:

- **Export** writes one row per inject under the headings of :data:`COLUMNS`, plus `Title [zh]`
  style columns for every translation, so `export → import` gives back the identical inject list.
  `language=` writes a one-language sheet for a room instead (texts in that language, English
  where there is no translation); that sheet is for reading, not for importing back.
- **Import** finds the header row (title rows above it are tolerated), matches headings ignoring
  case and spaces and accepting common synonyms, applies the caller's `mapping` for other
  headings, converts each cell and validates each row as an :class:`Inject`. Every problem is a
  :class:`CellDiagnostic` located as `FILE:LINE:C heading: message` (CSV) or
  `FILE:SHEET!C12 heading: message` (XLSX), collected for the whole file and raised together
  as one :class:`~detente.diagnostics.InputError`.

Cell strings are stripped and their line breaks normalised to `\\n` on import, so texts with
leading or trailing blanks do not round-trip exactly; everything else does.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from detente.diagnostics import Diagnostic, InputError
from detente.text import Text, is_language_code
from detente.ttx.scenario import Inject, InjectType, Trigger

Cell = object
"""A cell value: str, int, float, bool, date-time, date, time, timedelta or None."""
"""Languages other than English that texts may carry (see :class:`~detente.ttx.scenario.Text`)."""
IGNORE = "ignore"
"""The `--map` target that drops a column (`--map 'Responsible Controller=ignore'`)."""
HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class Column:
    """One MSEL column: the inject field it holds, its exported heading, accepted synonyms."""

    field: str
    heading: str
    synonyms: tuple[str, ...] = ()
    width: int = 14
    meaning: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("number", "Event #", ("#", "No", "No.", "Number", "Event Number", "Event No",
           "Inject #", "Inject Number", "Inject No", "MSEL #", "Serial"), 9,
           "inject number, unique in the list (required)"),
    Column("move", "Move", ("Move #", "Move Number", "Phase", "Module"), 7,
           "move it belongs to; empty = any move its trigger allows"),
    Column("scenario_time", "Scenario Time", ("Designated Scenario Time", "Scenario Date/Time",
           "Story Time", "StoryTime", "Date/Time"), 18,
           "date-time in the scenario's world (ISO, or an Excel date-time)"),
    Column("offset", "Delivery Offset (min)", ("Delivery Offset", "Offset", "Offset (min)",
           "Minutes into Move", "Delivery Time (min)"), 11,
           "minutes into the move when it is delivered (15, or 0:15)"),
    Column("type", "Type", ("Inject Type", "Event Type"), 13,
           "inject, information or facilitation (facilitator only)"),
    Column("method", "Delivery Method", ("Method", "Inject Mode", "Mode", "Delivery", "Channel"),
           14, "how it reaches players (e.g. news flash, phone call)"),
    Column("from", "From", ("Sender", "Source", "Originator", "Simulated Sender"), 16,
           "who sends it in the scenario"),
    Column("to", "To", ("Recipient", "Recipients", "Intended Player", "Intended Players",
           "Player", "Players", "Addressee"), 14,
           "player actor ids, comma-separated, or all"),
    Column("title", "Title", ("Subject", "Inject Title", "Event Title", "Headline"), 28,
           "short title (English, required)"),
    Column("text", "Inject Text", ("Description", "Inject", "Message", "Text", "Full Text",
           "Event Description", "Event Synopsis", "Synopsis", "Inject Description"), 60,
           "the full text players receive (English, required)"),
    Column("expected_action", "Expected Player Action", ("Expected Action",
           "Expected Player Actions", "Expected Player Response", "Expected Response",
           "Expected Outcome"), 40, "what the control cell expects players to do, in prose"),
    Column("objective", "Objective", ("Objective ID", "Exercise Objective",
           "Objective/Core Capability", "Objectives"), 16, "id of the exercise objective"),
    Column("evaluator_notes", "Evaluator Notes", ("Notes", "Evaluator Comments",
           "Evaluator Instructions", "Evaluator Special Instructions", "Remarks", "Comments"),
           36, "notes for evaluators (never shown to players)"),
    Column("trigger", "Trigger", ("Release", "Release Trigger", "Trigger Condition"), 24,
           "scheduled | when: <condition> | after: <inject #> | manual, joined by ';'"),
    Column("contingency", "Contingency", ("Contingency Inject", "Contingency?",
           "Contingency Flag"), 12, "yes for a contingency inject held in reserve"),
    Column("expected_actions", "Expected Actions (ids)", ("Expected Action IDs",
           "Action IDs"), 22, "détente action ids that meet the expectation, comma-separated"),
    Column("effects", "Effects", ("State Effects", "Effect"), 28,
           "effect statements applied when released (détente expression language)"),
    Column("actor", "Escalation Actor", ("Scored Actor",), 12,
           "actor id whose deed the row depicts, for the escalation score (empty: derived)"),
    Column("escalation", "Escalation Rung", ("Ladder Rung", "Rung"), 16,
           "ladder rung id of that deed, or none (empty: derived)"),
)  # fmt: skip
"""The columns in export order. Field names are the `scenario.yaml` keys of an inject."""

_BY_FIELD = {c.field: c for c in COLUMNS}
_LANG = r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*"
_LANGUAGE_HEADING = re.compile(rf"^(?P<base>.+?)\s*[\[(](?P<lang>{_LANG})[\])]$")
TRANSLATED = ("title", "text", "method", "from")
"""The fields whose cells are translatable text (one column per language)."""
_FIELD_SPELLING = re.compile(
    rf"^(?P<base>title|text|method|from)\s*(?:\.|\[)\s*(?P<lang>{_LANG})\]?$"
)
"""`Title [vi]`, `title.zh-Hans`: any BCP-47 language code (checked by :func:`is_language_code`)."""


def _language_column(base: Column, language: str) -> Column:
    meaning = f"{base.meaning.split(' (')[0]} in {language}"
    return Column(
        f"{base.field}.{language}", f"{base.heading} [{language}]", (), base.width, meaning
    )


def field_names() -> list[str]:
    """Every field a column can be mapped to (for `--map`); `title.<language>` and
    `text.<language>` take any BCP-47 code besides (e.g. `title.vi`)."""
    names = [c.field for c in COLUMNS]
    return [*names, IGNORE]


def _translated_field(name: str) -> bool:
    base, dot, lang = name.partition(".")
    return bool(dot) and base in TRANSLATED and is_language_code(lang)


def _key(heading: str) -> str:
    """Headings compare ignoring case, blanks, underscores and a trailing colon."""
    return re.sub(r"[\s_]+", "", heading.casefold()).rstrip(":")


_SYNONYMS: dict[str, str] = {}
for _c in COLUMNS:
    for _name in (_c.heading, *_c.synonyms, _c.field):
        _SYNONYMS[_key(_name)] = _c.field
_SYNONYMS[_key("sender")] = "from"


# --- locations ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellDiagnostic(Diagnostic):
    """A diagnostic at a spreadsheet cell. `line` is the CSV line (or XLSX row), `column` the
    1-based column, `path` the column heading; `sheet` is set for XLSX (`FILE:SHEET!C12`)."""

    sheet: str | None = None

    def __str__(self) -> str:
        letter = get_column_letter(self.column) if self.column else ""
        if not self.line:
            where = self.file
        elif self.sheet is None:
            where = f"{self.file}:{self.line}" + (f":{letter}" if letter else "")
        else:
            where = f"{self.file}:{self.sheet}!{letter or 'A'}{self.line}"
        heading = str(self.path[0]) if self.path else ""
        return f"{where} {heading}: {self.message}" if heading else f"{where}: {self.message}"


@dataclass(frozen=True)
class _Place:
    file: str
    sheet: str | None

    def at(self, line: int, column: int, heading: str, message: str) -> CellDiagnostic:
        path = (heading,) if heading else ()
        return CellDiagnostic(self.file, line, column, path, message, sheet=self.sheet)


class _CellError(ValueError):
    """A cell that cannot be converted; the message says what was expected."""


# --- cells → fields ------------------------------------------------------------------------------


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _whole(value: Cell, what: str) -> int | None:
    if isinstance(value, bool):
        raise _CellError(f"{value!r} is not {what}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise _CellError(f"{value!r} is not {what}")
    text = _text(value)
    if not text:
        return None
    if re.fullmatch(r"[+-]?\d+(\.0*)?", text):
        return int(float(text))
    raise _CellError(f"'{text}' is not {what}")


def _minutes(value: Cell) -> int | None:
    what = "a number of minutes (write 15, or 0:15 for hours:minutes)"
    if isinstance(value, dt.time):
        if value.second or value.microsecond:
            raise _CellError(f"'{value}' is not {what}")
        return value.hour * 60 + value.minute
    if isinstance(value, dt.timedelta):
        seconds = value.total_seconds()
        if seconds % 60:
            raise _CellError(f"'{value}' is not {what}")
        return int(seconds // 60)
    match = re.fullmatch(r"(\d+):([0-5]\d)", _text(value)) if isinstance(value, str) else None
    if match:
        return int(match[1]) * 60 + int(match[2])
    return _whole(value, what)


def _datetime(value: Cell) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    text = _text(value)
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise _CellError(
            f"'{text}' is not a date-time: write ISO, e.g. 2024-08-27 06:00, or use an Excel "
            "date-time cell"
        ) from None


_TYPE_ALIASES = {"info": InjectType.INFORMATION, "facilitator": InjectType.FACILITATION}


def _inject_type(value: Cell) -> InjectType | None:
    text = _text(value).casefold()
    if not text:
        return None
    for member in InjectType:
        if text == member.value:
            return member
    if text in _TYPE_ALIASES:
        return _TYPE_ALIASES[text]
    allowed = ", ".join(m.value for m in InjectType)
    raise _CellError(f"'{_text(value)}' is not an inject type: use one of {allowed}")


_YES = {"yes", "y", "true", "x", "1", "✓", "✔"}
_NO = {"no", "n", "false", "0", "-", "–"}


def _flag(value: Cell) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _text(value).casefold()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise _CellError(f"'{_text(value)}' is not a yes/no value: write yes or no")


def _items(value: Cell) -> list[str] | None:
    parts = [p.strip() for p in re.split(r"[,;\n]", _text(value))]
    items = [p for p in parts if p]
    return items or None


def format_trigger(trigger: Trigger) -> str:
    """A trigger as MSEL text: `scheduled`, `after: N`, `when: <condition>` joined by `; `, or
    `manual` when nothing releases the inject automatically."""
    parts = ["scheduled"] if trigger.scheduled else []
    if trigger.after is not None:
        parts.append(f"after: {trigger.after}")
    if trigger.condition is not None:
        parts.append(f"when: {trigger.condition}")
    return "; ".join(parts) or "manual"


_TRIGGER_HELP = (
    "write 'scheduled', 'when: <condition>', 'after: <inject #>' or 'manual' "
    "(several joined by ';')"
)


def parse_trigger(text: str) -> Trigger:
    """The inverse of :func:`format_trigger`. Parts are separated by `;` (conditions never
    contain one); `if:` is accepted for `when:`, and `after` takes `3`, `#3` or `inject 3`.
    Raises ValueError with a message that says what to write."""
    fields: dict[str, Any] = {}
    manual = False
    for raw in text.split(";"):
        part = raw.strip()
        if not part:
            continue
        if m := re.fullmatch(r"(?:when|if)\s*:?\s*(.*)", part, re.IGNORECASE | re.DOTALL):
            key, value = "condition", m[1].strip()
            if not value:
                raise ValueError(f"'{part}' needs a condition, e.g. 'when: tension > 70'")
        elif m := re.fullmatch(r"after\s*:?\s*(?:inject|event)?\s*#?\s*(\S*)", part, re.I):
            key = "after"
            if not m[1].isdigit() or int(m[1]) < 1:
                raise ValueError(f"'{part}' needs an inject number, e.g. 'after: 3'")
            value = int(m[1])
        elif part.casefold() == "scheduled":
            key, value = "scheduled", True
        elif part.casefold() == "manual":
            manual = True
            continue
        else:
            raise ValueError(f"'{part}' is not a trigger: {_TRIGGER_HELP}")
        if key in fields:
            raise ValueError(f"'{text.strip()}' gives '{key}' twice")
        fields[key] = value
    if manual and fields:
        raise ValueError(f"'{text.strip()}': 'manual' cannot be combined with other triggers")
    if not manual and not fields:
        raise ValueError(f"an empty trigger: {_TRIGGER_HELP}")
    return Trigger(**fields)


def _trigger(value: Cell) -> Trigger | None:
    text = _text(value)
    if not text:
        return None
    try:
        return parse_trigger(text)
    except ValueError as exc:
        raise _CellError(str(exc)) from None


def _optional_text(value: Cell) -> str | None:
    return _text(value) or None


_CONVERTERS: dict[str, Any] = {
    "number": lambda v: _whole(v, "a whole number"),
    "move": lambda v: _whole(v, "a move number"),
    "scenario_time": _datetime,
    "offset": _minutes,
    "type": _inject_type,
    "to": _items,
    "expected_actions": _items,
    "objective": _optional_text,
    "trigger": _trigger,
    "contingency": _flag,
    "effects": _optional_text,
    "actor": _optional_text,
    "escalation": _optional_text,
}


# --- header detection and mapping -------------------------------------------------------------


def parse_mapping(options: Iterable[str]) -> dict[str, str]:
    """`--map 'Heading=field'` options → {heading: field}. Unknown fields are errors that name
    the nearest field; `field` may be `ignore` to drop a column."""
    mapping: dict[str, str] = {}
    diags: list[Diagnostic] = []
    names = field_names()
    for option in options:
        heading, sep, target = option.rpartition("=")
        target = target.strip()
        spelled = _FIELD_SPELLING.fullmatch(target)
        if spelled and is_language_code(spelled["lang"]):
            lang = spelled["lang"]
            target = spelled["base"] if lang.lower() == "en" else f"{spelled['base']}.{lang}"
        if not sep or not heading.strip():
            diags.append(Diagnostic("--map", 0, 0, (), f"'{option}': write 'Heading=field'"))
        elif target not in names and not _translated_field(target):
            close = difflib.get_close_matches(target, names, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f"; fields: {', '.join(names)}"
            diags.append(
                Diagnostic("--map", 0, 0, (), f"'{option}': unknown field '{target}'{hint}")
            )
        else:
            mapping[heading.strip()] = target
    if diags:
        raise InputError(diags)
    return mapping


def _field_of(heading: str, mapping: Mapping[str, str]) -> str | None:
    """The field a heading holds: the mapping first, then headings, synonyms and `[lang]`."""
    wanted = _key(heading)
    for mapped, target in mapping.items():
        if _key(mapped) == wanted:
            return target
    if wanted in _SYNONYMS:
        return _SYNONYMS[wanted]
    m = _LANGUAGE_HEADING.fullmatch(heading.strip())
    if m and is_language_code(m["lang"]):
        base = _SYNONYMS.get(_key(m["base"]))
        lang = m["lang"]
        if base in TRANSLATED:
            return base if lang.lower() == "en" else f"{base}.{lang}"
    return None


def _suggest(heading: str) -> str:
    known = [c.heading for c in COLUMNS]
    for base in ("title", "text"):
        known.append(_language_column(_BY_FIELD[base], "en").heading)
    close = difflib.get_close_matches(heading.strip(), known, n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return (
        f"unknown heading '{heading.strip()}': {hint}map it with --map '{heading.strip()}=FIELD' "
        f"(FIELD is one of {', '.join(field_names())})"
    )


@dataclass(frozen=True)
class _Row:
    line: int
    cells: list[Cell]


def _blank(cells: Sequence[Cell]) -> bool:
    return all(_text(c) == "" for c in cells)


def _find_header(rows: list[_Row], mapping: Mapping[str, str]) -> int | None:
    """Index of the header row: among the first rows, the one with most recognised headings
    (at least two), so title rows above the table are skipped."""
    best, best_count = None, 1
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        count = sum(isinstance(c, str) and _field_of(c, mapping) is not None for c in row.cells)
        if count > best_count:
            best, best_count = index, count
    return best


# --- import --------------------------------------------------------------------------------------


def _validation_message(error: Mapping[str, Any]) -> str:
    kind, value, msg = error["type"], error.get("input"), str(error["msg"])
    if kind == "missing":
        return "is required"
    if kind in {"string_too_short", "too_short"} and value in ("", [], None):
        return "must not be empty"
    if isinstance(value, str | int | float):
        return f"{value!r}: {msg[0].lower()}{msg[1:]}"
    return msg


def _table_rows(rows: list[_Row], place: _Place, mapping: Mapping[str, str]) -> list[_Row]:
    """The rows from the header row on (its non-blank body after it); raises when no row among
    the first :data:`HEADER_SEARCH_ROWS` looks like a header."""
    header_index = _find_header(rows, mapping)
    if header_index is None:
        expected = ", ".join(f"'{c.heading}'" for c in COLUMNS[:4])
        message = (
            f"no header row in the first {HEADER_SEARCH_ROWS} rows: expected headings such as "
            f"{expected} (map other headings with --map 'Heading=field')"
        )
        raise InputError([place.at(0, 0, "", message)])
    return [rows[header_index], *(r for r in rows[header_index + 1 :] if not _blank(r.cells))]


def _map_columns(
    header: _Row, body: list[_Row], place: _Place, mapping: Mapping[str, str]
) -> dict[int, str]:
    """{column index: field} of the header's headings (ignored columns left out); raises for
    unknown or repeated headings, a column of values without one, or a missing required one."""
    diags: list[Diagnostic] = []
    columns: dict[int, str] = {}
    seen: dict[str, int] = {}
    for index, cell in enumerate(header.cells):
        heading = _text(cell)
        if not heading:
            if any(index < len(r.cells) and _text(r.cells[index]) for r in body):
                diags.append(
                    place.at(header.line, index + 1, "", "a column with values has no heading")
                )
            continue
        field = _field_of(heading, mapping)
        if field is None:
            diags.append(place.at(header.line, index + 1, heading, _suggest(heading)))
        elif field == IGNORE:
            continue
        elif field in seen:
            first = get_column_letter(seen[field] + 1)
            message = f"a second column for '{field}' (column {first} has it)"
            diags.append(place.at(header.line, index + 1, heading, message))
        else:
            columns[index], seen[field] = field, index
    for required in ("number", "title", "text"):
        if required not in seen:
            usual = _BY_FIELD[required].heading
            message = f"no column for {required} (heading '{usual}' or a synonym, or --map)"
            diags.append(place.at(header.line, 0, "", message))
    if diags:
        raise InputError(diags)
    return columns


@dataclass(frozen=True)
class _Table:
    """Where the rows come from, the field of each mapped column and its heading as written."""

    place: _Place
    columns: dict[int, str]
    headings: dict[int, str]

    def at(self, row: _Row, index: int, message: str) -> CellDiagnostic:
        """A diagnostic at column `index` (0-based; -1 for none) of `row`."""
        return self.place.at(row.line, index + 1, self.headings.get(index, ""), message)


@dataclass(frozen=True)
class _RowFields:
    """One body row converted: the inject's fields (translations as {field: {language: text}}),
    the column of every mapped field, and the fields whose cell could not be converted."""

    data: dict[str, Any]
    where: dict[str, int]
    failed: set[str]


def _convert_row(table: _Table, row: _Row, diags: list[Diagnostic]) -> _RowFields:
    """Convert each mapped cell of `row`; a bad cell adds a diagnostic and leaves its field out."""
    out = _RowFields({}, {}, set())
    texts: dict[str, dict[str, str]] = {}
    for index, field in table.columns.items():
        value = row.cells[index] if index < len(row.cells) else None
        out.where[field] = index
        try:
            converted = _CONVERTERS.get(field, _text)(value)
        except _CellError as exc:
            diags.append(table.at(row, index, str(exc)))
            out.failed.add(field)
            continue
        base, _, lang = field.partition(".")
        if base in TRANSLATED:
            if converted:
                texts.setdefault(base, {})[lang or "en"] = converted
        elif converted is not None:
            out.data[field] = converted
    out.data.update(texts)
    return out


def _validate_row(
    table: _Table, row: _Row, fields: _RowFields, diags: list[Diagnostic]
) -> Inject | None:
    """The row as an :class:`Inject`, or None after one diagnostic per validation error at its
    cell (the fields whose cell failed to convert are reported already, and skipped)."""
    try:
        return Inject.model_validate(fields.data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = [str(p) for p in error["loc"]]
            key = loc[0] if loc else ""
            if key in TRANSLATED and len(loc) > 1 and is_language_code(loc[1]):
                key = f"{key}.{loc[1]}"
            if key in fields.failed:
                continue  # already reported as a bad cell
            col = fields.where.get(key, fields.where.get(key.partition(".")[0], -1))
            heading = table.headings.get(col, key)
            diags.append(table.place.at(row.line, col + 1, heading, _validation_message(error)))
        return None


def _rows_to_injects(rows: list[_Row], place: _Place, mapping: Mapping[str, str]) -> list[Inject]:
    """The injects of a sheet's rows; every problem of the whole sheet raised together, the
    header's first (nothing else is checked then), else the cells' sorted by line and column."""
    header, *body = _table_rows(rows, place, mapping)
    columns = _map_columns(header, body, place, mapping)
    table = _Table(place, columns, {i: _text(header.cells[i]) for i in columns})
    diags: list[Diagnostic] = []
    injects: list[Inject] = []
    numbers: dict[int, int] = {}
    for row in body:
        fields = _convert_row(table, row, diags)
        number = fields.data.get("number")
        if isinstance(number, int) and number in numbers:
            message = f"Event # {number} is used already (line/row {numbers[number]})"
            diags.append(table.at(row, fields.where["number"], message))
        elif isinstance(number, int):
            numbers[number] = row.line
        inject = _validate_row(table, row, fields, diags)
        if inject is not None:
            injects.append(inject)
    if diags:
        raise InputError(sorted(diags, key=lambda d: (d.line, d.column)))
    return injects


def _csv_rows(text: str) -> Iterator[tuple[str, list[_Row]]]:
    """The file parsed with each candidate delimiter (`,` first, then `;` and tab, as European
    Excel writes them); each row carries the line its record starts on."""
    for delimiter in (",", ";", "\t"):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows: list[_Row] = []
        start = 1
        try:
            for record in reader:
                rows.append(_Row(start, list(record)))
                start = reader.line_num + 1
        except csv.Error:
            continue
        yield delimiter, rows


def read_csv(
    path: Path, *, mapping: Mapping[str, str] = {}, display: str | None = None
) -> list[Inject]:
    """Import an MSEL from a UTF-8 CSV file (a byte-order mark is allowed)."""
    place = _Place(display or str(path), None)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError([place.at(0, 0, "", "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            [place.at(0, 0, "", f"not UTF-8 text ({exc.reason}): save it as 'CSV UTF-8'")]
        ) from None
    candidates = list(_csv_rows(text))
    for _, rows in candidates:
        if _find_header(rows, mapping) is not None:
            return _rows_to_injects(rows, place, mapping)
    return _rows_to_injects(candidates[0][1] if candidates else [], place, mapping)


def read_xlsx(
    path: Path,
    *,
    mapping: Mapping[str, str] = {},
    sheet: str | None = None,
    display: str | None = None,
) -> list[Inject]:
    """Import an MSEL from an XLSX workbook: `sheet`, else a sheet named `MSEL`, else the first.
    Cells are read as values (formulas give their last computed result)."""
    name = display or str(path)
    try:
        book = load_workbook(path, data_only=True)
    except FileNotFoundError:
        raise InputError([_Place(name, None).at(0, 0, "", "file not found")]) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        message = f"not a readable XLSX workbook ({exc.__class__.__name__})"
        raise InputError([_Place(name, None).at(0, 0, "", message)]) from None
    names = book.sheetnames
    chosen = sheet or ("MSEL" if "MSEL" in names else names[0])
    if chosen not in names:
        message = f"no sheet '{chosen}'; sheets: {', '.join(names)}"
        raise InputError([_Place(name, None).at(0, 0, "", message)])
    ws = book[chosen]
    rows = [
        _Row(index, list(values))
        for index, values in enumerate(ws.iter_rows(values_only=True), start=1)
    ]
    return _rows_to_injects(rows, _Place(name, chosen), mapping)


def read_msel(
    path: Path,
    *,
    mapping: Mapping[str, str] = {},
    sheet: str | None = None,
    display: str | None = None,
) -> list[Inject]:
    """Import an MSEL from a `.csv` or `.xlsx` file, chosen by the file's suffix."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, mapping=mapping, sheet=sheet, display=display)
    if suffix in (".csv", ".tsv", ".txt"):
        return read_csv(path, mapping=mapping, display=display)
    hint = " (save it as .xlsx)" if suffix == ".xls" else ""
    message = f"unknown MSEL file type '{suffix}': use .csv or .xlsx{hint}"
    raise InputError([_Place(display or str(path), None).at(0, 0, "", message)])


# --- export --------------------------------------------------------------------------------------


def columns_for(
    injects: Sequence[Inject], *, language: str | None = None, languages: Iterable[str] = ()
) -> list[Column]:
    """The export columns. With `language`, texts appear once, in that language, under
    `Title [xx]` headings (English has plain headings). Without, English texts sit under `Title` /
    `Inject Text` and every translation present (or listed in `languages`) gets its own column."""
    if language is not None and language != "en":
        return [_language_column(c, language) if c.field in TRANSLATED else c for c in COLUMNS]
    if language == "en":
        return list(COLUMNS)
    wanted = list(dict.fromkeys(languages))
    for inject in injects:
        for text in (inject.title, inject.text, inject.method, inject.sender):
            wanted += [code for code in text.translations if code not in wanted]
    wanted = [code for code in wanted if code.lower() != "en"]
    columns = list(COLUMNS)
    for base in ("text", "title"):
        at = columns.index(_BY_FIELD[base]) + 1
        for lang in reversed(wanted):
            columns.insert(at, _language_column(_BY_FIELD[base], lang))
    for base in ("from", "method"):
        # a column per language some row translates this field into (most rows leave them
        # empty, so no empty columns for the other languages)
        present = [
            code
            for code in wanted
            if any(_text_of(i, base).translations.get(code) for i in injects)
        ]
        at = columns.index(_BY_FIELD[base]) + 1
        for lang in reversed(present):
            columns.insert(at, _language_column(_BY_FIELD[base], lang))
    return columns


def _text_of(inject: Inject, base: str) -> Text:
    """The translatable text of one of the :data:`TRANSLATED` fields."""
    value: Text = getattr(inject, "sender" if base == "from" else base)
    return value


def _cell(inject: Inject, field: str, language: str | None) -> Cell:
    base, _, lang = field.partition(".")
    if base in TRANSLATED:
        text = _text_of(inject, base)
        if not lang or language:
            return str(text.get(language or "en"))
        return text.translations.get(lang)
    value = getattr(inject, "sender" if field == "from" else field)
    if field == "trigger":
        return format_trigger(value)
    if field == "contingency":
        return "yes" if value else "no"
    if field in ("to", "expected_actions"):
        return ", ".join(value)
    if isinstance(value, InjectType):
        return value.value
    return value


def table(
    injects: Sequence[Inject], *, language: str | None = None, languages: Iterable[str] = ()
) -> tuple[list[Column], list[list[Cell]]]:
    """The MSEL as columns and rows of cell values (None for empty cells)."""
    columns = columns_for(injects, language=language, languages=languages)
    return columns, [[_cell(i, c.field, language) for c in columns] for i in injects]


def _iso(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        plain = not value.second and not value.microsecond
        return value.isoformat(sep=" ", timespec="minutes" if plain else "auto")
    return str(value)


def csv_text(
    injects: Sequence[Inject], *, language: str | None = None, languages: Iterable[str] = ()
) -> str:
    """The MSEL as CSV text (comma-separated, header row first, CRLF line ends, cells with
    commas, quotes or line breaks quoted). Write it as UTF-8 with a BOM so Excel reads it."""
    columns, rows = table(injects, language=language, languages=languages)
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([c.heading for c in columns])
    writer.writerows([[_iso(v) for v in row] for row in rows])
    return out.getvalue()


def write_csv(
    injects: Sequence[Inject],
    path: Path,
    *,
    language: str | None = None,
    languages: Iterable[str] = (),
) -> None:
    """Write :func:`csv_text` as UTF-8 with a byte-order mark (so Excel reads it as UTF-8)."""
    text = csv_text(injects, language=language, languages=languages)
    path.write_text(text, encoding="utf-8-sig", newline="")


_HEADER_FILL = PatternFill("solid", fgColor="1F3864")
_FACILITATION_FILL = PatternFill("solid", fgColor="FFF2CC")
_THIN = Side(style="thin", color="BFBFBF")


ExcelValue = str | int | float | bool | dt.datetime | None


def _excel_value(value: Cell) -> ExcelValue:
    """Naive whole-second date-times become Excel date-times; others stay ISO text (Excel has
    no time zones and counts days from 1900)."""
    if isinstance(value, dt.datetime):
        native = value.tzinfo is None and not value.microsecond and value.year >= 1901
        return value if native else _iso(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def xlsx_workbook(
    injects: Sequence[Inject], *, language: str | None = None, languages: Iterable[str] = ()
) -> Workbook:
    """The MSEL as a workbook for the control cell: sheet `MSEL` with a styled, frozen header,
    column widths, wrapped text, drop-down lists for Type and Contingency and facilitation rows
    shaded (they are for the facilitator only); sheet `Columns` explains each heading."""
    columns, rows = table(injects, language=language, languages=languages)
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "MSEL"
    ws.append([c.heading for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = Border(bottom=_THIN)
    ws.row_dimensions[1].height = 32
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    for r, (inject, values) in enumerate(zip(injects, rows, strict=True), start=2):
        shaded = inject.type is InjectType.FACILITATION
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=_excel_value(value))
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            if isinstance(value, dt.datetime) and isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm" + (":ss" if value.second else "")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = Border(bottom=_THIN)
            if shaded:
                cell.fill = _FACILITATION_FILL
    last = max(len(rows) + 1, 200)
    fields = [c.field for c in columns]
    for field, choices in (("type", [t.value for t in InjectType]), ("contingency", ["yes", "no"])):
        letter = get_column_letter(fields.index(field) + 1)
        rule = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True)
        rule.error, rule.errorTitle = f"Use one of: {', '.join(choices)}", "MSEL"
        rule.showErrorMessage = True
        ws.add_data_validation(rule)
        rule.add(f"{letter}2:{letter}{last}")
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    ws.page_setup.fitToHeight = 0
    legend = book.create_sheet("Columns")
    legend.append(["Heading", "Field in scenario.yaml", "Meaning"])
    for cell in legend[1]:
        cell.font = Font(bold=True)
    for column in columns:
        legend.append([column.heading, column.field, column.meaning])
    legend.append([])
    legend.append(
        ["Shaded rows are facilitation rows: for the facilitator only, never shown to players."]
    )
    for letter, width in (("A", 26), ("B", 22), ("C", 80)):
        legend.column_dimensions[letter].width = width
    return book


def write_xlsx(
    injects: Sequence[Inject],
    path: Path,
    *,
    language: str | None = None,
    languages: Iterable[str] = (),
) -> None:
    """Save :func:`xlsx_workbook` to `path`."""
    xlsx_workbook(injects, language=language, languages=languages).save(path)


# --- the YAML block ------------------------------------------------------------------------------


def _readable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _readable(v) for k, v in value.items()}
    if isinstance(value, list):
        items = CommentedSeq(_readable(v) for v in value)
        if all(isinstance(v, str) and "\n" not in v for v in value):
            items.fa.set_flow_style()  # `to: [USA, CHN]`
        return items
    if isinstance(value, str) and "\n" in value:
        lines = value.split("\n")
        if all(line == line.rstrip() for line in lines) and not value[0].isspace():
            return LiteralScalarString(value)
    return value


def msel_yaml(injects: Sequence[Inject]) -> str:
    """The `msel:` block of `scenario.yaml` for these injects: default values left out, texts
    without translations as plain strings, multi-line texts as `|` blocks."""
    items = []
    for inject in injects:
        data = inject.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        for key in ("title", "text"):
            if set(data[key]) == {"en"}:
                data[key] = data[key]["en"]
        if data.get("trigger") == {}:
            data["trigger"] = {"scheduled": False}  # released by hand: say so, not `{}`
        items.append(_readable(data))
    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    out = io.StringIO()
    yaml.dump({"msel": items}, out)
    return out.getvalue()
