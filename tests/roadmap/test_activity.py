"""The roadmap, recommendations and remarks activities through the runner, on both meetings."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from detente.document.summary import render_summary
from detente.meeting.loader import load_meeting
from detente.meeting.state import meeting_state
from detente.roadmap.activity import RUNS_VARIABLE, SWEEP_RUNS, sweep_runs
from detente.roadmap.events import (
    CommitmentMade,
    RecommendationEdited,
    RecommendationsAccepted,
    RecommendationsDrafted,
    RoadmapAnalysed,
    RoadmapRecorded,
)
from detente.roadmap.recommendations import (
    SECTIONS,
    Edit,
    EditError,
    check_edits,
    draft_recommendations,
    recommendations_from_records,
)
from detente.store.events import decode
from detente.store.log import Record
from tests.conftest import KOREA
from tests.roadmap.conftest import RUNS


def _events(records: list[Record], kind: type) -> list[tuple[Record, object]]:
    return [(r, decode(r)) for r in records if r.kind == kind.kind]


def _names(folder: Path) -> list[str]:
    meeting = load_meeting(folder).meeting
    words = []
    for p in meeting.people:
        words.append(p.name)
        words += [w for w in p.name.replace(",", " ").split() if len(w) > 3 and w.isupper()]
    return words


def test_korea_roadmap_session_records_ratings_analysis_and_roadmap(
    korea_run: tuple[Path, list[Record]],
) -> None:
    out, records = korea_run
    kinds = Counter(r.kind for r in records)
    assert kinds["ratings_opened"] == kinds["ratings_closed"] == 1
    assert kinds["rating_submitted"] == 9 * 52
    assert {r.payload["participant"] for r in records if r.kind == "rating_submitted"} == {
        f"{d}-{k}" for d in ("CHN", "RUS", "USA") for k in (1, 2, 3)
    }
    ((_, analysed),) = _events(records, RoadmapAnalysed)
    assert isinstance(analysed, RoadmapAnalysed)
    result = analysed.result
    assert result["runs"] == RUNS and "armed-clash" in result["outcomes"]
    with_effects = [m for m in result["measures"] if m["effects"]]
    assert len(with_effects) >= 30
    for m in with_effects:
        d = m["effects"]["armed-clash"]["difference"]
        assert d["low"] <= d["estimate"] <= d["high"]
    ((_, recorded),) = _events(records, RoadmapRecorded)
    assert isinstance(recorded, RoadmapRecorded)
    roadmap = recorded.roadmap
    tiers = {m["id"]: m["tier"] for m in result["measures"]}
    for entry in roadmap["measures"]:
        assert tiers[entry["id"]] in ("unanimous", "majority")
    phase = {e["id"]: e["phase"] for e in roadmap["measures"]}
    for entry in roadmap["measures"]:
        for pre in entry["prerequisites"]:
            assert phase[pre] < entry["phase"]
        for partner in entry["reciprocal"]:
            assert phase[partner] == entry["phase"]
    assert len(phase) + len(roadmap["further_dialogue"]) == 52
    plots = sorted(p.name for p in (out / "plots").glob("session-6-*"))
    assert plots == [
        "session-6-effects.png",
        "session-6-effects.svg",
        "session-6-roadmap.png",
        "session-6-roadmap.svg",
    ]


def test_recommendation_claims_link_to_events_and_name_no_person(
    korea_run: tuple[Path, list[Record]],
) -> None:
    _, records = korea_run
    by_seq = {r.seq: r for r in records}
    ((drafted_record, drafted),) = _events(records, RecommendationsDrafted)
    assert isinstance(drafted, RecommendationsDrafted)
    sections = {c.section for c in drafted.claims}
    assert sections == set(SECTIONS)
    allowed = {
        "principles": {"analysis_recorded", "statement_added"},
        "roadmap": {"roadmap_recorded", "roadmap_analysed"},
        "actors": {"roadmap_recorded", "roadmap_analysed"},
        "divergence": {"roadmap_recorded", "roadmap_analysed"},
        "ttx": {
            "ttx_exercise_ended",
            "reflection_turning_point",
            "reflection_inject_assessed",
            "roadmap_analysed",
            "roadmap_recorded",
        },
        "next-steps": {"roadmap_recorded"},
        "next-meeting": {"roadmap_recorded"},
    }
    names = _names(KOREA)
    for claim in drafted.claims:
        assert claim.sources, claim.id
        for seq in claim.sources:
            assert seq < drafted_record.seq
            assert by_seq[seq].kind in allowed[claim.section], (claim.id, by_seq[seq].kind)
            assert by_seq[seq].visibility == "all"
        for name in names:
            assert name not in claim.text, (claim.id, name)
    final = recommendations_from_records(records)
    assert final is not None and final.accepted
    assert all(c.origin == "generated" for c in final.claims)
    ((_, accepted),) = _events(records, RecommendationsAccepted)
    assert isinstance(accepted, RecommendationsAccepted)
    assert accepted.claims == len(drafted.claims) and accepted.edited == 0
    # the draft is a function of the record: drafting again from the same events gives it
    meeting = load_meeting(KOREA).meeting
    assert draft_recommendations(meeting, records[: drafted_record.seq - 1]) == drafted.claims


def test_facilitator_edits_are_events_and_show_in_the_final_text(
    korea_run: tuple[Path, list[Record]],
) -> None:
    _, records = korea_run
    ((drafted_record, drafted),) = _events(records, RecommendationsDrafted)
    assert isinstance(drafted, RecommendationsDrafted)
    first, second = drafted.claims[0], drafted.claims[1]
    edits = [
        Edit(first.id, "edit", "A principle as the facilitator wrote it."),
        Edit(second.id, "strike"),
        Edit("next-steps-99", "add", "Meet again in Geneva.", "next-meeting"),
    ]
    check_edits(drafted.claims, edits)
    extra = [
        Record(
            drafted_record.meeting_id,
            drafted_record.seq + k + 1,
            drafted_record.time,
            "facilitator",
            RecommendationEdited.kind,
            "all",
            RecommendationEdited(
                item_id=drafted.item_id,
                claim_id=e.claim_id,
                action=e.action,
                text=e.text,
                section=e.section,
            ).payload(),
        )
        for k, e in enumerate(edits)
    ]
    final = recommendations_from_records([*records[: drafted_record.seq], *extra])
    assert final is not None and not final.accepted
    claims = {c.id: c for c in final.claims}
    assert claims[first.id].origin == "edited" and claims[first.id].sources == tuple(first.sources)
    assert claims[first.id].edited_by == (drafted_record.seq + 1,)
    assert second.id not in claims
    assert claims["next-steps-99"].origin == "added" and claims["next-steps-99"].section == (
        "next-meeting"
    )
    for bad, needle in (
        ([Edit("nope", "edit", "x")], "no claim 'nope'"),
        ([Edit(first.id, "edit", " ")], "has no text"),
        ([Edit("x", "add", "t", "elsewhere")], "unknown section"),
        ([Edit(first.id, "strike"), Edit(first.id, "edit", "t")], "no claim"),
    ):
        with pytest.raises(EditError, match=needle):
            check_edits(drafted.claims, bad)


def test_commitments_are_per_delegation_and_restate_sourced_positions(
    korea_run: tuple[Path, list[Record]],
) -> None:
    _, records = korea_run
    commitments = [e for _, e in _events(records, CommitmentMade)]
    assert [c.delegation for c in commitments] == ["CHN", "RUS", "USA"]  # type: ignore[attr-defined]
    ((roadmap_record, recorded),) = _events(records, RoadmapRecorded)
    assert isinstance(recorded, RoadmapRecorded)
    on_roadmap = {m["id"] for m in recorded.roadmap["measures"]}
    names = _names(KOREA)
    profiles = load_meeting(KOREA).profiles
    assert profiles is not None
    for c in commitments:
        assert isinstance(c, CommitmentMade)
        assert set(c.measures) <= on_roadmap and c.measures
        assert roadmap_record.seq in c.derived_from
        sources = {p.source for p in profiles.profile(c.delegation).positions}
        assert c.source in sources
        assert all(name not in c.text for name in names)


def test_summary_has_the_roadmap_recommendations_and_commitments(
    korea_run: tuple[Path, list[Record]],
) -> None:
    _, records = korea_run
    folder = load_meeting(KOREA)
    text = render_summary(folder, meeting_state(records))
    roadmap = text.split("## Session 6", 1)[1]
    assert "**Roadmap**" in roadmap and "*Phase 1*" in roadmap
    assert "**For further dialogue** (by delegation)" in roadmap
    assert "**Simulated effects**" in roadmap
    assert "Recommendations and Framework for Future Engagement (accepted" in text
    assert "— from events #" in text
    assert "Commitments to next steps, by delegation:" in text
    for name in _names(KOREA):
        assert name not in text.split("## Session 6", 1)[1], name


def test_harbour_roadmap_without_a_scenario_has_no_effects_and_says_so(
    harbour_run: tuple[Path, Path, list[Record]],
) -> None:
    folder, out, records = harbour_run
    ((_, analysed),) = _events(records, RoadmapAnalysed)
    assert isinstance(analysed, RoadmapAnalysed)
    result = analysed.result
    assert result["outcomes"] == {} and result["runs"] is None
    assert all(m["effects"] == {} for m in result["measures"])
    assert "no scenario pack" in result["effects_note"]
    assert {m["id"] for m in result["measures"]} == {
        "common-alert-scale",
        "duty-officer-line",
        "incident-summaries",
        "compulsory-pilotage",
        "pilot-recognition",
        "joint-spill-drill",
        "shared-incident-register",
        "regional-traffic-service",
    }
    assert set(result["delegations"]) == {"NRD", "KES", "LOV"}
    assert sorted(p.name for p in (out / "plots").glob("session-3-*")) == [
        "session-3-roadmap.png",
        "session-3-roadmap.svg",
    ]
    text = render_summary(load_meeting(folder), meeting_state(records))
    assert "Simulated effects: none (the meeting has no scenario pack" in text
    commitments = [e for _, e in _events(records, CommitmentMade)]
    assert sorted(c.delegation for c in commitments) == ["KES", "LOV", "NRD"]  # type: ignore[attr-defined]
    ((_, drafted),) = _events(records, RecommendationsDrafted)
    assert isinstance(drafted, RecommendationsDrafted)
    assert "ttx" not in {c.section for c in drafted.claims}  # no exercise: section left out
    for name in _names(folder):
        assert all(name not in c.text for c in drafted.claims)


def test_harbour_as_shipped_records_commitments_without_a_roadmap(
    harbour: Path, tmp_path: Path
) -> None:
    from tests.roadmap.conftest import record

    _, records = record(harbour, tmp_path / "out")
    assert not [r for r in records if r.kind.startswith("rating")]
    commitments = [e for _, e in _events(records, CommitmentMade)]
    assert len(commitments) == 3
    for c in commitments:
        assert isinstance(c, CommitmentMade)
        assert c.measures == [] and c.derived_from == []
        assert "continue this dialogue" in c.text and c.source == "fictional test data"


def test_sweep_runs_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(RUNS_VARIABLE, raising=False)
    assert sweep_runs() == SWEEP_RUNS == 2000
    monkeypatch.setenv(RUNS_VARIABLE, "50")
    assert sweep_runs() == 50
    monkeypatch.setenv(RUNS_VARIABLE, "many")
    with pytest.raises(ValueError, match="not a whole number"):
        sweep_runs()
    monkeypatch.setenv(RUNS_VARIABLE, "-1")
    with pytest.raises(ValueError, match="negative"):
        sweep_runs()
