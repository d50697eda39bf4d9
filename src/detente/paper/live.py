"""Entering paper sheets into a live meeting, through the same acts a device writes.

A ballot or rating sheet becomes the member's marks on the delegation's open member ballot
(`answer_drafted` with ``member`` = the sheet's seat), parsed by the same form as a device's
marks, so closing the vote assembles paper and device answers alike. A TTX decision form becomes
the delegation's answer to its open decision request (`answer_submitted`). Each sheet is first
recorded as :class:`~detente.paper.events.PaperSheetEntered` (facilitator only): the code, who
entered it, where from. The answers' `person` is ``paper:<entered_by>``.

All or nothing: every sheet is checked against the open requests before anything is appended;
a problem is a located diagnostic at the sheet's CSV line (or ``console``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from detente.diagnostics import Diagnostic, InputError
from detente.meeting.events import AnswerDrafted, AnswerSubmitted
from detente.paper.codes import parse_code
from detente.paper.events import PaperSheetEntered
from detente.paper.sheets_csv import Sheet
from detente.store.log import Record
from detente.store.visibility import FACILITATOR, delegation_only
from detente.web.api import (
    RESOLUTIONS,
    ActRefused,
    encode_answer,
    parse_answer,
    rebuild_request,
    seat_form_named,
)


def _located(source: str, message: str) -> Diagnostic:
    file, _, line = source.rpartition(":")
    if file and line.isdigit():
        return Diagnostic(file, int(line), 1, ("sheet",), message)
    return Diagnostic(source or "console", 0, 0, ("sheet",), message)


def _open_key(controller: Any, item_id: str, delegation: str) -> str | None:
    """The key of the delegation's open seat request on `item_id` (move `m<N>` for decisions)."""
    for entries in controller.log.by_key.values():
        asked = entries[0].record
        if asked.kind != "seat_requested" or asked.payload["delegation"] != delegation:
            continue
        request = asked.payload["request"]
        scope = f"m{request.get('move')}" if "move" in request else request.get("item_id")
        if item_id not in (scope, request.get("item_id")):
            continue
        if any(e.record.kind in (*RESOLUTIONS, "request_closed") for e in entries):
            continue
        return str(asked.payload["key"])
    return None


def open_request_key(controller: Any, item_id: str, delegation: str) -> str | None:
    """The key of the delegation's open seat request a sheet on `item_id` (programme item, or
    `m<N>` for a decision form) would answer now; None when none is open."""
    with controller.log.lock:
        return _open_key(controller, item_id, delegation)


def _prepare(controller: Any, sheet: Sheet) -> tuple[str, str, Any, Any]:
    """(key, request type, request, parsed marks) of one sheet, or ActRefused/ValueError."""
    if sheet.delegation is None:
        raise ValueError(f"seat '{sheet.seat}': observers' sheets have no open ballot to enter")
    key = _open_key(controller, sheet.item_id, sheet.delegation)
    if key is None:
        raise ValueError(
            f"no open {'decision' if sheet.kind == 'D' else 'ballot'} of {sheet.delegation} on "
            f"'{sheet.item_id}' (is voting, rating or the move open?)"
        )
    asked = controller.log.by_key[key][0].record
    name = str(asked.payload["request_type"])
    form = seat_form_named(name)
    request = rebuild_request(name, dict(asked.payload["request"]))
    if form is None or request is None:
        raise ValueError(f"request {key} cannot be answered on paper")
    if sheet.kind != "D":
        if not form.member_ballot or sheet.seat not in getattr(request, "members", ()):
            raise ValueError(f"seat '{sheet.seat}' has no place on ballot {key}")
    marks = parse_answer(form, request, sheet.fields, controller)
    return key, name, request, marks


def enter_sheets(controller: Any, entered_by: str, sheets: Sequence[Sheet]) -> list[Record]:
    """Record paper sheets in the live meeting (see the module docstring). `controller` is the
    live app's :class:`~detente.web.live.LiveController`, or a
    :class:`~detente.paper.recorded.RecordedMeeting` for a stored record while no app runs."""
    with controller.log.lock:
        prepared = []
        problems = []
        for sheet in sheets:
            try:
                prepared.append((sheet, *_prepare(controller, sheet)))
            except (ValueError, ActRefused) as exc:
                text = exc.args[0] if exc.args else str(exc)
                problems.append(_located(sheet.source, f"{sheet.code}: {text}"))
        if problems:
            raise InputError(problems)
        written: list[Record] = []
        for sheet, key, _name, request, marks in prepared:
            assert sheet.delegation is not None
            written.append(
                controller.append_act(
                    PaperSheetEntered(
                        key=key,
                        sheet=sheet.code,
                        sheet_kind=sheet.kind,
                        item_id=sheet.item_id,
                        seat=sheet.seat,
                        delegation=sheet.delegation,
                        entered_by=entered_by,
                        source=sheet.source or "console",
                        answers=sheet.answers,
                    ),
                    actor=FACILITATOR,
                    visibility=FACILITATOR,
                )
            )
            person = f"paper:{entered_by}"
            if sheet.kind == "D":
                event: AnswerDrafted | AnswerSubmitted = AnswerSubmitted(
                    key=key,
                    delegation=sheet.delegation,
                    person=person,
                    answer=encode_answer(type(request), marks),
                )
            else:
                event = AnswerDrafted(
                    key=key,
                    delegation=sheet.delegation,
                    person=person,
                    fields={"member": sheet.seat, **marks},
                )
            written.append(
                controller.append_act(
                    event, actor=sheet.delegation, visibility=delegation_only(sheet.delegation)
                )
            )
        return written


def decision_sheet(
    meeting_id: str,
    code: str,
    actions: Sequence[str],
    statement: str = "",
    answers: Sequence[str] = (),
    source: str = "console",
) -> Sheet:
    """A TTX decision form as typed by the facilitator: the code printed on the move's handout
    (``D/m<N>/<DELEGATION>/…``), the ticked action ids, the statement and the answers."""
    parsed = parse_code(meeting_id, code)
    if parsed.kind != "D":
        raise ValueError(f"sheet '{code}' is not a decision form")
    fields = {f"action-{a}": "on" for a in actions}
    fields["statement"] = statement
    fields.update({f"answer-{i}": text for i, text in enumerate(answers)})
    return Sheet(
        code, "D", parsed.scope, parsed.seat, parsed.seat, fields, source, answers=len(actions)
    )


__all__ = ["decision_sheet", "enter_sheets", "open_request_key"]
