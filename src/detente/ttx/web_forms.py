"""Forms for the tabletop exercise: the delegation's decision and the facilitator's rulings.

- :class:`~detente.ttx.requests.TtxDecisionRequest` (delegation): up to the scenario's
  `max_actions` of the actions open to the delegation now, a free-text statement and answers to
  the move's questions. Any member drafts (every draft stays in the log, the delegation's edit
  history); the first submission before the deadline is the delegation's decision.
- :class:`~detente.ttx.requests.TtxOpenMove`: open the next move (advance).
- :class:`~detente.ttx.requests.TtxReleaseContingency`: release or hold a contingency inject.
- :class:`~detente.ttx.requests.TtxReview`: take the engine's adjudication (the narrative is then
  published) or override it with effect statements and a rationale (checked against the
  scenario before they are accepted).
"""

from __future__ import annotations

from typing import Any

from detente.meeting.facilitator import Go
from detente.ttx.expressions import ExpressionError, compile_effects
from detente.ttx.requests import (
    TtxDecision,
    TtxDecisionRequest,
    TtxInjectRuling,
    TtxOpenMove,
    TtxReleaseContingency,
    TtxReview,
    TtxRuling,
)
from detente.web.api import Fields, Form, FormError, decision_form_for, field, seat_form

MAX_TEXT = 2000


def _decision(request: TtxDecisionRequest, fields: Fields) -> TtxDecision:
    open_ids = [o.id for o in request.options]
    asked = [
        name[len("action-") :] for name, v in fields.items() if name.startswith("action-") and v
    ]
    unknown = [a for a in asked if a not in open_ids]
    if unknown:
        raise FormError(
            "This action is not open to your delegation now: %(action)s", action=unknown[0]
        )
    chosen = [a for a in open_ids if a in asked]
    if len(chosen) > request.max_actions:
        raise FormError("Choose at most %(n)s actions.", n=request.max_actions)
    statement = field(fields, "statement", required=False, limit=MAX_TEXT)
    answers = tuple(
        field(fields, f"answer-{i}", required=False, limit=MAX_TEXT)
        for i in range(len(request.questions))
    )
    return TtxDecision(tuple(chosen), statement, answers)


seat_form(
    Form(
        TtxDecisionRequest,
        "ttx_decision.html",
        _decision,
        lambda r: ("Decision for move %(n)s: %(title)s", {"n": str(r.move), "title": r.title}),
    )
)


def _open(_request: TtxOpenMove, fields: Fields) -> Go:
    return Go(note=field(fields, "note", required=False, limit=1000))


decision_form_for(
    Form(
        TtxOpenMove,
        "go.html",
        _open,
        lambda r: ("Open move %(n)s: %(title)s", {"n": str(r.move), "title": r.title}),
    )
)


def _contingency(_request: TtxReleaseContingency, fields: Fields) -> TtxInjectRuling:
    choice = fields.get("ruling", "")
    if choice not in ("release", "hold"):
        raise FormError("Choose release or hold.")
    return TtxInjectRuling(release=choice == "release", note=field(fields, "note", required=False))


decision_form_for(
    Form(
        TtxReleaseContingency,
        "ttx_contingency.html",
        _contingency,
        lambda r: (
            "Contingency inject %(n)s: %(title)s",
            {"n": str(r.number), "title": r.title},
        ),
    )
)


def _review(_request: TtxReview, fields: Fields) -> TtxRuling:
    if fields.get("ruling") == "accept":
        return TtxRuling()
    if fields.get("ruling") != "override":
        raise FormError("Take the proposal or override it.")
    effects = field(fields, "effects", limit=MAX_TEXT)
    rationale = field(fields, "rationale", limit=MAX_TEXT)
    return TtxRuling(effects=effects, rationale=rationale)


def _check_review(_request: TtxReview, ruling: TtxRuling, controller: Any) -> None:
    """An override's effects must compile against the scenario (else the runner would only note
    that it could not apply them)."""
    if not ruling.effects:
        return
    pack = getattr(controller, "pack", None)
    if pack is None:
        return
    try:
        compile_effects(ruling.effects, pack.compiled.symbols)
    except ExpressionError as exc:
        raise FormError("The effects are not valid: %(error)s", error=str(exc)) from exc


decision_form_for(
    Form(
        TtxReview,
        "ttx_review.html",
        _review,
        lambda r: ("Adjudication of move %(n)s", {"n": str(r.move)}),
        check=_check_review,
    )
)
