"""Make documents: load what they need, build each requested one, render it in each format.

This is the API the command (and a web app, later) calls::

    inputs = ReportInputs.load(folder, out_dir)
    results = make_documents(inputs, kinds=["pack"], formats=["pdf"], target=out / "reports")

Documents that cannot be made yet are reported (with the reason, naming the session that has
not run) instead of raising, so `--kind all` makes what it can.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from detente.access import load_or_create_secret
from detente.meeting.loader import MeetingFolder
from detente.report.context import (
    DEFAULT_BASE_URL,
    Audience,
    DocumentUnavailable,
    ReportContext,
    load_scenario,
)
from detente.report.documents import KINDS, Request, build, requests
from detente.report.html import render_html
from detente.report.markdown import render_markdown
from detente.report.model import Document
from detente.report.pdf import render_pdf
from detente.store.log import EventStore, Record

if TYPE_CHECKING:
    from detente.ttx.scenario import Scenario

FORMATS = ("html", "pdf", "md")


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


EXTRA_KINDS = ("handouts", "paper")
"""Document kinds built outside the section registry (one document per delegation and move, or
per participant and sheet): see :func:`extra_documents`."""


def extra_documents(inputs: ReportInputs, kind: str) -> list[Made]:
    """Move handouts (:mod:`detente.report.handouts`) and paper-room sheets
    (:mod:`detente.report.paper_sheets`)."""
    if kind == "handouts":
        from detente.report.handouts import handout_document, requests_for

        probe = inputs.context(Request("handouts", Audience("facilitator"), "en", "handouts"))
        out = []
        for request, move in requests_for(probe):
            doc = handout_document(inputs.context(request), request, move)
            out.append(Made(request, warnings=list(doc.warnings), document=doc))
        if not out:
            made = Made(Request("handouts", Audience("facilitator"), "en", "handouts"))
            made.unavailable = "the meeting has no tabletop exercise (scenario.yaml and a ttx item)"
            out.append(made)
        return out
    from detente.report.paper_sheets import paper_documents

    return paper_documents(inputs)


def build_documents(inputs: ReportInputs, kind: str) -> list[Made]:
    """Build (not render) every document of one kind."""
    if kind in EXTRA_KINDS:
        return extra_documents(inputs, kind)
    made = []
    for request in requests(inputs.folder, kind, inputs.languages):
        try:
            doc = build(request, inputs.context(request))
        except DocumentUnavailable as exc:
            made.append(Made(request, unavailable=str(exc)))
            continue
        made.append(Made(request, warnings=list(doc.warnings), document=doc))
    return made


def render(doc: Document, fmt: str, date: dt.date) -> tuple[bytes, list[str]]:
    """One document in one format, as bytes, with the renderer's warnings."""
    if fmt == "html":
        return render_html(doc).encode("utf-8"), []
    if fmt == "md":
        return render_markdown(doc).encode("utf-8"), []
    if fmt == "pdf":
        return render_pdf(doc, date)
    raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")


def make_documents(
    inputs: ReportInputs, kinds: Sequence[str], formats: Sequence[str], target: Path
) -> list[Made]:
    """Build and write every requested document into `target` as `<slug>.<format>`."""
    target.mkdir(parents=True, exist_ok=True)
    date = inputs.date()
    results: list[Made] = []
    for kind in kinds:
        if kind not in KINDS and kind not in EXTRA_KINDS:
            raise ValueError(f"unknown document kind {kind!r}")
        for made in build_documents(inputs, kind):
            if made.document is not None:
                for fmt in formats:
                    data, warnings = render(made.document, fmt, date)
                    path = target / f"{made.request.slug}.{fmt}"
                    path.write_bytes(data)
                    made.files.append(path)
                    made.warnings += [w for w in warnings if w not in made.warnings]
            results.append(made)
    return results
