"""The seats' contributions: what model seats record (their calls, fallbacks and plausibility
flags)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from detente.hooks import hookimpl

if TYPE_CHECKING:
    from detente.store.events import Event


@hookimpl
def detente_events() -> Sequence[type[Event]]:
    """Model seats: every call, fallbacks and plausibility flags."""
    from detente.seats import events
    from detente.store.events import defined_in

    return defined_in(events)
