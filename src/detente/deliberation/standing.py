"""How a statement stood with the room: the one classification every document and view reads.

The consensus analysis (:func:`detente.deliberation.consensus.analyse`) gives each statement a
*tier*; documents speak of fewer, plainer classes. This module maps one to the other, and
computes the tier of a single statement from per-delegation counts for views that have no
recorded analysis (the projector's chart of a closed or live vote), with the same rules:

- ``agreed`` — broadly agreed, common ground: tiers ``unanimous`` and ``majority`` (a majority
  of the voters of every delegation agreed);
- ``undecided`` — tier ``one-neutral``: every delegation agreed but one, which had no majority
  either way; *not* common ground;
- ``divided`` — tier ``divided``: some delegation's majority disagreed, or two or more did not
  agree;
- ``gap`` — tier ``uncertain``: many passes, an information gap rather than a disagreement;
- ``insufficient`` — some delegation cast no vote.

summary.md, the meeting report (executive summary, sessions at a glance, common ground and
divergences) and the projector's chart all call :func:`standing`; a test checks they agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, Literal, TypeAlias

Standing: TypeAlias = Literal["agreed", "undecided", "divided", "gap", "insufficient"]

STANDING: Final[dict[str, Standing]] = {
    "unanimous": "agreed",
    "majority": "agreed",
    "one-neutral": "undecided",
    "divided": "divided",
    "uncertain": "gap",
    "insufficient": "insufficient",
}
COMMON_GROUND: Final = ("unanimous", "majority")
"""The tiers that are common ground."""
PASS_THRESHOLD: Final = 0.2
"""The analysis's default pass share from which a statement without agreement is a gap."""


def standing(tier: str) -> Standing:
    """The class of a consensus tier (an unknown tier is `insufficient`: nothing can be said)."""
    return STANDING.get(tier, "insufficient")


def is_common_ground(tier: str) -> bool:
    return standing(tier) == "agreed"


def tier_of(counts: Iterable[tuple[int, int, int]], pass_threshold: float = PASS_THRESHOLD) -> str:
    """The consensus tier of one statement from each delegation's (agree, disagree, pass)
    counts of the people who voted — the rules of :func:`~detente.deliberation.consensus.analyse`
    with ``min_votes=1``, for one statement."""
    groups = list(counts)
    voted = [a + d + k for a, d, k in groups]
    if not groups or any(s < 1 for s in voted):
        return "insufficient"
    if all(a == s for (a, _, _), s in zip(groups, voted, strict=True)):
        return "unanimous"
    agreeing = [2 * a > s for (a, _, _), s in zip(groups, voted, strict=True)]
    if all(agreeing):
        return "majority"
    total = sum(voted)
    if total and sum(k for _, _, k in groups) / total >= pass_threshold:
        return "uncertain"
    not_agreeing = [
        (d, s) for ((_, d, _), s, ok) in zip(groups, voted, agreeing, strict=True) if not ok
    ]
    if len(not_agreeing) == 1 and not 2 * not_agreeing[0][0] > not_agreeing[0][1]:
        return "one-neutral"
    return "divided"


__all__ = ["COMMON_GROUND", "STANDING", "Standing", "is_common_ground", "standing", "tier_of"]
