"""The live meeting's log: one writer in front of the event store, a mirror in memory, wake-ups.

Two kinds of writer share one meeting's log while it is live:

- the **runner** (in its own thread) appends what the programme and its activities produce;
- **acts** — a person's answer, a note, the facilitator's click — are appended by HTTP handlers,
  and the HTTP response is sent only after the append has committed.

:class:`LiveLog` serialises both through one lock, appends to the store at the next position
(the store's primary key still detects a writer in another process), keeps every record in memory
for views and wakes whoever waits: the runner's seats (a :class:`threading.Condition`) and the
server-sent-event streams (one callback per event loop).

Crash recovery is replay. On restart the runner walks the programme again from the start with a
:class:`RunnerWriter`: while the log still holds runner records it has not reached, each event the
runner emits is *verified* against the next one (same actor, kind, visibility and payload) instead
of being appended, and the meeting clock is the recorded time; act records (:data:`ACT_KINDS`) are
skipped in that comparison, since people wrote them, not the runner. Seats answer from the acts
already recorded. When the recorded runner events run out, the writer appends again and the clock
is the wall clock: the meeting continues at the same item and move.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from detente.meeting.events import CodeRevoked, SeatAssigned
from detente.store.events import Event, decode, known
from detente.store.log import ConflictError, Draft, EventStore, Record

ACT_KINDS: frozenset[str] = frozenset(
    {
        "answer_submitted",
        "answer_drafted",
        "request_closed",
        "decision_taken",
        "seat_assigned",
        "participant_joined",
        "code_revoked",
        "note_written",
        "announcement",
        "live_resumed",
        # the paper room (detente.paper)
        "paper_sheet_entered",
        # exercise control (detente.web.clock)
        "inject_delivered",
        "inject_held",
        "inject_written",
        "exercise_clock_paused",
        "exercise_clock_resumed",
        "deadline_extended",
        "control_undone",
        "session_ended",
        # the console's status board (detente.web.viewed)
        "request_viewed",
        # a live model seat's work not used (detente.seats.live_models)
        "model_answer_dropped",
    }
)
"""Kinds written by the web app for a person's act, never by the runner."""

Listener = Callable[[int], None]


class ReplayDivergenceError(Exception):
    """Replaying the log produced a different event than the one recorded (the meeting files or
    the code changed since the record was written)."""


@dataclass
class Entry:
    """A record with its decoded event (None for a kind this version does not know)."""

    record: Record
    event: Event | None


class LiveLog:
    """Every record of one meeting, appended through one lock. Thread-safe."""

    def __init__(self, store: EventStore, meeting_id: str) -> None:
        self.store = store
        self.meeting_id = meeting_id
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.entries: list[Entry] = []
        self.by_key: dict[str, list[Entry]] = {}
        self.by_kind: dict[str, list[Entry]] = {}
        """Entries of each kind in log order: views read the few kinds they need (see
        :class:`Snapshot`) instead of scanning the whole log on every request."""
        self.holders: dict[str, str] = {}
        """Delegation → `people` or `simulated`, from the last `seat_assigned`."""
        self.generations: dict[str, int] = {}
        """Person → join-code generation: how many times their code was revoked."""
        self.ended: set[str] = set()
        """Hashes of the sessions people ended by leaving (`session_ended`)."""
        self._listeners: list[Listener] = []
        for record in store.read(meeting_id):
            self._add(record)

    @property
    def seq(self) -> int:
        return len(self.entries)

    def _add(self, record: Record) -> Entry:
        event = decode(record) if known(record.kind) else None
        entry = Entry(record, event)
        self.entries.append(entry)
        key = record.payload.get("key")
        if isinstance(key, str):
            self.by_key.setdefault(key, []).append(entry)
        self.by_kind.setdefault(record.kind, []).append(entry)
        if isinstance(event, SeatAssigned):
            self.holders[event.delegation] = event.holder
        elif isinstance(event, CodeRevoked):
            self.generations[event.person] = self.generations.get(event.person, 0) + 1
        elif record.kind == "session_ended":
            self.ended.add(str(record.payload["session"]))
        return entry

    def append(self, draft: Draft) -> Record:
        """Append one event at the next position and wake every waiter. Returns after commit."""
        with self.lock:
            try:
                (record,) = self.store.append(self.meeting_id, [draft], expected_seq=self.seq)
            except ConflictError as exc:
                raise ConflictError(
                    f"{exc}; another process is writing this meeting — run one server per meeting"
                ) from exc
            self._add(record)
            self.changed.notify_all()
            listeners = list(self._listeners)
        for listener in listeners:
            listener(record.seq)
        return record

    def act(self, event: Event, *, actor: str, visibility: str) -> Record:
        """Append a person's act (a kind in :data:`ACT_KINDS`) stamped with the wall clock."""
        if event.kind not in ACT_KINDS:
            raise ValueError(f"{event.kind!r} is not an act kind")
        return self.append(
            Draft(
                dt.datetime.now(dt.UTC),
                actor,
                event.kind,
                visibility,
                event.payload(),
                event.version,
            )
        )

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(seq)` after each append (from the appending thread). Returns an
        unsubscribe function."""
        with self.lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self.lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def records(self, after: int = 0, upto: int | None = None) -> list[Record]:
        """The records at positions (after, upto] (to the end by default)."""
        with self.lock:
            return [e.record for e in self.entries[after:upto]]

    def snapshot(self) -> Snapshot:
        """The log as it is now, for building views (later appends are not seen)."""
        with self.lock:
            return Snapshot(self, self.seq)


class Snapshot:
    """A consistent view of the log up to position `seq`, read by kind.

    Views ask for the kinds they fold (:meth:`of`), which costs the size of those kinds, not of
    the log: a page or an act's response stays cheap however long the meeting has run. The
    log only grows, so every list is a prefix of the live one, cut at `seq`.
    """

    def __init__(self, log: LiveLog, seq: int) -> None:
        self.log = log
        self.seq = seq
        self._entries: list[Entry] | None = None

    def __len__(self) -> int:
        return self.seq

    @property
    def entries(self) -> list[Entry]:
        """Every entry up to `seq` (a copy; prefer :meth:`of`)."""
        if self._entries is None:
            with self.log.lock:
                self._entries = self.log.entries[: self.seq]
        return self._entries

    def of(self, *kinds: str) -> list[Entry]:
        """The entries of these kinds up to `seq`, in log order."""
        with self.log.lock:
            found = [e for kind in kinds for e in _upto(self.log.by_kind.get(kind, ()), self.seq)]
        if len(kinds) > 1:
            found.sort(key=lambda e: e.record.seq)
        return found

    def key(self, key: str) -> list[Entry]:
        """The entries carrying request or decision key `key`, up to `seq`."""
        with self.log.lock:
            return _upto(self.log.by_key.get(key, ()), self.seq)

    def reversed(self) -> Iterator[Entry]:
        """Every entry up to `seq`, newest first (lazily: feeds stop early)."""
        entries = self.log.entries
        for index in range(self.seq - 1, -1, -1):
            yield entries[index]


def _upto(entries: Sequence[Entry], seq: int) -> list[Entry]:
    """The prefix of `entries` (in log order) with positions up to `seq`."""
    end = len(entries)
    while end and entries[end - 1].record.seq > seq:
        end -= 1
    return list(entries[:end])


class RunnerWriter:
    """The runner's `append`: verifies recorded runner events while replaying, then appends.

    Also the runner's clock (:meth:`clock`): the recorded time of the next runner event while
    replaying, the wall clock afterwards.
    """

    def __init__(self, log: LiveLog) -> None:
        self.log = log
        self.cursor = 0
        self.verified = 0

    def _next_runner_index(self) -> int | None:
        entries = self.log.entries
        i = self.cursor
        while i < len(entries) and entries[i].record.kind in ACT_KINDS:
            i += 1
        return i if i < len(entries) else None

    @property
    def replaying(self) -> bool:
        with self.log.lock:
            return self._next_runner_index() is not None

    def clock(self) -> dt.datetime:
        with self.log.lock:
            index = self._next_runner_index()
            if index is not None:
                return self.log.entries[index].record.time
        return dt.datetime.now(dt.UTC)

    def __call__(self, draft: Draft) -> Record:
        with self.log.lock:
            index = self._next_runner_index()
            if index is None:
                record = self.log.append(draft)
                self.cursor = self.log.seq
                return record
            recorded = self.log.entries[index].record
            mine = (draft.actor, draft.kind, draft.visibility, draft.payload)
            theirs = (recorded.actor, recorded.kind, recorded.visibility, recorded.payload)
            if mine != theirs:
                raise ReplayDivergenceError(
                    f"event #{recorded.seq}: the record holds {recorded.kind} "
                    f"{recorded.payload}, the replay produced {draft.kind} {draft.payload}"
                )
            self.cursor = index + 1
            self.verified += 1
            return recorded
