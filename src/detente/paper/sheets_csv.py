"""Paper sheets typed into a CSV: reading and checking them against the meeting, all or nothing.

Two layouts, told apart by the header row:

- ballots: ``sheet,statement,vote`` — `statement` is the number printed on the ballot (1, 2 …)
  or the statement id; `vote` is agree, disagree or pass (or A, D, P; a blank row is skipped);
- ratings: ``sheet,measure,support,feasibility,horizon`` — `measure` is the measure id printed
  on the sheet; support −2…+2, feasibility 1…5, horizon immediate, within-a-year, 1-3-years or
  longer (or the printed letters I, Y, 3, L).

`sheet` is the code printed on the sheet (:mod:`detente.paper.codes`): it names the item and the
seat. Every problem is a located :class:`~detente.diagnostics.Diagnostic`
(``file:line:column column-name: message``): a malformed code or one from another meeting, a
ballot code in a rating file, a seat or item the meeting does not have, an unknown statement or
measure, a value out of range, a seat that answers the same statement or measure twice. When
there is any error, :func:`read_sheets` raises :class:`~detente.diagnostics.InputError` and
nothing is recorded.

The result is, per sheet, the *form fields* the app's member ballot takes
(``vote-<statement id>``, ``support-<measure id>`` …), so paper marks go through exactly the
parsing and recording a device's marks go through (:mod:`detente.paper.live`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from detente.ballots import observer_ids, voter_ids
from detente.deliberation.statements import LoadedStatements, load_statements
from detente.diagnostics import Diagnostic, InputError
from detente.meeting.loader import MeetingFolder
from detente.paper.codes import SheetCode, SheetCodeError, parse_code
from detente.roadmap.catalog import LoadedCatalog, load_catalog
from detente.roadmap.ratings import FEASIBILITY_RANGE, HORIZONS, SUPPORT_RANGE

BALLOT_COLUMNS = ("sheet", "statement", "vote")
RATING_COLUMNS = ("sheet", "measure", "support", "feasibility", "horizon")
VOTES = {"agree": "agree", "a": "agree", "disagree": "disagree", "d": "disagree", "pass": "pass"}
VOTES["p"] = "pass"
HORIZON_LETTERS = {"i": "immediate", "y": "within-a-year", "3": "1-3-years", "l": "longer"}


@dataclass
class Sheet:
    """One paper sheet's marks, as the app's form fields, with where they came from."""

    code: str
    kind: str
    item_id: str
    seat: str
    delegation: str | None
    fields: dict[str, str] = field(default_factory=dict)
    source: str = ""
    answers: int = 0


def _columns(line: str) -> list[int]:
    """1-based start column of each comma-separated cell of one CSV line (quotes respected)."""
    starts = [1]
    quoted = False
    for index, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            starts.append(index + 2)
    return starts


def seats_of(folder: MeetingFolder) -> dict[str, str | None]:
    """Seat position → delegation (None for observers)."""
    meeting = folder.meeting
    out: dict[str, str | None] = {
        seat: d.id for d in meeting.delegations for seat in voter_ids(meeting, d.id)
    }
    out.update({seat: None for seat in observer_ids(meeting)})
    return out


def read_sheets(folder: MeetingFolder, path: Path) -> list[Sheet]:
    """The sheets of one CSV file, checked; raises InputError (located) on any problem."""
    return parse_sheets(folder, path.name, path.read_text(encoding="utf-8-sig"))


def parse_sheets(folder: MeetingFolder, name: str, text: str) -> list[Sheet]:
    """The sheets of CSV `text` (named `name` in messages), checked like :func:`read_sheets`."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()
    rows = list(csv.reader(io.StringIO(text)))
    diags: list[Diagnostic] = []
    header, kind = _header_kind(name, rows)
    context = _Context.of(folder, kind)
    sheets: dict[str, Sheet] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        cols = _columns(lines[number - 1]) if number - 1 < len(lines) else [1]
        try:
            if len(row) != len(header):
                raise _RowError(0, f"{len(row)} cells for {len(header)} columns")
            cells = [c.strip() for c in row]
            code = context.code(cells[0])
            target, values = (
                context.ballot_marks(code, cells)
                if kind == "B"
                else context.rating_marks(code, cells)
            )
            key = (code.scope, code.seat, target)
            if key in seen:
                raise _RowError(
                    1,
                    f"duplicate: seat '{code.seat}' already answered '{target}' of "
                    f"'{code.scope}' on line {seen[key]}",
                )
        except _RowError as exc:
            column = cols[exc.index] if exc.index < len(cols) else cols[-1]
            diags.append(Diagnostic(name, number, column, (header[exc.index],), exc.message))
            continue
        seen[key] = number
        sheet = sheets.get(cells[0]) or Sheet(
            cells[0],
            kind,
            code.scope,
            code.seat,
            context.seats[code.seat],
            source=f"{name}:{number}",
        )
        sheet.fields.update(values)
        sheet.answers += 1
        sheets[cells[0]] = sheet
    if diags:
        raise InputError(diags)
    return list(sheets.values())


def _header_kind(name: str, rows: list[list[str]]) -> tuple[tuple[str, ...], str]:
    """The header row's column names and the file's kind of sheet ("B" ballots, "R" ratings);
    raises InputError (at 1:1) for an empty file or an unknown header."""
    if not rows:
        raise InputError([Diagnostic(name, 1, 1, (), "empty file: expected a header row")])
    header = tuple(c.strip().lower() for c in rows[0])
    if header == BALLOT_COLUMNS:
        return header, "B"
    if header == RATING_COLUMNS:
        return header, "R"
    message = (
        f"header {','.join(header)!r}: expected {','.join(BALLOT_COLUMNS)} (ballots) "
        f"or {','.join(RATING_COLUMNS)} (ratings)"
    )
    raise InputError([Diagnostic(name, 1, 1, (), message)])


class _RowError(Exception):
    """A problem with one row: the index of the column it is reported at, and the message."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index
        self.message = message


@dataclass
class _Context:
    """What a row is checked against: the meeting, its seats, and its statements (ballots) or
    its catalog of measures (ratings)."""

    kind: str
    meeting_id: str
    seats: dict[str, str | None]
    statements: LoadedStatements | None
    catalog: LoadedCatalog | None

    @classmethod
    def of(cls, folder: MeetingFolder, kind: str) -> _Context:
        """The context of a file of `kind` ("B" or "R") for the meeting in `folder`."""
        return cls(
            kind,
            folder.meeting.meeting.id,
            seats_of(folder),
            load_statements(folder) if kind == "B" else None,
            load_catalog(folder) if kind == "R" else None,
        )

    def code(self, text: str) -> SheetCode:
        """The sheet code `text`, checked: this meeting's, of this file's kind, a known seat."""
        try:
            code = parse_code(self.meeting_id, text)
        except SheetCodeError as exc:
            raise _RowError(0, str(exc)) from None
        if code.kind != self.kind:
            what = "ballots" if self.kind == "B" else "ratings"
            raise _RowError(
                0,
                f"sheet '{text}' is not a {'ballot' if self.kind == 'B' else 'rating sheet'} "
                f"(this file holds {what})",
            )
        if code.seat not in self.seats:
            raise _RowError(0, f"sheet '{text}': no seat '{code.seat}' in this meeting")
        return code

    def ballot_marks(self, code: SheetCode, cells: list[str]) -> tuple[str, dict[str, str]]:
        """The statement a ballot row votes on and its form field (`vote-<statement id>`)."""
        statements = self.statements
        ids = [s.id for s in statements.statements.for_item(code.scope)] if statements else []
        if not ids:
            raise _RowError(
                0, f"sheet '{cells[0]}': item '{code.scope}' has no statements to vote on"
            )
        ref = cells[1]
        sid = ids[int(ref) - 1] if ref.isdigit() and 1 <= int(ref) <= len(ids) else ref
        if sid not in ids:
            raise _RowError(
                1,
                f"unknown statement '{ref}' on the ballot of '{code.scope}' (1–{len(ids)} "
                "or a statement id)",
            )
        vote = VOTES.get(cells[2].lower())
        if vote is None:
            raise _RowError(2, f"vote '{cells[2]}' is not agree, disagree or pass")
        return sid, {f"vote-{sid}": vote}

    def rating_marks(self, code: SheetCode, cells: list[str]) -> tuple[str, dict[str, str]]:
        """The measure a rating row rates and its form fields (support, feasibility, horizon)."""
        catalog = self.catalog
        if catalog is None or catalog.item.id != code.scope:
            raise _RowError(
                0, f"sheet '{cells[0]}': item '{code.scope}' is not the meeting's rating session"
            )
        if cells[1] not in {m.id for m in catalog.catalog.measures}:
            raise _RowError(1, f"unknown measure '{cells[1]}'")
        low, high = SUPPORT_RANGE
        support = _integer(cells[2])
        if support is None or not low <= support <= high:
            raise _RowError(2, f"support '{cells[2]}' is outside {low}…+{high}")
        low, high = FEASIBILITY_RANGE
        feasibility = _integer(cells[3])
        if feasibility is None or not low <= feasibility <= high:
            raise _RowError(3, f"feasibility '{cells[3]}' is outside {low}…{high}")
        horizon = HORIZON_LETTERS.get(cells[4].lower(), cells[4])
        if horizon not in HORIZONS:
            raise _RowError(
                4, f"horizon '{cells[4]}' is not one of {', '.join(HORIZONS)} (or I, Y, 3, L)"
            )
        target = cells[1]
        return target, {
            f"support-{target}": str(support),
            f"feasibility-{target}": str(feasibility),
            f"horizon-{target}": horizon,
        }


def _integer(text: str) -> int | None:
    try:
        return int(text.replace("−", "-").replace("+", ""))
    except ValueError:
        return None


__all__ = [
    "BALLOT_COLUMNS",
    "RATING_COLUMNS",
    "Sheet",
    "parse_sheets",
    "read_sheets",
    "seats_of",
]
