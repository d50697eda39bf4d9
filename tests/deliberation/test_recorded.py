"""The recorded room analysis reads back as the same types the analysis returned."""

from __future__ import annotations

import json

from detente.deliberation.analysis import analyse_votes
from detente.deliberation.events import AnalysisRecorded
from detente.deliberation.recorded import recorded_analysis

STATEMENTS = ("s1", "s2", "s3", "s4")
KNOWN: dict[str, str | None] = {
    **{p: "ALD" for p in ("a1", "a2", "a3")},
    **{p: "BRV" for p in ("b1", "b2", "b3")},
    "o1": None,
}
VOTES = {
    # statement: votes of a1 a2 a3 b1 b2 b3 o1 (+ agree, - disagree, 0 pass, . none)
    "s1": "+++ +++ -",
    "s2": "++- --- +",
    "s3": "+00 00+ .",
    "s4": "+++ ... +",  # BRV cast no vote: too few votes, left out of the ranking
}


def _event() -> AnalysisRecorded:
    people = ("a1", "a2", "a3", "b1", "b2", "b3", "o1")
    code = {"+": 1, "-": -1, "0": 0}
    triples = [
        (p, s, code[c])
        for s, text in VOTES.items()
        for p, c in zip(people, text.replace(" ", ""), strict=True)
        if c != "."
    ]
    analysis = analyse_votes(STATEMENTS, triples, known=KNOWN, delegations=("ALD", "BRV"))
    assert analysis.common is not None
    result = json.loads(json.dumps(analysis.to_json()))  # as the record stores it
    return AnalysisRecorded(item_id="session-2", status=analysis.status, result=result)


def test_common_ground_reads_back_equal_to_what_the_analysis_returned() -> None:
    event = _event()
    recorded = recorded_analysis(event)
    analysis_common = recorded.common
    assert analysis_common is not None
    assert analysis_common.to_json_dict() == event.result["common_ground"]
    assert recorded.participants == 7
    assert recorded.consensus == tuple(event.result["consensus"])
    assert analysis_common.splits["ALD"][0].statement_id == "s2"
    assert [t.group for t in analysis_common.statement("s1").groups] == ["ALD", "BRV"]
    assert analysis_common.observers[0].disagree == 1
    assert recorded.emergent_status == event.result["emergent"]["status"]


def test_ranked_lists_common_ground_first_then_the_statements_left_out() -> None:
    recorded = recorded_analysis(_event())
    ranked = [r.statement_id for r in recorded.ranked()]
    assert recorded.common is not None
    assert ranked[: len(recorded.common.common_ground)] == list(recorded.common.common_ground)
    assert ranked[-1] == "s4" and recorded.statement("s4") is not None
    assert recorded.statement("s4").tier == "insufficient"  # type: ignore[union-attr]
    assert sorted(ranked) == list(STATEMENTS)


def test_without_known_groups_there_is_no_delegation_aware_result() -> None:
    analysis = analyse_votes(STATEMENTS, [("a1", "s1", 1), ("b1", "s1", -1)])
    event = AnalysisRecorded(item_id="x", status=analysis.status, result=analysis.to_json())
    recorded = recorded_analysis(event)
    assert recorded.common is None and recorded.ranked() == ()
    assert recorded.statement("s1") is None
