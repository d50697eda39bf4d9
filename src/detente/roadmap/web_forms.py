"""Forms for the roadmap and the recommendations: every member's ratings, the facilitator's edits.

Ratings are a *member ballot* like votes (:mod:`detente.deliberation.web_forms`): each member rates
each measure for themselves — support −2…+2, feasibility 1…5, the realistic horizon — may change a
rating while rating is open (every submission is a delegation-only draft), and the delegation's
answer is assembled under seat positions when the facilitator closes rating.

The recommendations editor answers :class:`~detente.roadmap.recommendations.ReviewRecommendations`:
per claim keep, edit (new text) or strike, plus one added claim in a chosen section; the edits
are checked with :func:`~detente.roadmap.recommendations.check_edits` before they are accepted.
"""

from __future__ import annotations

from collections.abc import Mapping

from detente.roadmap.events import RecommendationClaim
from detente.roadmap.ratings import (
    FEASIBILITY_RANGE,
    HORIZONS,
    SUPPORT_RANGE,
    MemberRating,
    RatingRequest,
    Ratings,
)
from detente.roadmap.recommendations import (
    SECTIONS,
    Edit,
    EditError,
    Review,
    ReviewRecommendations,
    check_edits,
)
from detente.web.api import Fields, Form, FormError, decision_form_for, field, seat_form


def _int(value: str, low: int, high: int) -> int | None:
    try:
        number = int(value)
    except ValueError:
        return None
    return number if low <= number <= high else None


def _ratings(request: RatingRequest, fields: Fields) -> dict[str, str]:
    """One member's ratings: per measure `support-<id>`, `feasibility-<id>`, `horizon-<id>`;
    a measure left entirely blank is not rated, a partly filled one is refused."""
    marks: dict[str, str] = {}
    for m in request.measures:
        mid = m.measure_id
        given = [fields.get(f"{what}-{mid}", "") for what in ("support", "feasibility", "horizon")]
        if not any(given):
            continue
        support = _int(given[0], *SUPPORT_RANGE)
        feasibility = _int(given[1], *FEASIBILITY_RANGE)
        if support is None or feasibility is None or given[2] not in HORIZONS:
            raise FormError(
                "Rate support, feasibility and horizon together for %(measure)s.", measure=m.title
            )
        marks[mid] = f"{support}|{feasibility}|{given[2]}"
    if not marks:
        raise FormError("Rate at least one measure.")
    return marks


def _assemble_ratings(request: RatingRequest, marks: Mapping[str, Mapping[str, str]]) -> Ratings:
    out = []
    for member in request.members:
        mine = marks.get(member, {})
        for m in request.measures:
            value = mine.get(m.measure_id)
            if not value:
                continue
            support, feasibility, horizon = value.split("|")
            out.append(MemberRating(member, m.measure_id, int(support), int(feasibility), horizon))
    return Ratings(tuple(out))


seat_form(
    Form(
        RatingRequest,
        "rating.html",
        _ratings,
        lambda r: ("Rate %(n)s measures", {"n": str(len(r.measures))}),
        assemble=_assemble_ratings,
    )
)


def _review(request: ReviewRecommendations, fields: Fields) -> Review:
    edits: list[Edit] = []
    for claim in request.claims:
        what = fields.get(f"do-{claim.claim_id}", "keep")
        if what == "strike":
            edits.append(Edit(claim.claim_id, "strike"))
        elif what == "edit":
            text = field(fields, f"text-{claim.claim_id}", limit=2000)
            if text != claim.text:
                edits.append(Edit(claim.claim_id, "edit", text=text))
        elif what != "keep":
            raise FormError("Keep, edit or strike each claim.")
    added = field(fields, "add-text", required=False, limit=2000)
    if added:
        section = fields.get("add-section", "")
        if section not in SECTIONS:
            raise FormError("Choose a section for the new claim.")
        ids = {c.claim_id for c in request.claims}
        n = 1
        while f"added-{n}" in ids:
            n += 1
        edits.append(Edit(f"added-{n}", "add", text=added, section=section))
    claims = [
        RecommendationClaim(id=c.claim_id, section=c.section, text=c.text) for c in request.claims
    ]
    try:
        check_edits(claims, edits)
    except EditError as exc:
        raise FormError("These edits cannot apply: %(error)s", error=str(exc)) from exc
    return Review(tuple(edits))


decision_form_for(
    Form(
        ReviewRecommendations,
        "recommendations.html",
        _review,
        lambda r: ("Recommendations: %(n)s claims to review", {"n": str(len(r.claims))}),
    )
)
