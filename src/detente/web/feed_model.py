"""Feed lines of language-model seats in a live meeting (all facilitator-only records).

Each model call stays out of the feed (a request can cost several; the record holds them all);
what the facilitator must notice gets one line: a part answered by the simulated profile, a
request handed on from the model, a model's work dropped, an answer flagged as implausible.
"""

from __future__ import annotations

from detente.store.log import Record
from detente.web.views import Message, describes

Line = tuple[Message, tuple[str, ...]] | None


@describes("model_called")
def _called(_r: Record) -> Line:
    return None


@describes("seat_fell_back")
def _fell_back(r: Record) -> Line:
    return (
        "The model gave %(delegation)s no valid answer; its simulated profile answered.",
        {"delegation": r.payload["delegation"]},
    ), (str(r.payload["reason"]),)


@describes("model_handed_on")
def _handed_on(r: Record) -> Line:
    return (
        "The language model did not answer for %(delegation)s: handed on to the simulation.",
        {"delegation": r.payload["delegation"]},
    ), (str(r.payload["reason"]),)


@describes("model_answer_dropped")
def _dropped(r: Record) -> Line:
    return (
        "A language model's answer for %(delegation)s was dropped.",
        {"delegation": r.payload["delegation"]},
    ), (str(r.payload["reason"]),)
