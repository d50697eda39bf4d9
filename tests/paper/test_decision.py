"""A TTX move played live: the printed handout and the delegate's screen show the same brief and
options (one source); a decision written on the handout is entered by the facilitator on the
delegation's behalf, with the sheet code, and counts like one submitted on a device."""

from __future__ import annotations

import html
import re

from detente.paper.codes import sheet_code
from detente.paper.live import decision_sheet, enter_sheets
from detente.ttx.handout import handout_content
from detente.ttx.pack import load_pack
from tests.web.conftest import CORVAN, SMALL_TTX, Served, decide, exercise
from tests.web.test_exercise import _key, _open, _to_move_one

__all__ = ["exercise"]  # the live exercise fixture of the web tests


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text))


def test_handout_and_screen_agree_and_a_paper_decision_counts(exercise: Served) -> None:
    fac = _to_move_one(exercise)
    ald = exercise.join(CORVAN["ALD"])
    brv = exercise.join(CORVAN["BRV"])
    controller = exercise.live.controller
    key = _key(ald)
    asked = controller.log.by_key[key][0].record.payload["request"]
    legal = [o["id"] for o in asked["options"]]
    scenario = load_pack(SMALL_TTX).scenario
    content = handout_content(scenario, 1, "ALD", legal)
    screen = _squash(ald.client.get("/delegation").text)
    assert _squash(content.brief.en) in screen
    assert _squash(content.brief.en) == _squash(asked["brief"])
    assert [o.id for o in content.options] == legal
    for option in content.options:
        assert option.label.en in screen
    assert [q.en for q in content.questions] == asked["questions"]

    meeting_id = exercise.live.folder.meeting.meeting.id
    code = sheet_code(meeting_id, "D", "m1", "ALD")
    sheet = decision_sheet(meeting_id, code, [legal[0]], "PAPER-STATEMENT", source="console")
    written = enter_sheets(controller, "facilitator", [sheet])
    entered, answer = written
    assert entered.kind == "paper_sheet_entered" and entered.payload["sheet"] == code
    assert entered.payload["entered_by"] == "facilitator" and entered.visibility == "facilitator"
    assert answer.kind == "answer_submitted" and answer.payload["person"] == "paper:facilitator"
    brv_key = _key(brv)
    brv.post(f"/delegation/requests/{brv_key}", {"action-hold": "1", "statement": "BRV-SAYS"})
    exercise.idle()
    decide(exercise, fac, {"ruling": "accept"}, "Adjudication of move 1")
    narrative = next(e.record for e in controller.log.entries if e.record.kind == "ttx_narrative")
    assert narrative.payload["statements"]["ALD"] == "PAPER-STATEMENT"
    decision = next(
        e.record
        for e in controller.log.entries
        if e.record.kind == "ttx_decision" and e.record.payload["delegation"] == "ALD"
    )
    assert decision.payload["actions"] == [legal[0]]
    assert _open(exercise, fac)
