"""One paper sheet at a time, as the facilitator types it in: what the sheet is, its lines, and
the sheet its form fields make.

The console's paper-entry page (:mod:`detente.paper.web_console`) asks for the code printed on a
sheet; :func:`sheet_form` says what that code names — a ballot, a rating sheet or a TTX decision
form, the programme item (or move), the seat, its delegation and the participant the seat is
printed for — and lists the sheet's lines (the statements of the ballot, the measures of the
rating sheet, or the move's options and questions from the handout) so the facilitator marks
them as the paper shows. :func:`form_sheet` turns the marked fields into the
:class:`~detente.paper.sheets_csv.Sheet` the CSV import would make, checked by the *same*
checker (:func:`~detente.paper.sheets_csv.parse_sheets`), so a console entry and a CSV import
refuse and record exactly alike. Refusals are located at the form: ``console <code>.<line>:``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from detente.deliberation.statements import load_statements
from detente.diagnostics import Diagnostic, InputError
from detente.meeting.loader import MeetingFolder
from detente.paper.codes import KINDS, SheetCode, SheetCodeError, parse_code
from detente.paper.live import decision_sheet, open_request_key
from detente.paper.sheets_csv import BALLOT_COLUMNS, RATING_COLUMNS, Sheet, parse_sheets, seats_of
from detente.roadmap.catalog import load_catalog
from detente.ttx.handout import HandoutContent, handout_content
from detente.ttx.pack import Pack
from detente.web.api import RESOLUTIONS, localize

CONSOLE = "console"
"""The `file` of a console entry's diagnostics (there is no file: the form is the source)."""


@dataclass(frozen=True)
class SheetLine:
    """One line of a sheet: a statement (ballot, `number` as printed) or a measure."""

    id: str
    number: int
    text: str
    """In the sheet's language (what the paper shows)."""
    english: str
    """The English text, when the sheet is in another language (else empty)."""
    category: str = ""


@dataclass(frozen=True)
class SheetForm:
    """What a sheet code names, and its lines to mark."""

    code: str
    kind: str
    """`B` ballot, `R` rating sheet, `D` TTX decision form."""
    kind_label: str
    item_id: str
    """The programme item, or `m<N>` for the decision form of move N."""
    item_title: str
    seat: str
    delegation: str | None
    delegation_name: str
    participant: str
    """The person the seat's sheet is printed for (empty for a decision form: the delegation's)."""
    language: str
    lines: tuple[SheetLine, ...] = ()
    handout: HandoutContent | None = None
    """Decision forms: the move's handout for the delegation, narrowed to the options open now."""
    open_key: str | None = None
    """The open request the sheet would answer now (None: entering it would be refused)."""


def _refusal(message: str, path: tuple[str | int, ...] = ("sheet",)) -> InputError:
    return InputError([Diagnostic(CONSOLE, 0, 0, path, message)])


def _seat_person(folder: MeetingFolder, seat: str, delegation: str | None) -> str:
    """The name of the person a seat position belongs to (`NRD-2`: the 2nd delegate listed)."""
    meeting = folder.meeting
    _, _, number = seat.rpartition("-")
    if not number.isdigit():
        return ""
    index = int(number) - 1
    people = (
        meeting.members(delegation)
        if delegation is not None
        else [p for p in meeting.observers if p.voting]
    )
    return people[index].name if 0 <= index < len(people) else ""


def sheet_form(
    folder: MeetingFolder, controller: Any, pack: Pack | None, code: str, language: str = "en"
) -> SheetForm:
    """The sheet `code` names in this meeting (see the module docstring). Raises a located
    :class:`~detente.diagnostics.InputError` for a malformed code, another meeting's code, a
    seat or item this meeting does not have, or a decision form without a scenario."""
    code = code.strip()
    meeting = folder.meeting
    try:
        parsed = parse_code(meeting.meeting.id, code)
    except SheetCodeError as exc:
        raise _refusal(str(exc)) from None
    delegation = _sheet_delegation(folder, parsed, code)
    sheet_language = meeting.delegation(delegation).language if delegation else "en"
    names = {d.id: localize(d.name, language) for d in meeting.delegations}
    titles = {i.id: localize(i.title, language) for _, i in meeting.items() if i.id is not None}
    common: dict[str, Any] = {
        "code": code,
        "kind": parsed.kind,
        "kind_label": KINDS[parsed.kind],
        "item_id": parsed.scope,
        "seat": parsed.seat,
        "delegation": delegation,
        "delegation_name": names.get(delegation, "") if delegation else "observers",
        "language": sheet_language,
        "open_key": open_request_key(controller, parsed.scope, delegation) if delegation else None,
    }
    if parsed.kind == "D":
        return _decision_form(common, controller, pack, parsed.scope, language)
    common["participant"] = _seat_person(folder, parsed.seat, delegation)
    common["item_title"] = titles.get(parsed.scope, parsed.scope)
    if parsed.kind == "B":
        lines = _ballot_lines(folder, code, parsed.scope, sheet_language)
    else:
        lines = _rating_lines(folder, code, parsed.scope, sheet_language, language)
    return SheetForm(**common, lines=lines)


def _sheet_delegation(folder: MeetingFolder, parsed: SheetCode, code: str) -> str | None:
    """The delegation the sheet belongs to (None: an observer's); refuses a delegation
    (decision form) or seat the meeting does not have."""
    if parsed.kind == "D":
        if parsed.seat not in {d.id for d in folder.meeting.delegations}:
            raise _refusal(f"sheet '{code}': no delegation '{parsed.seat}' in this meeting")
        return parsed.seat
    seats = seats_of(folder)
    if parsed.seat not in seats:
        raise _refusal(f"sheet '{code}': no seat '{parsed.seat}' in this meeting")
    return seats[parsed.seat]


def _ballot_lines(
    folder: MeetingFolder, code: str, scope: str, sheet_language: str
) -> tuple[SheetLine, ...]:
    """The statements of item `scope`'s ballot as printed, numbered from 1; refuses an item
    without statements."""
    loaded = load_statements(folder)
    statements = loaded.statements.for_item(scope) if loaded is not None else []
    if not statements:
        raise _refusal(f"sheet '{code}': item '{scope}' has no statements to vote on")
    return tuple(
        SheetLine(s.id, n, s.text.get(sheet_language), _english(s.text, sheet_language))
        for n, s in enumerate(statements, start=1)
    )


def _rating_lines(
    folder: MeetingFolder, code: str, scope: str, sheet_language: str, language: str
) -> tuple[SheetLine, ...]:
    """The measures of the rating sheet as printed, numbered from 1, with their category in
    `language`; refuses an item that is not the meeting's rating session."""
    catalog = load_catalog(folder)
    if catalog is None or catalog.item.id != scope:
        raise _refusal(f"sheet '{code}': item '{scope}' is not the meeting's rating session")
    categories = {c.id: localize(c.title, language) for c in catalog.categories}
    return tuple(
        SheetLine(
            m.id,
            n,
            m.title.get(sheet_language),
            _english(m.title, sheet_language),
            categories.get(m.category, m.category),
        )
        for n, m in enumerate(catalog.measures, start=1)
    )


def _english(text: Any, language: str) -> str:
    return "" if text.get(language) == str(text) else str(text)


def _decision_form(
    common: dict[str, Any], controller: Any, pack: Pack | None, scope: str, language: str
) -> SheetForm:
    code = common["code"]
    if pack is None:
        raise _refusal(f"sheet '{code}': this meeting has no exercise scenario")
    actor = next(
        (a.id for a in pack.scenario.players if a.delegation == common["delegation"]), None
    )
    move = int(scope[1:]) if scope[1:].isdigit() else 0
    if actor is None:
        raise _refusal(f"sheet '{code}': {common['delegation']} plays no actor in the exercise")
    legal: list[str] | None = None
    key = common["open_key"]
    if key is not None:
        asked: dict[str, Any] = controller.log.by_key[key][0].record.payload["request"]
        legal = [str(o["id"]) for o in asked.get("options", ())]
    try:
        handout = handout_content(pack.scenario, move, actor, legal)
    except KeyError:
        raise _refusal(f"sheet '{code}': the exercise has no move {move}") from None
    title = f"move {move}: {localize(handout.title, language)}"
    return SheetForm(**common, item_title=title, participant="", handout=handout)


def form_sheet(folder: MeetingFolder, form: SheetForm, fields: Mapping[str, str]) -> Sheet:
    """The sheet the marked form fields make, checked exactly like a CSV import (raises a
    located :class:`~detente.diagnostics.InputError`; a blank line is a line not marked)."""
    if form.kind == "D":
        return _decision_sheet(folder, form, fields)
    rows = _marked_rows(form, fields)
    header = BALLOT_COLUMNS if form.kind == "B" else RATING_COLUMNS
    text = "\n".join(
        ",".join(_cell(c) for c in row) for row in [list(header), *(r for _, r in rows)]
    )
    try:
        sheets = parse_sheets(folder, CONSOLE, text + "\n")
    except InputError as exc:
        raise _at_form_lines(exc, form, rows) from None
    sheet = sheets[0]
    sheet.source = CONSOLE
    return sheet


def _decision_sheet(folder: MeetingFolder, form: SheetForm, fields: Mapping[str, str]) -> Sheet:
    """The decision-form sheet the ticked actions, statement and answers make."""
    actions = [
        k.removeprefix("action-") for k, v in fields.items() if k.startswith("action-") and v
    ]
    answers = [
        fields.get(f"answer-{i}", "")
        for i in range(len(form.handout.questions if form.handout else ()))
    ]
    try:
        return decision_sheet(
            folder.meeting.meeting.id,
            form.code,
            actions,
            fields.get("statement", "").strip(),
            answers,
            source=CONSOLE,
        )
    except ValueError as exc:
        raise _refusal(str(exc)) from None


def _marked_rows(form: SheetForm, fields: Mapping[str, str]) -> list[tuple[str, list[str]]]:
    """Each marked line of a ballot or rating sheet as (line id, CSV row); refuses a field
    naming no line of the sheet, and a sheet with nothing marked."""
    rows: list[tuple[str, list[str]]] = []
    for line in form.lines:
        if form.kind == "B":
            vote = fields.get(f"vote-{line.id}", "").strip()
            if vote:
                rows.append((line.id, [form.code, line.id, vote]))
        else:
            values = [
                fields.get(f"{what}-{line.id}", "").strip()
                for what in ("support", "feasibility", "horizon")
            ]
            if any(values):
                rows.append((line.id, [form.code, line.id, *values]))
    known = {line.id for line in form.lines}
    for name in fields:
        what, _, target = name.partition("-")
        if what in ("vote", "support", "feasibility", "horizon") and target not in known:
            raise _refusal(f"'{target}' is not a line of sheet '{form.code}'", (form.code, target))
    if not rows:
        raise _refusal(f"sheet '{form.code}': nothing is marked", (form.code,))
    return rows


def _at_form_lines(
    exc: InputError, form: SheetForm, rows: list[tuple[str, list[str]]]
) -> InputError:
    """The CSV checker's errors located at the form: path (sheet code, `line <n>`, column)."""
    located = []
    for d in exc.diagnostics:
        index = d.line - 2
        target = rows[index][0] if 0 <= index < len(rows) else ""
        number = next((line.number for line in form.lines if line.id == target), 0)
        path: tuple[str | int, ...] = (
            form.code,
            f"line {number}" if number else "sheet",
            *d.path,
        )
        located.append(Diagnostic(CONSOLE, 0, 0, path, d.message))
    return InputError(located)


def _cell(value: str) -> str:
    """One CSV cell, quoted when it holds a comma, a quote or a line break."""
    if any(ch in value for ch in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


@dataclass(frozen=True)
class OpenSheet:
    """A sheet that can be entered now: its code and what it is."""

    code: str
    label: str


def open_sheets(folder: MeetingFolder, controller: Any) -> list[OpenSheet]:
    """Every sheet an open request would take now: each seat's ballot or rating sheet of an
    open member ballot, each delegation's decision form of an open move."""
    from detente.paper.codes import sheet_code

    meeting_id = folder.meeting.meeting.id
    catalog_item = None
    out: list[OpenSheet] = []
    with controller.log.lock:
        entries = list(controller.log.by_key.values())
    for records in entries:
        asked = records[0].record
        if asked.kind != "seat_requested":
            continue
        if any(e.record.kind in (*RESOLUTIONS, "request_closed") for e in records):
            continue
        request = asked.payload["request"]
        delegation = str(asked.payload["delegation"])
        if "move" in request and asked.payload["request_type"] == "ttx_decision_request":
            move = int(request["move"])
            out.append(
                OpenSheet(
                    sheet_code(meeting_id, "D", f"m{move}", delegation),
                    f"decision form, move {move}, {delegation}",
                )
            )
            continue
        members = request.get("members")
        item_id = request.get("item_id")
        if not members or not item_id:
            continue
        if catalog_item is None:
            loaded = load_catalog(folder)
            catalog_item = loaded.item.id if loaded is not None else ""
        kind = "R" if item_id == catalog_item else "B"
        for seat in members:
            out.append(
                OpenSheet(
                    sheet_code(meeting_id, kind, item_id, seat),
                    f"{KINDS[kind]}, {item_id}, seat {seat}",
                )
            )
    return sorted(out, key=lambda s: s.code)


@dataclass(frozen=True)
class EnteredSheet:
    """A sheet entered on paper, as the record holds it."""

    seq: int
    time: Any
    code: str
    kind_label: str
    item_id: str
    seat: str
    delegation: str
    entered_by: str
    source: str
    marks: tuple[tuple[str, str], ...]


def marks_of(kind: str, payload: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """The marks an answer record holds, as (line, mark) pairs to read back."""
    if kind == "D":
        answer = payload.get("answer", {})
        out = [("actions", ", ".join(str(a) for a in answer.get("actions", ())) or "—")]
        if answer.get("statement"):
            out.append(("statement", str(answer["statement"])))
        out += [
            (f"answer {i}", str(a)) for i, a in enumerate(answer.get("answers", ()), start=1) if a
        ]
        return tuple(out)
    marks = {str(k): str(v) for k, v in dict(payload.get("fields", {})).items() if k != "member"}
    if kind == "R":
        # a member's rating as the rating form parses it: `support|feasibility|horizon`
        out = []
        for measure, value in marks.items():
            support, feasibility, horizon = [*value.split("|"), "", "", ""][:3]
            out.append(
                (measure, f"support {support} · feasibility {feasibility} · horizon {horizon}")
            )
        return tuple(out)
    return tuple(marks.items())


def entered_sheets(folder: MeetingFolder, controller: Any) -> list[EnteredSheet]:
    """Every sheet entered on paper in this record, newest first, with the marks recorded and
    the name of who entered it."""
    people = {p.id: p.name for p in folder.meeting.people}
    with controller.log.lock:
        records = [e.record for e in controller.log.entries]
    out = []
    for r in records:
        if r.kind != "paper_sheet_entered":
            continue
        p = r.payload
        answer = next(
            (
                x
                for x in records
                if x.seq > r.seq
                and x.kind in ("answer_drafted", "answer_submitted")
                and x.payload.get("key") == p["key"]
            ),
            None,
        )
        marks = marks_of(str(p["sheet_kind"]), answer.payload) if answer is not None else ()
        out.append(
            EnteredSheet(
                r.seq,
                r.time,
                str(p["sheet"]),
                KINDS.get(str(p["sheet_kind"]), str(p["sheet_kind"])),
                str(p["item_id"]),
                str(p["seat"]),
                str(p["delegation"]),
                people.get(str(p["entered_by"]), str(p["entered_by"])),
                str(p["source"]),
                marks,
            )
        )
    return list(reversed(out))


__all__ = [
    "CONSOLE",
    "EnteredSheet",
    "OpenSheet",
    "SheetForm",
    "SheetLine",
    "entered_sheets",
    "form_sheet",
    "marks_of",
    "open_sheets",
    "sheet_form",
]
