"""The discussion activity: statements, votes from every seat, recorded analysis, summary."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from detente.deliberation.activity import add_statement, analyse_ballot, collect_votes, deliberate
from detente.deliberation.events import AnalysisRecorded, VoteCast, VotingClosed, VotingOpened
from detente.deliberation.statements import Statement, load_statements
from detente.deliberation.summary import deliberation_section
from detente.deliberation.votes import (
    PASS_BAND,
    VoteItem,
    VoteRequest,
    Votes,
    ballots_from_records,
)
from detente.document.summary import render_summary
from detente.meeting.context import ActivityContext
from detente.meeting.loader import MeetingFolder, load_meeting
from detente.meeting.runner import run_meeting, simulated_seats
from detente.meeting.state import HeldItem, meeting_state
from detente.seats.replay import ReplaySeat
from detente.seats.simulated import SimulatedDelegation
from detente.store.events import decode
from detente.store.log import EventStore, Record

TIERS = {"unanimous", "majority", "one-neutral", "uncertain", "divided", "insufficient"}


def run(root: Path, tmp_path: Path, seed: int = 0) -> tuple[MeetingFolder, list[Record]]:
    folder = load_meeting(root)
    store = EventStore(f"sqlite:///{tmp_path / 'log.db'}")
    return folder, run_meeting(folder, store, seed=seed)


def context(folder: MeetingFolder, tmp_path: Path, seed: int = 0) -> ActivityContext:
    store = EventStore(f"sqlite:///{tmp_path / 'ctx.db'}")
    seq = [0]

    def append(draft: object) -> Record:
        (record,) = store.append(folder.meeting.meeting.id, [draft])  # type: ignore[list-item]
        seq[0] = record.seq
        return record

    return ActivityContext(
        folder=folder,
        seats=simulated_seats(folder, seed),
        rng=np.random.default_rng(seed),
        append=append,
        now=dt.datetime(2025, 6, 12, 10, tzinfo=dt.UTC),
    )


@pytest.mark.parametrize("which", ["korea", "harbour"])
def test_every_delegate_votes_on_every_statement_of_each_discussion(
    which: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    folder, records = run(request.getfixturevalue(which), tmp_path)
    loaded = load_statements(folder)
    assert loaded is not None
    discussion = [it.id for _, it in folder.meeting.items() if it.activity == "discussion"]
    ballots = ballots_from_records(records)
    delegates = sum(len(folder.meeting.members(d.id)) for d in folder.meeting.delegations)
    for item_id in discussion:
        ids = [s.id for s in loaded.statements.for_item(item_id)]
        ballot = ballots[item_id]
        assert list(ballot.statements) == ids
        assert ballot.opened and ballot.closed
        assert len(ballot.final) == delegates * len(ids) == ballot.votes_cast
        for d in folder.meeting.delegations:
            voters = {p for p, g in ballot.groups().items() if g == d.id}
            assert voters == {
                f"{d.id}-{k}" for k in range(1, len(folder.meeting.members(d.id)) + 1)
            }
    people = {p.id for p in folder.meeting.people}
    votes = [decode(r) for r in records if r.kind == "vote_cast"]
    assert votes and all(isinstance(v, VoteCast) and v.participant not in people for v in votes)
    assert {v.vote for v in votes if isinstance(v, VoteCast)} <= {"agree", "disagree", "pass"}


def test_recorded_analysis_partitions_statements_into_tiers(korea: Path, tmp_path: Path) -> None:
    _, records = run(korea, tmp_path)
    analyses = [decode(r) for r in records if r.kind == "analysis_recorded"]
    # Session 5 is the TTX reflection (hotwash): it votes on its statements too.
    assert [a.item_id for a in analyses if isinstance(a, AnalysisRecorded)] == [
        "session-2",
        "session-3",
        "session-5",
    ]
    for a in analyses:
        assert isinstance(a, AnalysisRecorded) and a.status == "ok"
        result = a.result
        assert set(result["tiers"]) == TIERS
        tiered = [s for ids in result["tiers"].values() for s in ids]
        assert sorted(tiered) == sorted(result["statements"])
        assert result["common_ground"]["delegations"] == ["CHN", "RUS", "USA"]
        # nine experts are fewer than the Pol.is minimum: said, with a stability figure
        assert result["emergent"]["status"] == "below-minimum"
        assert -1.0 <= result["emergent"]["stability"] <= 1.0
        assert any("fewer than the 15" in n for n in result["notes"])
        comparison = result["comparison"]
        assert sum(map(sum, comparison["table"])) == 9 and -1.0 <= comparison["ari"] <= 1.0


def test_summary_lists_common_ground_divisions_and_open_questions_by_delegation(
    korea: Path, tmp_path: Path
) -> None:
    folder, records = run(korea, tmp_path)
    text = render_summary(folder, meeting_state(records))
    for session in ("Session 2", "Session 3"):
        section = text.split(f"## {session}:")[1].split("\n## ")[0]
        assert "**Common ground**" in section and "**Divisions:**" in section
        assert "**Open questions**" in section
        assert re.search(r"(CHN|RUS|USA) \d/3", section)
        for person in folder.meeting.people:
            assert person.name not in section
    assert "2 observer(s) did not vote" in text


def test_same_seed_same_votes_and_different_seed_different_votes(
    harbour: Path, tmp_path: Path
) -> None:
    def votes(seed: int, name: str) -> list[str]:
        path = tmp_path / name
        path.mkdir()
        _, records = run(harbour, path, seed)
        return [r.to_json() for r in records if r.kind in ("vote_cast", "analysis_recorded")]

    assert votes(3, "a") == votes(3, "b")
    assert votes(3, "a2") != votes(4, "c")


def test_experts_of_one_delegation_need_not_agree(korea: Path) -> None:
    folder = load_meeting(korea)
    assert folder.profiles is not None
    seat = SimulatedDelegation(folder.profiles, "USA", np.random.default_rng(0))
    loaded = load_statements(folder)
    assert loaded is not None
    items = tuple(
        VoteItem(s.id, s.text, tuple(s.tags.items()))
        for item in ("session-2", "session-3")
        for s in loaded.statements.for_item(item)
    )
    answer = seat.answer(VoteRequest("x", items, ("USA-1", "USA-2", "USA-3")))
    by_statement: dict[str, set[str]] = {}
    for v in answer.votes:
        by_statement.setdefault(v.statement_id, set()).add(v.vote)
    assert any(len(v) > 1 for v in by_statement.values())


def test_a_statement_that_touches_no_interest_is_passed(harbour: Path) -> None:
    folder = load_meeting(harbour)
    assert folder.profiles is not None
    seat = SimulatedDelegation(folder.profiles, "NRD", np.random.default_rng(0))
    weak = VoteItem("w", "Weak.", (("harbour_safety", PASS_BAND / 10),))
    strong = VoteItem("s", "Strong.", (("harbour_safety", 1.0),))
    answer = seat.answer(VoteRequest("x", (weak, strong), ("NRD-1", "NRD-2")))
    votes = Counter((v.statement_id, v.vote) for v in answer.votes)
    assert votes[("w", "pass")] == 2
    assert votes[("s", "pass")] == 0


def test_replay_seat_gives_back_the_recorded_votes(harbour: Path, tmp_path: Path) -> None:
    _, records = run(harbour, tmp_path)
    ballot = ballots_from_records(records)["session-2"]
    items = tuple(VoteItem(s, e.text, ()) for s, e in ballot.statements.items())
    replayed = ReplaySeat("KES", records).answer(
        VoteRequest("session-2", items, ("KES-1", "KES-2"))
    )
    assert isinstance(replayed, Votes)
    assert {(v.participant, v.statement_id): v.vote for v in replayed.votes} == {
        k: v for k, v in ballot.final.items() if k[0].startswith("KES-")
    }
    assert len(replayed.votes) == 2 * len(items)


def test_reflection_can_reuse_deliberate_with_its_own_statements(
    korea: Path, tmp_path: Path
) -> None:
    folder = load_meeting(korea)
    loaded = load_statements(folder)
    assert loaded is not None
    ctx = context(folder, tmp_path)
    item = folder.meeting.item("session-5")
    analysis = deliberate(ctx, item, loaded.statements.for_item("session-5"))
    assert analysis.common is not None
    assert len(analysis.statements) == len(loaded.statements.for_item("session-5"))
    assert [r.kind for r in ctx.emitted].count("analysis_recorded") == 1


def test_changed_votes_keep_history_and_the_last_vote_counts(harbour: Path, tmp_path: Path) -> None:
    folder = load_meeting(harbour)
    ctx = context(folder, tmp_path)
    item = folder.meeting.item("session-2")
    statement = Statement(id="x1", text="A statement.", tags={"harbour_safety": 1.0})
    add_statement(ctx, item, statement)
    ballot = collect_votes(ctx, item, [statement])
    before = ballot.final[("NRD-1", "x1")]
    # voting re-opens and NRD-1 changes their vote; an observer votes too
    ctx.emit(VotingOpened(item_id="session-2", statement_ids=["x1"]), actor="facilitator")
    changed = "disagree" if before != "disagree" else "agree"
    ctx.emit(
        VoteCast(
            item_id="session-2",
            participant="NRD-1",
            statement_id="x1",
            vote=changed,
            delegation="NRD",
        ),
        actor="NRD",
    )
    ctx.emit(
        VoteCast(
            item_id="session-2",
            participant="observer-1",
            statement_id="x1",
            vote="agree",
            observer=True,
        ),
        actor="observer",
    )
    ctx.emit(VotingClosed(item_id="session-2", votes_cast=2), actor="facilitator")
    final = ballots_from_records(ctx.emitted)["session-2"]
    assert final.final[("NRD-1", "x1")] == changed and final.changes == 1
    assert final.votes_cast == 6 + 2
    assert [r.payload.get("vote") for r in ctx.emitted if r.kind == "vote_cast"].count(before) >= 1
    analysis = analyse_ballot(folder.meeting, final)
    assert analysis.common is not None and analysis.common.n_observers == 1
    nrd = analysis.common.statement("x1").group("NRD")
    assert nrd.voted == 2  # the observer never counts toward a delegation
    assert analysis.common.observers[0].agree == 1


def test_statement_from_a_remark_is_marked_without_naming_anyone(
    harbour: Path, tmp_path: Path
) -> None:
    folder = load_meeting(harbour)
    ctx = context(folder, tmp_path)
    item = folder.meeting.item("session-2")
    statement = Statement(id="r1", text="Pilots should share a radio channel.")
    event = add_statement(ctx, item, statement, provenance="participant-remark", remark_by="LOV-2")
    assert event.remark_by == "LOV-2"
    with pytest.raises(ValueError, match="remark_by"):
        add_statement(ctx, item, statement, provenance="facilitator", remark_by="LOV-2")
    ballot = collect_votes(ctx, item, [statement])
    analysis = analyse_ballot(folder.meeting, ballot)
    ctx.emit(
        AnalysisRecorded(item_id="session-2", status=analysis.status, result=analysis.to_json()),
        actor="system",
    )
    held = meeting_state(ctx.emitted)
    assert held.items == []  # no item_started in this hand-made context: fold by hand
    fake = HeldItem("session-2", "t", "session", 2, "discussion", ctx.now)
    fake.outputs = [(r, decode(r)) for r in ctx.emitted]
    text = "\n".join(deliberation_section(folder, fake))
    assert "written from a participant's remark" in text
    assert "LOV-2" not in text and "Lena" not in text and "VOGT" not in text
