"""Move handouts: one per delegation and move, in its language, with only what that move hands
out; the handbook keeps them all; the content comes from one function."""

from __future__ import annotations

from pathlib import Path

from detente.document.localize import typography
from detente.meeting.loader import load_meeting
from detente.report.render import ReportInputs, make_documents
from detente.ttx.handout import handout_content
from detente.ttx.pack import load_pack
from tests.rendered import pdf_text

KOREA = Path(__file__).resolve().parents[2] / "examples" / "korea-2024"


def test_every_delegation_and_move_has_a_handout_pdf_in_its_language(tmp_path: Path) -> None:
    folder = load_meeting(KOREA)
    scenario = load_pack(KOREA, meeting=folder).scenario
    made = make_documents(ReportInputs.load(folder, tmp_path), ["handouts"], ["pdf"], tmp_path)
    slugs = {m.request.slug: m for m in made}
    for d in folder.meeting.delegations:
        actor = next(a for a in scenario.players if a.delegation == d.id)
        for move in scenario.moves:
            m = slugs[f"handout-{d.id}-move-{move.number}"]
            text = "".join(pdf_text(m.files[0]).split())
            brief = typography(move.brief.get(d.language), d.language)
            assert "".join(brief.split())[:40] in text
            for q in move.questions[actor.id]:
                assert "".join(typography(q.get(d.language), d.language).split())[:30] in text
            # nothing of a later move's brief
            for later in scenario.moves[move.number :]:
                later_brief = typography(later.brief.get(d.language), d.language)
                assert "".join(later_brief.split())[:40] not in text
            content = handout_content(scenario, move.number, actor.id)
            assert content.options and all(
                actor.id in scenario.action(o.id).actors for o in content.options
            )


def test_live_options_narrow_the_handout() -> None:
    scenario = load_pack(KOREA, meeting=load_meeting(KOREA)).scenario
    full = handout_content(scenario, 2, "USA")
    legal = [full.options[0].id]
    narrowed = handout_content(scenario, 2, "USA", legal)
    assert [o.id for o in narrowed.options] == legal and not narrowed.conditional
    assert full.conditional
