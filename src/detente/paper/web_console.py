"""The facilitator console's paper room: enter paper ballots, rating sheets and decision forms.

``GET /facilitator/paper`` shows the page: a field for the code printed on a sheet (with the
sheets that can be entered now offered as choices), a field to paste many sheets' CSV rows (as
``detente paper import`` reads them), and every sheet entered on paper so far, with its marks, who
entered it and from where. ``GET /facilitator/paper?sheet=CODE`` adds the sheet itself
(:func:`detente.paper.entry.sheet_form`): whose sheet it is (seat, participant, delegation), the
session or move, and its lines to mark — agree / disagree / pass per statement, support,
feasibility and horizon per measure, or the move's options and questions for a decision form.

``POST /facilitator/paper`` with `sheet` and the marks (``vote-<statement>``,
``support-<measure>`` …, ``action-<option>``, `statement`, ``answer-<i>``), or with `csv`,
enters the sheets through :func:`detente.paper.live.enter_sheets` — the same acts a device
writes — recorded as entered on paper by the signed-in facilitator. The answer is the page
again: what was recorded (marked *paper*, with who entered it), or every located refusal
(status 422) with nothing recorded and the marks kept in the form to correct.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from detente.diagnostics import InputError
from detente.paper.entry import (
    CONSOLE,
    SheetForm,
    entered_sheets,
    form_sheet,
    marks_of,
    open_sheets,
    sheet_form,
)
from detente.paper.live import enter_sheets
from detente.paper.sheets_csv import Sheet, parse_sheets
from detente.roadmap.ratings import FEASIBILITY_RANGE, HORIZONS, SUPPORT_RANGE
from detente.web.api import LiveApp, Who, check_csrf, in_thread, live, render, require

router = APIRouter(prefix="/facilitator")
Facilitator = Annotated[Who, Depends(require("facilitator"))]

SUPPORT = tuple(range(SUPPORT_RANGE[0], SUPPORT_RANGE[1] + 1))
FEASIBILITY = tuple(range(FEASIBILITY_RANGE[0], FEASIBILITY_RANGE[1] + 1))
HORIZON_LETTERS = dict(zip(HORIZONS, ("I", "Y", "3", "L"), strict=True))
"""The letters printed on the rating sheet for each horizon."""


def _page(
    request: Request,
    caller: Who,
    *,
    code: str = "",
    form: SheetForm | None = None,
    marks: dict[str, str] | None = None,
    problems: list[str] | None = None,
    recorded: list[dict[str, Any]] | None = None,
    csv: str = "",
    status: int = 200,
) -> HTMLResponse:
    app = live(request)
    return render(
        request,
        "paper.html",
        caller,
        status=status,
        code=code,
        form=form,
        marks=marks or {},
        problems=problems or [],
        recorded=recorded or [],
        csv=csv,
        open_sheets=open_sheets(app.folder, app.controller),
        entered=entered_sheets(app.folder, app.controller),
        support=SUPPORT,
        feasibility=FEASIBILITY,
        horizons=HORIZON_LETTERS,
    )


def _form(app: LiveApp, code: str, language: str) -> SheetForm:
    return sheet_form(app.folder, app.controller, app.controller.pack, code, language)


@router.get("/paper")
async def paper_form(request: Request, caller: Facilitator, sheet: str = "") -> HTMLResponse:
    app = live(request)
    if not sheet.strip():
        return _page(request, caller)
    try:
        form = await in_thread(lambda: _form(app, sheet, caller.session.language))
    except InputError as exc:
        problems = [str(d) for d in exc.diagnostics]
        return _page(request, caller, code=sheet, problems=problems, status=422)
    return _page(request, caller, code=sheet, form=form)


@router.post("/paper")
async def paper_enter(request: Request, caller: Facilitator) -> HTMLResponse:
    fields = await check_csrf(request, caller)
    app = live(request)
    person = caller.identity.person
    language = caller.session.language
    code = fields.get("sheet", "").strip()
    csv = "" if code else fields.get("csv", "")
    form: SheetForm | None = None

    def work() -> list[dict[str, Any]]:
        nonlocal form
        sheets: list[Sheet]
        if code:
            form = _form(app, code, language)
            sheets = [form_sheet(app.folder, form, fields)]
        else:
            sheets = parse_sheets(app.folder, f"{CONSOLE}.csv", csv)
        written = enter_sheets(app.controller, person, sheets)
        return _recorded(written)

    try:
        recorded = await in_thread(work)
    except InputError as exc:
        problems = [str(d) for d in exc.diagnostics]
        marks = {k: v for k, v in fields.items() if k not in ("csrf", "sheet", "csv")}
        return _page(
            request,
            caller,
            code=code,
            form=form,
            marks=marks,
            problems=problems,
            csv=csv,
            status=422,
        )
    after = None
    if code and form is not None:
        # the sheet again, with what it now holds: a correction is entered the same way
        after = await in_thread(lambda: _form(app, code, language))
    return _page(request, caller, code=code, form=after, recorded=recorded)


def _recorded(written: list[Any]) -> list[dict[str, Any]]:
    """What was just recorded, sheet by sheet: the paper entry and the marks of its answer."""
    out: list[dict[str, Any]] = []
    for record in written:
        if record.kind == "paper_sheet_entered":
            out.append({"entry": record, "marks": ()})
        elif out:
            kind = str(out[-1]["entry"].payload["sheet_kind"])
            out[-1]["marks"] = marks_of(kind, record.payload)
    return out
