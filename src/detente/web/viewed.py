"""Who has opened an open request: the `request_viewed` act behind the console's "not opened".

The first time a delegate's page (or their requests panel) shows an open request, the app
records `request_viewed` (facilitator-only) for that person and request; later refreshes find it
in the log and record nothing, so a page refreshed by every live update does not grow the log.
The facilitator's status board then tells, per delegation, *not opened* (no member has seen it),
*opened* and *drafted* (see :func:`board_status`) beside *answered* and the other end states.
"""

from __future__ import annotations

from collections.abc import Iterable

from detente.meeting.events import RequestViewed
from detente.store.visibility import FACILITATOR
from detente.web.live import LiveController
from detente.web.livelog import Snapshot
from detente.web.views import PendingRequest


def _seen(controller: LiveController, key: str, person: str) -> bool:
    return any(
        e.record.kind == RequestViewed.kind and e.record.payload.get("person") == person
        for e in controller.log.by_key.get(key, ())
    )


def mark_viewed(
    controller: LiveController, person: str, delegation: str, shown: Iterable[PendingRequest]
) -> int:
    """Record `request_viewed` for each open request in `shown` this person has not seen
    before; returns how many were recorded."""
    recorded = 0
    with controller.log.lock:
        for request in shown:
            if request.status != "open" or request.delegation != delegation:
                continue
            if _seen(controller, request.key, person):
                continue
            controller.append_act(
                RequestViewed(key=request.key, person=person, delegation=delegation),
                actor=person,
                visibility=FACILITATOR,
            )
            recorded += 1
    return recorded


def viewed_keys(snap: Snapshot) -> set[tuple[str, str]]:
    """(request key, delegation) of every request some member of the delegation has seen."""
    return {
        (str(e.record.payload["key"]), str(e.record.payload["delegation"]))
        for e in snap.of(RequestViewed.kind)
    }


def board_status(status: str, drafts: int, viewed: bool) -> str:
    """The board's word for a delegation's request: *not opened* (open, no member saw it),
    *opened* (seen, no draft), *drafted* (open, with drafts), else the request's own status."""
    if status != "open":
        return status
    if drafts:
        return "drafted"
    return "opened" if viewed else "not opened"
