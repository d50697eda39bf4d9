"""A TTX move played live: the printed handout and the delegate's screen show the same brief and
options (one source); a decision written on the handout is entered by the facilitator on the
delegation's behalf, with the sheet code, and counts like one submitted on a device."""

from __future__ import annotations

import html
import re

import pytest

from detente.document.context import Audience, ReportContext
from detente.document.localize import typography
from detente.document.sections import Request
from detente.paper.codes import sheet_code
from detente.paper.handouts import handout_document
from detente.paper.live import decision_sheet, enter_sheets
from detente.report.html import render_html
from detente.ttx.handout import HandoutContent, handout_content
from detente.ttx.pack import load_pack
from tests.web.conftest import CORVAN, SMALL_TTX, Served, decide, exercise
from tests.web.test_exercise import _key, _open, _to_move_one

__all__ = ["exercise"]  # the live exercise fixture of the web tests


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text))


def _flat(markup: str) -> str:
    """Page text without tags and without any white space (the printed sheet breaks lines)."""
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def _printed(served: Served, delegation: str, language: str) -> str:
    """The move-1 handout of `delegation` as the report renders it for print (HTML)."""
    folder = served.live.folder
    ctx = ReportContext(
        folder=folder,
        records=[],
        scenario=load_pack(SMALL_TTX, meeting=folder).scenario,
        audience=Audience("delegation", delegation),
        language=language,
    )
    request = Request("handouts", Audience("delegation", delegation), language, "handout")
    return _flat(render_html(handout_document(ctx, request, 1)))


def _handout_texts(content: HandoutContent, language: str) -> list[str]:
    """Every text of a handout in `language` (title, brief, injects, questions, options)."""
    texts = [content.title, content.brief, *content.questions]
    for inject in content.injects:
        texts += [inject.title, inject.text, inject.sender, inject.method]
    for option in content.options:
        texts += [option.label, *([option.description] if option.description else [])]
    return [t.get(language) for t in texts if str(t)]


def test_screen_shows_the_printed_handout_in_each_delegation_language(exercise: Served) -> None:
    """Played live: each delegate's screen carries every text of the move's handout, in the
    delegation's language, and the printed sheet carries the same texts; the screen offers
    exactly the options the live request holds open, in the handout's order."""
    _to_move_one(exercise)
    scenario = load_pack(SMALL_TTX).scenario
    controller = exercise.live.controller
    for delegation, language in (("ALD", "en"), ("BRV", "ru")):
        person = exercise.join(CORVAN[delegation], language)
        key = _key(person)
        asked = controller.log.by_key[key][0].record.payload["request"]
        legal = [o["id"] for o in asked["options"]]
        actor = str(asked["actor"])
        content = handout_content(scenario, 1, actor, legal)
        assert content.injects, "move 1 hands out an inject to all"
        page = person.client.get("/delegation").text
        screen = _flat(page)
        printed = _printed(exercise, delegation, language)
        for wording in _handout_texts(content, language):
            assert _flat(wording) in screen, (delegation, wording)
            assert _flat(typography(wording, language)) in printed, (delegation, wording)
        assert (
            re.findall(r'data-option="([^"]+)"', page) == legal == [o.id for o in content.options]
        )
        if language != "en":  # the translations, never their English
            translated = [q for q in content.questions if q.translation(language)]
            translated += [content.injects[0].sender, content.injects[0].method]
            for wording in translated:
                assert wording.translation(language) and _flat(wording.en) not in screen


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


def test_a_decision_form_entered_in_the_console_answers_for_the_delegation(
    exercise: Served,
) -> None:
    fac = _to_move_one(exercise)
    ald = exercise.join(CORVAN["ALD"])
    controller = exercise.live.controller
    asked = controller.log.by_key[_key(ald)][0].record.payload["request"]
    legal = [o["id"] for o in asked["options"]]
    code = sheet_code(exercise.live.folder.meeting.meeting.id, "D", "m1", "ALD")
    page = fac.client.get("/facilitator/paper", params={"sheet": code})
    assert page.status_code == 200 and 'data-test="not-open"' not in page.text
    assert re.findall(r'data-option="([^"]+)"', page.text) == legal
    for question in asked["questions"]:
        assert html.escape(question, quote=False) in page.text
    too_many = {f"action-{a}": "1" for a in legal}
    bad = fac.post("/facilitator/paper", {"sheet": code, **too_many, "statement": "X"})
    if len(legal) > asked["max_actions"]:
        assert bad.status_code == 422  # type: ignore[attr-defined]
        assert "Nothing was recorded" in bad.text  # type: ignore[attr-defined]
    else:
        pytest.fail("the fixture's move 1 should offer more options than may be chosen")
    reply = fac.post(
        "/facilitator/paper",
        {"sheet": code, f"action-{legal[0]}": "1", "statement": "ON-PAPER", "answer-0": "A0"},
    )
    assert reply.status_code == 200, reply.text  # type: ignore[attr-defined]
    assert f"actions: {legal[0]}" in _squash(reply.text)  # type: ignore[attr-defined]
    answer = next(
        e.record
        for e in controller.log.entries
        if e.record.kind == "answer_submitted" and e.record.payload["delegation"] == "ALD"
    )
    assert answer.payload["person"] == "paper:facilitator"
    assert answer.payload["answer"]["actions"] == [legal[0]]
    assert answer.payload["answer"]["statement"] == "ON-PAPER"
