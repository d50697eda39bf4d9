"""The deliberation part of `summary.md`: common ground, divisions and open questions per session.

Rendered from the record alone (`statement_added`, `voting_closed`, `analysis_recorded`), by
delegation and never by person: counts are per delegation ("USA 3/3 agree"), statements written
from a participant's remark say so without saying whose, and opinion groups are described by
the delegations they bring together.
"""

from __future__ import annotations

from collections.abc import Mapping

from detente.deliberation.events import AnalysisRecorded, StatementAdded, VotingClosed
from detente.deliberation.recorded import RecordedAnalysis, recorded_analysis
from detente.deliberation.standing import standing
from detente.deliberation.votes import latest_statements
from detente.meeting.loader import MeetingFolder
from detente.meeting.state import HeldItem

TIER_WORDS = {
    "unanimous": "unanimous",
    "majority": "every delegation in majority agreement",
}
"""How a common-ground statement stood (which tiers are common ground: :mod:`.standing`)."""


def _name(folder: MeetingFolder, delegation: str) -> str:
    try:
        return folder.meeting.delegation(delegation).name
    except KeyError:
        return delegation


def _text(statements: Mapping[str, StatementAdded], sid: str) -> str:
    st = statements.get(sid)
    if st is None:
        return sid
    remark = (
        " *(written from a participant's remark)*" if st.provenance == "participant-remark" else ""
    )
    return f"“{st.text}”{remark}"


def deliberation_section(folder: MeetingFolder, held: HeldItem) -> list[str]:
    """Markdown for an item that recorded a common-ground analysis (nothing otherwise)."""
    statements = latest_statements(e for _, e in held.outputs)
    analyses = [e for _, e in held.outputs if isinstance(e, AnalysisRecorded)]
    closed = [e for _, e in held.outputs if isinstance(e, VotingClosed)]
    if not analyses:
        return []
    result = recorded_analysis(analyses[-1])
    lines = [
        f"{len(statements)} statements were put to the room; "
        f"{result.participants} participants cast "
        f"{sum(c.votes_cast for c in closed)} votes.",
    ]
    lines += [f"{c.note}." for c in closed if c.note]
    lines.append("")
    common = result.common
    if common is None:
        notes = "; ".join(result.notes) or "no delegation-aware result"
        return [*lines, f"Not enough votes for common ground: {notes}.", ""]
    rows = {r.statement_id: r for r in common.per_statement}
    agreed = [s for s in result.consensus if s in rows and standing(rows[s].tier) == "agreed"]
    lines += ["**Common ground** (best first; agreeing/voted per delegation):", ""]
    lines += [
        f"- {_text(statements, s)} — {rows[s].label} ({TIER_WORDS[rows[s].tier]})" for s in agreed
    ] or ["- none: no statement had a majority in every delegation"]
    lines.append("")
    divisive = {e.statement_id: e for e in common.divisive}
    tiers = common.tiers
    lines += ["**Divisions:**", ""]
    for s in tiers["divided"]:
        entry = divisive.get(s)
        where = ""
        if entry is not None:
            verb = "agrees more" if entry.direction == "agrees-more" else "agrees less"
            where = f"; {_name(folder, entry.delegation)} {verb} than the others"
        lines.append(f"- {_text(statements, s)} — {rows[s].label}{where}")
    if not tiers["divided"]:
        lines.append("- none")
    lines.append("")
    undecided = [s for s in result.consensus if s in rows and standing(rows[s].tier) == "undecided"]
    if undecided:
        lines += ["**One delegation undecided** (every other delegation agreed):", ""]
        lines += [f"- {_text(statements, s)} — {rows[s].label}" for s in undecided]
        lines.append("")
    lines += ["**Open questions** (many passes: an information gap rather than a division):", ""]
    lines += [
        f"- {_text(statements, s)} — {rows[s].label} (pass rate {rows[s].pass_rate:.0%})"
        for s in tiers["uncertain"]
    ] or ["- none"]
    lines.append("")
    split_lines = [
        f"- {_name(folder, d)} was split on {_text(statements, e.statement_id)} "
        f"({e.agree} agree, {e.disagree} disagree)"
        for d, entries in common.splits.items()
        for e in entries
    ]
    if split_lines:
        lines += ["Splits inside a delegation:", "", *split_lines, ""]
    lines += _emergent_lines(folder, result, statements)
    return lines


def _emergent_lines(
    folder: MeetingFolder, result: RecordedAnalysis, statements: Mapping[str, StatementAdded]
) -> list[str]:
    status = result.emergent_status
    if not status:
        return []
    if status == "not enough votes":
        return [f"Opinion groups: not computed ({result.emergent_note}).", ""]
    lines = []
    if result.emergent_note:
        lines.append(f"Opinion groups (Pol.is-compatible): {result.emergent_note}.")
    comparison = result.comparison
    if comparison:
        lines.append(
            f"Agreement of opinion groups with delegations (adjusted Rand index): "
            f"{comparison.ari:.2f} (1 = the groups are the delegations)."
        )
        for c in comparison.coalitions:
            names = " and ".join(_name(folder, d) for d in c.delegations)
            bridges = "; ".join(_text(statements, s) for s in c.bridges[:3]) or "none"
            lines.append(
                f"- Group {c.group} brings together members of {names}; bridges: {bridges}"
            )
    lines.append("")
    return lines


__all__ = ["deliberation_section"]
