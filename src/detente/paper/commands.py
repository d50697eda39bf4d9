"""`detente paper`: check paper-sheet CSVs, enter them (and paper TTX decision forms) into a
meeting's record.

The sheets are printed by ``detente report --kind paper`` (ballots, rating sheets) and
``--kind handouts`` (decision forms). ``import`` and ``decision`` write to the stored record
while the live app is *not* running (with the app running, use its facilitator console); a
record changed meanwhile is refused and nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from detente.console import DbOption, MeetingDir, OutOption, out_dir
from detente.console import err_console as console
from detente.diagnostics import Diagnostic, InputError
from detente.meeting.loader import MeetingFolder, load_meeting
from detente.paper.live import decision_sheet, enter_sheets
from detente.paper.recorded import ConflictError, RecordedMeeting
from detente.paper.sheets_csv import Sheet, read_sheets
from detente.store.log import EventStore

paper_app = typer.Typer(
    help="The paper room: check and enter paper ballots, rating sheets and decision forms.",
    no_args_is_help=True,
)

CsvFiles = Annotated[list[Path], typer.Argument(help="CSV files typed from the sheets.")]
EnteredBy = Annotated[
    str, typer.Option("--entered-by", help="Who typed the sheets in (recorded with them).")
]


def _fail(diagnostics: list[Diagnostic]) -> typer.Exit:
    for d in diagnostics:
        console.print(str(d), style="red", markup=False, highlight=False, soft_wrap=True)
    console.print("nothing was recorded", style="red")
    return typer.Exit(1)


def _load(folder: Path) -> MeetingFolder:
    try:
        return load_meeting(folder)
    except InputError as exc:
        raise _fail(exc.diagnostics) from None


def _read(meeting: MeetingFolder, files: list[Path]) -> list[Sheet]:
    sheets: list[Sheet] = []
    problems: list[Diagnostic] = []
    for path in files:
        try:
            sheets += read_sheets(meeting, path)
        except InputError as exc:
            problems += exc.diagnostics
    if problems:
        raise _fail(problems)
    return sheets


@paper_app.command("check")
def check(folder: MeetingDir, files: CsvFiles) -> None:
    """Check CSV files of paper ballots or ratings against the meeting; record nothing."""
    sheets = _read(_load(folder), files)
    answers = sum(s.answers for s in sheets)
    console.print(f"{len(sheets)} sheet(s), {answers} answer(s): ready to enter", markup=False)


def _enter(
    meeting: MeetingFolder, out: Path | None, db: Path | None, who: str, sheets: list[Sheet]
) -> None:
    store = EventStore.open(db or out_dir(meeting.root, out) / "detente.db")
    try:
        recorded = RecordedMeeting(store, meeting.meeting.meeting.id)
        try:
            enter_sheets(recorded, who, sheets)
            written = recorded.commit()
        except InputError as exc:
            raise _fail(exc.diagnostics) from None
        except ConflictError:
            console.print(
                "the record changed while entering (is the live app running? enter the sheets "
                "in its facilitator console)",
                style="red",
            )
            raise typer.Exit(1) from None
    finally:
        store.close()
    console.print(
        f"entered {len(sheets)} paper sheet(s) as {len(written)} event(s), by {who}", markup=False
    )


@paper_app.command("import")
def import_sheets(
    folder: MeetingDir,
    files: CsvFiles,
    entered_by: EnteredBy,
    out: OutOption = None,
    db: DbOption = None,
) -> None:
    """Enter paper ballots or ratings (CSV) on the open ballots of the stored live record.

    Each sheet becomes its member's marks on the delegation's open ballot, as if marked on a
    device, and a paper_sheet_entered event names the sheet code and who entered it. Every
    problem is located (file:line:column) and then nothing is recorded.
    """
    meeting = _load(folder)
    _enter(meeting, out, db, entered_by, _read(meeting, files))


@paper_app.command("decision")
def decision(
    folder: MeetingDir,
    sheet: Annotated[str, typer.Option("--sheet", help="The code printed on the decision form.")],
    entered_by: EnteredBy,
    action: Annotated[
        list[str] | None, typer.Option("--action", help="A ticked action id (repeatable).")
    ] = None,
    statement: Annotated[str, typer.Option("--statement", help="The written statement.")] = "",
    answer: Annotated[
        list[str] | None, typer.Option("--answer", help="An answer, in question order.")
    ] = None,
    out: OutOption = None,
    db: DbOption = None,
) -> None:
    """Enter a delegation's TTX decision written on its move handout, on its behalf."""
    meeting = _load(folder)
    try:
        entry = decision_sheet(
            meeting.meeting.meeting.id, sheet, action or [], statement, answer or [], "--sheet"
        )
    except ValueError as exc:
        raise _fail([Diagnostic("--sheet", 0, 0, (), str(exc))]) from None
    _enter(meeting, out, db, entered_by, [entry])
