"""Plausibility checks: does an answer fit the delegation's declared profile?

Applied to every kind of seat alike (:class:`CheckedSeat` wraps any seat). An answer that goes
against the delegation's declared interests — a TTX action, an agree vote or a supported measure
whose interest utility (`interests · tags`) is at most −:data:`AGAINST`, a disagree vote or an
opposed measure at +:data:`AGAINST` or more, a commitment to a measure the delegation opposes — is
*flagged* for the facilitator (:class:`~detente.seats.events.PlausibilityFlagged`), not changed:
people and profiles may surprise, but nobody should be surprised unknowingly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

from detente.deliberation.votes import VoteRequest, Votes
from detente.roadmap.ratings import RatingRequest, Ratings
from detente.roadmap.recommendations import Commitment, CommitmentRequest
from detente.seats.base import Request, Seat, T
from detente.seats.events import PlausibilityFlagged
from detente.seats.profiles import Profile
from detente.store.events import Event
from detente.store.log import Record
from detente.store.visibility import FACILITATOR
from detente.ttx.requests import TtxDecision, TtxDecisionRequest

AGAINST: Final = 0.5
"""Utility beyond which an answer clearly goes against (or for) the delegation's interests."""

Emit = Callable[[Event, str, str], Any]
"""(event, actor, visibility) → whatever the log returns."""


def utility(interests: Mapping[str, float], tags: Iterable[tuple[str, float]]) -> float:
    """The delegation's interest utility of something tagged on the interest dimensions."""
    return float(sum(interests.get(d, 0.0) * w for d, w in tags))


def check_answer(profile: Profile, request: Request[Any], answer: Any) -> list[str]:
    """Every way `answer` contradicts `profile` (empty: plausible)."""
    interests = profile.interests
    flags: list[str] = []
    if isinstance(request, TtxDecisionRequest) and isinstance(answer, TtxDecision):
        options = {o.id: o for o in request.options}
        for action in answer.actions:
            option = options.get(action)
            if option is None:
                continue
            u = utility(interests, option.tags)
            if u <= -AGAINST:
                flags.append(
                    f"move {request.move}: chose {action} ('{option.label}') against its "
                    f"declared interests (utility {u:+.2f})"
                )
    elif isinstance(request, VoteRequest) and isinstance(answer, Votes):
        tags = {s.statement_id: s.tags for s in request.statements}
        for vote in answer.votes:
            u = utility(interests, tags.get(vote.statement_id, ()))
            if (vote.vote == "agree" and u <= -AGAINST) or (
                vote.vote == "disagree" and u >= AGAINST
            ):
                flags.append(
                    f"{vote.participant} voted {vote.vote} on {vote.statement_id} "
                    f"(utility {u:+.2f})"
                )
    elif isinstance(request, RatingRequest) and isinstance(answer, Ratings):
        tags = {m.measure_id: m.tags for m in request.measures}
        for rating in answer.ratings:
            u = utility(interests, tags.get(rating.measure_id, ()))
            if (rating.support >= 1 and u <= -AGAINST) or (rating.support <= -1 and u >= AGAINST):
                flags.append(
                    f"{rating.participant} rated {rating.measure_id} support {rating.support:+d} "
                    f"(utility {u:+.2f})"
                )
    elif isinstance(request, CommitmentRequest) and isinstance(answer, Commitment):
        stance = {o.measure_id: o.stance for o in request.offers}
        for measure in answer.measures:
            if stance.get(measure) == "opposes":
                flags.append(f"committed to {measure}, which the delegation opposes")
    return flags


class CheckedSeat:
    """Any seat, with its answers checked against the delegation's profile; flags are emitted
    through the bound log (facilitator visibility) before the answer is returned."""

    def __init__(self, inner: Seat, profile: Profile) -> None:
        self.inner = inner
        self._profile = profile
        self._emit: Emit | None = None
        self.flags: list[PlausibilityFlagged] = []

    @property
    def delegation(self) -> str:
        return self.inner.delegation

    @property
    def kind(self) -> str:
        return self.inner.kind

    def bind(self, emit: Emit, records: Sequence[Record] | None = None) -> None:
        """Write flags (and the inner seat's own events) through `emit`; `records` (the log so
        far) goes to the inner seat."""
        self._emit = emit
        bind = getattr(self.inner, "bind", None)
        if bind is not None:
            bind(emit, records)

    def answer(self, request: Request[T]) -> T:
        answer = self.inner.answer(request)
        flags = check_answer(self._profile, request, answer)
        if flags:
            event = PlausibilityFlagged(
                delegation=self.delegation,
                seat=str(getattr(self.inner, "answered_by", None) or self.inner.kind),
                request=type(request).request_kind,
                item_id=str(getattr(request, "item_id", "")),
                flags=flags,
            )
            self.flags.append(event)
            if self._emit is not None:
                self._emit(event, self.delegation, FACILITATOR)
        return answer

    def __getattr__(self, name: str) -> Any:
        # anything else (a live seat's `publish` …) is the inner seat's
        return getattr(self.inner, name)
