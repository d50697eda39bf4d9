"""The facilitator console's paper-room entry: paste (or type) the CSV rows of paper ballots or
rating sheets, or one decision form, and they are entered in the running meeting.

``POST /facilitator/paper`` with `csv` (the rows, header first, as in ``detente paper import``)
or with `sheet` (a decision form's code), `actions` (ticked action ids, comma-separated),
`statement` and `answer-0`, `answer-1` …. The sheets go through
:func:`detente.paper.live.enter_sheets` — the same acts a device writes — recorded as entered by
the signed-in facilitator. The answer is a short HTML fragment: what was entered, or every
located problem (status 422) with nothing recorded. ``GET /facilitator/paper`` shows the form.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from markupsafe import escape

from detente.diagnostics import InputError
from detente.paper.live import decision_sheet, enter_sheets
from detente.paper.sheets_csv import Sheet, parse_sheets
from detente.web.common import Who, check_csrf, in_thread, live, require

router = APIRouter(prefix="/facilitator")
Facilitator = Annotated[Who, Depends(require("facilitator"))]

FORM = """<section data-test="paper-entry"><h2>Paper sheets</h2>
<form method="post" action="/facilitator/paper">
<input type="hidden" name="csrf" value="{csrf}">
<label>Ballot or rating rows (CSV, header first)<br>
<textarea name="csv" rows="12" cols="80"></textarea></label>
<p>or a decision form: <input name="sheet" placeholder="D/m1/USA/…">
<input name="actions" placeholder="action ids, comma-separated">
<input name="statement" placeholder="statement"></p>
<button>Enter</button></form></section>"""


def _page(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        f"<!doctype html><meta charset=utf-8><title>Paper sheets</title>{body}", status
    )


@router.get("/paper")
def paper_form(request: Request, caller: Facilitator) -> HTMLResponse:
    return _page(FORM.format(csrf=escape(caller.session.csrf)))


@router.post("/paper")
async def paper_enter(request: Request, caller: Facilitator) -> HTMLResponse:
    fields = await check_csrf(request, caller)
    app = live(request)
    folder = app.folder
    person = caller.identity.person

    def work() -> list[str]:
        sheets: list[Sheet]
        if fields.get("sheet", "").strip():
            actions = [a.strip() for a in fields.get("actions", "").split(",") if a.strip()]
            answers = [v for k, v in sorted(fields.items()) if k.startswith("answer-")]
            try:
                sheets = [
                    decision_sheet(
                        folder.meeting.meeting.id,
                        fields["sheet"].strip(),
                        actions,
                        fields.get("statement", ""),
                        answers,
                    )
                ]
            except ValueError as exc:
                return [f"console: {exc}"]
        else:
            sheets = parse_sheets(folder, "console.csv", fields.get("csv", ""))
        enter_sheets(app.controller, person, sheets)
        return []

    try:
        problems = await in_thread(work)
    except InputError as exc:
        problems = [str(d) for d in exc.diagnostics]
    if problems:
        items = "".join(f"<li>{escape(p)}</li>" for p in problems)
        return _page(f'<ul data-test="paper-errors">{items}</ul><p>Nothing was recorded.</p>', 422)
    return _page('<p data-test="paper-entered">Entered.</p>')
