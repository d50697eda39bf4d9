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
from detente.deliberation.statements import load_statements
from detente.diagnostics import Diagnostic, InputError
from detente.meeting.loader import MeetingFolder
from detente.paper.codes import SheetCodeError, parse_code
from detente.roadmap.catalog import load_catalog
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
    if not rows:
        raise InputError([Diagnostic(name, 1, 1, (), "empty file: expected a header row")])
    header = tuple(c.strip().lower() for c in rows[0])
    if header == BALLOT_COLUMNS:
        kind = "B"
    elif header == RATING_COLUMNS:
        kind = "R"
    else:
        raise InputError(
            [
                Diagnostic(
                    name,
                    1,
                    1,
                    (),
                    f"header {','.join(header)!r}: expected {','.join(BALLOT_COLUMNS)} (ballots) "
                    f"or {','.join(RATING_COLUMNS)} (ratings)",
                )
            ]
        )
    meeting_id = folder.meeting.meeting.id
    seats = seats_of(folder)
    statements = load_statements(folder) if kind == "B" else None
    catalog = load_catalog(folder) if kind == "R" else None
    sheets: dict[str, Sheet] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        cols = _columns(lines[number - 1]) if number - 1 < len(lines) else [1]

        def at(index: int, message: str, line: int = number, starts: list[int] = cols) -> None:
            column = starts[index] if index < len(starts) else starts[-1]
            diags.append(Diagnostic(name, line, column, (header[index],), message))

        if len(row) != len(header):
            at(0, f"{len(row)} cells for {len(header)} columns")
            continue
        cells = [c.strip() for c in row]
        try:
            code = parse_code(meeting_id, cells[0])
        except SheetCodeError as exc:
            at(0, str(exc))
            continue
        if code.kind != kind:
            what = "ballots" if kind == "B" else "ratings"
            at(
                0,
                f"sheet '{cells[0]}' is not a {'ballot' if kind == 'B' else 'rating sheet'} "
                f"(this file holds {what})",
            )
            continue
        if code.seat not in seats:
            at(0, f"sheet '{cells[0]}': no seat '{code.seat}' in this meeting")
            continue
        sheet = sheets.get(cells[0])
        if sheet is None:
            sheet = Sheet(
                cells[0], kind, code.scope, code.seat, seats[code.seat], source=f"{name}:{number}"
            )
        if kind == "B":
            ids = [s.id for s in statements.statements.for_item(code.scope)] if statements else []
            if not ids:
                at(0, f"sheet '{cells[0]}': item '{code.scope}' has no statements to vote on")
                continue
            ref = cells[1]
            sid = ids[int(ref) - 1] if ref.isdigit() and 1 <= int(ref) <= len(ids) else ref
            if sid not in ids:
                at(
                    1,
                    f"unknown statement '{ref}' on the ballot of '{code.scope}' (1–{len(ids)} "
                    "or a statement id)",
                )
                continue
            vote = VOTES.get(cells[2].lower())
            if vote is None:
                at(2, f"vote '{cells[2]}' is not agree, disagree or pass")
                continue
            target, values = sid, {f"vote-{sid}": vote}
        else:
            if catalog is None or catalog.item.id != code.scope:
                at(
                    0,
                    f"sheet '{cells[0]}': item '{code.scope}' is not the meeting's rating session",
                )
                continue
            known = {m.id for m in catalog.catalog.measures}
            if cells[1] not in known:
                at(1, f"unknown measure '{cells[1]}'")
                continue
            low, high = SUPPORT_RANGE
            support = _integer(cells[2])
            if support is None or not low <= support <= high:
                at(2, f"support '{cells[2]}' is outside {low}…+{high}")
                continue
            low, high = FEASIBILITY_RANGE
            feasibility = _integer(cells[3])
            if feasibility is None or not low <= feasibility <= high:
                at(3, f"feasibility '{cells[3]}' is outside {low}…{high}")
                continue
            horizon = HORIZON_LETTERS.get(cells[4].lower(), cells[4])
            if horizon not in HORIZONS:
                at(4, f"horizon '{cells[4]}' is not one of {', '.join(HORIZONS)} (or I, Y, 3, L)")
                continue
            target = cells[1]
            values = {
                f"support-{target}": str(support),
                f"feasibility-{target}": str(feasibility),
                f"horizon-{target}": horizon,
            }
        key = (code.scope, code.seat, target)
        if key in seen:
            at(
                1,
                f"duplicate: seat '{code.seat}' already answered '{target}' of '{code.scope}' "
                f"on line {seen[key]}",
            )
            continue
        seen[key] = number
        sheet.fields.update(values)
        sheet.answers += 1
        sheets[cells[0]] = sheet
    if diags:
        raise InputError(diags)
    return list(sheets.values())


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
