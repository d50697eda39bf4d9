"""What documents are made from (:class:`ReportInputs`) and the outcome for one requested
document (:class:`Made`): shared by the host that writes documents (:mod:`detente.report`) and
the plugins that make documents outside the section registry (e.g. the paper room's sheets)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from detente.access import load_or_create_secret
from detente.document.context import DEFAULT_BASE_URL, ReportContext, load_scenario
from detente.document.model import Document
from detente.document.sections import Request
from detente.meeting.loader import MeetingFolder
from detente.store.log import EventStore, Record

if TYPE_CHECKING:
    from detente.ttx.scenario import Scenario


@dataclass
class ReportInputs:
    """Everything the documents are made from: the meeting, its record (possibly empty), the
    scenario pack (or None) and the join secret (or None: packs then carry no join codes)."""

    folder: MeetingFolder
    records: Sequence[Record]
    scenario: Scenario | None
    secret: bytes | None
    base_url: str = DEFAULT_BASE_URL
    annex: bool = True
    languages: tuple[str, ...] = ("en",)
    """The languages of the meeting report's editions (packs are in their delegation's)."""

    @classmethod
    def load(
        cls,
        folder: MeetingFolder,
        out_dir: Path,
        *,
        db: Path | None = None,
        base_url: str = DEFAULT_BASE_URL,
        annex: bool = True,
        languages: Sequence[str] = ("en",),
    ) -> ReportInputs:
        """Read the record from `db` (default `out_dir/detente.db`; `DATABASE_URL` overrides),
        the scenario beside `meeting.yaml`, and the join secret from `out_dir` (created once).
        A missing SQLite file means no record yet; it is not created."""
        import os

        path = db or out_dir / "detente.db"
        records: list[Record] = []
        if os.environ.get("DATABASE_URL") or path.exists():
            store = EventStore.open(path)
            try:
                records = store.read(folder.meeting.meeting.id)
            finally:
                store.close()
        return cls(
            folder,
            records,
            load_scenario(folder),
            load_or_create_secret(out_dir),
            base_url,
            annex,
            tuple(languages),
        )

    def context(self, request: Request) -> ReportContext:
        return ReportContext(
            folder=self.folder,
            records=self.records,
            scenario=self.scenario,
            audience=request.audience,
            language=request.language,
            annex=self.annex,
            base_url=self.base_url,
            secret=self.secret,
        )

    def date(self) -> dt.date:
        """The date a document describes: the record's last day, else the meeting's first."""
        if self.records:
            zone = self.folder.meeting.meeting.zone
            return self.records[-1].time.astimezone(zone).date()
        return self.folder.meeting.meeting.start_date


@dataclass
class Made:
    """The outcome for one requested document."""

    request: Request
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unavailable: str | None = None
    document: Document | None = None
