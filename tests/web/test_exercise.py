"""The tabletop exercise in the live app: the facilitator opens a move, the delegations decide
(drafts kept, one decision each, only their own actions, before the deadline), the facilitator
overrides the adjudication and the narrative is published; nobody sees what is not theirs."""

from __future__ import annotations

import datetime as dt
import re

from tests.web.conftest import CORVAN, Person, Served, decide

PRIVATE_INJECT = "water cannon"  # inject 2: ALD only
FACILITATION_ROW = "Prompt if no call is made"  # inject 3: a facilitation row
EVALUATOR_NOTE = "Note whether either side calls"  # MSEL evaluator notes of inject 1


def _to_move_one(served: Served) -> Person:
    fac = served.join(CORVAN["facilitator"])
    decide(served, fac, {"note": ""}, "Start: Tabletop Exercise")
    decide(served, fac, {"note": ""}, "Open move 1: Trawlers in the strait")
    assert set(served.live.controller.status.waiting_for) == {"ALD-1"}
    return fac


def _key(person: Person) -> str:
    page = person.client.get("/delegation/panel/requests").text
    found = re.search(r'data-key="([A-Z]+-\d+)"', page)
    assert found is not None, page
    return found.group(1)


def test_a_move_played_by_two_delegations(exercise: Served) -> None:
    fac = _to_move_one(exercise)
    ald = exercise.join(CORVAN["ALD"])
    brv = exercise.join(CORVAN["BRV"], language="ru")
    projector = exercise.join(CORVAN["projector"])
    # the situation brief and the injects each may see
    ald_page = ald.client.get("/delegation").text
    assert "Twelve Bravenian militia boats" in ald_page
    # inject 2 is scheduled at +10 min: the room gets it then, or when the facilitator says
    assert PRIVATE_INJECT not in ald_page
    released = fac.post("/facilitator/control/injects/2/release")
    assert released.status_code == 200  # type: ignore[attr-defined]
    ald_page = ald.client.get("/delegation").text
    assert PRIVATE_INJECT in ald_page
    brv_page = brv.client.get("/delegation").text
    assert "Ход 1 из 2" in brv_page and PRIVATE_INJECT not in brv_page
    # the facilitator sees the move's MSEL, facilitation rows and evaluator notes included
    console = fac.client.get("/facilitator/panel/exercise").text
    assert FACILITATION_ROW in console and EVALUATOR_NOTE in console
    assert 'data-number="7"' in console or 'data-number="4"' in console  # triggered rows listed
    for person, path in ((ald, "/delegation"), (brv, "/delegation"), (projector, "/projector")):
        for text in (
            person.client.get(path).text,
            person.client.get("/events?after=0&once=1").text,
        ):
            assert FACILITATION_ROW not in text and EVALUATOR_NOTE not in text
    # only the delegation's own actions, at most max_actions
    key = _key(ald)
    assert key == "ALD-1" and 'name="action-brv-ram"' not in ald.client.get("/delegation").text
    before = exercise.live.controller.log.seq
    wrong = ald.post(f"/delegation/requests/{key}", {"action-brv-ram": "1"})
    assert wrong.status_code == 422  # type: ignore[attr-defined]
    too_many = {"action-ald-hotline": "1", "action-ald-escort": "1", "action-hold": "1"}
    assert ald.post(f"/delegation/requests/{key}", too_many).status_code == 422  # type: ignore[attr-defined]
    assert exercise.live.controller.log.seq == before
    # any member drafts; every draft is kept; the other delegation never sees them
    draft = {"action-ald-hotline": "1", "statement": "ALD-DRAFT-STATEMENT"}
    assert ald.post(f"/delegation/requests/{key}/draft", draft).status_code == 200  # type: ignore[attr-defined]
    draft2 = {"action-ald-hotline": "1", "action-ald-envoy": "1", "statement": "ALD-FINAL"}
    assert ald.post(f"/delegation/requests/{key}/draft", draft2).status_code == 200  # type: ignore[attr-defined]
    panel = ald.client.get("/delegation/panel/requests").text
    assert "ALD-FINAL" in panel and 'data-test="history"' in panel
    assert ald.post(f"/delegation/requests/{key}", draft2).status_code == 200  # type: ignore[attr-defined]
    exercise.idle()
    # BRV cannot answer or read ALD's request; ALD's unreleased decision stays in ALD
    assert brv.post(f"/delegation/requests/{key}", draft).status_code == 404  # type: ignore[attr-defined]
    for text in (brv.client.get("/delegation").text, brv.client.get("/events?after=0&once=1").text):
        assert "ALD-FINAL" not in text and "ALD-DRAFT-STATEMENT" not in text
    assert "ALD-FINAL" in fac.client.get("/facilitator/panel/exercise").text  # arriving
    assert ald.post(f"/delegation/requests/{key}", draft2).status_code == 409  # type: ignore[attr-defined]
    brv_key = _key(brv)
    answer = brv.post(
        f"/delegation/requests/{brv_key}", {"action-hold": "1", "statement": "BRV-SAYS"}
    )
    assert answer.status_code == 200  # type: ignore[attr-defined]
    exercise.idle()
    # the adjudication: a bad override is refused, a good one applied with its rationale
    bad = {"ruling": "override", "effects": "tension -= ", "rationale": "x"}
    key_, page = _open(exercise, fac)
    assert "Adjudication of move 1" in page
    # in words: the pack's labels and meanings, the raw names only on demand
    proposal = re.search(r'<ul data-test="proposal">(.*?)</ul>', page, re.S)
    assert proposal is not None and "<strong>Aldmark</strong>: " in proposal.group(1)
    assert "(applied)" not in proposal.group(1)
    assert '<summary class="muted">raw</summary><code>tension</code>' in page
    assert fac.post(f"/facilitator/decisions/{key_}", bad).status_code == 422  # type: ignore[attr-defined]
    decide(exercise, fac, {"ruling": "override", "effects": "tension -= 5", "rationale": "calm"})
    kinds = [e.record.kind for e in exercise.live.controller.log.entries]
    assert "ttx_adjudication_overridden" in kinds and "ttx_narrative" in kinds
    narrative = next(
        e.record for e in exercise.live.controller.log.entries if e.record.kind == "ttx_narrative"
    )
    assert narrative.visibility == "all" and narrative.payload["statements"]["ALD"] == "ALD-FINAL"
    # the private envoy never reaches the room; the projector shows the meter and the inject
    screen = projector.client.get("/projector").text
    assert 'data-test="meter"' in screen and "Aldmark" in screen
    assert "private envoy" not in brv.client.get("/delegation").text
    # advancing: the next move waits for the facilitator, and every screen says it is not open
    _key_next, page = _open(exercise, fac)
    assert "Open move 2" in page
    assert "Move 2 of 2 has not opened yet" in ald.client.get("/delegation/panel/exercise").text
    assert "Ход 2 из 2 ещё не открыт" in brv.client.get("/delegation/panel/exercise").text


def test_a_move_not_opened_yet_is_said(exercise: Served) -> None:
    fac = exercise.join(CORVAN["facilitator"])
    ald = exercise.join(CORVAN["ALD"], language="zh-Hans")
    decide(exercise, fac, {"note": ""}, "Start: Tabletop Exercise")
    waiting = ald.client.get("/delegation/panel/exercise").text
    assert 'data-test="not-opened"' in waiting and "第 1 回合（共 2 回合）尚未开始" in waiting
    decide(exercise, fac, {"note": ""}, "Open move 1: Trawlers in the strait")
    assert 'data-test="not-opened"' not in ald.client.get("/delegation/panel/exercise").text


def _open(served: Served, fac: Person) -> tuple[str, str]:
    from tests.web.conftest import open_decision

    return open_decision(served, fac)


def test_a_decision_after_the_deadline_is_refused(exercise: Served) -> None:
    _to_move_one(exercise)
    ald = exercise.join(CORVAN["ALD"])
    controller = exercise.live.controller
    deadline = controller.deadline_for("ALD-1")
    assert deadline is not None
    move = next(e.record for e in controller.log.entries if e.record.kind == "ttx_move_started")
    assert deadline == move.time + dt.timedelta(minutes=30)  # 45-minute move, two thirds
    assert "Decisions close at" in ald.client.get("/delegation").text
    controller._now = lambda: deadline + dt.timedelta(seconds=1)
    before = controller.log.seq
    late = ald.post("/delegation/requests/ALD-1", {"action-hold": "1"})
    assert late.status_code == 409  # type: ignore[attr-defined]
    assert "The deadline for this request has passed." in late.text  # type: ignore[attr-defined]
    assert controller.log.seq == before


def test_a_contingency_inject_is_shown_in_full_before_its_release(exercise: Served) -> None:
    """Move 1 ends tense with no talks: inject 7's trigger holds in move 2; the facilitator's
    decision shows the inject as the MSEL gives it (sender, audience, trigger, text, expected
    action), not its title alone."""
    fac = _to_move_one(exercise)
    for delegation in ("ALD", "BRV"):
        member = exercise.join(CORVAN[delegation])
        answer = member.post(f"/delegation/requests/{_key(member)}", {"action-hold": "1"})
        assert answer.status_code == 200  # type: ignore[attr-defined]
        exercise.idle()
    # the adjudication marks what changed since the move opened: here, since the pack's start
    _, page = _open(exercise, fac)
    assert "Adjudication of move 1" in page
    initial = {"Tension in the strait": "30", "Militia boats": "4 boats", "People killed": "0"}
    rows = _state_rows(page)
    for meaning, (value, was) in rows.items():
        start = next((v for k, v in initial.items() if meaning.startswith(k)), None)
        if start is not None:
            assert was == ("" if value == start else start), (meaning, value, was)
    changed = sum(1 for _, was in rows.values() if was)
    assert f"({changed} change" in page
    decide(exercise, fac, {"ruling": "override", "effects": "tension += 60", "rationale": "x"})
    decide(exercise, fac, {"note": ""}, "Open move 2")
    _, page = _open(exercise, fac)
    assert "Contingency inject 7: Offer of mediation" in page
    detail = re.search(r'data-test="contingency-detail">(.*?)</div>', page, re.S)
    assert detail is not None, page
    for shown in (
        "A neighbouring state offers to host talks on the fishing grounds.",
        "A neighbouring state",
        "To: all",
        "if talks == 0 and tension &gt;= 50",
        "Expected action: Accept the offer and propose talks.",
    ):
        assert shown in detail.group(1), shown
    # and in move 2, what changed since move 2 opened: move 1's end (its audit, override included)
    decide(exercise, fac, {"ruling": "release", "note": ""})
    for delegation in ("ALD", "BRV"):
        member = exercise.join(CORVAN[delegation])
        answer = member.post(f"/delegation/requests/{_key(member)}", {"action-hold": "1"})
        assert answer.status_code == 200  # type: ignore[attr-defined]
        exercise.idle()
    while "Adjudication of move 2" not in (page := _open(exercise, fac)[1]):
        decide(exercise, fac, {"ruling": "release", "note": ""})
    audit = [
        e.record.payload
        for e in exercise.live.controller.log.entries
        if e.record.kind == "ttx_mechanics_audit"
    ]
    tension = [x["after"] for x in audit[0]["entries"] if x["variable"] == "tension"][-1]
    value, was = _state_rows(page)["Tension in the strait (0 calm, 100 open conflict)."]
    assert was in ("", f"{tension:g}") and (was == "") == (value == f"{tension:g}"), (value, was)


def _state_rows(page: str) -> dict[str, tuple[str, str]]:
    """The review's state table: meaning -> (value, value when the move opened or "")."""
    rows = re.findall(
        r'<tr(?: class="changed" data-test="changed")?><td>(.*?)</td><td>(.*?)</td>', page
    )
    out = {}
    for meaning, cell in rows:
        value, _, was = cell.partition(' <span class="muted">was ')
        out[meaning.strip()] = (value.strip(), was.removesuffix("</span>").strip())
    return out


def test_the_board_tells_not_opened_opened_and_drafted(exercise: Served) -> None:
    """`request_viewed` is recorded once per person and request, the first time their page
    shows it; the facilitator's board says not opened / opened / drafted per delegation."""
    fac = _to_move_one(exercise)

    def board() -> dict[str, str]:
        page = fac.client.get("/facilitator/panel/control").text
        return dict(re.findall(r'data-delegation="([A-Z]+)" class="arrival-([a-z-]+)"', page))

    exercise.idle()
    assert board() == {"ALD": "not-opened", "BRV": "not-opened"}
    ald = exercise.join(CORVAN["ALD"])
    for _ in range(3):  # refreshes record nothing more
        ald.client.get("/delegation")
        ald.client.get("/delegation/panel/requests")
    viewed = [
        e.record for e in exercise.live.controller.log.entries if e.record.kind == "request_viewed"
    ]
    assert [(v.payload["key"], v.payload["person"]) for v in viewed] == [("ALD-1", CORVAN["ALD"])]
    assert all(v.visibility == "facilitator" for v in viewed)
    assert "request_viewed" not in ald.client.get("/events?after=0&once=1").text
    assert board() == {"ALD": "opened", "BRV": "not-opened"}
    draft = ald.post("/delegation/requests/ALD-1/draft", {"statement": "We call the hotline."})
    assert draft.status_code == 200  # type: ignore[attr-defined]
    exercise.idle()
    assert board() == {"ALD": "drafted", "BRV": "not-opened"}
    ru = exercise.join(CORVAN["facilitator"], language="ru")
    assert "не просмотрен" in ru.client.get("/facilitator/panel/control").text
