"""Paper sheets entered in a live meeting count exactly like the same marks made on devices:
the votes cast, the common-ground analysis and the meeting's common-ground section are equal;
the record says which sheets were entered on paper and by whom."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from detente.deliberation.document_sections import common_ground
from detente.diagnostics import InputError
from detente.document.context import Audience, ReportContext
from detente.document.sections import outcomes_for
from detente.meeting.loader import load_meeting
from detente.paper.codes import sheet_code
from detente.paper.live import enter_sheets
from detente.paper.sheets_csv import read_sheets
from detente.roadmap.document_sections import roadmap_section
from tests.web.conftest import PEOPLE, Served, decide, serve
from tests.web.test_ballots import _key, _rating_meeting, _to_discussion

MARKS = {
    "NRD-1": {"h-alert-scale": "disagree", "h-spills-alert": "agree"},
    "NRD-2": {"h-alert-scale": "agree", "h-two-hour-closure": "pass"},
}
WHO = {"NRD-1": PEOPLE["NRD"], "NRD-2": PEOPLE["NRD2"]}


def _open_vote(served: Served) -> Any:
    fac = _to_discussion(served)
    decide(served, fac, {"do": "open"}, "Statements for the vote")
    return fac


def _document_text(served: Served) -> str:
    """The meeting report's common-ground and roadmap sections for the public, built from the
    live record, with event numbers (evidence references) masked: paper entry adds its own
    facilitator-only events, so positions in the log shift while the content must not."""
    ctx = ReportContext(
        folder=served.live.folder,
        records=[e.record for e in served.live.controller.log.entries],
        scenario=None,
        audience=Audience("public"),
    )
    held = ctx.held("session-2")
    assert held is not None and held.activity is not None
    outcome = [blocks for fn in outcomes_for(held.activity) if (blocks := fn(ctx, held))]
    sections = [common_ground(ctx), roadmap_section(ctx)]
    text = repr(outcome) + repr([s for s in sections if s is not None])
    assert outcome, "the session's outcome as the meeting report prints it"
    return re.sub(r"#\d+", "#N", text)


def _outcome(served: Served) -> tuple[list[tuple[str, str, str]], dict[str, Any], str]:
    records = [e.record for e in served.live.controller.log.entries]
    casts = sorted(
        (r.payload["participant"], r.payload["statement_id"], r.payload["vote"])
        for r in records
        if r.kind == "vote_cast" and r.payload["delegation"] == "NRD"
    )
    analysis = next(
        r.payload["result"]
        for r in records
        if r.kind == "analysis_recorded" and r.payload["item_id"] == "session-2"
    )
    return casts, analysis, _document_text(served)


def _by_device(harbour: Path, out: Path) -> tuple[list[tuple[str, str, str]], dict[str, Any], str]:
    for served in serve(harbour, out):
        fac = _open_vote(served)
        for seat, marks in MARKS.items():
            person = served.join(WHO[seat])
            key = _key(person)
            fields = {f"vote-{s}": v for s, v in marks.items()}
            assert person.post(f"/delegation/ballots/{key}", fields).status_code == 200  # type: ignore[attr-defined]
        assert fac.post("/facilitator/ballots/session-2/close").status_code == 200  # type: ignore[attr-defined]
        served.idle()
        return _outcome(served)
    raise AssertionError("no server")


def _csv(tmp: Path, meeting_id: str, rows: list[tuple[str, str, str]]) -> Path:
    path = tmp / "ballots.csv"
    lines = ["sheet,statement,vote"]
    lines += [f"{sheet_code(meeting_id, 'B', 'session-2', seat)},{s},{v}" for seat, s, v in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_paper_ballots_equal_device_votes(harbour: Path, tmp_path: Path) -> None:
    device = _by_device(harbour, tmp_path / "device")
    folder = load_meeting(harbour)
    rows = [(seat, s, v) for seat, marks in MARKS.items() for s, v in marks.items()]
    csv_path = _csv(tmp_path, folder.meeting.meeting.id, rows)
    for served in serve(harbour, tmp_path / "paper"):
        fac = _open_vote(served)
        written = enter_sheets(served.live.controller, "facilitator", read_sheets(folder, csv_path))
        assert [r.kind for r in written].count("paper_sheet_entered") == 2
        entered = [r for r in written if r.kind == "paper_sheet_entered"]
        assert all(r.visibility == "facilitator" for r in entered)
        assert entered[0].payload["entered_by"] == "facilitator"
        assert entered[0].payload["source"] == "ballots.csv:2"
        drafts = [r for r in written if r.kind == "answer_drafted"]
        assert {d.payload["person"] for d in drafts} == {"paper:facilitator"}
        assert fac.post("/facilitator/ballots/session-2/close").status_code == 200  # type: ignore[attr-defined]
        served.idle()
        paper = _outcome(served)
    assert paper[0] == device[0] and len(paper[0]) == 4
    assert paper[1] == device[1]
    assert paper[2] == device[2]


def test_a_sheet_without_an_open_ballot_records_nothing(harbour: Path, tmp_path: Path) -> None:
    folder = load_meeting(harbour)
    csv_path = _csv(tmp_path, folder.meeting.meeting.id, [("NRD-1", "1", "agree")])
    for served in serve(harbour, tmp_path / "paper"):
        served.idle()
        with pytest.raises(InputError) as caught:
            enter_sheets(served.live.controller, "facilitator", read_sheets(folder, csv_path))
        assert str(caught.value.diagnostics[0]).startswith("ballots.csv:2:1 sheet:")
        assert "no open ballot of NRD on 'session-2'" in str(caught.value.diagnostics[0])
        kinds = {e.record.kind for e in served.live.controller.log.entries}
        assert not kinds & {"paper_sheet_entered", "answer_drafted"}


def test_console_entry_equals_device_votes(harbour: Path, tmp_path: Path) -> None:
    device = _by_device(harbour, tmp_path / "device")
    folder = load_meeting(harbour)
    rows = [(seat, s, v) for seat, marks in MARKS.items() for s, v in marks.items()]
    text = _csv(tmp_path, folder.meeting.meeting.id, rows).read_text(encoding="utf-8")
    for served in serve(harbour, tmp_path / "console"):
        fac = _open_vote(served)
        assert "paper-entry" in fac.client.get("/facilitator/paper").text
        bad = fac.post("/facilitator/paper", {"csv": text.replace(",1,", ",99,", 1) + "x,y\n"})
        assert bad.status_code == 422  # type: ignore[attr-defined]
        assert "Nothing was recorded" in bad.text  # type: ignore[attr-defined]
        assert fac.post("/facilitator/paper", {"csv": text}).status_code == 200  # type: ignore[attr-defined]
        entered = [
            e.record
            for e in served.live.controller.log.entries
            if e.record.kind == "paper_sheet_entered"
        ]
        assert len(entered) == 2 and entered[0].payload["source"] == "console.csv:2"
        assert fac.post("/facilitator/ballots/session-2/close").status_code == 200  # type: ignore[attr-defined]
        served.idle()
        assert _outcome(served) == device


RATINGS = {
    "NRD-1": {"joint-alerts": ("2", "4", "immediate"), "pilot-pool": ("-1", "2", "longer")},
    "NRD-2": {"joint-alerts": ("1", "3", "within-a-year")},
}


def _ratings(
    served: Served,
) -> tuple[list[tuple[Any, ...]], dict[str, Any], dict[str, Any], str]:
    records = [e.record for e in served.live.controller.log.entries]
    rated = sorted(
        (
            r.payload["participant"],
            r.payload["measure_id"],
            r.payload["support"],
            r.payload["feasibility"],
            r.payload["horizon"],
        )
        for r in records
        if r.kind == "rating_submitted"
    )
    analysed = next(r.payload["result"] for r in records if r.kind == "roadmap_analysed")
    roadmap = next(r.payload["roadmap"] for r in records if r.kind == "roadmap_recorded")
    return rated, analysed, roadmap, _document_text(served)


def test_paper_ratings_equal_device_ratings(
    harbour: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DETENTE_ROADMAP_RUNS", "0")
    meeting_dir = _rating_meeting(harbour, tmp_path)
    results = []
    for mode in ("device", "paper"):
        for served in serve(meeting_dir, tmp_path / mode):
            fac = _to_discussion(served)
            if mode == "device":
                for seat, marks in RATINGS.items():
                    person = served.join(WHO[seat])
                    fields = {
                        f"{what}-{m}": value
                        for m, values in marks.items()
                        for what, value in zip(
                            ("support", "feasibility", "horizon"), values, strict=True
                        )
                    }
                    key = _key(person)
                    assert person.post(f"/delegation/ballots/{key}", fields).status_code == 200  # type: ignore[attr-defined]
            else:
                mid = served.live.folder.meeting.meeting.id
                lines = ["sheet,measure,support,feasibility,horizon"] + [
                    f"{sheet_code(mid, 'R', 'session-2', seat)},{m},{','.join(v)}"
                    for seat, marks in RATINGS.items()
                    for m, v in marks.items()
                ]
                reply = fac.post("/facilitator/paper", {"csv": "\n".join(lines)})
                assert reply.status_code == 200, reply.text  # type: ignore[attr-defined]
            assert fac.post("/facilitator/ballots/session-2/close").status_code == 200  # type: ignore[attr-defined]
            served.idle()
            results.append(_ratings(served))
    device, paper = results
    assert len(device[0]) == 3
    assert paper == device
