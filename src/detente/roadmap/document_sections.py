"""The roadmap, the recommendations and the commitments in the documents, from the record.

Meeting report (Chatham House Rule; public events only):

- **The roadmap** — the measures agreed across delegations, phase by phase and category by
  category, with their consensus tier and exact per-delegation counts, the roadmap chart
  (:func:`detente.roadmap.plots.roadmap_chart`, inlined as SVG), and the measures for further
  dialogue with the delegations that support, object to, or have no majority on each;
- **Recommendations and the Framework for Future Engagement** — the recommendations draft as the
  facilitator left it (:func:`detente.roadmap.recommendations.recommendations_from_records`):
  the final text of every claim, marked when a person edited or wrote it, each ending with the
  seq numbers of the events it derives from (``[#123]``);
- **Commitments to next steps** — each delegation's commitment from the concluding remarks;
- **Simulated effects of the measures** — the grid of effects by measure and outcome
  (:func:`detente.roadmap.plots.effects_grid`, the forest plot's content laid out for print)
  and the effects whose 95% interval excludes zero, when the roadmap session recorded effects;
- the outcome of the roadmap, recommendations and remarks sessions, and their line in the
  executive summary (:func:`detente.document.sections.summary_line`).

After-action report: the **recommendations table** with addressee and horizon (instead of
HSEEP's owner and due date), derived from the record — the roadmap's measures whose simulated
effect lowers an adverse outcome of the exercise (see :func:`adverse_outcomes`); the addressee is
who would act on the measure, the horizon the realistic one the room rated and the roadmap's
phase. When the programme has a roadmap session that has not run yet, the section says so and
names it; a programme without one has no such section.

Every section reads only what its audience may see (the context's records) and returns None when
its data is not in the record, so a meeting without a roadmap session has none of these sections.
Views are attributed to delegations, never to people: the roadmap's counts, stances and
commitments are all per delegation by construction.

The record's JSON documents (`roadmap_analysed`, `roadmap_recorded`) are turned back into the
roadmap package's types by that package's readers
(:func:`~detente.roadmap.analysis.analysis_from_json`,
:func:`~detente.roadmap.sequence.roadmap_from_json`) so the plots are drawn by the same code as the
run's; measure and category titles for the chart come from the
meeting's catalog (`measures.yaml`), and the chart is left out if that file no longer loads.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from detente.deliberation.document_sections import TIER_TEXT
from detente.deliberation.document_sections import statement_counts as _common_counts
from detente.deliberation.events import AnalysisRecorded, StatementAdded
from detente.deliberation.recorded import recorded_analysis
from detente.deliberation.votes import latest_statements
from detente.diagnostics import InputError
from detente.document.attribution import (
    Counts,
    by_delegation,
    fix_plurals,
    nameable,
    plural,
    view,
)
from detente.document.context import ReportContext, item_label
from detente.document.figure_text import TEXT_WIDTH_PT
from detente.document.model import Block, BulletList, Figure, Heading, Paragraph, Section, Table
from detente.document.sections import report_section, session_outcome, summary_line
from detente.meeting.events import FacilitatorNote
from detente.meeting.model import Item
from detente.meeting.state import HeldItem
from detente.roadmap.analysis import MeasureResult, RoadmapAnalysis, analysis_from_json
from detente.roadmap.catalog import load_catalog, roadmap_item
from detente.roadmap.events import (
    CommitmentMade,
    RatingsClosed,
    RecommendationEdited,
    RecommendationsDrafted,
    RoadmapAnalysed,
    RoadmapRecorded,
)
from detente.roadmap.plots import effects_grid, roadmap_chart
from detente.roadmap.recommendations import (
    SECTION_TITLES,
    SECTIONS,
    FinalClaim,
    FinalRecommendations,
    recommendations_from_records,
)
from detente.roadmap.sequence import (
    DialogueEntry,
    Roadmap,
    phase_label,
    roadmap_from_json,
)
from detente.store.visibility import ALL

HORIZON_TEXT: Final = {
    "immediate": "immediate",
    "within-a-year": "within a year",
    "1-3-years": "1–3 years",
    "longer": "longer term",
}
ORIGIN_TEXT: Final = {
    "edited": "edited by the facilitator",
    "added": "written by the facilitator",
}


# --- the record, back into the roadmap's types -----------------------------------------------


@dataclass(frozen=True)
class RecordedRoadmap:
    """The last roadmap the record holds: its item, the analysis and the roadmap with the seq
    numbers of their events."""

    item_id: str
    analysed_seq: int
    analysis: RoadmapAnalysis
    recorded_seq: int
    roadmap: Roadmap

    def title(self, measure_id: str) -> str:
        entry = self.roadmap.entries.get(measure_id)
        if entry is not None:
            return entry.title
        for d in self.roadmap.further_dialogue:
            if d.measure_id == measure_id:
                return d.title
        return measure_id

    def result(self, measure_id: str) -> MeasureResult | None:
        try:
            return self.analysis.measure(measure_id)
        except KeyError:
            return None


def recorded_roadmap(ctx: ReportContext) -> RecordedRoadmap | None:
    """The last `roadmap_recorded` event the audience may see, with the `roadmap_analysed` event
    of the same item before it; None when the record holds no roadmap."""
    recorded = ctx.events(RoadmapRecorded)
    if not recorded:
        return None
    r_rec, r_event = recorded[-1]
    analysed = [
        (r, e)
        for r, e in ctx.events(RoadmapAnalysed)
        if e.item_id == r_event.item_id and r.seq < r_rec.seq
    ]
    if not analysed:
        return None
    a_rec, a_event = analysed[-1]
    return RecordedRoadmap(
        r_event.item_id,
        a_rec.seq,
        analysis_from_json(a_event.result),
        r_rec.seq,
        roadmap_from_json(r_event.roadmap),
    )


# --- small helpers -----------------------------------------------------------------------------


def refs(seqs: Sequence[int]) -> str:
    """Event references as printed after a claim: ``[#12, #15]`` (empty for none)."""
    unique = sorted(set(seqs))
    return "[" + ", ".join(f"#{s}" for s in unique) + "]" if unique else ""


def evidence(ctx: ReportContext, seqs: Sequence[int]) -> str:
    """Record references for the facilitation team's editions; nothing in circulated ones
    (ids and record numbers are not for the reader of a circulated document)."""
    return refs(seqs) if ctx.audience.facilitation else ""


def _source(ctx: ReportContext, seqs: Sequence[int]) -> str:
    found = evidence(ctx, seqs)
    return f" Source: {found}." if found else ""


def _groups(result: MeasureResult) -> dict[str, Counts]:
    return {g.group: Counts(g.agree, g.disagree, g.passes) for g in result.delegations}


def _why(found: RecordedRoadmap, reason: str) -> str:
    """A further-dialogue reason with measure ids replaced by the measures' titles."""
    ids = sorted({m.measure_id for m in found.analysis.measures}, key=len, reverse=True)
    for mid in ids:
        reason = re.sub(rf"(?<![\w-]){re.escape(mid)}(?![\w-])", f"“{found.title(mid)}”", reason)
    return reason


MSEL_KINDS = ("reflection_inject_assessed",)
"""Record kinds that evaluate play against the MSEL's expected actions: facilitator-only
content, so a claim derived from them is left out of the circulated report."""


def _names(ctx: ReportContext, delegations: Sequence[str]) -> str:
    return ", ".join(ctx.delegation_name(d) for d in delegations) or "—"


def _actors(ctx: ReportContext, actors: Sequence[str]) -> str:
    """Who would act: delegation ids by the delegation's name, other actors as written."""
    ids = {d.id for d in ctx.folder.meeting.delegations}
    return ", ".join(ctx.delegation_name(a) if a in ids else a for a in actors) or "—"


def _horizon(value: str | None) -> str:
    return HORIZON_TEXT.get(value or "", value or "—")


def _item(ctx: ReportContext, item_id: str) -> Item | None:
    return next((i for _, i in ctx.folder.meeting.items() if i.id == item_id), None)


def _category_titles(ctx: ReportContext, item_id: str) -> dict[str, str]:
    item = _item(ctx, item_id)
    return {s.id: s.title for s in item.steps} if item is not None else {}


def _label(ctx: ReportContext, item_id: str) -> str:
    item = _item(ctx, item_id)
    return item_label(item) if item is not None else f"“{item_id}”"


def _pts(value: float) -> str:
    return f"{value * 100:+.1f}".replace("-", "−")


GRID_ROWS = 20
"""Measures per part of the effects grid: a part stays well within a printed page."""
PRINT_WIDTH_IN = TEXT_WIDTH_PT / 72
"""Figures are laid out at the PDF's text width, so their text prints at its own size."""


def _svg(draw: Callable[..., list[Path]], *args: Any, **kwargs: Any) -> str | None:
    """Run one of the roadmap's plot functions into a scratch folder and return its SVG."""
    with tempfile.TemporaryDirectory(prefix="detente-report-") as scratch:
        stem = Path(scratch) / "figure"
        written = draw(*args, stem, formats=("svg",), **kwargs)
        svg = next((p for p in written if p.suffix == ".svg"), None)
        return svg.read_text(encoding="utf-8") if svg is not None else None


def _public_notes(held: HeldItem) -> list[Block]:
    return [
        Paragraph(fix_plurals(e.text), tone="note")
        for r, e in held.outputs
        if isinstance(e, FacilitatorNote) and r.visibility == ALL
    ]


# --- meeting report: the roadmap ---------------------------------------------------------------


def _chart(ctx: ReportContext, found: RecordedRoadmap) -> Figure | None:
    try:
        loaded = load_catalog(ctx.folder)
    except InputError:
        return None
    if loaded is None or loaded.item.id != found.item_id:
        return None
    svg = _svg(
        roadmap_chart, found.analysis, found.roadmap, loaded, width=PRINT_WIDTH_IN, further=False
    )
    if svg is None:
        return None
    phases = "; ".join(
        f"phase {p.number} ({phase_label(found.roadmap.phases, p)}): "
        + ", ".join(found.title(m) for m in p.measures)
        for p in found.roadmap.phases
    )
    return Figure(
        svg,
        caption="The roadmap by phase (columns) and category (rows), each measure coloured by "
        "its consensus tier (the measures for further dialogue are listed below).",
        alt=f"Roadmap chart: {phases or 'no measure on the roadmap'}; "
        f"{plural(len(found.roadmap.further_dialogue), 'measure')} for further dialogue.",
    )


def _feasibility(result: MeasureResult | None) -> str:
    if result is None or result.mean_feasibility is None:
        return "—"
    return f"{result.mean_feasibility:.1f}"


@report_section(document="meeting", order=60)
def roadmap_section(ctx: ReportContext) -> Section | None:
    """Phases × categories with tiers and counts, the chart, the measures for further dialogue."""
    found = recorded_roadmap(ctx)
    if found is None:
        return None
    analysis, roadmap = found.analysis, found.roadmap
    titles = _category_titles(ctx, found.item_id)
    blocks: list[Block] = [
        Paragraph(
            f"In {_label(ctx, found.item_id)}, {analysis.participants} participants of "
            f"{len(analysis.delegations)} delegations rated {len(analysis.measures)} measures: "
            "support from −2 to +2 (above 0 counts as agreeing, below 0 as objecting, 0 as no "
            "view), feasibility from 1 to 5 and the horizon they think realistic. A measure is "
            "on the roadmap when a majority of every delegation supports it (tiers “unanimous” "
            "and “majority”) and the measures it trades against and depends on are agreed too; "
            "phases follow the realistic horizon and the prerequisites. Counts are agreeing "
            "raters out of each delegation's raters."
        )
    ]
    closed = [e for _, e in ctx.events(RatingsClosed) if e.item_id == found.item_id and e.note]
    if closed:
        blocks.append(
            Paragraph(
                fix_plurals(closed[-1].note[0].upper() + closed[-1].note[1:] + "."), tone="muted"
            )
        )
    on_roadmap = sum(len(p.measures) for p in roadmap.phases)
    blocks.append(
        Paragraph(
            f"{plural(on_roadmap, 'measure')} {'is' if on_roadmap == 1 else 'are'} on the "
            f"roadmap in {plural(len(roadmap.phases), 'phase')}; "
            f"{len(roadmap.further_dialogue)} "
            f"{'is' if len(roadmap.further_dialogue) == 1 else 'are'} for further dialogue."
            f"{_source(ctx, [found.analysed_seq, found.recorded_seq])}"
        )
    )
    figure = _chart(ctx, found)
    if figure is not None:
        blocks.append(figure)
    columns = ("measure", "standing", "view", "feasibility", "who would act")
    for phase in roadmap.phases:
        blocks.append(Heading(f"Phase {phase.number} — {phase_label(roadmap.phases, phase)}"))
        for category in roadmap.categories:
            ids = [m for m in phase.measures if roadmap.entries[m].category == category]
            if not ids:
                continue
            blocks.append(Heading(titles.get(category, category), level=3))
            rows = []
            for mid in ids:
                entry = roadmap.entries[mid]
                result = found.result(mid)
                rows.append(
                    (
                        entry.title,
                        TIER_TEXT.get(entry.tier, entry.tier),
                        view(ctx, _groups(result)) if result is not None else "—",
                        _feasibility(result),
                        _actors(ctx, entry.actors),
                    )
                )
            blocks.append(Table(columns, tuple(rows), widths=(3.6, 1.6, 2.8, 1.4, 2)))
    if roadmap.further_dialogue:
        blocks.append(Heading("Measures for further dialogue"))
        blocks.append(
            Paragraph(
                "Measures without a majority in every delegation, or waiting on a measure that "
                "has none."
            )
        )
        further: list[tuple[str, str, str, str]] = []
        for d in roadmap.further_dialogue:
            result = found.result(d.measure_id)
            further.append(
                (
                    d.title,
                    titles.get(d.category, d.category),
                    _why(found, d.reason),
                    view(ctx, _groups(result)) if result is not None else "—",
                )
            )
        blocks.append(
            Table(
                ("measure", "category", "why", "view"),
                tuple(further),
                widths=(3, 2.4, 2.6, 3),
            )
        )
    return Section("roadmap", "The roadmap", tuple(blocks), page_break=True)


# --- meeting report: recommendations -----------------------------------------------------------


def _principle_source(
    ctx: ReportContext, claim: FinalClaim
) -> tuple[str, str, dict[str, Counts]] | None:
    """(statement text, the analysis's count label, counts per delegation) of a shared-principle
    claim, from the statement and analysis events it was drafted from."""
    by_seq = {r.seq: e for r, e in ctx.decoded if r.seq in claim.sources}
    statement = next((e for e in by_seq.values() if isinstance(e, StatementAdded)), None)
    analysis = next((e for e in by_seq.values() if isinstance(e, AnalysisRecorded)), None)
    if statement is None or analysis is None:
        return None
    row = recorded_analysis(analysis).statement(statement.statement_id)
    if row is None:
        return None
    latest = latest_statements(e for _, e in ctx.decoded).get(statement.statement_id, statement)
    return latest.text, row.label, _common_counts(row)


def _dialogue_source(
    ctx: ReportContext, claim: FinalClaim
) -> tuple[DialogueEntry, dict[str, Counts]] | None:
    """The further-dialogue entry of a divergence claim and its counts per delegation, from the
    roadmap events it was drafted from (the entry whose title the claim opens with)."""
    found = recorded_roadmap(ctx)
    if found is None or found.recorded_seq not in claim.sources:
        return None
    for entry in found.roadmap.further_dialogue:
        if claim.text.startswith(f"{entry.title}: "):
            result = found.result(entry.measure_id)
            return entry, (_groups(result) if result is not None else {})
    return None


def circulated_claim(ctx: ReportContext, claim: FinalClaim) -> str:
    """A claim as the circulated report may print it, from the typed record it was drafted from:
    a shared principle is its statement with the room's view; a divergence its measure, the
    reason and the room's view (:func:`~detente.document.attribution.view`: never a count inside
    a delegation, and with `attribution: room` never which delegations supported or opposed).
    Other drafted claims carry no counts and are printed as drafted. A claim a person edited or
    wrote is printed in their words, less any count label of the draft they kept (the exact
    label the record holds)."""
    text = claim.text.rstrip()
    if claim.section == "principles":
        principle = _principle_source(ctx, claim)
        if principle is not None:
            statement, label, counts = principle
            if claim.origin == "generated":
                return f"{statement.rstrip().rstrip('.')} ({view(ctx, counts)})."
            return text.replace(f" ({label})", "") if label else text
    if claim.section == "divergence":
        dialogue = _dialogue_source(ctx, claim)
        if dialogue is not None:
            entry, counts = dialogue
            if claim.origin == "generated":
                return f"{entry.title}: {entry.reason} — {view(ctx, counts)}."
            return text.replace(f" ({entry.label})", "") if entry.label else text
    return fix_plurals(text)


def _claim_line(ctx: ReportContext, claim: FinalClaim) -> str:
    origin = ORIGIN_TEXT.get(claim.origin)
    text = claim.text.rstrip()
    if not ctx.audience.facilitation:
        text = circulated_claim(ctx, claim)
    if origin:
        text += f" ({origin})"
    reference = evidence(ctx, [*claim.sources, *claim.edited_by])
    return f"{text} {reference}" if reference else text


def _circulated(ctx: ReportContext, claim: FinalClaim) -> bool:
    """Whether a claim may be printed for this audience: a claim derived from the evaluation
    against the MSEL's expected actions is for the facilitation team only."""
    if ctx.audience.facilitation:
        return True
    kinds = {r.seq: r.kind for r in ctx.records}
    return not any(kinds.get(seq) in MSEL_KINDS for seq in claim.sources)


def _struck(ctx: ReportContext, final: FinalRecommendations) -> int:
    return sum(
        1
        for r, e in ctx.events(RecommendationEdited)
        if e.item_id == final.item_id and e.action == "strike" and r.seq > final.drafted
    )


@report_section(document="meeting", order=70)
def recommendations_section(ctx: ReportContext) -> Section | None:
    """The recommendations as the facilitator left them, claim by claim, with origins and
    references to the record."""
    final = recommendations_from_records(ctx.visible)
    if final is None:
        return None
    counts = {o: sum(c.origin == o for c in final.claims) for o in ("generated", "edited", "added")}
    struck = _struck(ctx, final)
    label = _label(ctx, final.item_id)
    if final.accepted:
        lead = f"The recommendations were drafted from the record and accepted in {label}."
    else:
        lead = (
            f"The recommendations were drafted from the record in {label}; the facilitator has "
            "not accepted them yet, so this is the draft with the edits made so far."
        )
    made = (
        f" Of the {len(final.claims)} claims, {counts['generated']} stand as generated, "
        f"{counts['edited']} were edited and {counts['added']} written by the facilitator"
        + (f"; {plural(struck, 'generated claim')} struck" if struck else "")
        + "."
    )
    blocks: list[Block] = [
        Paragraph(
            lead
            + made
            + (
                " Each claim ends with the numbers of the events in the meeting's record it "
                "derives from (e.g. [#12]); a claim a person edited or wrote says so."
                if ctx.audience.facilitation
                else " A claim a person edited or wrote says so."
            ),
            tone="note" if not final.accepted else "normal",
        )
    ]
    for name in SECTIONS:
        claims = [c for c in final.section(name) if _circulated(ctx, c)]
        if claims:
            blocks.append(Heading(SECTION_TITLES[name]))
            blocks.append(BulletList(tuple(_claim_line(ctx, c) for c in claims)))
    others = [c for c in final.claims if c.section not in SECTIONS and _circulated(ctx, c)]
    if others:
        blocks.append(Heading("Other recommendations"))
        blocks.append(BulletList(tuple(_claim_line(ctx, c) for c in others)))
    return Section(
        "recommendations",
        "Recommendations and the Framework for Future Engagement",
        tuple(blocks),
        page_break=True,
    )


# --- meeting report: commitments ---------------------------------------------------------------


def _commitments(ctx: ReportContext) -> list[tuple[int, CommitmentMade]]:
    """The last commitment of each delegation, in the meeting's delegation order."""
    last: dict[str, tuple[int, CommitmentMade]] = {}
    for r, e in ctx.events(CommitmentMade):
        last[e.delegation] = (r.seq, e)
    order = [d.id for d in ctx.folder.meeting.delegations]
    return [last[d] for d in [*order, *sorted(set(last) - set(order))] if d in last]


@report_section(document="meeting", order=80)
def commitments_section(ctx: ReportContext) -> Section | None:
    """The next steps participants suggested in the concluding remarks.

    Track-2 participants attend in a personal capacity: what they say is a suggestion, not a
    government's commitment. With `attribution: room` the measures are pooled for the room
    (how many delegations' participants named each); with `attribution: delegation` they are
    listed per delegation large enough to be named. The free text of the remarks is not
    printed (it speaks for a delegation); the facilitation team has it in the record.
    """
    found = _commitments(ctx)
    if not found:
        return None
    roadmap = recorded_roadmap(ctx)

    def measure(mid: str) -> str:
        title = roadmap.title(mid) if roadmap is not None else mid
        phase = roadmap.roadmap.phase_of(mid) if roadmap is not None else None
        return f"{title} (phase {phase})" if phase else title

    blocks: list[Block] = [
        Paragraph(
            "In the concluding remarks participants suggested next steps. Participants took "
            "part in a personal capacity: these are their suggestions, not commitments by any "
            "government."
        )
    ]
    if by_delegation(ctx):
        for _, e in found:
            if e.measures and nameable(ctx, e.delegation):
                blocks.append(
                    Heading(f"Suggested by participants from {ctx.delegation_name(e.delegation)}")
                )
                blocks.append(BulletList(tuple(measure(m) for m in e.measures)))
        return Section("commitments", "Suggested next steps", tuple(blocks))
    named: dict[str, int] = {}
    for _, e in found:
        for mid in dict.fromkeys(e.measures):
            named[mid] = named.get(mid, 0) + 1
    total = len(found)
    if named:
        order = sorted(named, key=lambda m: -named[m])
        lines = []
        for mid in order:
            share = (
                "suggested by participants from every delegation that spoke"
                if named[mid] == total
                else "suggested by some participants"
            )
            lines.append(f"{measure(mid)} — {share}")
        blocks.append(BulletList(tuple(lines)))
    return Section("commitments", "Suggested next steps", tuple(blocks))


# --- meeting report: simulated effects ---------------------------------------------------------


def _significant(result: MeasureResult, outcomes: Mapping[str, str]) -> list[str]:
    lines = []
    for outcome, label in outcomes.items():
        effect = result.clear_effect(outcome)
        if effect is None:
            continue
        d = effect.difference
        lines.append(f"{label}: {_pts(d.estimate)} [{_pts(d.low)}, {_pts(d.high)}]")
    return lines


@report_section(document="meeting", order=85)
def effects_section(ctx: ReportContext) -> Section | None:
    """The forest plot of the measures' simulated effects, and the effects that are clear of
    zero, when the roadmap session recorded effects."""
    found = recorded_roadmap(ctx)
    if found is None:
        return None
    analysis = found.analysis
    measured = [m for m in analysis.measures if m.effects]
    if not measured or not analysis.outcomes:
        return None
    titles = {m.measure_id: found.title(m.measure_id) for m in analysis.measures}
    blocks: list[Block] = [
        Paragraph(
            f"The tabletop exercise was simulated {analysis.runs} times with each measure in "
            "force and as many times without (the baseline), with the same random draws. For "
            "each measure (row) and outcome of the exercise (column) the figure shows the change "
            "in the outcome's probability with the measure in force, in percentage points; bold "
            "numbers are changes whose 95% interval excludes zero. "
            f"{fix_plurals(analysis.effects_note[0].upper() + analysis.effects_note[1:])}."
            f"{_source(ctx, [found.analysed_seq])}"
        )
    ]
    ids = [m.measure_id for m in measured]
    parts = [ids[i : i + GRID_ROWS] for i in range(0, len(ids), GRID_ROWS)]
    for number, part in enumerate(parts, start=1):
        svg = _svg(effects_grid, analysis, titles=titles, width=PRINT_WIDTH_IN, only=part)
        if svg is None:
            continue
        which = f" — part {number} of {len(parts)}" if len(parts) > 1 else ""
        blocks.append(
            Figure(
                svg,
                caption="Simulated effect of each measure on the exercise's outcomes "
                f"(change in percentage points; bold: the 95% interval excludes zero){which}.",
                alt="Grid of the simulated effects by measure and outcome; the table below "
                "lists every effect whose interval excludes zero.",
            )
        )
    rows = []
    for m in measured:
        lines = _significant(m, analysis.outcomes)
        if lines:
            rows.append((titles[m.measure_id], TIER_TEXT.get(m.tier, m.tier), "\n".join(lines)))
    if rows:
        blocks.append(Heading("Effects whose 95% interval excludes zero"))
        blocks.append(
            Table(
                ("measure", "tier", "change in probability (points, 95% interval)"),
                tuple(rows),
                widths=(3, 1.4, 5),
            )
        )
    return Section("effects", "Simulated effects of the measures", tuple(blocks), page_break=True)


# --- meeting report: session outcomes and the executive summary --------------------------------


def _roadmap_of(held: HeldItem) -> tuple[RoadmapAnalysis, Roadmap] | None:
    analysed = [
        e for r, e in held.outputs if isinstance(e, RoadmapAnalysed) and r.visibility == ALL
    ]
    recorded = [
        e for r, e in held.outputs if isinstance(e, RoadmapRecorded) and r.visibility == ALL
    ]
    if not analysed or not recorded:
        return None
    return analysis_from_json(analysed[-1].result), roadmap_from_json(recorded[-1].roadmap)


def _roadmap_sentence(analysis: RoadmapAnalysis, roadmap: Roadmap) -> str:
    tiers = {t: len(ids) for t, ids in analysis.tiers.items()}
    agreed = tiers.get("unanimous", 0) + tiers.get("majority", 0)
    on = sum(len(p.measures) for p in roadmap.phases)
    waiting = agreed - on
    return (
        f"{analysis.participants} participants of {len(analysis.delegations)} delegations rated "
        f"{len(analysis.measures)} measures; {agreed} had a majority in every delegation "
        f"({tiers.get('unanimous', 0)} unanimously), {on} of them are on the roadmap in "
        f"{plural(len(roadmap.phases), 'phase')}"
        + (
            f" ({waiting} wait on a reciprocal or prerequisite measure not agreed)"
            if waiting
            else ""
        )
        + f", and {plural(len(roadmap.further_dialogue), 'measure')} "
        + ("is" if len(roadmap.further_dialogue) == 1 else "are")
        + " for further dialogue"
    )


@dataclass(frozen=True)
class RoadmapCounts:
    """The roadmap session's figures, for sentences in any language."""

    participants: int
    delegations: int
    measures: int
    agreed: int
    unanimous: int
    on_roadmap: int
    phases: int
    further_dialogue: int


def roadmap_counts(held: HeldItem) -> RoadmapCounts | None:
    """The figures of a held roadmap session (None when it recorded no roadmap)."""
    found = _roadmap_of(held)
    if found is None:
        return None
    analysis, roadmap = found
    tiers = {t: len(ids) for t, ids in analysis.tiers.items()}
    return RoadmapCounts(
        participants=analysis.participants,
        delegations=len(analysis.delegations),
        measures=len(analysis.measures),
        agreed=tiers.get("unanimous", 0) + tiers.get("majority", 0),
        unanimous=tiers.get("unanimous", 0),
        on_roadmap=sum(len(p.measures) for p in roadmap.phases),
        phases=len(roadmap.phases),
        further_dialogue=len(roadmap.further_dialogue),
    )


@session_outcome("roadmap")
def roadmap_outcome(ctx: ReportContext, held: HeldItem) -> Sequence[Block] | None:
    blocks = _public_notes(held)
    found = _roadmap_of(held)
    if found is not None:
        blocks.append(Paragraph(_roadmap_sentence(*found) + " (see “The roadmap”)."))
    return blocks or None


@summary_line("roadmap")
def roadmap_summary(ctx: ReportContext, held: HeldItem) -> str | None:
    found = _roadmap_of(held)
    return _roadmap_sentence(*found) + "." if found is not None else None


def _recommendations_of(ctx: ReportContext, held: HeldItem) -> FinalRecommendations | None:
    if not any(isinstance(e, RecommendationsDrafted) for _, e in held.outputs):
        return None
    final = recommendations_from_records(ctx.visible)
    return final if final is not None and final.item_id == held.item_id else None


def _recommendations_sentence(ctx: ReportContext, final: FinalRecommendations) -> str:
    people = sum(c.origin != "generated" for c in final.claims)
    sections = len({c.section for c in final.claims})
    state = "accepted" if final.accepted else "drafted (not yet accepted)"
    return (
        f"recommendations {state}: {plural(len(final.claims), 'claim')} in "
        f"{plural(sections, 'part')}, "
        f"{people} edited or written by the facilitator and {_struck(ctx, final)} struck"
    )


@dataclass(frozen=True)
class RecommendationsCounts:
    """The recommendations session's figures, for sentences in any language."""

    accepted: bool
    claims: int
    parts: int
    edited: int
    struck: int


def recommendations_counts(ctx: ReportContext, held: HeldItem) -> RecommendationsCounts | None:
    """The figures of a held recommendations session (None when it drafted nothing)."""
    final = _recommendations_of(ctx, held)
    if final is None:
        return None
    return RecommendationsCounts(
        accepted=bool(final.accepted),
        claims=len(final.claims),
        parts=len({c.section for c in final.claims}),
        edited=sum(c.origin != "generated" for c in final.claims),
        struck=_struck(ctx, final),
    )


@session_outcome("recommendations")
def recommendations_outcome(ctx: ReportContext, held: HeldItem) -> Sequence[Block] | None:
    blocks = _public_notes(held)
    final = _recommendations_of(ctx, held)
    if final is not None:
        sentence = _recommendations_sentence(ctx, final)
        blocks.append(
            Paragraph(
                sentence[0].upper()
                + sentence[1:]
                + " (see “Recommendations and the Framework for Future Engagement”)."
            )
        )
    return blocks or None


@summary_line("recommendations")
def recommendations_summary(ctx: ReportContext, held: HeldItem) -> str | None:
    final = _recommendations_of(ctx, held)
    return _recommendations_sentence(ctx, final) + "." if final is not None else None


def _held_commitments(held: HeldItem) -> list[CommitmentMade]:
    return [e for r, e in held.outputs if isinstance(e, CommitmentMade) and r.visibility == ALL]


@session_outcome("remarks")
def remarks_outcome(ctx: ReportContext, held: HeldItem) -> Sequence[Block] | None:
    blocks = _public_notes(held)
    made = _held_commitments(held)
    if made:
        measures = {m for e in made for m in e.measures}
        blocks.append(
            Paragraph(
                f"In the concluding remarks participants suggested next steps, naming "
                f"{plural(len(measures), 'measure')} of the roadmap (see “Suggested next steps”)."
            )
        )
    return blocks or None


@summary_line("remarks")
def remarks_summary(ctx: ReportContext, held: HeldItem) -> str | None:
    made = _held_commitments(held)
    if not made:
        return None
    return "participants suggested next steps in their concluding remarks."


# --- after-action report: recommendations with addressee and horizon --------------------------


@dataclass(frozen=True)
class Risk:
    """An adverse outcome of the exercise: its label, its probability in the simulated baseline,
    and the move where it occurred in the exercise as played (None if it did not)."""

    outcome: str
    label: str
    baseline: float
    played_move: int | None = None


def adverse_outcomes(analysis: RoadmapAnalysis) -> list[str]:
    """The outcomes the catalog's measures mostly make *less* likely: more measures lower the
    outcome's probability than raise it, counting only changes whose 95% interval excludes zero.

    The scenario format does not say which outcomes are bad, so this reads it from the
    measures: a catalog of cooperative measures is built to lower tension, so the outcomes it
    mostly lowers (armed clash, nuclear use …) are the ones to avoid and those it mostly raises
    (talks opened, crisis defused …) the ones sought. An outcome no measure moves clearly is
    neither."""
    out = []
    for outcome in analysis.outcomes:
        lower = raise_ = 0
        for m in analysis.measures:
            effect = m.effects.get(outcome)
            if effect is None:
                continue
            if effect.difference.high < 0.0:
                lower += 1
            elif effect.difference.low > 0.0:
                raise_ += 1
        if lower > raise_:
            out.append(outcome)
    return out


def _risks(ctx: ReportContext, analysis: RoadmapAnalysis) -> list[Risk]:
    from detente.ttx.events import TtxExerciseEnded

    played: dict[str, int] = {}
    for _, ended in ctx.events(TtxExerciseEnded):
        for o in ended.outcomes:
            played.setdefault(o.id, o.move)
    risks = []
    for outcome in adverse_outcomes(analysis):
        baseline = next(
            (
                m.effects[outcome].baseline.estimate
                for m in analysis.measures
                if outcome in m.effects
            ),
            0.0,
        )
        if baseline > 0.0 or outcome in played:
            risks.append(Risk(outcome, analysis.outcomes[outcome], baseline, played.get(outcome)))
    return risks


def _pending(ctx: ReportContext, item: Item) -> str | None:
    """Why the roadmap is not in the record yet, naming the session; None when it is."""
    held = ctx.held(item.id or "")
    if held is None:
        return (
            f"{item_label(item)} has not run yet: the recommendations (addressee and horizon) "
            "come from its roadmap."
        )
    if held.unavailable:
        return f"{item_label(item)} was held but did not run: {held.unavailable}."
    if recorded_roadmap(ctx) is None:
        return f"{item_label(item)} recorded no roadmap, so there are no recommendations to list."
    return None


@report_section(document="aar", order=70)
def aar_recommendations(ctx: ReportContext) -> Section | None:
    """The roadmap's measures that lower an adverse outcome of the exercise, with addressee
    (who would act) and horizon (the realistic one, and the roadmap's phase)."""
    item = roadmap_item(ctx.folder.meeting)
    if item is None:
        return None
    pending = _pending(ctx, item)
    if pending is not None:
        return Section("recommendations", "Recommendations", (Paragraph(pending, tone="note"),))
    found = recorded_roadmap(ctx)
    assert found is not None
    analysis, roadmap = found.analysis, found.roadmap
    label = item_label(item)
    if not analysis.outcomes or not any(m.effects for m in analysis.measures):
        note = analysis.effects_note or "no simulated effects were recorded"
        return Section(
            "recommendations",
            "Recommendations",
            (
                Paragraph(
                    f"The roadmap of {label} has no simulated effects on this exercise ({note}), "
                    "so none of its measures can be linked to what the exercise showed.",
                    tone="note",
                ),
            ),
        )
    risks = _risks(ctx, analysis)
    blocks: list[Block] = [
        Paragraph(
            f"From the roadmap of {label}: the measures agreed across delegations whose simulated "
            f"effect ({analysis.runs} runs of this exercise per arm) lowers the probability of an "
            "adverse outcome, with a 95% interval that excludes zero. The addressee is who "
            "would act on the measure; the horizon is the one the room rated realistic, with "
            "the measure's phase on the roadmap. Source: "
            f"{refs([found.analysed_seq, found.recorded_seq])}."
        )
    ]
    if not risks:
        blocks.append(
            Paragraph("No adverse outcome occurred in the simulated exercise.", tone="note")
        )
        return Section("recommendations", "Recommendations", tuple(blocks), page_break=True)
    blocks.append(Heading("Risks the exercise showed"))
    blocks.append(
        BulletList(
            tuple(
                f"{r.label}: {r.baseline:.1%} of simulated runs without any measure"
                + (
                    f"; occurred in move {r.played_move} of the exercise as played"
                    if r.played_move
                    else ""
                )
                for r in risks
            )
        )
    )
    rows = []
    for phase in roadmap.phases:
        for mid in phase.measures:
            result = found.result(mid)
            if result is None:
                continue
            lowered = []
            for risk in risks:
                effect = result.effects.get(risk.outcome)
                if effect is None or effect.difference.high >= 0.0:
                    continue
                d = effect.difference
                lowered.append(f"{risk.label}: {_pts(d.estimate)} [{_pts(d.low)}, {_pts(d.high)}]")
            if not lowered:
                continue
            entry = roadmap.entries[mid]
            rows.append(
                (
                    entry.title,
                    _actors(ctx, entry.actors),
                    f"{_horizon(entry.horizon)} (phase {entry.phase})",
                    "\n".join(lowered),
                )
            )
    if rows:
        blocks.append(Heading("Measures that address them"))
        blocks.append(
            Table(
                ("recommendation", "addressee", "horizon", "risk lowered (points, 95% interval)"),
                tuple(rows),
                widths=(3, 2.2, 1.6, 4),
            )
        )
    else:
        blocks.append(
            Paragraph(
                "No measure on the roadmap lowers any of these risks with an interval that "
                "excludes zero.",
                tone="note",
            )
        )
    return Section("recommendations", "Recommendations", tuple(blocks), page_break=True)


__all__ = [
    "RecordedRoadmap",
    "Risk",
    "aar_recommendations",
    "adverse_outcomes",
    "analysis_from_json",
    "commitments_section",
    "effects_section",
    "recommendations_section",
    "recorded_roadmap",
    "refs",
    "roadmap_from_json",
    "roadmap_section",
]
