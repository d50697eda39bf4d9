"""Entering paper sheets into a stored record while no live app is running (the CLI's path).

:class:`RecordedMeeting` offers what :func:`detente.paper.live.enter_sheets` needs of a live
controller — the open requests by key, a lock, `append_act` — over a stored record: the acts are
collected and appended in one atomic write after the last event read, so a record another writer
changed meanwhile (a running app) is refused with nothing written. When the app starts again it
replays the record and finds the paper marks on the open ballots, exactly as if the members had
marked them on their devices.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from detente.store.log import ConflictError, Draft, EventStore, Record


@dataclass(frozen=True)
class _Entry:
    record: Record


class _Log:
    def __init__(self, records: list[Record]) -> None:
        self.lock = threading.RLock()
        self.by_key: dict[str, list[_Entry]] = {}
        for record in records:
            key = record.payload.get("key")
            if isinstance(key, str):
                self.by_key.setdefault(key, []).append(_Entry(record))


class RecordedMeeting:
    """A stored meeting record as a writer of paper acts (see the module docstring)."""

    def __init__(self, store: EventStore, meeting_id: str) -> None:
        self.store = store
        self.meeting_id = meeting_id
        records = store.read(meeting_id)
        self.last = records[-1].seq if records else 0
        self.log = _Log(records)
        self.drafts: list[Draft] = []

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def deadline_for(self, key: str) -> dt.datetime | None:
        return None

    def append_act(self, event: Any, *, actor: str, visibility: str) -> Record:
        draft = Draft(self.now(), actor, event.kind, visibility, event.payload())
        self.drafts.append(draft)
        seq = self.last + len(self.drafts)
        return Record(
            self.meeting_id, seq, draft.time, actor, event.kind, visibility, draft.payload
        )

    def commit(self) -> list[Record]:
        """Write the collected acts after the last event read; ConflictError when the record
        changed meanwhile (nothing is written then)."""
        if not self.drafts:
            return []
        try:
            return self.store.append(self.meeting_id, self.drafts, expected_seq=self.last)
        finally:
            self.drafts = []


__all__ = ["ConflictError", "RecordedMeeting"]
