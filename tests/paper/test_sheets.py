"""Paper-room printouts: a ballot per discussion and seat, a rating sheet per seat with the
catalog's categories and scales, the list of measures; every sheet's code parses back to its
item and seat for this meeting only."""

from __future__ import annotations

from pathlib import Path

from detente.deliberation.statements import load_statements
from detente.document.model import Paragraph, Table
from detente.meeting.loader import load_meeting
from detente.paper.codes import parse_code
from detente.paper.sheets_csv import seats_of
from detente.report.render import ReportInputs, make_documents
from detente.roadmap.catalog import load_catalog
from tests.rendered import pdf_text
from tests.roadmap.conftest import harbour_with_roadmap


def test_every_seat_gets_a_ballot_and_a_rating_sheet(tmp_path: Path) -> None:
    folder = load_meeting(harbour_with_roadmap(tmp_path / "harbour-2025"))
    made = make_documents(ReportInputs.load(folder, tmp_path), ["paper"], ["pdf"], tmp_path / "r")
    docs = {m.request.slug: m.document for m in made if m.document is not None}
    seats = seats_of(folder)
    statements = load_statements(folder)
    catalog = load_catalog(folder)
    assert statements is not None and catalog is not None
    discussions = [i.id for _, i in folder.meeting.items() if i.activity == "discussion" and i.id]
    for item in discussions:
        ids = [s.id for s in statements.statements.for_item(item)]
        for seat in seats:
            doc = docs[f"ballot-{item}-{seat}"]
            assert doc is not None
            code = parse_code(folder.meeting.meeting.id, doc.subtitle)
            assert (code.kind, code.scope, code.seat) == ("B", item, seat)
            table = next(b for b in doc.sections[0].blocks if isinstance(b, Table))
            assert [r[0] for r in table.rows] == [str(n) for n in range(1, len(ids) + 1)]
            assert all(r[2:] == ("☐", "☐", "☐") for r in table.rows)
    rating_item = catalog.item.id
    for seat in seats:
        doc = docs[f"rating-{rating_item}-{seat}"]
        assert doc is not None
        blocks = doc.sections[0].blocks
        rated = [r[0] for b in blocks if isinstance(b, Table) for r in b.rows]
        assert sorted(rated) == sorted(m.id for m in catalog.catalog.measures)
        assert any(isinstance(b, Paragraph) and "−2" in b.text for b in blocks)
    assert f"measures-{rating_item}" in docs
    first = next(m for m in made if m.request.slug.startswith("ballot-"))
    text = pdf_text(first.files[0])
    assert first.document is not None and first.document.subtitle in text
