"""The console's paper-entry form: a sheet chosen by its code shows whose it is and its lines;
marks entered there count exactly like the same marks on devices; bad input is refused, located,
with nothing recorded; what was recorded is read back marked `paper` with who entered it."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest

from detente.meeting.loader import load_meeting
from detente.paper.codes import sheet_code
from tests.paper.test_live import MARKS, RATINGS, WHO, _by_device, _open_vote, _outcome, _ratings
from tests.web.conftest import Person, Served, serve
from tests.web.test_ballots import _key, _rating_meeting, _to_discussion

PAPER_KINDS = ("paper_sheet_entered", "answer_drafted", "answer_submitted")


def _paper_records(served: Served) -> list[Any]:
    return [
        e.record
        for e in served.live.controller.log.entries
        if e.record.kind == "paper_sheet_entered"
        or str(e.record.payload.get("person", "")).startswith("paper:")
    ]


def _text(reply: Any) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", reply.text)))


def _enter(fac: Person, code: str, marks: dict[str, str]) -> Any:
    return fac.post("/facilitator/paper", {"sheet": code, **marks})


def test_a_ballot_chosen_by_code_shows_whose_it_is_and_its_statements(
    harbour: Path, tmp_path: Path
) -> None:
    folder = load_meeting(harbour)
    code = sheet_code(folder.meeting.meeting.id, "B", "session-2", "NRD-2")
    for served in serve(harbour, tmp_path / "out"):
        fac = _open_vote(served)
        index = fac.client.get("/facilitator/paper")
        assert index.status_code == 200 and code in index.text  # offered among open sheets
        assert 'href="/facilitator/paper"' in fac.client.get("/facilitator").text
        page = fac.client.get("/facilitator/paper", params={"sheet": code})
        assert page.status_code == 200
        shown = _text(page)
        assert "Erik SAND" in shown and "NRD-2" in shown and "Republic of Nordhavn" in shown
        assert 'data-test="not-open"' not in page.text
        statements = re.findall(r'data-line="([^"]+)"', page.text)
        assert "h-alert-scale" in statements
        for sid in statements:
            for value in ("agree", "disagree", "pass"):
                assert f'name="vote-{sid}" value="{value}"' in page.text
        assert not _paper_records(served)  # showing a sheet records nothing


def test_console_sheets_equal_device_votes_and_are_read_back(harbour: Path, tmp_path: Path) -> None:
    device = _by_device(harbour, tmp_path / "device")
    folder = load_meeting(harbour)
    mid = folder.meeting.meeting.id
    for served in serve(harbour, tmp_path / "console"):
        fac = _open_vote(served)
        for seat, marks in MARKS.items():
            code = sheet_code(mid, "B", "session-2", seat)
            reply = _enter(fac, code, {f"vote-{s}": v for s, v in marks.items()})
            assert reply.status_code == 200, reply.text
            shown = _text(reply)
            assert 'data-test="paper-entered"' in reply.text and "paper" in shown
            assert f"Recorded sheet {code} for {seat} (NRD), entered by Forum facilitator" in shown
            for sid, vote in marks.items():
                assert f"{sid}: {vote}" in shown
        entered = [r for r in _paper_records(served) if r.kind == "paper_sheet_entered"]
        assert [r.payload["source"] for r in entered] == ["console", "console"]
        assert {r.payload["entered_by"] for r in entered} == {"facilitator"}
        log = fac.client.get("/facilitator/paper").text
        table = log[log.index('data-test="paper-log"') :]
        assert table.count('class="badge">paper<') == 2 and "Forum facilitator" in table
        assert fac.post("/facilitator/ballots/session-2/close").status_code == 200  # type: ignore[attr-defined]
        served.idle()
        assert _outcome(served) == device


@pytest.mark.parametrize(
    ("seat", "fields", "expected"),
    [
        ("NRD-1", {"vote-h-alert-scale": "maybe"}, r"\.line \d+\.vote: vote 'maybe' is not agree"),
        ("NRD-1", {"vote-nope": "agree"}, r"/[0-9A-F]{4}\.nope: 'nope' is not a line of sheet"),
        ("NRD-1", {}, r"/[0-9A-F]{4}: sheet 'B/session-2/NRD-1/[0-9A-F]{4}': nothing is marked"),
        ("NRD-9", {"vote-h-alert-scale": "agree"}, r"console sheet: .*no seat 'NRD-9'"),
    ],
)
def test_bad_console_input_is_refused_located_and_records_nothing(
    served: Served, seat: str, fields: dict[str, str], expected: str
) -> None:
    fac = _open_vote(served)
    code = sheet_code(served.live.folder.meeting.meeting.id, "B", "session-2", seat)
    reply = _enter(fac, code, fields)
    assert reply.status_code == 422, reply.text
    errors = _text(reply)
    assert "Nothing was recorded" in errors and re.search(expected, errors), errors
    assert not _paper_records(served)


def test_a_sheet_of_another_meeting_or_a_mistyped_code_is_refused(served: Served) -> None:
    fac = _open_vote(served)
    other = sheet_code("another-meeting", "B", "session-2", "NRD-1")
    for code in (other, "B/session-2/NRD-1"):
        page = fac.client.get("/facilitator/paper", params={"sheet": code})
        assert page.status_code == 422
        assert "console sheet:" in _text(page)
        reply = _enter(fac, code, {"vote-h-alert-scale": "agree"})
        assert reply.status_code == 422 and "Nothing was recorded" in _text(reply)
    assert "does not belong to meeting" in _text(
        fac.client.get("/facilitator/paper", params={"sheet": other})
    )
    assert not _paper_records(served)


def test_a_sheet_whose_ballot_is_not_open_says_so_and_is_refused(served: Served) -> None:
    fac = served.join("facilitator")
    code = sheet_code(served.live.folder.meeting.meeting.id, "B", "session-2", "NRD-1")
    page = fac.client.get("/facilitator/paper", params={"sheet": code})
    assert page.status_code == 200 and 'data-test="not-open"' in page.text
    reply = _enter(fac, code, {"vote-h-alert-scale": "agree"})
    assert reply.status_code == 422 and "no open ballot of NRD" in _text(reply)
    # the marks typed are kept in the form to correct and send again
    assert 'name="vote-h-alert-scale" value="agree" aria-label' in reply.text
    assert re.search(r'name="vote-h-alert-scale" value="agree"[^>]*checked', reply.text)
    assert not _paper_records(served)


def test_console_rating_sheets_equal_device_ratings(
    harbour: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DETENTE_ROADMAP_RUNS", "0")
    meeting_dir = _rating_meeting(harbour, tmp_path)
    results = []
    for mode in ("device", "console"):
        for served in serve(meeting_dir, tmp_path / mode):
            fac = _to_discussion(served)
            mid = served.live.folder.meeting.meeting.id
            for seat, marks in RATINGS.items():
                fields = {
                    f"{what}-{m}": value
                    for m, values in marks.items()
                    for what, value in zip(
                        ("support", "feasibility", "horizon"), values, strict=True
                    )
                }
                if mode == "device":
                    person = served.join(WHO[seat])
                    assert (
                        person.post(f"/delegation/ballots/{_key(person)}", fields).status_code
                        == 200
                    )  # type: ignore[attr-defined]
                    continue
                code = sheet_code(mid, "R", "session-2", seat)
                page = fac.client.get("/facilitator/paper", params={"sheet": code})
                assert page.status_code == 200
                for m in marks:
                    assert f'name="support-{m}"' in page.text
                    assert f'name="horizon-{m}"' in page.text
                bad = _enter(fac, code, {**fields, f"support-{next(iter(marks))}": "7"})
                assert bad.status_code == 422
                assert re.search(r"\.line \d+\.support: support '7' is outside -2…\+2", _text(bad))
                reply = _enter(fac, code, fields)
                assert reply.status_code == 200, reply.text
                assert "support " in _text(reply) and "feasibility " in _text(reply)
            assert fac.post("/facilitator/ballots/session-2/close").status_code == 200  # type: ignore[attr-defined]
            served.idle()
            results.append(_ratings(served))
    device, console = results
    assert len(device[0]) == 3
    assert console == device
