"""Feed lines for the discussion (statements, votes), the roadmap and the recommendations."""

from __future__ import annotations

from collections.abc import Callable

from detente.store.log import Record
from detente.web.api import Message, describes

Line = tuple[Message, tuple[str, ...]] | None


def _fixed(message: Message) -> Callable[[Record], Line]:
    """A describer giving `message`, without a body, for every record of its kind."""
    return lambda _r: (message, ())


def _silent(_r: Record) -> Line:
    """Leaves a record out of the feed (bookkeeping the panels show instead)."""
    return None


@describes("statement_added")
def _statement(r: Record) -> Line:
    return ("Statement put to the room", {}), (str(r.payload["text"]),)


@describes("statement_edited")
def _statement_edited(r: Record) -> Line:
    return ("Statement reworded", {}), (str(r.payload["text"]),)


describes("statement_withdrawn")(_fixed(("A statement was withdrawn before the vote.", {})))


@describes("voting_opened")
def _opened(r: Record) -> Line:
    return ("Voting is open on %(n)s statements.", {"n": len(r.payload["statement_ids"])}), ()


describes("vote_cast")(_silent)


@describes("voting_closed")
def _closed(r: Record) -> Line:
    return ("Voting closed: %(n)s votes.", {"n": r.payload["votes_cast"]}), ()


describes("analysis_recorded")(_fixed(("The common-ground analysis is recorded.", {})))


@describes("ratings_opened")
def _ratings_opened(r: Record) -> Line:
    return ("Rating is open on %(n)s measures.", {"n": len(r.payload["measure_ids"])}), ()


describes("rating_submitted")(_silent)


@describes("ratings_closed")
def _ratings_closed(r: Record) -> Line:
    return ("Rating closed: %(n)s ratings.", {"n": r.payload["ratings_submitted"]}), ()


describes("roadmap_analysed")(_silent)


describes("roadmap_recorded")(_fixed(("The roadmap is recorded.", {})))


@describes("recommendations_drafted")
def _drafted(r: Record) -> Line:
    return ("Recommendations drafted: %(n)s claims.", {"n": len(r.payload["claims"])}), ()


@describes("recommendation_edited")
def _edited(r: Record) -> Line:
    return (
        "Recommendation %(claim)s: %(action)s",
        {"claim": r.payload["claim_id"], "action": r.payload["action"]},
    ), ((str(r.payload["text"]),) if r.payload.get("text") else ())


@describes("recommendations_accepted")
def _accepted(r: Record) -> Line:
    return ("Recommendations accepted: %(n)s claims.", {"n": r.payload["claims"]}), ()


@describes("commitment_made")
def _commitment(r: Record) -> Line:
    return ("Commitment by %(delegation)s", {"delegation": r.payload["delegation"]}), (
        str(r.payload["text"]),
    )
