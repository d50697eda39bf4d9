"""The replay client: answers a model seat's calls from the `model_called` events of a record.

Calls are answered per delegation in recorded order, and each must carry the recorded prompt hash:
a replay that would ask a different prompt (another meeting folder, another version of the
prompts) stops with :class:`ReplayMismatch` instead of answering with someone else's output.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable

from detente.models.client import Call, Completion
from detente.seats.events import ModelCalled
from detente.store.events import decode
from detente.store.log import Record

SEAT_PARAMETERS = ("menu", "member", "finish", "reasks")
"""Parameters the seat adds to a call's record (not the client's)."""


class ReplayMismatch(Exception):
    """The replayed meeting asks a model call the record does not hold."""


class ReplayClient:
    """Recorded completions, handed out per delegation in order."""

    def __init__(self, records: Iterable[Record]) -> None:
        self._calls: dict[str, deque[ModelCalled]] = defaultdict(deque)
        for record in records:
            if record.kind == ModelCalled.kind:
                event = decode(record)  # upcast: records of earlier releases replay too
                assert isinstance(event, ModelCalled)
                self._calls[event.delegation].append(event)

    @property
    def server(self) -> str:
        return "replay"

    @property
    def reasks(self) -> int | None:
        """The re-ask bound the recorded seats used (None: no model call recorded)."""
        for queue in self._calls.values():
            if queue:
                return int(queue[0].parameters.get("reasks", 2))
        return None

    def close(self) -> None:
        """Nothing to free."""

    def complete(self, call: Call) -> Completion:
        queue = self._calls.get(call.delegation)
        if not queue:
            raise ReplayMismatch(f"the record holds no further model call for {call.delegation}")
        event = queue.popleft()
        if event.prompt_hash != call.prompt_hash:
            raise ReplayMismatch(
                f"{call.delegation}: model call {event.request} of {event.item_id} (attempt "
                f"{event.attempt}) was recorded for another prompt"
            )
        parameters = {k: v for k, v in event.parameters.items() if k not in SEAT_PARAMETERS}
        return Completion(
            raw=event.raw,
            model=event.model,
            server=event.server,
            parameters=parameters,
            prompt_tokens=event.prompt_tokens,
            completion_tokens=event.completion_tokens,
            latency_ms=event.latency_ms,
            finish=str(event.parameters.get("finish", "")),
            error=event.errors[0] if event.outcome == "error" and event.errors else "",
        )
