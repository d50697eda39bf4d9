"""After-action report to HSEEP practice: the facilitation team's edition evaluated against the
MSEL, the participants' edition judged from the shared record; strengths, areas for improvement
and the improvement plan in both."""

from __future__ import annotations

from detente.document.context import Audience, ReportContext
from detente.document.model import BulletList, Heading, Table
from detente.report.render import Made
from detente.ttx.documents.aar import evaluations
from detente.ttx.documents.aar_public import findings, steps
from detente.ttx.scenario import Visibility
from tests.rendered import Rendered


def test_only_the_facilitator_edition_is_evaluated_against_the_msel(
    rendered: dict[str, Rendered],
) -> None:
    r = rendered["korea-2024"]
    scenario = r.inputs.scenario
    assert scenario is not None
    private = {a.id for a in scenario.actions if a.visibility is Visibility.PRIVATE}
    for audience in (Audience("participants"), Audience("facilitator")):
        ctx = r.inputs.context(next(m.request for m in r.made if m.request.audience == audience))
        found = evaluations(ctx)
        if audience.kind == "participants":
            assert found == []
        else:
            assert found
            assert any(private & set(e.expected) for e in found)


def _aar(r: Rendered, kind: str) -> list[tuple[Made, ReportContext]]:
    return [
        (m, r.inputs.context(m.request))
        for m in r.made
        if m.request.kind == "aar" and m.document is not None and m.request.audience.kind == kind
    ]


def test_participants_decisions_are_the_public_steps(rendered: dict[str, Rendered]) -> None:
    """Every public step of a player is in the decisions table, in its move and delegation's
    row; a row without one says what it did in private is not observable."""
    checked = 0
    for r in rendered.values():
        for m, ctx in _aar(r, "participants"):
            assert m.document is not None
            section = m.document.section("decisions")
            assert section is not None
            (table,) = [b for b in section.blocks if isinstance(b, Table)]
            cells = {(row[0].split(".")[0], row[1]): row[2] for row in table.rows}
            for step in steps(ctx):
                cell = cells[(str(step.move), ctx.delegation_name(step.delegation))]
                assert step.text() in cell
                checked += 1
            for row in table.rows:
                if not any(s.text() in row[2] for s in steps(ctx)):
                    assert "not observable" in row[2]
    assert checked


def test_participants_strengths_and_areas_come_from_the_shared_record(
    rendered: dict[str, Rendered],
) -> None:
    """A strength is a public step on a de-escalating rung, an area for improvement an outcome,
    an escalation turning point or a step on an escalating rung, in a move where a public inject
    served the objective."""
    checked = 0
    for r in rendered.values():
        for m, ctx in _aar(r, "participants"):
            scenario = ctx.scenario
            assert scenario is not None and m.document is not None
            section = m.document.section("objectives")
            assert section is not None
            seen = steps(ctx)
            for objective in scenario.scenario.objectives:
                found = findings(ctx, objective.id)
                moves = {move for _, _, move in found.injects}
                for line in found.strengths:
                    assert any(
                        s.text() in line and s.move in moves and (s.score or 0) < 0 for s in seen
                    ), line
                    checked += 1
                for move, line in found.improvements:
                    assert move in moves
                    assert line.startswith(f"Move {move}:") or any(
                        s.text() in line and (s.score or 0) > 0 for s in seen
                    ), line
            headings = [b.text for b in section.blocks if isinstance(b, Heading)]
            assert any(h.startswith("Strengths (") for h in headings)
    assert checked


def test_improvement_plan_rows(rendered: dict[str, Rendered]) -> None:
    for r in rendered.values():
        made = [m for m, _ in _aar(r, "facilitator")]
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
    """In the facilitation team's edition, every expected response taken (met, or the taken
    part of partly met) is a strength under its objective."""
    for r in rendered.values():
        for m, _ in _aar(r, "facilitator"):
            assert m.document is not None
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
            for e in strong:
                assert f"inject {e.inject} “{e.title}”: took" in text


def test_hotwash_questions_keep_the_msel_to_the_facilitation_team(
    rendered: dict[str, Rendered],
) -> None:
    """The participants' edition never names an expected action or a private option in its
    hotwash questions, and leaves out those about an inject's anticipated response; the
    facilitator's edition has them all and adds the MSEL's expected actions."""
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
    assert participants and len(participants) < len(facilitator)
    assert all("anticipated" not in t for t in participants)
    assert any("anticipated" in t for t in facilitator)
    for text in participants:
        for label in expected | private:
            assert label not in text, (label, text)
    assert any("expected:" in t for t in facilitator)
    # grouped per inject: no two questions about the same inject title
    about = [t.split("”")[0] for t in facilitator if "“" in t and t.startswith("Move ")]
    assert len(about) == len(set(about))


def test_participants_improvement_plan_follows_the_shared_record(
    rendered: dict[str, Rendered],
) -> None:
    """One row per outcome or escalation turning point in a move that served an objective,
    addressed to every player delegation; no row names an action."""
    checked = 0
    for r in rendered.values():
        for m, ctx in _aar(r, "participants"):
            scenario = ctx.scenario
            assert scenario is not None and m.document is not None
            section = m.document.section("improvement-plan")
            points = [
                line
                for o in scenario.scenario.objectives
                for move, line in findings(ctx, o.id).improvements
                if line.startswith(f"Move {move}:")
            ]
            if not points:
                assert section is None
                continue
            assert section is not None
            (table,) = [b for b in section.blocks if isinstance(b, Table)]
            players = {ctx.delegation_name(a.delegation or "") for a in scenario.players}
            labels = [a.label.en for a in scenario.actions]
            for row in table.rows:
                assert set(row[2].split("\n")) == players
                assert not any(label in row[0] for label in labels), row[0]
                checked += 1
            assert len({row[0] for row in table.rows}) == len(table.rows)
    assert checked
