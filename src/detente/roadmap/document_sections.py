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

import functools
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
from detente.document.localize import join_names, local, typography
from detente.document.messages import N_
from detente.document.model import Block, BulletList, Figure, Heading, Paragraph, Section, Table
from detente.document.prose import Prose
from detente.document.sections import report_section, session_outcome, summary_line
from detente.meeting.events import FacilitatorNote
from detente.meeting.model import Item
from detente.meeting.state import HeldItem
from detente.roadmap.analysis import MeasureResult, RoadmapAnalysis, analysis_from_json
from detente.roadmap.catalog import load_catalog, roadmap_item
from detente.roadmap.document_words import measure_titles, part_title, titled
from detente.roadmap.document_words import phase_label as local_phase
from detente.roadmap.document_words import reason as local_reason
from detente.roadmap.events import (
    CommitmentMade,
    RatingsClosed,
    RecommendationEdited,
    RecommendationsDrafted,
    RoadmapAnalysed,
    RoadmapRecorded,
)
from detente.roadmap.plots import TIER_COLOURS, ChartText, effects_grid, roadmap_chart
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
    "edited": N_("edited by the facilitator"),
    "added": N_("written by the facilitator"),
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
    return " " + ctx.gettext("Source: %(refs)s.", refs=found) if found else ""


def _groups(result: MeasureResult) -> dict[str, Counts]:
    return {g.group: Counts(g.agree, g.disagree, g.passes) for g in result.delegations}


def _why(found: RecordedRoadmap, reason: str) -> str:
    """A further-dialogue reason with measure ids replaced by the measures' titles."""
    ids = sorted({m.measure_id for m in found.analysis.measures}, key=len, reverse=True)
    for mid in ids:
        reason = re.sub(rf"(?<![\w-]){re.escape(mid)}(?![\w-])", f"“{found.title(mid)}”", reason)
    return reason


def _reason(
    ctx: ReportContext, found: RecordedRoadmap, catalog: dict[str, object], recorded: str
) -> str:
    """A further-dialogue reason in the document's language (English: as recorded, ids
    replaced by titles)."""
    if ctx.language == "en":
        return _why(found, recorded)
    return local_reason(ctx, recorded, lambda mid: titled(ctx, catalog, mid, found.title(mid)))


MSEL_KINDS = ("reflection_inject_assessed",)
"""Record kinds that evaluate play against the MSEL's expected actions: facilitator-only
content, so a claim derived from them is left out of the circulated report."""


def _names(ctx: ReportContext, delegations: Sequence[str]) -> str:
    return ", ".join(ctx.delegation_name(d) for d in delegations) or "—"


def _actors(ctx: ReportContext, actors: Sequence[str]) -> str:
    """Who would act: delegation ids by the delegation's name, other actors as written."""
    ids = {d.id for d in ctx.folder.meeting.delegations}
    names = [local(ctx, ctx.folder.meeting.delegation(a).name) if a in ids else a for a in actors]
    return join_names(ctx, names) or "—"


def _horizon(value: str | None) -> str:
    return HORIZON_TEXT.get(value or "", value or "—")


def _item(ctx: ReportContext, item_id: str) -> Item | None:
    return next((i for _, i in ctx.folder.meeting.items() if i.id == item_id), None)


def _category_titles(ctx: ReportContext, item_id: str) -> dict[str, str]:
    item = _item(ctx, item_id)
    return {s.id: local(ctx, s.title) for s in item.steps} if item is not None else {}


def _label(ctx: ReportContext, item_id: str) -> str:
    item = _item(ctx, item_id)
    if item is None:
        return f"“{item_id}”"
    if ctx.language == "en":
        return item_label(item)
    p = Prose(ctx.language)
    title = p.quote(local(ctx, item.title))
    if item.session is None:
        return title
    return ctx.gettext("Session %(n)s %(title)s", n=item.session, title=title)


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


def _public_notes(held: HeldItem, ctx: ReportContext | None = None) -> list[Block]:
    """The facilitator's public notes (English as written; marked in another language)."""
    return [
        Paragraph(
            fix_plurals(e.text) if ctx is None else _en(ctx, fix_plurals(e.text)), tone="note"
        )
        for r, e in held.outputs
        if isinstance(e, FacilitatorNote) and r.visibility == ALL
    ]


def _en(ctx: ReportContext, text: str) -> str:
    """A text recorded in English only, marked (and counted) in a document in another language."""
    return local(ctx, {"en": text})


# --- meeting report: the roadmap ---------------------------------------------------------------


def _chart_text(
    ctx: ReportContext, found: RecordedRoadmap, catalog: dict[str, object]
) -> ChartText:
    """The roadmap chart's words in the document's language: the phases as the tables word them,
    titles from the catalog's translations (marked when missing), the tiers' names."""
    phases = found.roadmap.phases
    return ChartText(
        columns=tuple(
            "\n".join(
                (
                    ctx.gettext("Phase %(n)s", n=p.number),
                    ctx.gettext("(%(label)s)", label=local_phase(ctx, phases, p)),
                )
            )
            for p in phases
        ),
        further=ctx.gettext("Measures for further dialogue"),
        measures={
            m.measure_id: titled(ctx, catalog, m.measure_id, found.title(m.measure_id))
            for m in found.analysis.measures
        },
        categories=_category_titles(ctx, found.item_id),
        tiers={tier: _tier(ctx, tier) for tier in TIER_COLOURS},
    )


def _chart(ctx: ReportContext, found: RecordedRoadmap) -> Figure | None:
    try:
        loaded = load_catalog(ctx.folder)
    except InputError:
        return None
    if loaded is None or loaded.item.id != found.item_id:
        return None
    catalog: dict[str, object] = {m.id: m.title for m in loaded.catalog.measures}
    svg = _svg(
        roadmap_chart,
        found.analysis,
        found.roadmap,
        loaded,
        width=PRINT_WIDTH_IN,
        further=False,
        text=_chart_text(ctx, found, catalog),
    )
    if svg is None:
        return None
    phases = Prose(ctx.language).series(
        [
            ctx.gettext(
                "phase %(n)s (%(label)s): %(measures)s",
                n=p.number,
                label=local_phase(ctx, found.roadmap.phases, p),
                measures=join_names(
                    ctx, (titled(ctx, catalog, m, found.title(m)) for m in p.measures)
                ),
            )
            for p in found.roadmap.phases
        ]
    )
    return Figure(
        svg,
        caption=ctx.gettext(
            "The roadmap by phase (columns) and category (rows), each measure coloured by its "
            "consensus tier (the measures for further dialogue are listed below)."
        ),
        alt=ctx.ngettext(
            "Roadmap chart: %(phases)s; %(n)s measure for further dialogue.",
            "Roadmap chart: %(phases)s; %(n)s measures for further dialogue.",
            len(found.roadmap.further_dialogue),
            phases=phases or ctx.gettext("no measure on the roadmap"),
        ),
    )


def _feasibility(result: MeasureResult | None, p: Prose | None = None) -> str:
    if result is None or result.mean_feasibility is None:
        return "—"
    return p.number(result.mean_feasibility) if p is not None else f"{result.mean_feasibility:.1f}"


@report_section(document="meeting", order=60)
def roadmap_section(ctx: ReportContext) -> Section | None:
    """Phases × categories with tiers and counts, the chart, the measures for further dialogue."""
    found = recorded_roadmap(ctx)
    if found is None:
        return None
    titles = _category_titles(ctx, found.item_id)
    catalog = measure_titles(ctx)
    blocks = _roadmap_intro(ctx, found)
    figure = _chart(ctx, found)
    if figure is not None:
        blocks.append(figure)
    blocks += _phase_tables(ctx, found, titles, catalog)
    blocks += _further_dialogue_table(ctx, found, titles, catalog)
    return Section("roadmap", ctx.gettext("The roadmap"), tuple(blocks), page_break=True)


def _roadmap_intro(ctx: ReportContext, found: RecordedRoadmap) -> list[Block]:
    """Who rated what and the rule that puts a measure on the roadmap, the note the ratings
    closed with, and how many measures are on the roadmap and left for further dialogue."""
    analysis, roadmap = found.analysis, found.roadmap
    p = Prose(ctx.language)
    rated = ctx.gettext(
        "In %(session)s, %(participants)s rated %(measures)s: support from −2 to +2 (above 0 "
        "counts as agreeing, below 0 as objecting, 0 as no view), feasibility from 1 to 5 and "
        "the horizon they think realistic.",
        session=_label(ctx, found.item_id),
        participants=p._(
            "%(experts)s in %(delegations)s",
            experts=p._nc(
                "nominative", "%(n)s participant", "%(n)s participants", analysis.participants
            ),
            delegations=p._nc(
                "genitive", "%(n)s delegation", "%(n)s delegations", len(analysis.delegations)
            ),
        ),
        measures=p._nc("accusative", "%(n)s measure", "%(n)s measures", len(analysis.measures)),
    )
    rule = ctx.gettext(
        "A measure is on the roadmap when a majority of every delegation supports it (tiers "
        "“unanimous” and “majority”) and the measures it trades against and depends on are "
        "agreed too; phases follow the realistic horizon and the prerequisites. Counts are "
        "agreeing raters out of each delegation's raters."
    )
    blocks: list[Block] = [Paragraph(p.sentence(_spaced(p, rated, rule)))]
    closed = [e for _, e in ctx.events(RatingsClosed) if e.item_id == found.item_id and e.note]
    if closed:
        note = fix_plurals(closed[-1].note[0].upper() + closed[-1].note[1:] + ".")
        blocks.append(Paragraph(_en(ctx, note), tone="muted"))
    on_roadmap = sum(len(ph.measures) for ph in roadmap.phases)
    placed = ctx.ngettext(
        "%(n)s measure is on the roadmap in %(phases)s;",
        "%(n)s measures are on the roadmap in %(phases)s;",
        on_roadmap,
        phases=p._nc("prepositional", "%(n)s phase", "%(n)s phases", len(roadmap.phases)),
    )
    further_n = ctx.ngettext(
        "%(n)s is for further dialogue.",
        "%(n)s are for further dialogue.",
        len(roadmap.further_dialogue),
    )
    source = _source(ctx, [found.analysed_seq, found.recorded_seq])
    blocks.append(Paragraph(p.sentence(_spaced(p, placed, further_n) + source)))
    return blocks


def _phase_tables(
    ctx: ReportContext,
    found: RecordedRoadmap,
    titles: dict[str, str],
    catalog: dict[str, object],
) -> list[Block]:
    """Per phase, a heading and per category a table of its measures: standing, view,
    feasibility and who would act."""
    roadmap = found.roadmap
    p = Prose(ctx.language)
    blocks: list[Block] = []
    columns = (
        ctx.gettext("Measure"),
        ctx.gettext("Standing"),
        ctx.gettext("View"),
        ctx.gettext("Feasibility"),
        ctx.gettext("Who would act"),
    )
    for phase in roadmap.phases:
        label = local_phase(ctx, roadmap.phases, phase)
        heading = ctx.gettext("Phase %(n)s — %(label)s", n=phase.number, label=label)
        blocks.append(Heading(heading))
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
                        titled(ctx, catalog, mid, entry.title),
                        _tier(ctx, entry.tier),
                        view(ctx, _groups(result)) if result is not None else "—",
                        _feasibility(result, p),
                        _actors(ctx, entry.actors),
                    )
                )
            blocks.append(Table(columns, tuple(rows), widths=(3.6, 1.6, 2.8, 1.4, 2)))
    return blocks


def _further_dialogue_table(
    ctx: ReportContext,
    found: RecordedRoadmap,
    titles: dict[str, str],
    catalog: dict[str, object],
) -> list[Block]:
    """The measures for further dialogue with their category, why each is not on the roadmap
    and the room's view (nothing when every measure is on the roadmap)."""
    roadmap = found.roadmap
    blocks: list[Block] = []
    if not roadmap.further_dialogue:
        return blocks
    blocks.append(Heading(ctx.gettext("Measures for further dialogue")))
    blocks.append(
        Paragraph(
            ctx.gettext(
                "Measures without a majority in every delegation, or waiting on a measure "
                "that has none."
            )
        )
    )
    further: list[tuple[str, str, str, str]] = []
    for d in roadmap.further_dialogue:
        result = found.result(d.measure_id)
        further.append(
            (
                titled(ctx, catalog, d.measure_id, d.title),
                titles.get(d.category, d.category),
                _reason(ctx, found, catalog, d.reason),
                view(ctx, _groups(result)) if result is not None else "—",
            )
        )
    further_columns = (
        ctx.gettext("Measure"),
        ctx.gettext("Category"),
        ctx.gettext("Why"),
        ctx.gettext("View"),
    )
    blocks.append(Table(further_columns, tuple(further), widths=(3, 2.4, 2.6, 3)))
    return blocks


def _spaced(p: Prose, *sentences: str) -> str:
    """Sentences in a row: a space between them, none in Chinese."""
    return ("" if p.lang == "zh" else " ").join(s for s in sentences if s)


def _tier(ctx: ReportContext, tier: str) -> str:
    return ctx.gettext(TIER_TEXT[tier]) if tier in TIER_TEXT else tier


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
    p = Prose(ctx.language)
    if claim.section == "principles":
        principle = _principle_source(ctx, claim)
        if principle is not None:
            statement, label, counts = principle
            if claim.origin == "generated":
                translated = _principle_text(ctx, claim, statement)
                return p.sentence(
                    ctx.gettext(
                        "%(statement)s (%(view)s).",
                        statement=translated.rstrip().rstrip(".。"),
                        view=view(ctx, counts),
                    )
                )
            return _en(ctx, text.replace(f" ({label})", "") if label else text)
    if claim.section == "divergence":
        dialogue = _dialogue_source(ctx, claim)
        if dialogue is not None:
            entry, counts = dialogue
            recorded_found = recorded_roadmap(ctx)
            catalog = measure_titles(ctx)
            if claim.origin == "generated" and recorded_found is not None:
                return p.sentence(
                    ctx.gettext(
                        "%(measure)s: %(reason)s — %(view)s.",
                        measure=titled(ctx, catalog, entry.measure_id, entry.title),
                        reason=_reason(ctx, recorded_found, catalog, entry.reason),
                        view=view(ctx, counts),
                    )
                )
            return _en(ctx, text.replace(f" ({entry.label})", "") if entry.label else text)
    if ctx.language != "en" and claim.origin == "generated":
        rewritten = _roadmap_claim(ctx, claim, text)
        if rewritten is not None:
            return rewritten
    return _en(ctx, fix_plurals(text))


def _roadmap_claim(ctx: ReportContext, claim: FinalClaim, text: str) -> str | None:
    """A generated claim of the roadmap's parts rebuilt in the document's language
    (:func:`detente.roadmap.claim_words.roadmap_claim`), or None."""
    if claim.section not in ("roadmap", "actors"):
        return None
    found = recorded_roadmap(ctx)
    if found is None or found.recorded_seq not in claim.sources:
        return None
    from detente.roadmap.claim_words import roadmap_claim

    catalog = measure_titles(ctx)
    return roadmap_claim(
        ctx, text, found.roadmap, lambda mid: titled(ctx, catalog, mid, found.title(mid))
    )


def _principle_text(ctx: ReportContext, claim: FinalClaim, recorded: str) -> str:
    """The statement of a shared-principle claim in the document's language (the statements
    file's translation, else the recorded text, marked)."""
    if ctx.language == "en":
        return recorded
    from detente.deliberation.document_sections import statement_texts

    by_seq = {r.seq: e for r, e in ctx.decoded if r.seq in claim.sources}
    statement = next((e for e in by_seq.values() if isinstance(e, StatementAdded)), None)
    texts = statement_texts(ctx)
    if statement is not None and statement.statement_id in texts:
        return texts[statement.statement_id]
    return _en(ctx, recorded)


def _claim_line(ctx: ReportContext, claim: FinalClaim) -> str:
    origin = ORIGIN_TEXT.get(claim.origin)
    text = claim.text.rstrip()
    if not ctx.audience.facilitation:
        text = circulated_claim(ctx, claim)
    if origin:
        text = ctx.gettext("%(claim)s (%(origin)s)", claim=text, origin=ctx.gettext(origin))
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
    blocks: list[Block] = [_recommendations_lead(ctx, final), *_claim_lists(ctx, final)]
    return Section(
        "recommendations",
        ctx.gettext("Recommendations and the Framework for Future Engagement"),
        tuple(blocks),
        page_break=True,
    )


def _recommendations_lead(ctx: ReportContext, final: FinalRecommendations) -> Paragraph:
    """Where the recommendations were drafted and whether they were accepted, how many claims
    stand as generated, were edited, written or struck, and how a claim shows its origin."""
    counts = {o: sum(c.origin == o for c in final.claims) for o in ("generated", "edited", "added")}
    struck = _struck(ctx, final)
    label = _label(ctx, final.item_id)
    p = Prose(ctx.language)
    if final.accepted:
        lead = ctx.gettext(
            "The recommendations were drafted from the record and accepted in %(session)s.",
            session=label,
        )
    else:
        lead = ctx.gettext(
            "The recommendations were drafted from the record in %(session)s; the facilitator "
            "has not accepted them yet, so this is the draft with the edits made so far.",
            session=label,
        )
    made = ctx.ngettext(
        "Of the %(n)s claim, %(generated)s stands as generated, %(edited)s was edited and "
        "%(added)s written by the facilitator",
        "Of the %(n)s claims, %(generated)s stand as generated, %(edited)s were edited and "
        "%(added)s written by the facilitator",
        len(final.claims),
        generated=counts["generated"],
        edited=counts["edited"],
        added=counts["added"],
    )
    if struck:
        made = ctx.ngettext(
            "%(made)s; %(n)s generated claim struck.",
            "%(made)s; %(n)s generated claims struck.",
            struck,
            made=made,
        )
    else:
        made = ctx.gettext("%(made)s.", made=made)
    said = (
        ctx.gettext(
            "Each claim ends with the numbers of the events in the meeting's record it derives "
            "from (e.g. [#12]); a claim a person edited or wrote says so."
        )
        if ctx.audience.facilitation
        else ctx.gettext("A claim a person edited or wrote says so.")
    )
    return Paragraph(
        p.sentence(_spaced(p, lead, made, said)),
        tone="note" if not final.accepted else "normal",
    )


def _claim_lists(ctx: ReportContext, final: FinalRecommendations) -> list[Block]:
    """The circulated claims, part by part in the draft's order, then those of other parts."""
    blocks: list[Block] = []
    for name in SECTIONS:
        claims = [c for c in final.section(name) if _circulated(ctx, c)]
        if claims:
            blocks.append(Heading(part_title(ctx, name, SECTION_TITLES[name])))
            blocks.append(BulletList(tuple(_claim_line(ctx, c) for c in claims)))
    others = [c for c in final.claims if c.section not in SECTIONS and _circulated(ctx, c)]
    if others:
        blocks.append(Heading(ctx.gettext("Other recommendations")))
        blocks.append(BulletList(tuple(_claim_line(ctx, c) for c in others)))
    return blocks


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
    catalog = measure_titles(ctx)
    measure = functools.partial(_suggested_measure, ctx, roadmap, catalog)
    blocks: list[Block] = [
        Paragraph(
            ctx.gettext(
                "In the concluding remarks participants suggested next steps. Participants "
                "took part in a personal capacity: these are their suggestions, not commitments "
                "by any government."
            )
        )
    ]
    title = ctx.gettext("Suggested next steps")
    if by_delegation(ctx):
        blocks += _suggested_by_delegation(ctx, found, measure)
    else:
        blocks += _suggested_by_the_room(ctx, found, measure)
    return Section("commitments", title, tuple(blocks))


def _suggested_measure(
    ctx: ReportContext, roadmap: RecordedRoadmap | None, catalog: dict[str, object], mid: str
) -> str:
    """A suggested measure's title in the document's language, with its roadmap phase if it
    has one."""
    title = titled(ctx, catalog, mid, roadmap.title(mid) if roadmap is not None else mid)
    phase = roadmap.roadmap.phase_of(mid) if roadmap is not None else None
    if not phase:
        return title
    return ctx.gettext("%(measure)s (phase %(n)s)", measure=title, n=phase)


def _suggested_by_delegation(
    ctx: ReportContext, found: list[tuple[int, CommitmentMade]], measure: Callable[[str], str]
) -> list[Block]:
    """Per delegation that may be named and named measures, the measures its participants
    suggested (`attribution: delegation`)."""
    blocks: list[Block] = []
    for _, e in found:
        if e.measures and nameable(ctx, e.delegation):
            name = local(ctx, ctx.folder.meeting.delegation(e.delegation).name)
            blocks.append(
                Heading(
                    ctx.gettext("Suggested by participants from %(delegation)s", delegation=name)
                )
            )
            blocks.append(BulletList(tuple(measure(m) for m in e.measures)))
    return blocks


def _suggested_by_the_room(
    ctx: ReportContext, found: list[tuple[int, CommitmentMade]], measure: Callable[[str], str]
) -> list[Block]:
    """Every measure any participant suggested, most often named first, saying whether
    participants from every delegation that spoke named it (`attribution: room`)."""
    named: dict[str, int] = {}
    for _, e in found:
        for mid in dict.fromkeys(e.measures):
            named[mid] = named.get(mid, 0) + 1
    if not named:
        return []
    total = len(found)
    lines = []
    for mid in sorted(named, key=lambda m: -named[m]):
        share = (
            ctx.gettext("suggested by participants from every delegation that spoke")
            if named[mid] == total
            else ctx.gettext("suggested by some participants")
        )
        lines.append(ctx.gettext("%(measure)s — %(share)s", measure=measure(mid), share=share))
    return [BulletList(tuple(lines))]


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
    catalog = measure_titles(ctx)
    titles = {
        m.measure_id: titled(ctx, catalog, m.measure_id, found.title(m.measure_id))
        for m in analysis.measures
    }
    blocks: list[Block] = [_effects_method(ctx, found)]
    blocks += _effects_figures(ctx, analysis, [m.measure_id for m in measured], titles)
    blocks += _clear_effects_table(ctx, analysis, measured, titles)
    title = ctx.gettext("Simulated effects of the measures")
    return Section("effects", title, tuple(blocks), page_break=True)


def _effects_method(ctx: ReportContext, found: RecordedRoadmap) -> Paragraph:
    """How the effects were simulated and how to read the grid, with the analysis's note and
    its source in the record."""
    analysis = found.analysis
    p = Prose(ctx.language)
    method = ctx.ngettext(
        "The tabletop exercise was simulated %(n)s time with each measure in force and as many "
        "times without (the baseline), with the same random draws.",
        "The tabletop exercise was simulated %(n)s times with each measure in force and as many "
        "times without (the baseline), with the same random draws.",
        analysis.runs or 0,
    )
    reading = ctx.gettext(
        "For each measure (row) and outcome of the exercise (column) the figure shows the "
        "change in the outcome's probability with the measure in force, in percentage points; "
        "bold numbers are changes whose 95%% interval excludes zero."
    )
    note = _en(ctx, fix_plurals(analysis.effects_note[0].upper() + analysis.effects_note[1:]))
    text = _spaced(p, method, reading, note + ".") + _source(ctx, [found.analysed_seq])
    return Paragraph(p.sentence(text))


def _effects_figures(
    ctx: ReportContext, analysis: RoadmapAnalysis, ids: list[str], titles: dict[str, str]
) -> list[Figure]:
    """The grid of effects of the measures `ids`, in parts of at most :data:`GRID_ROWS` rows,
    each a figure with its caption."""
    blocks: list[Figure] = []
    parts = [ids[i : i + GRID_ROWS] for i in range(0, len(ids), GRID_ROWS)]
    for number, part in enumerate(parts, start=1):
        svg = _svg(
            effects_grid,
            analysis,
            titles=titles,
            width=PRINT_WIDTH_IN,
            only=part,
            outcome_titles=_outcome_labels(ctx, analysis.outcomes),
            legend=ctx.gettext(
                "Change in percentage points with the measure in force; bold: the 95%% interval "
                "excludes zero; red: more likely, blue: less likely."
            ),
        )
        if svg is None:
            continue
        caption = ctx.gettext(
            "Simulated effect of each measure on the exercise's outcomes (change in percentage "
            "points; bold: the 95%% interval excludes zero)."
        )
        if len(parts) > 1:
            caption = ctx.gettext(
                "Simulated effect of each measure on the exercise's outcomes (change in "
                "percentage points; bold: the 95%% interval excludes zero) — part %(n)s of "
                "%(parts)s.",
                n=number,
                parts=len(parts),
            )
        alt = ctx.gettext(
            "Grid of the simulated effects by measure and outcome; the table below lists every "
            "effect whose interval excludes zero."
        )
        blocks.append(Figure(svg, caption=caption, alt=alt))
    return blocks


def _clear_effects_table(
    ctx: ReportContext,
    analysis: RoadmapAnalysis,
    measured: list[MeasureResult],
    titles: dict[str, str],
) -> list[Block]:
    """The effects whose 95% interval excludes zero, one row per measure that has any."""
    blocks: list[Block] = []
    rows = []
    outcomes = _outcome_labels(ctx, analysis.outcomes)
    for m in measured:
        lines = _significant(m, outcomes)
        if lines:
            lines = [typography(line, ctx.language) for line in lines]
            rows.append((titles[m.measure_id], _tier(ctx, m.tier), "\n".join(lines)))
    if rows:
        blocks.append(Heading(ctx.gettext("Effects whose 95%% interval excludes zero")))
        columns = (
            ctx.gettext("Measure"),
            ctx.gettext("Tier"),
            ctx.gettext("Change in probability (points, 95%% interval)"),
        )
        blocks.append(Table(columns, tuple(rows), widths=(3, 1.4, 5)))
    return blocks


def _outcome_labels(ctx: ReportContext, recorded: Mapping[str, str]) -> dict[str, str]:
    """Outcome id → its label in the document's language (the scenario's translation)."""
    if ctx.language == "en":
        return dict(recorded)
    from detente.document.localize import outcome_label

    return {oid: outcome_label(ctx, oid, label) for oid, label in recorded.items()}


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
    blocks = _public_notes(held, ctx)
    found = _roadmap_of(held)
    if found is not None:
        if ctx.language == "en":
            blocks.append(Paragraph(_roadmap_sentence(*found) + " (see “The roadmap”)."))
        else:
            blocks.append(Paragraph(_see(ctx, held, ctx.gettext("The roadmap"))))
    return blocks or None


def _see(ctx: ReportContext, held: HeldItem, section: str) -> str:
    """A session's line of the executive summary, pointing to the section that gives it in
    full (in the document's language)."""
    from detente.document.sections import glance

    p = Prose(ctx.language)
    line = (glance(ctx, held) or "").rstrip().rstrip(".。")
    line = line[:1].upper() + line[1:]
    return p.sentence(
        ctx.gettext("%(line)s (see %(section)s).", line=line, section=p.quote(section))
    )


@summary_line("roadmap")
def roadmap_summary(ctx: ReportContext, held: HeldItem) -> str | None:
    """The session's line in the executive summary: who rated how many measures, how many were
    agreed and are on the roadmap, and how many are left for further dialogue."""
    counts = roadmap_counts(held)
    if counts is None:
        return None
    p = Prose(ctx.language)
    text = p._n(
        "%(n)s participant rated %(measures)s.",
        "%(n)s participants rated %(measures)s.",
        counts.participants,
        measures=p._nc("accusative", "%(n)s measure", "%(n)s measures", counts.measures),
    )
    text += " " + p._n(
        "%(n)s had a majority in every delegation (%(unanimous)s unanimously);",
        "%(n)s had a majority in every delegation (%(unanimous)s unanimously);",
        counts.agreed,
        unanimous=counts.unanimous,
    )
    text += " " + p._n(
        "%(n)s of them is on the roadmap, in %(phases)s.",
        "%(n)s of them are on the roadmap, in %(phases)s.",
        counts.on_roadmap,
        phases=p._nc("genitive", "%(n)s phase", "%(n)s phases", counts.phases),
    )
    if counts.agreed > counts.on_roadmap:
        text += " " + p._n(
            "%(n)s waits on a reciprocal or prerequisite measure not agreed.",
            "%(n)s wait on a reciprocal or prerequisite measure not agreed.",
            counts.agreed - counts.on_roadmap,
        )
    text += " " + p._n(
        "%(n)s measure is for further dialogue.",
        "%(n)s measures are for further dialogue.",
        counts.further_dialogue,
    )
    return p.sentence(text)


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
    blocks = _public_notes(held, ctx)
    final = _recommendations_of(ctx, held)
    if final is not None and ctx.language != "en":
        section = ctx.gettext("Recommendations and the Framework for Future Engagement")
        blocks.append(Paragraph(_see(ctx, held, section)))
    elif final is not None:
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
    """The session's line in the executive summary: whether the recommendations were accepted,
    their claims and parts, and how many the facilitator edited, wrote or struck."""
    counts = recommendations_counts(ctx, held)
    if counts is None:
        return None
    p = Prose(ctx.language)
    claims = p._nc("nominative", "%(n)s claim", "%(n)s claims", counts.claims)
    parts = p._nc("genitive", "%(n)s part", "%(n)s parts", counts.parts)
    if counts.accepted:
        text = p._("recommendations accepted: %(claims)s in %(parts)s.", claims=claims, parts=parts)
    else:
        text = p._(
            "recommendations drafted, not yet accepted: %(claims)s in %(parts)s.",
            claims=claims,
            parts=parts,
        )
    return p.sentence(
        text
        + " "
        + p._(
            "Edited or written by the facilitator: %(edited)s; struck: %(struck)s.",
            edited=counts.edited,
            struck=counts.struck,
        )
    )


def _held_commitments(held: HeldItem) -> list[CommitmentMade]:
    return [e for r, e in held.outputs if isinstance(e, CommitmentMade) and r.visibility == ALL]


@session_outcome("remarks")
def remarks_outcome(ctx: ReportContext, held: HeldItem) -> Sequence[Block] | None:
    blocks = _public_notes(held, ctx)
    made = _held_commitments(held)
    if made:
        measures = {m for e in made for m in e.measures}
        section = Prose(ctx.language).quote(ctx.gettext("Suggested next steps"))
        text = ctx.ngettext(
            "In the concluding remarks participants suggested next steps, naming %(n)s measure "
            "of the roadmap (see %(section)s).",
            "In the concluding remarks participants suggested next steps, naming %(n)s measures "
            "of the roadmap (see %(section)s).",
            len(measures),
            section=section,
        )
        blocks.append(Paragraph(text))
    return blocks or None


@summary_line("remarks")
def remarks_summary(ctx: ReportContext, held: HeldItem) -> str | None:
    made = _held_commitments(held)
    if not made:
        return None
    return ctx.gettext("participants suggested next steps in their concluding remarks.")


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
    analysis = found.analysis
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
    blocks: list[Block] = [_aar_method(found, label)]
    if not risks:
        blocks.append(
            Paragraph("No adverse outcome occurred in the simulated exercise.", tone="note")
        )
        return Section("recommendations", "Recommendations", tuple(blocks), page_break=True)
    blocks.append(Heading("Risks the exercise showed"))
    blocks.append(BulletList(tuple(_risk_line(r) for r in risks)))
    rows = _addressing_rows(ctx, found, risks)
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


def _aar_method(found: RecordedRoadmap, label: str) -> Paragraph:
    """Which measures the table lists, what addressee and horizon mean, and the source."""
    return Paragraph(
        f"From the roadmap of {label}: the measures agreed across delegations whose simulated "
        f"effect ({found.analysis.runs} runs of this exercise per arm) lowers the probability of "
        "an adverse outcome, with a 95% interval that excludes zero. The addressee is who "
        "would act on the measure; the horizon is the one the room rated realistic, with "
        "the measure's phase on the roadmap. Source: "
        f"{refs([found.analysed_seq, found.recorded_seq])}."
    )


def _risk_line(risk: Risk) -> str:
    """A risk with its baseline probability and the move where it occurred in play, if it did."""
    played = f"; occurred in move {risk.played_move} of the exercise as played"
    return f"{risk.label}: {risk.baseline:.1%} of simulated runs without any measure" + (
        played if risk.played_move else ""
    )


def _addressing_rows(
    ctx: ReportContext, found: RecordedRoadmap, risks: list[Risk]
) -> list[tuple[str, str, str, str]]:
    """(measure, addressee, horizon, risks lowered) of every roadmap measure, phase by phase,
    whose simulated effect lowers at least one of `risks` with an interval below zero."""
    roadmap = found.roadmap
    rows = []
    for phase in roadmap.phases:
        for mid in phase.measures:
            result = found.result(mid)
            lowered = _lowered(result, risks) if result is not None else []
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
    return rows


def _lowered(result: MeasureResult, risks: list[Risk]) -> list[str]:
    """The risks the measure makes less likely (95% interval below zero), each with the change
    in points and its interval."""
    lowered = []
    for risk in risks:
        effect = result.effects.get(risk.outcome)
        if effect is None or effect.difference.high >= 0.0:
            continue
        d = effect.difference
        lowered.append(f"{risk.label}: {_pts(d.estimate)} [{_pts(d.low)}, {_pts(d.high)}]")
    return lowered


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
