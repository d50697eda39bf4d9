"""The forms' parsers: submitted fields → answers, with a message for what is not acceptable."""

from __future__ import annotations

import pytest

from detente.deliberation.votes import VoteItem, VoteRequest
from detente.roadmap.ratings import RatingItem, RatingRequest
from detente.roadmap.recommendations import DraftClaim, ReviewRecommendations
from detente.ttx.requests import TtxDecisionRequest, TtxOption
from detente.web import forms
from detente.web.codec import type_name


def _form(request_type: type, seat: bool = True) -> forms.Form:  # type: ignore[type-arg]
    name = type_name(request_type)
    found = forms.seat_form_named(name) if seat else forms.decision_form_named(name)
    assert found is not None
    return found


def test_a_move_decision_takes_only_open_actions_up_to_the_limit() -> None:
    request = TtxDecisionRequest(
        "s1", 1, "ALD", "ALD", "Move", "2025-01-01T00:00", "brief", (),
        (TtxOption("a", "A", False, "status-quo"), TtxOption("b", "B", True, "posturing"),
         TtxOption("c", "C", False, "posturing")),
        ("Q1?",), 2,
    )  # fmt: skip
    parse = _form(TtxDecisionRequest).parse
    answer = parse(request, {"action-c": "1", "action-a": "1", "statement": " S ", "answer-0": "x"})
    assert answer.actions == ("a", "c") and answer.statement == "S" and answer.answers == ("x",)
    with pytest.raises(forms.FormError, match="at most"):
        parse(request, {"action-a": "1", "action-b": "1", "action-c": "1"})
    with pytest.raises(forms.FormError, match="not open"):
        parse(request, {"action-z": "1"})


def test_votes_are_marked_per_member_and_assembled_under_seat_positions() -> None:
    request = VoteRequest("s2", (VoteItem("x", "X"), VoteItem("y", "Y")), ("NRD-1", "NRD-2"))
    form = _form(VoteRequest)
    assert form.member_ballot and form.assemble is not None
    assert form.parse(request, {"vote-x": "agree", "vote-y": ""}) == {"x": "agree"}
    with pytest.raises(forms.FormError):
        form.parse(request, {"vote-z": "agree"})
    with pytest.raises(forms.FormError):
        form.parse(request, {"vote-x": "yes"})
    votes = form.assemble(request, {"NRD-2": {"y": "pass"}, "NRD-9": {"x": "agree"}})
    assert [(v.participant, v.statement_id, v.vote) for v in votes.votes] == [
        ("NRD-2", "y", "pass")
    ]


def test_ratings_need_all_three_scales_in_range() -> None:
    item = RatingItem("m", "Measure", "cat", ("NRD",), "immediate")
    request = RatingRequest("s6", (item,), ("NRD-1",))
    form = _form(RatingRequest)
    marks = form.parse(request, {"support-m": "-2", "feasibility-m": "5", "horizon-m": "longer"})
    assert marks == {"m": "-2|5|longer"}
    for bad in (
        {"support-m": "1"},
        {"support-m": "3", "feasibility-m": "1", "horizon-m": "longer"},
    ):
        with pytest.raises(forms.FormError):
            form.parse(request, bad)
    assert form.assemble is not None
    (rating,) = form.assemble(request, {"NRD-1": marks}).ratings
    assert (rating.participant, rating.support, rating.feasibility) == ("NRD-1", -2, 5)


def test_the_recommendations_editor_makes_checked_edits() -> None:
    request = ReviewRecommendations(
        "s7", (DraftClaim("c1", "principles", "One."), DraftClaim("c2", "roadmap", "Two."))
    )
    parse = _form(ReviewRecommendations, seat=False).parse
    review = parse(
        request,
        {"do-c1": "edit", "text-c1": "One, edited.", "do-c2": "strike", "add-text": "Three.",
         "add-section": "next-steps"},
    )  # fmt: skip
    assert [(e.claim_id, e.action) for e in review.edits] == [
        ("c1", "edit"), ("c2", "strike"), ("added-1", "add")
    ]  # fmt: skip
    assert parse(request, {}).edits == ()  # keep everything: accept as drafted
    with pytest.raises(forms.FormError):
        parse(request, {"add-text": "Four.", "add-section": "nowhere"})
    with pytest.raises(forms.FormError):
        parse(request, {"do-c1": "edit", "text-c1": ""})
