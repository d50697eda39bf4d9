"""The seats' vocabulary in the log: every language-model call of a model seat, fallbacks to the
simulated seat and plausibility flags. `request` in each is the stable kind of the request answered
(:attr:`detente.seats.base.Request.request_kind`, e.g. `vote_request`), never a Python name.

Each class registers its `kind` on definition; the seats plugin returns them from
:func:`detente.hooks.detente_events`, which is how :func:`detente.store.events.decode` finds them.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from detente.names import snake_case
from detente.store.events import Event, upcaster

# --- model seats -----------------------------------------------------------------------------


class ModelCalled(Event):
    """One call of a language model for a model seat (visibility `facilitator`; actor: the
    delegation). `outcome` is `valid` (the answer passed the validator and is `answer`), `invalid`
    (the output failed the checks listed in `errors`; the seat re-asks or falls back) or `error`
    (the server gave no usable output: down, timeout, HTTP error). `raw` is the model's output as
    received; `prompt_hash` the SHA-256 of the messages and schema sent, so a replay can check it
    answers the same prompt. `parameters` holds temperature, seed, max tokens and the menu order
    shown, where there is one."""

    kind: ClassVar[str] = "model_called"
    version: ClassVar[int] = 2
    delegation: str
    request: str
    item_id: str
    attempt: int
    model: str
    server: str
    parameters: dict[str, Any]
    prompt_hash: str
    raw: str
    outcome: Literal["valid", "invalid", "error"]
    errors: list[str] = []
    answer: dict[str, Any] | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: int = 0


class SeatFellBack(Event):
    """A model seat gave no valid answer within its bounded re-asks; the delegation's simulated
    profile seat answered instead (visibility `facilitator`)."""

    kind: ClassVar[str] = "seat_fell_back"
    version: ClassVar[int] = 2
    delegation: str
    request: str
    item_id: str
    reason: str
    answered_by: str = "simulated"


class PlausibilityFlagged(Event):
    """An answer that contradicts the delegation's declared profile (e.g. an action or a vote
    against its strongest interests), flagged for the facilitator, not silently accepted.
    `seat` is the kind of seat that answered (`model`, `simulated` …)."""

    kind: ClassVar[str] = "plausibility_flagged"
    version: ClassVar[int] = 2
    delegation: str
    seat: str
    request: str
    item_id: str
    flags: list[str]


@upcaster("model_called", 1)
@upcaster("seat_fell_back", 1)
@upcaster("plausibility_flagged", 1)
def _request_as_kind(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 recorded `request` as the request's class name (`VoteRequest`); v2 as its stable kind
    (`vote_request`, :attr:`detente.seats.base.Request.request_kind`), so renaming a class
    changes no record."""
    return {**payload, "request": snake_case(str(payload["request"]))}
