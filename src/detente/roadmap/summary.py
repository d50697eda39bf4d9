"""The roadmap's parts of `summary.md`: the roadmap, divergences, recommendations, commitments.

Rendered from the record alone (`ratings_closed`, `roadmap_analysed`, `roadmap_recorded`,
`recommendations_*`, `commitment_made`), by delegation and never by person: support counts are
per delegation ("USA 3/3 agree"), divergences name supporting and objecting delegations, and
every recommendation shows the events it derives from and whether a person wrote or edited it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from detente.meeting.loader import MeetingFolder
from detente.meeting.state import HeldItem
from detente.roadmap.analysis import MeasureResult, RoadmapAnalysis, analysis_from_json
from detente.roadmap.events import CommitmentMade, RatingsClosed, RoadmapAnalysed, RoadmapRecorded
from detente.roadmap.recommendations import SECTION_TITLES, recommendations_from_records
from detente.roadmap.sequence import Roadmap, roadmap_from_json
from detente.ttx.sweep import MeasureEffect

TOP_EFFECTS: Final = 3
"""How many measures the summary lists per outcome (largest simulated effect first)."""


def _name(folder: MeetingFolder, delegation: str) -> str:
    try:
        return folder.meeting.delegation(delegation).name
    except KeyError:
        return delegation


def _names(folder: MeetingFolder, delegations: Sequence[str]) -> str:
    return ", ".join(_name(folder, d) for d in delegations) or "none"


def _pts(value: float) -> str:
    return f"{value * 100:+.1f}"


def _effect_lines(result: RoadmapAnalysis, titles: Mapping[str, str]) -> list[str]:
    if not result.outcomes or not any(m.effects for m in result.measures):
        note = result.effects_note
        return [f"Simulated effects: none ({note}).", ""] if note else []
    lines = [
        f"**Simulated effects** ({result.runs} runs per arm; difference in probability "
        "with the measure in force, percentage points, 95% interval; largest first, intervals "
        "excluding zero only):",
        "",
    ]
    for outcome, label in sorted(result.outcomes.items()):
        found: list[tuple[float, str, MeasureEffect]] = []
        for m in result.measures:
            e = m.clear_effect(outcome)
            if e is not None:
                found.append((abs(e.difference.estimate), m.measure_id, e))
        found.sort(key=lambda t: (-t[0], t[1]))
        if not found:
            lines.append(f"- *{label}*: no measure with an interval excluding zero")
            continue
        shown = "; ".join(
            f"{titles.get(mid, mid)} {_pts(e.difference.estimate)} "
            f"[{_pts(e.difference.low)}, {_pts(e.difference.high)}]"
            for _, mid, e in found[:TOP_EFFECTS]
        )
        lines.append(f"- *{label}* (baseline {found[0][2].baseline.estimate:.1%}): {shown}")
    return [*lines, ""]


def _measure_line(
    result: RoadmapAnalysis, roadmap: Roadmap, titles: Mapping[str, str], mid: str
) -> str:
    entry = roadmap.entries[mid]
    try:
        row: MeasureResult | None = result.measure(mid)
    except KeyError:
        row = None
    tier = row.tier if row is not None else None
    label = row.label if row is not None else None
    feas = row.mean_feasibility if row is not None else None
    pair = entry.reciprocal
    together = f"; together with {', '.join(titles.get(p, p) for p in pair)}" if pair else ""
    if feas is not None:
        return (
            f"- {titles.get(mid, mid)} [{entry.category}] — {tier}: "
            f"{label}; feasibility {feas:.1f}/5{together}"
        )
    return f"- {titles.get(mid, mid)} — {tier}: {label}{together}"


def roadmap_section(folder: MeetingFolder, held: HeldItem) -> list[str]:
    """The roadmap session: ratings, the phased roadmap, divergences and simulated effects."""
    events = [e for _, e in held.outputs]
    recorded = [e for e in events if isinstance(e, RoadmapRecorded)]
    analysed = [e for e in events if isinstance(e, RoadmapAnalysed)]
    if not recorded or not analysed:
        return []
    roadmap = roadmap_from_json(recorded[-1].roadmap)
    result = analysis_from_json(analysed[-1].result)
    closed = [e for e in events if isinstance(e, RatingsClosed)]
    titles = {mid: e.title for mid, e in roadmap.entries.items()}
    titles.update({d.measure_id: d.title for d in roadmap.further_dialogue})
    lines = [
        f"{len(result.measures)} measures were rated by {result.participants} participants "
        f"({sum(c.ratings_submitted for c in closed)} ratings; support > 0 counts as agree, "
        "< 0 as disagree, 0 as pass).",
    ]
    lines += [f"{c.note}." for c in closed if c.note]
    lines += ["", "**Roadmap** (measures every delegation supports by majority):", ""]
    for phase in roadmap.phases:
        lines.append(f"*Phase {phase.number}* (horizon: {phase.horizon}):")
        lines += [_measure_line(result, roadmap, titles, mid) for mid in phase.measures]
        lines.append("")
    if not roadmap.phases:
        lines += ["- none: no measure had a majority in every delegation", ""]
    lines += ["**For further dialogue** (by delegation):", ""]
    for d in roadmap.further_dialogue:
        lines.append(
            f"- {d.title} — {d.reason}. Supports: {_names(folder, d.stances.supports)}; "
            f"objects: {_names(folder, d.stances.objects)}; "
            f"neutral: {_names(folder, d.stances.neutral)} ({d.label})"
        )
    if not roadmap.further_dialogue:
        lines.append("- none")
    lines.append("")
    if result.observers:
        lines += [
            f"Observers' ratings ({result.observers} observer(s)) are in the record, apart.",
            "",
        ]
    return lines + _effect_lines(result, titles)


def recommendations_section(folder: MeetingFolder, held: HeldItem) -> list[str]:
    """The recommendations: each claim with its sources and who wrote it."""
    final = recommendations_from_records([r for r, _ in held.outputs])
    if final is None:
        return []
    status = "accepted by the facilitator" if final.accepted else "draft, not yet accepted"
    lines = [f"Recommendations and Framework for Future Engagement ({status}):", ""]
    for section, title in SECTION_TITLES.items():
        claims = final.section(section)
        if not claims:
            continue
        lines += [f"*{title}*", ""]
        for c in claims:
            origin = {"generated": "", "edited": " (edited by the facilitator)"}.get(
                c.origin, " (written by the facilitator)"
            )
            refs = ", ".join(f"#{s}" for s in c.sources) or "—"
            lines.append(f"- {c.text}{origin} — from events {refs}")
        lines.append("")
    return lines


def commitments_section(folder: MeetingFolder, held: HeldItem) -> list[str]:
    """The delegations' commitments to next steps."""
    commitments = [e for _, e in held.outputs if isinstance(e, CommitmentMade)]
    if not commitments:
        return []
    lines = ["Commitments to next steps, by delegation:", ""]
    for c in commitments:
        source = f" — source: {c.source}" if c.source else ""
        lines.append(f"- **{_name(folder, c.delegation)}**: {c.text}{source}")
    return [*lines, ""]


__all__ = ["commitments_section", "recommendations_section", "roadmap_section"]
