"""The executive summary of the meeting report, in prose, from the record's analyses.

Deterministic templates in the document's language (English, Chinese, Russian: messages from
the ``reports`` Babel catalogs through :class:`~detente.document.prose.Prose`), one paragraph per
theme, each left out when its data does not exist:

0. who met, where and when, and how many sessions were held (:func:`opening`);
1. what the room broadly agreed (the discussion sessions' common ground, best first);
2. where it divided, and why (statements that split the room, statements one delegation was
   undecided on, and those on which many had no view — an information gap, not a disagreement);
3. what the exercise showed (how it ended, its turning points, where escalation peaked and
   whether it was stopped);
4. the measures with most support and their simulated effect;
5. the recommendations and the Framework for Future Engagement;

then "the sessions at a glance" (:func:`glance_line`), one line per held session, read only from
the :func:`~detente.document.sections.summary_line` registry, where each domain registers the
lines of its activities (this module registers the presentations'). Which statements count as
agreed, divided or an information gap is decided by
:func:`detente.deliberation.standing.standing`, the one classification every document uses.

Content is taken in the document's language from the input files (meeting, scenario, statements,
measures) when they carry a translation, else printed in English behind the ``[en]`` marker
(:func:`detente.document.localize.local`); text only the record holds in English (an intervention's
topic) is marked the same way. Views are worded for the room; no delegation is named as holding
one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from detente.deliberation.document_sections import statement_texts
from detente.deliberation.events import AnalysisRecorded
from detente.deliberation.recorded import recorded_analysis
from detente.deliberation.standing import standing
from detente.diagnostics import InputError
from detente.document.context import ReportContext
from detente.document.localize import local, outcome_label
from detente.document.model import Paragraph
from detente.document.prose import Prose
from detente.document.sections import glance_provider, summary_line, summary_line_of
from detente.meeting.events import ClarificationExchanged, PresentationDelivered
from detente.meeting.model import Meeting
from detente.meeting.state import HeldItem
from detente.ttx.events import (
    ReflectionEscalationCurve,
    ReflectionTurningPoint,
    TtxExerciseEnded,
)

if TYPE_CHECKING:
    from detente.roadmap.analysis import MeasureResult, RoadmapAnalysis
    from detente.roadmap.document_sections import RecordedRoadmap

SHIFTS = ("escalation", "de-escalation", "peak")
"""Turning points that describe a shift of the escalation curve (chance events and outcomes
are told separately)."""
QUOTED = 3
"""How many statements or measures a paragraph quotes."""


def prose_of(ctx: ReportContext) -> Prose:
    return Prose(ctx.language)


# --- content in the document's language ----------------------------------------------------------


def _measure_titles(ctx: ReportContext) -> dict[str, object]:
    """Measure id → its title as the catalog gives it (with translations); empty without one."""
    from detente.roadmap.catalog import load_catalog

    try:
        loaded = load_catalog(ctx.folder)
    except InputError:  # the record's own titles still name them
        return {}
    return {} if loaded is None else {m.id: m.title for m in loaded.catalog.measures}


# --- the paragraphs ------------------------------------------------------------------------------


def _classified(ctx: ReportContext) -> dict[str, list[str]]:
    """Statement texts by standing (`agreed`, `divided`, `undecided`, `gap`), best first, across
    every discussion session."""
    texts = statement_texts(ctx)
    out: dict[str, list[str]] = {"agreed": [], "divided": [], "undecided": [], "gap": []}
    for _, event in ctx.events(AnalysisRecorded):
        for result in recorded_analysis(event).ranked():
            if result.statement_id not in texts:
                continue
            kind = standing(result.tier)
            if kind in out:
                out[kind].append(texts[result.statement_id])
    return out


def _agreed_paragraph(p: Prose, agreed: Sequence[str]) -> Paragraph | None:
    if not agreed:
        return None
    quoted = p.series([p.quote(t) for t in agreed[:QUOTED]])
    text = p._n(
        "The room found common ground on %(n)s statement put to it in the discussion sessions.",
        "The room found common ground on %(n)s statements put to it in the discussion sessions.",
        len(agreed),
    )
    text += " " + p._n(
        "It was: %(quoted)s.", "Most strongly shared were: %(quoted)s.", len(agreed), quoted=quoted
    )
    more = len(agreed) - min(len(agreed), QUOTED)
    if more:
        text += " " + p._n(
            "%(n)s further statement had a majority in every delegation.",
            "%(n)s further statements had a majority in every delegation.",
            more,
        )
    return Paragraph(p.sentence(text), lead=p.lead(p._("Where the room agreed")))


def _divided_paragraph(
    p: Prose, split: Sequence[str], undecided: Sequence[str], gap: Sequence[str]
) -> Paragraph | None:
    if not split and not undecided and not gap:
        return None
    parts = []
    if split:
        parts.append(
            p._n(
                "Participants were divided on %(n)s statement, %(quoted)s.",
                "Participants were divided on %(n)s statements, for instance %(quoted)s.",
                len(split),
                quoted=p.series([p.quote(t) for t in split[:2]]),
            )
            + " "
            + p._(
                "On these at least one delegation did not agree with the rest of the room, so "
                "they are recorded as divergences to take up in further dialogue."
            )
        )
    if undecided:
        parts.append(
            p._n(
                "On %(n)s statement every delegation but one agreed and the remaining one was "
                "undecided, %(quoted)s: common ground may be within reach there.",
                "On %(n)s statements every delegation but one agreed and the remaining one was "
                "undecided, for instance %(quoted)s: common ground may be within reach there.",
                len(undecided),
                quoted=p.quote(undecided[0]),
            )
        )
    if gap:
        parts.append(
            p._n(
                "On %(n)s other statement many participants had no view, which points to an "
                "information gap rather than a disagreement: it may be worth a briefing before "
                "it is put again, %(quoted)s.",
                "On %(n)s other statements many participants had no view, which points to an "
                "information gap rather than a disagreement: these may be worth a briefing "
                "before they are put again, for instance %(quoted)s.",
                len(gap),
                quoted=p.quote(gap[0]),
            )
        )
    return Paragraph(p.sentence(" ".join(parts)), lead=p.lead(p._("Where it divided, and why")))


def _totals(ctx: ReportContext) -> dict[int, float]:
    """Move → the total escalation score of every actor, from the last recorded curve."""

    curves = [e for _, e in ctx.events(ReflectionEscalationCurve)]
    if not curves or not curves[-1].moves:
        return {}
    curve = curves[-1]
    return {
        move: sum(v[i] for v in curve.by_actor.values() if i < len(v))
        for i, move in enumerate(curve.moves)
    }


def _g(value: float) -> str:
    return f"{value:g}"


def _turning_clause(p: Prose, point: ReflectionTurningPoint, totals: dict[int, float]) -> str:
    """A turning point of the escalation curve as a clause, from the curve's numbers (the
    recorded detail is English)."""
    moves = sorted(totals)
    now = totals.get(point.move)
    before = totals.get(moves[moves.index(point.move) - 1], 0.0) if point.move in moves else 0.0
    if point.move in moves and moves.index(point.move) == 0:
        before = 0.0
    if now is None:
        return p._("move %(move)s", move=point.move)
    if point.reason == "peak":
        return p._("move %(move)s, when escalation peaked at %(now)s", move=point.move, now=_g(now))
    if point.reason == "de-escalation":
        return p._(
            "move %(move)s, when total escalation fell from %(before)s to %(now)s",
            move=point.move,
            before=_g(before),
            now=_g(now),
        )
    return p._(
        "move %(move)s, when total escalation rose from %(before)s to %(now)s",
        move=point.move,
        before=_g(before),
        now=_g(now),
    )


def _exercise_paragraph(ctx: ReportContext, p: Prose) -> Paragraph | None:
    """How the exercise ended and what it passed through, then how its escalation moved (None
    when no exercise ended in the record)."""
    ended = [e for _, e in ctx.events(TtxExerciseEnded)]
    if not ended:
        return None
    text = _exercise_run(ctx, p, ended[-1])
    totals = _totals(ctx)
    turning = sorted(
        (e for _, e in ctx.events(ReflectionTurningPoint) if e.reason in SHIFTS),
        key=lambda t: t.move,
    )
    if turning and totals:
        text += " " + p._(
            "The turning points came in %(points)s.",
            points=p.join([_turning_clause(p, t, totals) for t in turning[:4]]),
        )
    if totals:
        text += " " + _peak_sentence(p, totals)
    return Paragraph(p.sentence(text), lead=p.lead(p._("What the exercise showed")))


def _exercise_run(ctx: ReportContext, p: Prose, end: TtxExerciseEnded) -> str:
    """How many moves the exercise ran, the outcome that ended it early if one did, and the
    other outcomes along the way with their moves."""
    if end.ended_by:
        label = next((o.label for o in end.outcomes if o.id == end.ended_by), end.ended_by)
        text = p._n(
            "The tabletop exercise ran for %(n)s move and ended early with %(outcome)s.",
            "The tabletop exercise ran for %(n)s moves and ended early with %(outcome)s.",
            end.moves_played,
            outcome=p.quote(outcome_label(ctx, end.ended_by, label)),
        )
    else:
        text = p._n(
            "The tabletop exercise ran for %(n)s move.",
            "The tabletop exercise ran for %(n)s moves.",
            end.moves_played,
        )
    others = [o for o in sorted(end.outcomes, key=lambda o: o.move) if o.id != end.ended_by]
    if others:
        text += " " + p._(
            "Along the way: %(outcomes)s.",
            outcomes=p.join(
                [
                    p._(
                        "%(outcome)s (move %(move)s)",
                        outcome=p.lower_first(outcome_label(ctx, o.id, o.label)),
                        move=o.move,
                    )
                    for o in others
                ]
            ),
        )
    return text


def _peak_sentence(p: Prose, totals: dict[int, float]) -> str:
    """Where total escalation peaked and whether it was lower by the last move (`totals` is not
    empty)."""
    moves = sorted(totals)
    peak = max(moves, key=lambda m: totals[m])
    if peak == moves[-1]:
        return p._(
            "Escalation was still at its highest in the last move played (move %(move)s): "
            "the exercise did not find a way to stop it.",
            move=peak,
        )
    return p._(
        "Escalation peaked in move %(peak)s and was lower by the end (move %(last)s): "
        "the moves after the peak show what stopped it.",
        peak=peak,
        last=moves[-1],
    )


def _measures_paragraph(ctx: ReportContext, p: Prose) -> Paragraph | None:
    """How many measures were rated and agreed, the roadmap they form, and the best-ranked
    measures on it with their largest clear simulated effect (None without a roadmap)."""
    from detente.roadmap.document_sections import recorded_roadmap

    found = recorded_roadmap(ctx)
    if found is None:
        return None
    analysis, roadmap = found.analysis, found.roadmap
    on = [m for ph in roadmap.phases for m in ph.measures]
    ranked = sorted(
        (m for m in analysis.measures if m.measure_id in on and m.rank is not None),
        key=lambda m: m.rank if m.rank is not None else 0,
    )
    rated = p._n(
        "Participants rated %(n)s measure.",
        "Participants rated %(n)s measures.",
        len(analysis.measures),
    )
    if not ranked:
        text = (
            rated
            + " "
            + p._(
                "None had a majority in every delegation, so the roadmap is empty and every "
                "measure remains for further dialogue."
            )
        )
        return Paragraph(p.sentence(text), lead=p.lead(p._("Measures with most support")))
    titles = _measure_titles(ctx)
    sentences = [_measure_clause(ctx, p, found, titles, m) for m in ranked[:QUOTED]]
    text = " ".join(
        [
            rated,
            p._n(
                "%(n)s measure has the support of a majority in every delegation.",
                "%(n)s measures have the support of a majority in every delegation.",
                len(on),
            ),
            p._n(
                "The roadmap they form has %(n)s phase;",
                "The roadmap they form has %(n)s phases;",
                len(roadmap.phases),
            ),
            p._n(
                "%(n)s measure remains for further dialogue.",
                "%(n)s measures remain for further dialogue.",
                len(roadmap.further_dialogue),
            ),
            p._("The measures with most support were %(measures)s.", measures=p.join(sentences))
            if len(sentences) > 1
            else p._("The measure with most support was %(measures)s.", measures=sentences[0]),
        ]
    )
    return Paragraph(p.sentence(text), lead=p.lead(p._("Measures with most support")))


def _largest_effect(
    analysis: RoadmapAnalysis, measure: MeasureResult
) -> tuple[float, str, str] | None:
    """(difference, outcome id, label) of the measure's largest clear simulated effect (the first
    outcome on a tie); None when no effect's interval excludes zero."""
    best = None
    for outcome, label in analysis.outcomes.items():
        effect = measure.clear_effect(outcome)
        if effect is None:
            continue
        d = effect.difference
        if best is None or abs(d.estimate) > abs(best[0]):
            best = (d.estimate, outcome, label)
    return best


def _measure_clause(
    ctx: ReportContext,
    p: Prose,
    found: RecordedRoadmap,
    titles: dict[str, object],
    measure: MeasureResult,
) -> str:
    """A measure's title with what it did to the outcome it moved most in the simulated
    exercise."""
    title = p.quote(local(ctx, titles.get(measure.measure_id, found.title(measure.measure_id))))
    best = _largest_effect(found.analysis, measure)
    if best is None:
        return p._("%(measure)s, with no clear simulated effect", measure=title)
    params = {
        "measure": title,
        "outcome": p.quote(p.lower_first(outcome_label(ctx, best[1], best[2]))),
        "points": p.number(abs(best[0]) * 100),
    }
    if best[0] > 0:
        return p._(
            "%(measure)s, which made %(outcome)s %(points)s points more likely in the "
            "simulated exercise",
            **params,
        )
    return p._(
        "%(measure)s, which made %(outcome)s %(points)s points less likely in the "
        "simulated exercise",
        **params,
    )


def N_(msgid: str) -> str:
    """Marks a message for the catalog; translated where it is used."""
    return msgid


SECTION_NAMES = {
    "principles": N_("shared principles"),
    "roadmap": N_("phased roadmap"),
    "actors": N_("what each country could do"),
    "divergence": N_("areas of divergence for further dialogue"),
    "ttx": N_("insights from the tabletop exercise"),
    "next-steps": N_("next steps"),
    "next-meeting": N_("proposed next meeting"),
}
"""The recommendations' parts as they read inside a sentence (msgids of the catalog)."""


def _recommendations_paragraph(ctx: ReportContext, p: Prose) -> Paragraph | None:
    from detente.roadmap.recommendations import SECTION_TITLES, recommendations_from_records

    final = recommendations_from_records(ctx.visible)
    if final is None:
        return None
    parts = []
    for name in SECTION_TITLES:
        count = len(final.section(name))
        if count:
            part = p._(SECTION_NAMES[name]) if name in SECTION_NAMES else name
            parts.append(p._("%(part)s (%(count)s)", part=part, count=count))
    if final.accepted:
        text = p._(
            "The recommendations, accepted by the facilitator, cover %(parts)s.",
            parts=p.join(parts),
        )
    else:
        text = p._(
            "The recommendations, drafted and not yet accepted, cover %(parts)s.",
            parts=p.join(parts),
        )
    text += " " + p._(
        "Together with the roadmap they make up the Framework for Future Engagement set out at "
        "the end of this report."
    )
    return Paragraph(p.sentence(text), lead=p.lead(p._("Recommendations")))


def prose(ctx: ReportContext) -> list[Paragraph]:
    """The executive summary's paragraphs after the opening, in order, each present only when
    its data exists."""
    p = prose_of(ctx)
    kinds = _classified(ctx)
    found = [
        _agreed_paragraph(p, kinds["agreed"]),
        _divided_paragraph(p, kinds["divided"], kinds["undecided"], kinds["gap"]),
        _exercise_paragraph(ctx, p),
        _measures_paragraph(ctx, p),
        _recommendations_paragraph(ctx, p),
    ]
    return [x for x in found if x is not None]


def session_counts(meeting: Meeting, items: Sequence[HeldItem]) -> tuple[int, int, int]:
    """(sessions in the programme, sessions held, sessions that produced a record).

    Counts *sessions* (distinct session numbers), not programme items: an exercise split over
    two items, or a session with several items, is one session. A session counts as held when
    any of its items was, and as producing a record when any of its held items did."""
    planned = {i.session for _, i in meeting.items() if i.session is not None}
    held = {h.session for h in items if h.session is not None}
    recorded = {h.session for h in items if h.session is not None and not h.unavailable}
    return len(planned), len(held), len(recorded)


def opening(ctx: ReportContext) -> list[Paragraph]:
    """Who met, where and when; how many of the programme's sessions were held."""
    p = prose_of(ctx)
    meeting = ctx.folder.meeting
    info = meeting.meeting
    names = [local(ctx, d.name) for d in meeting.delegations]
    delegates = sum(len(meeting.members(d.id)) for d in meeting.delegations)
    experts = p._(
        "%(experts)s in %(delegations)s",
        experts=p._nc("accusative", "%(n)s expert", "%(n)s experts", delegates),
        delegations=p._nc("genitive", "%(n)s delegation", "%(n)s delegations", len(names)),
    )
    params = {
        "meeting": local(ctx, info.title),
        "experts": experts,
        "names": p.join(names),
        "place": local(ctx, info.location),
        "dates": ctx.strings.dates(info.start_date, info.end_date),
        "organiser": local(ctx, info.organizer),
    }
    if meeting.observers:
        text = p._n(
            "The %(meeting)s brought together %(experts)s (%(names)s) with %(n)s "
            "observer, in %(place)s, %(dates)s, convened by %(organiser)s.",
            "The %(meeting)s brought together %(experts)s (%(names)s) with %(n)s "
            "observers, in %(place)s, %(dates)s, convened by %(organiser)s.",
            len(meeting.observers),
            **params,
        )
    else:
        text = p._(
            "The %(meeting)s brought together %(experts)s (%(names)s), in %(place)s, "
            "%(dates)s, convened by %(organiser)s.",
            **params,
        )
    planned, held, ran = session_counts(meeting, ctx.state.items)
    if held == planned:
        count = p._n(
            "The programme's %(n)s session was held.",
            "All %(n)s sessions in the programme were held.",
            planned,
        )
    else:
        count = p._n(
            "%(n)s of the %(total)s sessions in the programme was held.",
            "%(n)s of the %(total)s sessions in the programme were held.",
            held,
            total=planned,
        )
    if ran != held:
        count += " " + p._n(
            "%(n)s of them produced a record.", "%(n)s of them produced a record.", ran
        )  # (Russian: "Запись есть по %(n)s из них.")
    return [Paragraph(p.sentence(text)), Paragraph(p.sentence(count))]


# --- one line per session in "The sessions at a glance" ------------------------------------------


@summary_line("presentations")
def presentations_summary(ctx: ReportContext, held: HeldItem) -> str | None:
    """The interventions a session heard, by topic, and its questions and answers (None when it
    heard none). Presentations are the meeting's own activity, so their line is the report's."""
    presentations = [e for _, e in held.outputs if isinstance(e, PresentationDelivered)]
    if not presentations:
        return None
    p = prose_of(ctx)
    topics = list(dict.fromkeys(local(ctx, pt.topic) for e in presentations for pt in e.points))
    interventions = p._n(
        "%(n)s intervention on %(topics)s",
        "%(n)s interventions on %(topics)s",
        len(presentations),
        topics=p.join(topics),
    )
    clar = sum(isinstance(e, ClarificationExchanged) for _, e in held.outputs)
    if not clar:
        return p.sentence(p._("%(interventions)s.", interventions=interventions))
    return p.sentence(
        p._(
            "%(interventions)s, then %(questions)s.",
            interventions=interventions,
            questions=p._nc(
                "accusative", "%(n)s question and answer", "%(n)s questions and answers", clar
            ),
        )
    )


def session_label(ctx: ReportContext, session: int | None, title: object) -> str:
    p = prose_of(ctx)
    name = local(ctx, title)
    return p._("Session %(n)s: %(title)s", n=session, title=name) if session else name


@glance_provider
def glance_line(ctx: ReportContext, held: HeldItem) -> str | None:
    """One held session's line, from the :func:`~detente.document.sections.summary_line`
    registry: the line of its activity, else (for another activity) the presentations it heard;
    None when no registered line has anything to say, to let the meeting report's generic line
    answer."""
    p = prose_of(ctx)
    if held.unavailable:
        return p._("not run: %(reason)s.", reason=local(ctx, held.unavailable))
    line = summary_line_of(ctx, held, held.activity or "")
    if line is None and held.activity != "presentations":
        line = summary_line_of(ctx, held, "presentations")
    return line
