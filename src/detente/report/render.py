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
from pathlib import Path

from detente.document.context import Audience, DocumentUnavailable
from detente.document.inputs import Made, ReportInputs
from detente.document.model import Document
from detente.document.sections import KINDS, Request, build, maker_for, requests
from detente.report.html import render_html
from detente.report.markdown import render_markdown
from detente.report.pdf import render_pdf

__all__ = ["EXTRA_KINDS", "FORMATS", "Made", "ReportInputs", "make_documents"]

FORMATS = ("html", "pdf", "md")


EXTRA_KINDS = ("handouts", "paper")
"""The document kinds the `report` command offers besides :data:`KINDS`, made outside the section
registry by a plugin's maker (one document per delegation and move, or per participant and
sheet): see :func:`extra_documents`. Any kind with a registered maker can be made."""


def extra_documents(inputs: ReportInputs, kind: str) -> list[Made]:
    """The documents of a kind made outside the section registry, by the plugin that registered
    it with :func:`detente.document.sections.document_maker` (move handouts and paper-room
    sheets are the paper plugin's)."""
    make = maker_for(kind)
    if make is None:
        made = Made(Request(kind, Audience("facilitator"), "en", kind))
        made.unavailable = f"no plugin makes {kind!r} documents"
        return [made]
    return make(inputs)


def build_documents(inputs: ReportInputs, kind: str) -> list[Made]:
    """Build (not render) every document of one kind."""
    if kind not in KINDS:
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
        if kind not in KINDS and kind not in EXTRA_KINDS and maker_for(kind) is None:
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
