"""The facilitator's decisions, asked for the way seats are asked for answers.

Some moments of a meeting need a person at the front of the room: start an item, end it, release
or hold an inject, accept or override an adjudication, open or close voting. The runner and the
activities ask for these through one protocol, :class:`Facilitator`, with the same request types
seats use (:class:`~detente.seats.base.Request`). Two implementations answer them:

- :class:`AutomaticFacilitator` (simulation, `detente run`) decides at once, writes nothing, so a
  simulated record stays byte-identical for a seed whether or not an activity asks;
- the live app's web facilitator (:mod:`detente.web.live`) publishes the decision to the
  facilitator's console and blocks until the click, recording it as an event.

A domain module that adds a decision defines its request type next to its activity and registers
the automatic answer with :func:`automatic_decision` (as simulated seats use
:func:`~detente.seats.simulated.simulated_answer`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, cast, runtime_checkable

from detente.seats.base import Request, T

R = TypeVar("R", bound=Request[Any])
_automatic: dict[type[Request[Any]], Callable[[Any], Any]] = {}


@runtime_checkable
class Facilitator(Protocol):
    """Answers the decisions the runner and activities need from the facilitator."""

    @property
    def kind(self) -> str:
        """`automatic` or `web` (recorded in nothing; for messages)."""
        ...

    def decide(self, request: Request[T]) -> T:
        """The facilitator's decision on `request` (may block in a live meeting)."""
        ...


def automatic_decision(
    request_type: type[R],
) -> Callable[[Callable[[R], Any]], Callable[[R], Any]]:
    """Register what the automatic facilitator decides for one request type.

    The handler must be a pure function of the request (no clock, no randomness): simulation
    records are byte-identical for a seed.
    """

    def decorate(fn: Callable[[R], Any]) -> Callable[[R], Any]:
        if request_type in _automatic:
            raise ValueError(f"{request_type.__name__} already has an automatic decision")
        _automatic[request_type] = fn
        return fn

    return decorate


class NoAutomaticDecision(Exception):
    """A request type nobody registered an automatic decision for."""


class AutomaticFacilitator:
    """Decides at once from the registered handlers; used by `detente run`."""

    kind = "automatic"

    def decide(self, request: Request[T]) -> T:
        handler = _automatic.get(type(request))
        if handler is None:
            raise NoAutomaticDecision(
                f"no automatic decision is registered for {type(request).__name__}"
            )
        return cast(T, handler(request))


# --- the runner's own decisions ------------------------------------------------------------------


@dataclass(frozen=True)
class Go:
    """The facilitator's go-ahead. `note` is an optional remark kept with the decision."""

    note: str = ""


@dataclass(frozen=True)
class StartItem(Request[Go]):
    """May the runner start programme item `item_id` now?"""

    item_id: str
    title: str


@dataclass(frozen=True)
class EndItem(Request[Go]):
    """The item's activity has finished; may the runner end item `item_id` now?"""

    item_id: str
    title: str


@automatic_decision(StartItem)
def _start_at_once(_request: StartItem) -> Go:
    return Go()


@automatic_decision(EndItem)
def _end_at_once(_request: EndItem) -> Go:
    return Go()
