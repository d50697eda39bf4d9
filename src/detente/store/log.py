"""The append-only event log, stored through SQLAlchemy Core.

One table, `events`, with `PRIMARY KEY (meeting_id, seq)`. Appending computes the next `seq` and
inserts it; two writers that race for the same `seq` collide on the primary key and the loser gets
:class:`ConflictError` — the collision *is* the concurrency control (no locks, portable SQL).
SQLite is the default (a file per meeting output folder); `DATABASE_URL` selects another database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError

metadata = MetaData()

events_table = Table(
    "events",
    metadata,
    Column("meeting_id", String(200), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("time", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("kind", String(100), nullable=False),
    Column("visibility", String(200), nullable=False),
    Column("payload", Text, nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
)


class ConflictError(Exception):
    """Another writer appended at the same position first. Re-read and try again."""


def format_time(time: dt.datetime) -> str:
    """UTC ISO-8601 with a Z, to the second (or microsecond when present): portable and sortable."""
    if time.tzinfo is None:
        raise ValueError("event times must be timezone-aware")
    utc = time.astimezone(dt.UTC)
    spec = "seconds" if utc.microsecond == 0 else "microseconds"
    return utc.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


def parse_time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def dumps(payload: dict[str, Any]) -> str:
    """Canonical JSON: sorted keys, no extra spaces, UTF-8 kept — so records are byte-stable."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Record:
    """One stored event: its envelope plus the event's payload as plain JSON data."""

    meeting_id: str
    seq: int
    time: dt.datetime
    actor: str
    kind: str
    visibility: str
    payload: dict[str, Any]
    version: int = 1
    """The version of the event kind's payload schema this record was written with; readers bring
    older payloads up to date through upcasters (:func:`detente.store.events.decode`)."""

    def to_json(self) -> str:
        """One line of `record.jsonl`."""
        return dumps(
            {
                "seq": self.seq,
                "time": format_time(self.time),
                "actor": self.actor,
                "kind": self.kind,
                "version": self.version,
                "visibility": self.visibility,
                "payload": self.payload,
            }
        )


@dataclass(frozen=True)
class Draft:
    """An event ready to append: everything but its position in the log."""

    time: dt.datetime
    actor: str
    kind: str
    visibility: str
    payload: dict[str, Any]
    version: int = 1


RecordReader = Callable[[Record], Record]
_read_through: list[RecordReader] = []


def read_through(reader: RecordReader) -> RecordReader:
    """Register a function every record passes through when read back (store or JSON Lines).

    The event vocabulary registers its upcaster here, so every reader of the log sees payloads at
    their kind's current version while the stored rows stay exactly as they were written.
    """
    _read_through.append(reader)
    return reader


def _current(record: Record) -> Record:
    for reader in _read_through:
        record = reader(record)
    return record


def database_url(default_path: Path) -> str:
    """`DATABASE_URL` when set, else a SQLite file at `default_path`."""
    url = os.environ.get("DATABASE_URL")
    if url:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url
    return f"sqlite:///{default_path}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _add_version_column(engine: Engine) -> None:
    """Databases created before events carried a version get the column (every old row is v1)."""
    columns = {c["name"] for c in inspect(engine).get_columns("events")}
    if "version" not in columns:
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE events ADD COLUMN version INTEGER NOT NULL DEFAULT 1"))


class EventStore:
    """The event log of any number of meetings in one database."""

    def __init__(self, url: str) -> None:
        self.url = url
        if url.startswith("sqlite:///"):
            path = Path(url[len("sqlite:///") :])
            if str(path) not in ("", ":memory:"):
                path.parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        metadata.create_all(self.engine)
        _add_version_column(self.engine)

    @classmethod
    def open(cls, path: Path) -> EventStore:
        """The store for a meeting output folder: `DATABASE_URL`, or `path` as SQLite."""
        return cls(database_url(path))

    def close(self) -> None:
        self.engine.dispose()

    def last_seq(self, meeting_id: str) -> int:
        """The highest seq of a meeting (0 when it has no events)."""
        with self.engine.connect() as conn:
            value = conn.execute(
                select(func.max(events_table.c.seq)).where(events_table.c.meeting_id == meeting_id)
            ).scalar()
        return int(value or 0)

    def append(
        self, meeting_id: str, drafts: Sequence[Draft], *, expected_seq: int | None = None
    ) -> list[Record]:
        """Append events atomically after `expected_seq` (default: the current end of the log).

        Raises :class:`ConflictError` when another writer took any of those positions first;
        nothing is written in that case.
        """
        if not drafts:
            return []
        base = self.last_seq(meeting_id) if expected_seq is None else expected_seq
        if any(d.time.tzinfo is None for d in drafts):
            raise ValueError("event times must be timezone-aware")
        records = [
            Record(
                meeting_id,
                base + i + 1,
                d.time.astimezone(dt.UTC),
                d.actor,
                d.kind,
                d.visibility,
                d.payload,
                d.version,
            )
            for i, d in enumerate(drafts)
        ]
        rows = [
            {
                "meeting_id": r.meeting_id,
                "seq": r.seq,
                "time": format_time(r.time),
                "actor": r.actor,
                "kind": r.kind,
                "visibility": r.visibility,
                "payload": dumps(r.payload),
                "version": r.version,
            }
            for r in records
        ]
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(events_table), rows)
        except IntegrityError as exc:
            raise ConflictError(
                f"meeting {meeting_id!r}: position {base + 1} was taken by another writer"
            ) from exc
        return records

    def read(self, meeting_id: str, *, after: int = 0) -> list[Record]:
        """Every event of a meeting with seq > `after`, in log order."""
        return list(self.iter(meeting_id, after=after))

    def iter(self, meeting_id: str, *, after: int = 0) -> Iterator[Record]:
        query = (
            select(events_table)
            .where(events_table.c.meeting_id == meeting_id, events_table.c.seq > after)
            .order_by(events_table.c.seq)
        )
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                yield _current(
                    Record(
                        row.meeting_id,
                        int(row.seq),
                        parse_time(row.time),
                        row.actor,
                        row.kind,
                        row.visibility,
                        json.loads(row.payload),
                        int(row.version),
                    )
                )

    def meetings(self) -> list[str]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(events_table.c.meeting_id).distinct())
            return sorted(str(r[0]) for r in rows)


def write_jsonl(records: Iterable[Record], path: Path) -> None:
    """Export a log as JSON Lines (one canonical record per line, log order)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for r in records:
            fh.write(r.to_json() + "\n")


def read_jsonl(path: Path, meeting_id: str) -> list[Record]:
    """Read a `record.jsonl` export back (for replay seats and audits)."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            out.append(
                _current(
                    Record(
                        meeting_id,
                        int(row["seq"]),
                        parse_time(row["time"]),
                        row["actor"],
                        row["kind"],
                        row["visibility"],
                        row["payload"],
                        int(row.get("version", 1)),
                    )
                )
            )
    return out
