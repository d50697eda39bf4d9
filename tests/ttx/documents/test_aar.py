"""After-action report to HSEEP practice: not observable is not "not met"; improvement plan."""

from __future__ import annotations

from detente.document.context import Audience
from detente.document.model import BulletList, Heading, Table
from detente.ttx.documents.aar import evaluations
from detente.ttx.scenario import Visibility
from tests.rendered import Rendered


def test_private_options_are_not_observable_for_participants(
    rendered: dict[str, Rendered],
) -> None:
    r = rendered["korea-2024"]
    scenario = r.inputs.scenario
    assert scenario is not None
    private = {a.id for a in scenario.actions if a.visibility is Visibility.PRIVATE}
    for audience in (Audience("participants"), Audience("facilitator")):
        ctx = r.inputs.context(next(m.request for m in r.made if m.request.audience == audience))
        found = evaluations(ctx)
        assert found
        if audience.kind == "participants":
            hidden = [e for e in found if e.verdict == "not observable"]
            assert hidden, "the Korea exercise expects private options somewhere"
            for e in found:
                assert not private & set(e.expected), e
        else:
            assert "not observable" not in {e.verdict for e in found}
            assert any(private & set(e.expected) for e in found)


def test_improvement_plan_rows(rendered: dict[str, Rendered]) -> None:
    for r in rendered.values():
        made = [m for m in r.made if m.request.kind == "aar" and m.document is not None]
        for m in made:
            assert m.document is not None
            section = m.document.section("improvement-plan")
            misses = [
                e
                for e in evaluations(r.inputs.context(m.request))
                if e.verdict in ("partly", "not met")
            ]
            if not misses:
                assert section is None
                continue
            assert section is not None
            (table,) = [b for b in section.blocks if isinstance(b, Table)]
            assert table.columns == (
                "recommendation",
                "objective",
                "addressee",
                "horizon",
                "status",
            )
            names = {name for row in table.rows for name in row[2].split("\n")}
            assert names == {r.folder.meeting.delegation(e.delegation).name for e in misses}
            # one row per (response, objective): a response several delegations missed is one row
            keys = [(row[0], row[1]) for row in table.rows]
            assert len(keys) == len(set(keys))


def test_strengths_and_areas_per_objective(rendered: dict[str, Rendered]) -> None:
    """Every expected response taken (met, or the taken part of partly met) is a strength under
    its objective; not observable responses are listed apart and never as not met."""
    for r in rendered.values():
        for m in r.made:
            if m.request.kind != "aar" or m.document is None:
                continue
            found = evaluations(r.inputs.context(m.request))
            section = m.document.section("objectives")
            if not found:
                continue
            assert section is not None
            text = "\n".join(
                getattr(b, "text", "") or "\n".join(getattr(b, "items", ())) or ""
                for b in section.blocks
            )
            headings = [b.text for b in section.blocks if isinstance(b, Heading)]
            strong = [e for e in found if e.verdict in ("met", "partly") and e.taken]
            counts = [
                int(h.split("(")[1].rstrip(")")) for h in headings if h.startswith("Strengths")
            ]
            assert sum(counts) == len(strong)
            hidden = [e for e in found if e.verdict == "not observable"]
            for e in hidden:
                line = f"inject {e.inject} “{e.title}”"
                assert line in text
                assert f"{line}: did not take" not in text


def test_hotwash_questions_keep_the_msel_to_the_facilitation_team(
    rendered: dict[str, Rendered],
) -> None:
    """The participants' edition never names an expected action or a private option in its
    hotwash questions; the facilitator's edition adds the MSEL's expected actions."""
    r = rendered["korea-2024"]
    scenario = r.inputs.scenario
    assert scenario is not None
    labels = {a.id: a.label.en for a in scenario.actions}
    expected = {labels[a] for row in scenario.msel for a in row.expected_actions}
    private = {a.label.en for a in scenario.actions if a.visibility is Visibility.PRIVATE}
    texts: dict[str, list[str]] = {}
    for m in r.made:
        if m.request.kind != "aar" or m.document is None:
            continue
        section = m.document.section("hotwash")
        assert section is not None
        (listing,) = [b for b in section.blocks if isinstance(b, BulletList)]
        texts[m.request.audience.kind] = list(listing.items)
    participants, facilitator = texts["participants"], texts["facilitator"]
    assert len(participants) == len(facilitator) and participants
    for text in participants:
        for label in expected | private:
            assert label not in text, (label, text)
    assert any("expected:" in t for t in facilitator)
    # grouped per inject: no two questions about the same inject title
    about = [t.split("”")[0] for t in participants if "“" in t and t.startswith("Move ")]
    assert len(about) == len(set(about))
