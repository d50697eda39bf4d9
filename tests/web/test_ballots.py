"""Votes (and ratings) in the live app: each member votes for themselves, changes are kept, the
facilitator adds statements live, watches the live common ground and closes voting; nothing of
a running vote reaches another delegation, observers or the projector."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.web.conftest import PEOPLE, Person, Served, decide, open_decision, serve

STATEMENT = "h-alert-scale"


def _to_discussion(served: Served) -> Person:
    fac = served.join(PEOPLE["facilitator"])
    for title in ("Start: Breakfast", "End: Breakfast", "Start: Harbour Safety"):
        decide(served, fac, {"note": ""}, title)
    for delegation in ("KES", "LOV", "NRD"):
        fac.post(f"/facilitator/seats/{delegation}", {"holder": "simulated"})
    served.idle()
    for delegation in ("KES", "LOV", "NRD"):
        fac.post(f"/facilitator/seats/{delegation}", {"holder": "people"})
    decide(served, fac, {"note": ""}, "End: Harbour Safety")
    decide(served, fac, {"note": ""}, "Start: Towards Shared")
    return fac


def _key(person: Person) -> str:
    found = re.search(r'data-key="([A-Z]+-\d+)"', person.client.get("/delegation").text)
    assert found is not None
    return found.group(1)


def test_members_vote_for_themselves_and_the_facilitator_closes(served: Served) -> None:
    fac = _to_discussion(served)
    # a statement added live from a participant's remark, recorded under a seat position
    decide(
        served,
        fac,
        {"do": "add", "text": "LIVE-STATEMENT on tug escorts", "remark_by": "KES-2"},
        "Statements for the vote (10 so far)",
    )
    _key_, page = open_decision(served, fac)
    assert "LIVE-STATEMENT on tug escorts" in page
    bad = fac.post(
        f"/facilitator/decisions/{_key_}", {"do": "add", "text": "x", "remark_by": "ada-lind"}
    )
    assert bad.status_code == 422  # type: ignore[attr-defined]
    decide(served, fac, {"do": "open"}, "Statements for the vote (11 so far)")
    added = [
        e.record for e in served.live.controller.log.entries if e.record.kind == "statement_added"
    ]
    assert added[-1].payload["provenance"] == "participant-remark"
    assert added[-1].payload["remark_by"] == "KES-2"
    ada, erik = served.join(PEOPLE["NRD"]), served.join(PEOPLE["NRD2"])
    kes = served.join(PEOPLE["KES"])
    observer, projector = served.join(PEOPLE["observer"]), served.join(PEOPLE["projector"])
    key = _key(ada)
    assert key.startswith("NRD-")
    # nobody submits for the whole delegation
    assert (
        ada.post(f"/delegation/requests/{key}", {f"vote-{STATEMENT}": "agree"}).status_code == 409
    )  # type: ignore[attr-defined]
    # a member votes, changes their mind (history kept), another member votes
    assert ada.post(f"/delegation/ballots/{key}", {f"vote-{STATEMENT}": "agree"}).status_code == 200  # type: ignore[attr-defined]
    assert (
        ada.post(f"/delegation/ballots/{key}", {f"vote-{STATEMENT}": "disagree"}).status_code == 200
    )  # type: ignore[attr-defined]
    assert (
        erik.post(
            f"/delegation/ballots/{key}",
            {f"vote-{STATEMENT}": "agree", "vote-h-near-misses": "pass"},
        ).status_code
        == 200
    )  # type: ignore[attr-defined]
    assert ada.post(f"/delegation/ballots/{key}", {f"vote-{STATEMENT}": "maybe"}).status_code == 422  # type: ignore[attr-defined]
    assert kes.post(f"/delegation/ballots/{key}", {f"vote-{STATEMENT}": "agree"}).status_code == 404  # type: ignore[attr-defined]
    marks = [
        e.record
        for e in served.live.controller.log.entries
        if e.record.kind == "answer_drafted" and e.record.payload["key"] == key
    ]
    assert [m.payload["fields"]["member"] for m in marks] == ["NRD-1", "NRD-1", "NRD-2"]
    assert all(m.visibility == "delegation:NRD" for m in marks)
    assert "Saved 2 times." in ada.client.get("/delegation/panel/requests").text
    # the facilitator's live view; nothing of the running vote anywhere else
    live_view = fac.client.get("/facilitator/panel/ground").text
    assert 'data-test="common-ground"' in live_view and "close-voting" in live_view
    assert f'data-statement="{STATEMENT}"' in live_view
    for person, path in ((kes, "/delegation"), (observer, "/observer"), (projector, "/projector")):
        text = person.client.get(path).text
        assert 'data-test="common-ground"' not in text, path
        assert "NRD-1" not in person.client.get("/events?after=0&once=1").text
    # only the facilitator closes; then the votes are public under seat positions
    assert ada.post("/facilitator/ballots/session-2/close").status_code == 403  # type: ignore[attr-defined]
    assert fac.post("/facilitator/ballots/session-2/close").status_code == 200  # type: ignore[attr-defined]
    served.idle()
    casts = [e.record for e in served.live.controller.log.entries if e.record.kind == "vote_cast"]
    final = {
        (c.payload["participant"], c.payload["statement_id"]): c.payload["vote"] for c in casts
    }
    assert final == {
        ("NRD-1", STATEMENT): "disagree",
        ("NRD-2", STATEMENT): "agree",
        ("NRD-2", "h-near-misses"): "pass",
    }
    assert all(c.visibility == "all" for c in casts)
    for person, path in ((observer, "/observer"), (projector, "/projector"), (kes, "/delegation")):
        assert 'data-test="common-ground"' in person.client.get(path).text, path
    assert fac.post("/facilitator/ballots/session-2/close").status_code == 409  # type: ignore[attr-defined]


MEASURES = """measures:
  - id: joint-alerts
    title: Common alert levels
    description: One four-level alert scale for the three harbours.
    category: immediate-actions
    actors: [NRD, KES, LOV]
    horizon: immediate
    tags: {harbour_safety: 0.7}
    contribution: Shared alerts.
    source: Harbour rules (fictional).
  - id: pilot-pool
    title: Shared pilot pool
    description: Pilots licensed for the whole channel.
    category: immediate-actions
    actors: [NRD, KES]
    horizon: within-a-year
    tags: {shipping_throughput: 0.5}
    contribution: Faster pilotage.
    source: Pilot rules (fictional).
"""


def _rating_meeting(harbour: Path, tmp_path: Path) -> Path:
    target = tmp_path / "harbour-roadmap"
    shutil.copytree(harbour, target)
    (target / "statements.yaml").unlink()
    meeting = (target / "meeting.yaml").read_text(encoding="utf-8")
    meeting = meeting.replace(
        "        activity: discussion\n",
        "        activity: roadmap\n"
        "        steps:\n"
        "          - id: immediate-actions\n"
        "            title: Immediate steps\n"
        "            questions:\n"
        "              - Which steps first?\n",
    )
    (target / "meeting.yaml").write_text(meeting, encoding="utf-8")
    (target / "measures.yaml").write_text(MEASURES, encoding="utf-8")
    return target


def test_members_rate_measures_and_the_ranking_follows(
    harbour: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DETENTE_ROADMAP_RUNS", "0")
    running = serve(_rating_meeting(harbour, tmp_path), tmp_path / "out")
    served = next(running)
    try:
        _rate(served)
    finally:
        running.close()


def _rate(served: Served) -> None:
    fac = _to_discussion(served)
    ada, lena = served.join(PEOPLE["NRD"]), served.join("lena-vogt")
    observer = served.join(PEOPLE["observer"])
    key = _key(ada)
    rating = {
        "support-joint-alerts": "2",
        "feasibility-joint-alerts": "4",
        "horizon-joint-alerts": "immediate",
    }
    assert ada.post(f"/delegation/ballots/{key}", rating).status_code == 200  # type: ignore[attr-defined]
    partial = {"support-pilot-pool": "1"}
    assert ada.post(f"/delegation/ballots/{key}", partial).status_code == 422  # type: ignore[attr-defined]
    out_of_range = {
        "support-pilot-pool": "3",
        "feasibility-pilot-pool": "2",
        "horizon-pilot-pool": "longer",
    }
    assert ada.post(f"/delegation/ballots/{key}", out_of_range).status_code == 422  # type: ignore[attr-defined]
    lov = _key(lena)
    low = {
        "support-joint-alerts": "-1",
        "feasibility-joint-alerts": "2",
        "horizon-joint-alerts": "longer",
    }
    assert lena.post(f"/delegation/ballots/{lov}", low).status_code == 200  # type: ignore[attr-defined]
    ranking = fac.client.get("/facilitator/panel/ground").text
    assert 'data-measure="joint-alerts"' in ranking and "close-rating" in ranking
    assert 'data-measure="joint-alerts"' not in observer.client.get("/observer").text
    assert fac.post("/facilitator/ballots/session-2/close").status_code == 200  # type: ignore[attr-defined]
    served.idle()
    rated = [
        e.record for e in served.live.controller.log.entries if e.record.kind == "rating_submitted"
    ]
    assert {(r.payload["participant"], r.payload["support"]) for r in rated} == {
        ("NRD-1", 2),
        ("LOV-2", -1),
    }
    public = observer.client.get("/observer").text
    assert 'data-measure="joint-alerts"' in public and "Common alert levels" in public


def test_live_statements_are_edited_or_withdrawn_until_voting_opens(
    served: Served, tmp_path: Path
) -> None:
    fac = _to_discussion(served)
    for text in ("LIVE-ONE on pilots", "LIVE-TWO on buoys", "LIVE-THREE on radios"):
        decide(served, fac, {"do": "add", "text": text}, "Statements for the vote")
    key, page = open_decision(served, fac)
    # only statements added live carry the edit and withdraw buttons
    assert page.count('data-test="edit-statement"') == 3
    assert f'value="edit:{STATEMENT}"' not in page
    refused = fac.post(f"/facilitator/decisions/{key}", {"do": f"withdraw:{STATEMENT}"})
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "Only a statement added during the session" in refused.text  # type: ignore[attr-defined]
    decide(
        served,
        fac,
        {"do": "edit:session-2-live-1", "edit-session-2-live-1": "LIVE-ONE reworded"},
        "LIVE-ONE on pilots",
    )
    decide(served, fac, {"do": "withdraw:session-2-live-2"}, "LIVE-TWO on buoys")
    key, page = open_decision(served, fac)
    assert "LIVE-ONE reworded" in page and "LIVE-TWO" not in page
    decide(served, fac, {"do": "open"}, "Statements for the vote (12 so far)")
    kinds = [e.record.kind for e in served.live.controller.log.entries]
    assert "statement_edited" in kinds and "statement_withdrawn" in kinds
    opened = next(
        e.record for e in served.live.controller.log.entries if e.record.kind == "voting_opened"
    )
    ids = opened.payload["statement_ids"]
    assert "session-2-live-2" not in ids and {"session-2-live-1", "session-2-live-3"} <= set(ids)
    # once voting opened, a stale form's edit is refused with its own message, translated
    russian = served.join(PEOPLE["facilitator"], language="ru")
    late = russian.post(f"/facilitator/decisions/{key}", {"do": "withdraw:session-2-live-3"})
    assert late.status_code == 409  # type: ignore[attr-defined]
    assert "Голосование открыто" in late.text  # type: ignore[attr-defined]
    # the live common ground shows the edited wording; the withdrawn statement is not voted on
    ground = fac.client.get("/facilitator/panel/ground").text
    assert "LIVE-ONE reworded" in ground and "LIVE-TWO" not in ground
    ada = served.join(PEOPLE["NRD"])
    ballot = _key(ada)
    assert (
        ada.post(f"/delegation/ballots/{ballot}", {"vote-session-2-live-2": "agree"}).status_code  # type: ignore[attr-defined]
        == 422
    )
    assert (
        ada.post(f"/delegation/ballots/{ballot}", {"vote-session-2-live-1": "agree"}).status_code  # type: ignore[attr-defined]
        == 200
    )
    assert fac.post("/facilitator/ballots/session-2/close").status_code == 200  # type: ignore[attr-defined]
    served.idle()
    # the analysis uses the edited statements and skips the withdrawn one
    from detente.deliberation.votes import ballots_from_records

    records = [e.record for e in served.live.controller.log.entries]
    ballot_2 = ballots_from_records(records)["session-2"]
    assert ballot_2.statements["session-2-live-1"].text == "LIVE-ONE reworded"
    assert "session-2-live-2" not in ballot_2.statements
    analysis = next(
        e.record for e in served.live.controller.log.entries if e.record.kind == "analysis_recorded"
    )
    assert "session-2-live-2" not in str(analysis.payload)
