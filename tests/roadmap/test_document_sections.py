"""The roadmap, recommendations and commitments in the meeting report and the after-action report.

Uses the session fixtures of conftest (each test meeting run once and rendered once); checks the
rendered files and the built document model against the record itself."""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict

from detente.document.attribution import Counts, plural, room_phrase
from detente.document.context import Audience, ReportContext
from detente.document.model import BulletList, Document, Figure, Paragraph, Section, Table
from detente.document.sections import Request, build, outcomes_for
from detente.roadmap.document_sections import (
    MSEL_KINDS,
    adverse_outcomes,
    analysis_from_json,
    circulated_claim,
    recommendations_section,
    recorded_roadmap,
    roadmap_from_json,
)
from detente.roadmap.events import (
    CommitmentMade,
    RatingSubmitted,
    RecommendationEdited,
    RecommendationsDrafted,
    RoadmapAnalysed,
    RoadmapRecorded,
)
from detente.roadmap.recommendations import FinalClaim
from detente.store.events import Event, decode
from detente.store.log import Record
from tests.rendered import Rendered, pdf_text

MEETING_HEADINGS = [
    "The roadmap",
    "Measures for further dialogue",
    "Recommendations and the Framework for Future Engagement",
    "Suggested next steps",
    "Simulated effects of the measures",
]
ROADMAP_ONLY = ("roadmap", "recommendations", "effects")


def _doc(r: Rendered, slug: str) -> Document:
    document = r.result(slug).document
    assert document is not None, slug
    return document


def _section(doc: Document, section_id: str) -> Section:
    section = doc.section(section_id)
    assert section is not None, section_id
    return section


def _text(section: Section) -> str:
    parts: list[str] = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, BulletList):
            parts += block.items
        elif isinstance(block, Table):
            parts += [cell for row in block.rows for cell in row]
    return "\n".join(parts)


def _events(r: Rendered, kind: type[Event]) -> list[tuple[Record, Event]]:
    return [(rec, decode(rec)) for rec in r.inputs.records if rec.kind == kind.kind]


def _ctx(r: Rendered, records: list[Record]) -> ReportContext:
    return ReportContext(r.folder, records, r.inputs.scenario, Audience("public"))


# --- the meeting report ------------------------------------------------------------------------


def test_korea_meeting_report_has_the_new_sections_in_every_format(
    rendered: dict[str, Rendered],
) -> None:
    r = rendered["korea-2024"]
    html = r.file("meeting-report", "html").read_text(encoding="utf-8")
    md = r.file("meeting-report", "md").read_text(encoding="utf-8").replace("\\", "")
    pdf = " ".join(pdf_text(r.file("meeting-report", "pdf")).split())
    for heading in MEETING_HEADINGS:
        assert heading in html, heading
        assert re.search(rf"^#+ {re.escape(heading)}$", md, re.M), heading
        assert heading in pdf, heading
    # the roadmap chart is inlined as SVG inside the roadmap section, the forest plot too
    roadmap_html = html.split('<section id="roadmap"')[1].split("</section>")[0]
    assert "<svg" in roadmap_html and "<?xml" not in roadmap_html
    effects_html = html.split('<section id="effects"')[1].split("</section>")[0]
    assert "<svg" in effects_html
    # new sections come before the participants annex
    assert pdf.index("Suggested next steps") < pdf.index("Annex: participants")


def test_roadmap_views_are_the_rooms_pooled_counts(rendered: dict[str, Rendered]) -> None:
    """Every measure on the roadmap and for further dialogue shows the room's view, worded from
    the delegates' final `rating_submitted` events pooled over delegations (never a count per
    delegation); every phase is there."""
    r = rendered["korea-2024"]
    final: dict[tuple[str, str], RatingSubmitted] = {}
    for _, e in _events(r, RatingSubmitted):
        assert isinstance(e, RatingSubmitted)
        final[(e.participant, e.measure_id)] = e
    pooled: dict[str, Counts] = defaultdict(lambda: Counts(0, 0, 0))
    for e in final.values():
        if e.delegation is None:
            continue
        pooled[e.measure_id] += Counts(int(e.support > 0), int(e.support < 0), int(e.support == 0))
    (_, recorded) = _events(r, RoadmapRecorded)[-1]
    assert isinstance(recorded, RoadmapRecorded)
    roadmap = recorded.roadmap
    section = _section(_doc(r, "meeting-report"), "roadmap")
    rows = [row for b in section.blocks if isinstance(b, Table) for row in b.rows]
    by_title = {row[0]: row for row in rows}
    assert roadmap["measures"], "the Korea run must put measures on the roadmap"
    for entry in roadmap["measures"]:
        assert by_title[entry["title"]][2] == room_phrase(pooled[entry["id"]]), entry["id"]
    for entry in roadmap["further_dialogue"]:
        assert by_title[entry["title"]][3] == room_phrase(pooled[entry["id"]]), entry["id"]
    headings = [getattr(b, "text", "") for b in section.blocks]
    for phase in roadmap["phases"]:
        assert any(h.startswith(f"Phase {phase['number']} — ") for h in headings)
    assert not re.search(r"\b\d+/\d+\b", _text(section))
    assert any(isinstance(b, Figure) for b in section.blocks)


def test_recommendations_show_the_final_text_without_references(
    rendered: dict[str, Rendered],
) -> None:
    """The circulated report prints every claim, in circulated form and without record
    references. The draft derives nothing from the evaluation against the MSEL (facilitator-only
    records; the report would leave such a claim out of a record written before)."""
    r = rendered["korea-2024"]
    (_, drafted) = _events(r, RecommendationsDrafted)[-1]
    assert isinstance(drafted, RecommendationsDrafted)
    kinds = {rec.seq: rec.kind for rec in r.inputs.records}
    ctx = _ctx(r, list(r.inputs.records))
    section = _section(_doc(r, "meeting-report"), "recommendations")
    items = [i for b in section.blocks if isinstance(b, BulletList) for i in b.items]
    msel = [c for c in drafted.claims if any(kinds[s] in MSEL_KINDS for s in c.sources)]
    assert not msel, "a claim derives from the facilitator-only evaluation against the MSEL"
    assert len(items) == len(drafted.claims)
    for claim in drafted.claims:
        final = FinalClaim(claim.id, claim.section, claim.text, tuple(claim.sources), "generated")
        line = next(i for i in items if i.startswith(circulated_claim(ctx, final)))
        assert "#" not in line
        assert "facilitator" not in line  # generated as drafted, not marked as a person's
        # rebuilt from the typed record: the room's view, never a delegation's counts or stance
        assert not re.search(r"\b[A-Z]{3} \d+/\d+", line), line
        assert "supported by" not in line and "opposed by" not in line, line
        if claim.section in ("principles", "divergence"):
            assert re.search(r"participants|majority|no view|divided", line), line


def test_facilitator_edits_are_shown_and_marked(rendered: dict[str, Rendered]) -> None:
    """Insert edits before the acceptance: the report shows the edited text (not the draft's),
    marks edited and added claims, and leaves struck ones out."""
    r = rendered["korea-2024"]
    records = list(r.inputs.records)
    (_, drafted) = _events(r, RecommendationsDrafted)[-1]
    assert isinstance(drafted, RecommendationsDrafted)
    accept = next(i for i, rec in enumerate(records) if rec.kind == "recommendations_accepted")
    first, second = drafted.claims[0], drafted.claims[1]
    edits = [
        RecommendationEdited(
            item_id=drafted.item_id, claim_id=first.id, action="edit", text="Rewritten by hand."
        ),
        RecommendationEdited(item_id=drafted.item_id, claim_id=second.id, action="strike"),
        RecommendationEdited(
            item_id=drafted.item_id,
            claim_id="human-1",
            action="add",
            section="next-steps",
            text="Meet again in Vienna.",
        ),
    ]
    base = records[-1].seq + 100
    inserted = [
        dataclasses.replace(
            records[accept],
            seq=base + n,
            actor="facilitator",
            kind=e.kind,
            payload=e.payload(),
        )
        for n, e in enumerate(edits)
    ]
    ctx = _ctx(r, records[:accept] + inserted + records[accept:])
    section = recommendations_section(ctx)
    assert section is not None
    items = [i for b in section.blocks if isinstance(b, BulletList) for i in b.items]
    edited = next(i for i in items if i.startswith("Rewritten by hand."))
    assert "(edited by the facilitator)" in edited and "#" not in edited
    assert not any(i.startswith(first.text) for i in items)
    assert not any(i.startswith(second.text) for i in items)
    added = next(i for i in items if i.startswith("Meet again in Vienna."))
    assert "(written by the facilitator)" in added
    assert "1 generated claim struck" in _text(section)


def test_suggested_next_steps_are_the_rooms(rendered: dict[str, Rendered]) -> None:
    """Next steps are participants' suggestions, pooled for the room: every measure a
    participant named is listed, no delegation is named and nothing reads as a government's
    commitment."""
    r = rendered["korea-2024"]
    made = [e for _, e in _events(r, CommitmentMade)]
    assert made
    section = _section(_doc(r, "meeting-report"), "commitments")
    text = _text(section)
    found = recorded_roadmap(_ctx(r, list(r.inputs.records)))
    assert found is not None
    for e in made:
        assert isinstance(e, CommitmentMade)
        for mid in e.measures:
            assert found.title(mid) in text
    for d in r.folder.meeting.delegations:
        assert d.name not in text
    assert " commits " not in text


def test_executive_summary_and_session_outcomes_name_the_roadmap(
    rendered: dict[str, Rendered],
) -> None:
    r = rendered["korea-2024"]
    doc = _doc(r, "meeting-report")
    summary = _text(_section(doc, "executive-summary"))
    found = recorded_roadmap(_ctx(r, list(r.inputs.records)))
    assert found is not None
    on = sum(len(p.measures) for p in found.roadmap.phases)
    phases = plural(len(found.roadmap.phases), "phase")
    assert f"{on} of them are on the roadmap, in {phases}" in summary
    assert "recommendations accepted" in summary
    sessions = _text(_section(doc, "sessions"))
    assert "(see “The roadmap”)" in sessions
    assert "(see “Recommendations and the Framework for Future Engagement”)" in sessions


def test_remarks_outcome_names_no_delegation(rendered: dict[str, Rendered]) -> None:
    r = rendered["korea-2024"]
    ctx = _ctx(r, list(r.inputs.records))
    held = next(h for h in ctx.state.items if h.activity == "remarks")
    blocks = [b for fn in outcomes_for("remarks") for b in (fn(ctx, held) or [])]
    text = " ".join(b.text for b in blocks if isinstance(b, Paragraph))
    assert "participants suggested next steps" in text
    assert not any(d.name in text for d in r.folder.meeting.delegations)


def test_record_documents_round_trip(rendered: dict[str, Rendered]) -> None:
    r = rendered["korea-2024"]
    (_, analysed) = _events(r, RoadmapAnalysed)[-1]
    (_, recorded) = _events(r, RoadmapRecorded)[-1]
    assert isinstance(analysed, RoadmapAnalysed) and isinstance(recorded, RoadmapRecorded)
    assert analysis_from_json(analysed.result).to_json() == analysed.result
    assert roadmap_from_json(recorded.roadmap).to_json() == recorded.roadmap


def test_harbour_has_no_roadmap_sections_and_no_placeholders(
    rendered: dict[str, Rendered],
) -> None:
    r = rendered["harbour-2025"]
    doc = _doc(r, "meeting-report")
    for section_id in ROADMAP_ONLY:
        assert doc.section(section_id) is None, section_id
    md = r.file("meeting-report", "md").read_text(encoding="utf-8").replace("\\", "")
    html = r.file("meeting-report", "html").read_text(encoding="utf-8")
    pdf = " ".join(pdf_text(r.file("meeting-report", "pdf")).split())
    for text in (md, html, pdf):
        for heading in ("The roadmap", "Recommendations and the Framework", "Simulated effects"):
            assert heading not in text
        assert "has not run yet" not in text
    # the closing remarks did record commitments (without a roadmap): they are shown as recorded
    made = _events(r, CommitmentMade)
    assert (doc.section("commitments") is not None) == bool(made)


# --- the after-action report -------------------------------------------------------------------


def test_aar_recommendations_table_has_addressee_and_horizon(
    rendered: dict[str, Rendered],
) -> None:
    r = rendered["korea-2024"]
    for fmt in ("html", "md"):
        text = r.file("after-action-report", fmt).read_text(encoding="utf-8").replace("\\", "")
        assert "Recommendations" in text and "addressee" in text and "horizon" in text
    pdf = " ".join(pdf_text(r.file("after-action-report", "pdf")).split())
    assert "Recommendations" in pdf and "addressee" in pdf
    (_, analysed) = _events(r, RoadmapAnalysed)[-1]
    (_, recorded) = _events(r, RoadmapRecorded)[-1]
    assert isinstance(analysed, RoadmapAnalysed) and isinstance(recorded, RoadmapRecorded)
    analysis = analysis_from_json(analysed.result)
    adverse = adverse_outcomes(analysis)
    # from the Korea catalog: cooperative measures lower clashes and raise talks
    assert "armed-clash" in adverse and "talks-opened" not in adverse
    expected = []
    for entry in recorded.roadmap["measures"]:
        effects = analysis.measure(entry["id"]).effects
        if any(o in effects and effects[o].difference.high < 0 for o in adverse):
            expected.append(entry["title"])
    section = _section(_doc(r, "after-action-report"), "recommendations")
    (table,) = [b for b in section.blocks if isinstance(b, Table)]
    assert table.columns[:3] == ("recommendation", "addressee", "horizon")
    assert [row[0] for row in table.rows] == expected
    entries = {e["title"]: e for e in recorded.roadmap["measures"]}
    for row in table.rows:
        entry = entries[row[0]]
        assert f"(phase {entry['phase']})" in row[2]
        for actor in entry["actors"]:
            try:
                name = r.folder.meeting.delegation(actor).name
            except KeyError:
                name = actor
            assert name in row[1]


def test_aar_before_the_roadmap_session_names_it(rendered: dict[str, Rendered]) -> None:
    r = rendered["korea-2024"]
    item = next(i for _, i in r.folder.meeting.items() if i.activity == "roadmap")
    cut = next(
        n
        for n, rec in enumerate(r.inputs.records)
        if rec.kind == "item_started" and rec.payload["item_id"] == item.id
    )
    doc = build(
        Request("aar", Audience("public"), "en", "aar"), _ctx(r, list(r.inputs.records[:cut]))
    )
    section = _section(doc, "recommendations")
    assert not any(isinstance(b, Table) for b in section.blocks)
    text = _text(section)
    assert f"Session {item.session}" in text and "has not run yet" in text


def test_aar_without_a_roadmap_session_has_no_recommendations(
    rendered: dict[str, Rendered],
) -> None:
    doc = _doc(rendered["ttx-small"], "after-action-report")
    assert doc.section("recommendations") is None
