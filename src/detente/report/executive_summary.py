"""The executive summary of the meeting report, in prose, from the record's analyses.

Deterministic templates, one paragraph per theme, each left out when its data does not exist:

1. what the room broadly agreed (the discussion sessions' common ground, best first);
2. where it divided, and why (statements that split the room; those on which many had no view
   are an information gap, not a disagreement);
3. what the exercise showed (how it ended, its turning points, where escalation peaked and
   whether it was stopped);
4. the measures with most support and their simulated effect;
5. the recommendations and the Framework for Future Engagement.

Views are worded for the room (:mod:`detente.report.attribution`); the circulated report names
no delegation as holding a view. English only for now: the meeting report is made in English.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from detente.deliberation.recorded import recorded_analysis
from detente.meeting.state import HeldItem
from detente.report.attribution import plural, sentence_list
from detente.report.context import ReportContext
from detente.report.model import Paragraph
from detente.store.events import (
    ALL,
    AnalysisRecorded,
    ReflectionEscalationCurve,
    ReflectionHotwashQuestion,
    ReflectionTurningPoint,
    StatementAdded,
    TtxExerciseEnded,
)

AGREED = ("unanimous", "majority")
SPLIT = ("divided", "one-neutral")
GAP = ("uncertain",)
SHIFTS = ("escalation", "de-escalation", "peak")
"""Turning points that describe a shift of the escalation curve (chance events and outcomes
are told separately)."""
QUOTED = 3
"""How many statements or measures a paragraph quotes."""


def _detail(detail: str) -> str:
    """A turning point's detail without the move title in brackets, as a clause."""
    core = re.sub(r"\s*\([^()]*\)\s*$", "", detail.strip()).rstrip(".")
    return core[:1].lower() + core[1:]


def _quote(text: str) -> str:
    return "“" + text.strip().rstrip(".") + "”"


def _statements(ctx: ReportContext) -> tuple[list[str], list[str], list[str]]:
    """Statement texts with common ground (best first), that split the room, and that many
    participants had no view on — across every discussion session."""
    texts = {e.statement_id: e.text for _, e in ctx.events(StatementAdded)}
    agreed: list[str] = []
    split: list[str] = []
    gap: list[str] = []
    for _, event in ctx.events(AnalysisRecorded):
        for result in recorded_analysis(event).ranked():
            if result.statement_id not in texts:
                continue
            tier = result.tier
            target = (
                agreed
                if tier in AGREED
                else split
                if tier in SPLIT
                else gap
                if tier in GAP
                else None
            )
            if target is not None:
                target.append(texts[result.statement_id])
    return agreed, split, gap


def _agreed_paragraph(agreed: Sequence[str]) -> Paragraph | None:
    if not agreed:
        return None
    quoted = "; ".join(_quote(t) for t in agreed[:QUOTED])
    more = len(agreed) - min(len(agreed), QUOTED)
    text = (
        f"The room found common ground on {plural(len(agreed), 'statement')} put to it in the "
        f"discussion sessions. Most strongly shared were: {quoted}."
    )
    if more:
        text += f" {plural(more, 'further statement')} had a majority in every delegation."
    return Paragraph(text, lead="Where the room agreed")


def _divided_paragraph(split: Sequence[str], gap: Sequence[str]) -> Paragraph | None:
    if not split and not gap:
        return None
    parts = []
    if split:
        quoted = "; ".join(_quote(t) for t in split[:2])
        parts.append(
            f"Participants were divided on {plural(len(split), 'statement')}, for instance "
            f"{quoted}. On these a majority of at least one delegation disagreed with the rest "
            "of the room, so they are recorded as divergences to take up in further dialogue."
        )
    if gap:
        parts.append(
            f"On {plural(len(gap), 'other statement')} many participants had no view, which "
            "points to an information gap rather than a disagreement: these may be worth a "
            "briefing before they are put again"
            + (f", for instance {_quote(gap[0])}." if gap else ".")
        )
    return Paragraph(" ".join(parts), lead="Where it divided, and why")


def _exercise_paragraph(ctx: ReportContext) -> Paragraph | None:
    ended = [e for _, e in ctx.events(TtxExerciseEnded)]
    if not ended:
        return None
    end = ended[-1]
    text = f"The tabletop exercise ran for {plural(end.moves_played, 'move')}"
    if end.ended_by:
        label = next((o.label for o in end.outcomes if o.id == end.ended_by), end.ended_by)
        text += f" and ended early with “{label}”."
    else:
        text += "."
    others = [o for o in sorted(end.outcomes, key=lambda o: o.move) if o.id != end.ended_by]
    if others:
        text += (
            " Along the way: "
            + sentence_list(
                [f"{o.label[:1].lower() + o.label[1:]} (move {o.move})" for o in others]
            )
            + "."
        )
    turning = sorted(
        (e for _, e in ctx.events(ReflectionTurningPoint) if e.reason in SHIFTS),
        key=lambda t: t.move,
    )
    if turning:
        text += (
            " The turning points came in "
            + sentence_list([f"move {t.move}, when {_detail(t.detail)}" for t in turning[:4]])
            + "."
        )
    curves = [e for _, e in ctx.events(ReflectionEscalationCurve)]
    if curves and curves[-1].moves:
        curve = curves[-1]
        totals = [sum(v[i] for v in curve.by_actor.values()) for i in range(len(curve.moves))]
        peak = max(range(len(totals)), key=lambda i: totals[i])
        if peak == len(totals) - 1:
            text += (
                f" Escalation was still at its highest in the last move played (move "
                f"{curve.moves[peak]}): the exercise did not find a way to stop it."
            )
        else:
            text += (
                f" Escalation peaked in move {curve.moves[peak]} and was lower by the end "
                f"(move {curve.moves[-1]}): the moves after the peak show what stopped it."
            )
    return Paragraph(text, lead="What the exercise showed")


def _measures_paragraph(ctx: ReportContext) -> Paragraph | None:
    from detente.report.roadmap_sections import recorded_roadmap

    found = recorded_roadmap(ctx)
    if found is None:
        return None
    analysis, roadmap = found.analysis, found.roadmap
    on = [m for p in roadmap.phases for m in p.measures]
    ranked = sorted(
        (m for m in analysis.measures if m.measure_id in on and m.rank is not None),
        key=lambda m: m.rank if m.rank is not None else 0,
    )
    if not ranked:
        return Paragraph(
            f"Participants rated {plural(len(analysis.measures), 'measure')}; none had a majority "
            "in every delegation, so the roadmap is empty and every measure remains for further "
            "dialogue.",
            lead="Measures",
        )
    sentences = []
    for m in ranked[:QUOTED]:
        title = found.title(m.measure_id)
        best = None
        for outcome, label in analysis.outcomes.items():
            effect = m.clear_effect(outcome)
            if effect is None:
                continue
            d = effect.difference
            if best is None or abs(d.estimate) > abs(best[0]):
                best = (d.estimate, label)
        if best is None:
            sentences.append(f"{_quote(title)}, with no clear simulated effect")
        else:
            change = "more" if best[0] > 0 else "less"
            sentences.append(
                f"{_quote(title)}, which made “{best[1][:1].lower() + best[1][1:]}” "
                f"{abs(best[0]) * 100:.1f} points {change} likely in the simulated exercise"
            )
    text = (
        f"Participants rated {plural(len(analysis.measures), 'measure')}; "
        f"{plural(len(on), 'measure')} {'has' if len(on) == 1 else 'have'} the support of a "
        f"majority in every delegation and form a roadmap in "
        f"{plural(len(roadmap.phases), 'phase')}, and "
        f"{plural(len(roadmap.further_dialogue), 'measure')} "
        f"{'remains' if len(roadmap.further_dialogue) == 1 else 'remain'} for further dialogue. "
        f"The measures with most support were {sentence_list(sentences)}."
    )
    return Paragraph(text, lead="Measures with most support")


def _recommendations_paragraph(ctx: ReportContext) -> Paragraph | None:
    from detente.roadmap.recommendations import SECTION_TITLES, recommendations_from_records

    final = recommendations_from_records(ctx.visible)
    if final is None:
        return None
    parts = []
    for name, title in SECTION_TITLES.items():
        count = len(final.section(name))
        if count:
            parts.append(f"{title.lower()} ({count})")
    state = "accepted by the facilitator" if final.accepted else "drafted, not yet accepted"
    text = (
        f"The recommendations, {state}, cover {sentence_list(parts)}. Together with the "
        "roadmap they make up the Framework for Future Engagement set out at the end of this "
        "report."
    )
    return Paragraph(text, lead="Recommendations")


def prose(ctx: ReportContext) -> list[Paragraph]:
    """The executive summary's paragraphs, in order, each present only when its data exists."""
    agreed, split, gap = _statements(ctx)
    found = [
        _agreed_paragraph(agreed),
        _divided_paragraph(split, gap),
        _exercise_paragraph(ctx),
        _measures_paragraph(ctx),
        _recommendations_paragraph(ctx),
    ]
    return [p for p in found if p is not None]


# --- one line per session in "The sessions at a glance" ------------------------------------------


def _discussion_line(ctx: ReportContext, held: HeldItem) -> str | None:
    found = [e for r, e in held.outputs if isinstance(e, AnalysisRecorded) and r.visibility == ALL]
    if not found:
        return None
    common = recorded_analysis(found[-1]).common
    if common is None:
        return None
    tiers = [r.tier for r in common.per_statement]
    agreed = sum(t in AGREED for t in tiers)
    split = sum(t in SPLIT for t in tiers)
    gap = sum(t in GAP for t in tiers)
    parts = [f"common ground on {agreed}", f"divided on {split}"]
    if gap:
        parts.append(f"many without a view on {gap}")
    return f"{plural(len(tiers), 'statement')} put to the room: {sentence_list(parts)}."


def _ttx_line(ctx: ReportContext, held: HeldItem) -> str | None:
    ended = [e for r, e in held.outputs if isinstance(e, TtxExerciseEnded) and r.visibility == ALL]
    if not ended:
        return None
    end = ended[-1]
    text = f"the tabletop exercise ran for {plural(end.moves_played, 'move')}"
    if end.outcomes:
        text += "; outcomes: " + sentence_list(
            [f"{o.label[:1].lower() + o.label[1:]} (move {o.move})" for o in end.outcomes]
        )
    return text + "."


def _reflection_line(ctx: ReportContext, held: HeldItem) -> str | None:
    points = [e for r, e in held.outputs if isinstance(e, ReflectionTurningPoint)]
    questions = [e for r, e in held.outputs if isinstance(e, ReflectionHotwashQuestion)]
    voted = _discussion_line(ctx, held)  # a hotwash may also put statements to a vote
    if not points and not questions:
        return voted
    review = (
        f"the after-action review of the exercise: {plural(len(points), 'turning point')} and "
        f"{plural(len(questions), 'hotwash question')} put to the room."
    )
    return review if voted is None else f"{review[:-1]}; {voted}"


def register() -> None:
    """Register the lines above with the meeting report (idempotent)."""
    from detente.report.meeting_report import summary_line

    summary_line("discussion")(_discussion_line)
    summary_line("ttx")(_ttx_line)
    summary_line("reflection")(_reflection_line)
