"""A document made from a simulated run says so at the top and in the footer of every page."""

from __future__ import annotations

import dataclasses

from detente.document.prose import Prose
from detente.document.sections import KINDS
from detente.document.simulation import FOOTER_MARK
from detente.meeting.events import MeetingOpened
from detente.report.render import build_documents
from tests.rendered import Rendered, pdf_text

SIMULATED = {"en": "Simulated record", "zh": "模拟记录", "ru": "Смоделированная запись"}
"""How the notice starts in each language: a pack in Chinese or Russian is marked in it."""


def test_every_page_of_every_simulated_document_is_marked(
    rendered: dict[str, Rendered],
) -> None:
    for r in rendered.values():
        for slug, files in r.files.items():
            doc = r.result(slug).document
            assert doc is not None
            lead = SIMULATED[doc.language if doc.language in SIMULATED else "en"]
            assert doc.notice.startswith(lead), slug
            md = files["md"].read_text(encoding="utf-8")
            assert md.index(lead) < md.index("\n## "), slug
            mark = Prose(doc.language)._(FOOTER_MARK)
            assert doc.language not in ("zh", "ru") or mark != FOOTER_MARK
            pages = pdf_text(files["pdf"]).split("\f")
            pages = [p for p in pages if p.strip()]
            assert pages
            for number, page in enumerate(pages, 1):
                assert " ".join(mark.split()) in " ".join(page.split()), (r.name, slug, number)


def test_a_record_of_people_is_not_marked(rendered: dict[str, Rendered]) -> None:
    r = rendered["harbour-2025"]
    records = []
    for rec in r.inputs.records:
        if rec.kind == MeetingOpened.kind:
            payload = dict(
                rec.payload, mode="live", seats=dict.fromkeys(rec.payload["seats"], "web")
            )
            rec = dataclasses.replace(rec, payload=payload)
        records.append(rec)
    inputs = dataclasses.replace(r.inputs, records=records)
    for kind in KINDS:
        for made in build_documents(inputs, kind):
            if made.document is not None:
                assert made.document.notice == ""
                assert FOOTER_MARK not in made.document.footer
