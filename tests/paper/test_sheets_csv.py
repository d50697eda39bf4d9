"""Reading paper-sheet CSVs: good files become the app's form fields; every kind of bad input is
a located error (file:line:column) and nothing is returned to record."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.diagnostics import InputError
from detente.meeting.loader import MeetingFolder, load_meeting
from detente.paper.codes import SheetCodeError, parse_code, sheet_code
from detente.paper.sheets_csv import read_sheets
from tests.roadmap.conftest import harbour_with_roadmap


@pytest.fixture
def folder(tmp_path: Path) -> MeetingFolder:
    return load_meeting(harbour_with_roadmap(tmp_path / "harbour-2025"))


def _code(folder: MeetingFolder, kind: str, item: str, seat: str) -> str:
    return sheet_code(folder.meeting.meeting.id, kind, item, seat)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sheets.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _errors(folder: MeetingFolder, path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_sheets(folder, path)
    return [str(d) for d in caught.value.diagnostics]


def _rating_item(folder: MeetingFolder) -> str:
    return next(i.id for _, i in folder.meeting.items() if i.activity == "roadmap" and i.id)


def test_a_good_ballot_file_gives_form_fields(folder: MeetingFolder, tmp_path: Path) -> None:
    code = _code(folder, "B", "session-2", "NRD-1")
    path = _write(tmp_path, f"sheet,statement,vote\n{code},1,A\n{code},h-spills-alert,pass\n")
    (sheet,) = read_sheets(folder, path)
    assert (sheet.seat, sheet.delegation, sheet.item_id) == ("NRD-1", "NRD", "session-2")
    assert sheet.fields == {"vote-h-alert-scale": "agree", "vote-h-spills-alert": "pass"}


def test_a_good_rating_file_gives_form_fields(folder: MeetingFolder, tmp_path: Path) -> None:
    code = _code(folder, "R", _rating_item(folder), "KES-1")
    path = _write(
        tmp_path,
        f"sheet,measure,support,feasibility,horizon\n{code},common-alert-scale,+2,4,I\n",
    )
    (sheet,) = read_sheets(folder, path)
    assert sheet.fields == {
        "support-common-alert-scale": "2",
        "feasibility-common-alert-scale": "4",
        "horizon-common-alert-scale": "immediate",
    }


def test_an_unknown_statement_is_located(folder: MeetingFolder, tmp_path: Path) -> None:
    code = _code(folder, "B", "session-2", "NRD-1")
    path = _write(tmp_path, f"sheet,statement,vote\n{code},1,agree\n{code},h-nothing,agree\n")
    (error,) = _errors(folder, path)
    column = len(code) + 2
    assert error.startswith(f"sheets.csv:3:{column} statement: unknown statement 'h-nothing'")


def test_an_out_of_range_rating_is_located(folder: MeetingFolder, tmp_path: Path) -> None:
    code = _code(folder, "R", _rating_item(folder), "KES-1")
    line = f"{code},common-alert-scale,3,4,I"
    path = _write(tmp_path, f"sheet,measure,support,feasibility,horizon\n{line}\n")
    (error,) = _errors(folder, path)
    assert error.startswith(f"sheets.csv:2:{line.index(',3,') + 2} support: support '3'")
    assert "outside -2…+2" in error


def test_a_duplicate_participant_is_located(folder: MeetingFolder, tmp_path: Path) -> None:
    code = _code(folder, "B", "session-2", "NRD-1")
    path = _write(
        tmp_path, f"sheet,statement,vote\n{code},1,agree\n{code},h-alert-scale,disagree\n"
    )
    (error,) = _errors(folder, path)
    assert error.startswith(f"sheets.csv:3:{len(code) + 2} statement: duplicate: seat 'NRD-1'")
    assert "on line 2" in error


def test_a_code_from_another_meeting_is_refused(folder: MeetingFolder, tmp_path: Path) -> None:
    other = sheet_code("another-meeting", "B", "session-2", "NRD-1")
    path = _write(tmp_path, f"sheet,statement,vote\n{other},1,agree\n")
    (error,) = _errors(folder, path)
    assert error.startswith("sheets.csv:2:1 sheet:")
    assert "does not belong to meeting 'harbour-2025'" in error
    with pytest.raises(SheetCodeError):
        parse_code(folder.meeting.meeting.id, other)


def test_every_error_of_a_file_is_reported_at_once(folder: MeetingFolder, tmp_path: Path) -> None:
    code = _code(folder, "B", "session-2", "NRD-1")
    path = _write(
        tmp_path,
        f"sheet,statement,vote\n{code},1,maybe\n{code},99,agree\nB/session-2/NRD-1/0000,2,pass\n",
    )
    errors = _errors(folder, path)
    assert [e.split(" ")[0] for e in errors] == [
        f"sheets.csv:2:{len(code) + 4}",
        f"sheets.csv:3:{len(code) + 2}",
        "sheets.csv:4:1",
    ]


def test_a_wrong_header_is_located(folder: MeetingFolder, tmp_path: Path) -> None:
    path = _write(tmp_path, "code,vote\n")
    assert _errors(folder, path)[0].startswith("sheets.csv:1:1")
