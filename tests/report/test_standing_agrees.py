"""summary.md, the meeting report and the projector's chart call the same statements common
ground (one classification: detente.deliberation.standing)."""

from __future__ import annotations

import re
from collections import defaultdict

from detente.deliberation.events import AnalysisRecorded, VoteCast
from detente.deliberation.standing import standing
from detente.deliberation.web_views import Bar, StatementBars
from detente.document.model import BulletList, Heading, Table
from detente.document.summary import render_summary
from detente.meeting.state import meeting_state
from detente.store.events import decode
from tests.rendered import Rendered


def _summary_md_common(markdown: str, title: str) -> int:
    part = markdown.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    common = part.split("**Common ground**", 1)[1].split("**Divisions:**", 1)[0]
    return sum(1 for line in common.splitlines() if line.startswith("- ") and line != "- none")


def _report_common(r: Rendered, title: str) -> int:
    doc = r.result("meeting-report").document
    assert doc is not None
    section = doc.section("sessions")
    assert section is not None
    blocks = list(section.blocks)
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == title)
    count = 0
    for i in range(start + 1, len(blocks)):
        block = blocks[i]
        if isinstance(block, Heading) and block.level != 3:
            break
        if isinstance(block, Heading) and block.text == "Common ground":
            table = blocks[i + 1]
            assert isinstance(table, Table)
            count = len(table.rows)
    return count


def _glance_common(r: Rendered, title: str) -> int:
    doc = r.result("meeting-report").document
    assert doc is not None
    section = doc.section("executive-summary")
    assert section is not None
    lines = [i for b in section.blocks if isinstance(b, BulletList) for i in b.items]
    line = next(x for x in lines if x.startswith(title))
    found = re.search(r"common ground on (\d+)", line)
    assert found, line
    return int(found.group(1))


def _projector_common(r: Rendered, item_id: str) -> set[str]:
    """The statements the projector's chart marks as common ground, from the public votes."""
    votes: dict[tuple[str, str], tuple[str, str]] = {}
    for rec in r.inputs.records:
        if rec.kind == VoteCast.kind:
            v = decode(rec)
            assert isinstance(v, VoteCast)
            if v.item_id == item_id and v.delegation and not v.observer:
                votes[(v.participant, v.statement_id)] = (v.delegation, v.vote)
    counts: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for (_, sid), (delegation, vote) in votes.items():
        counts[sid][delegation][vote] += 1
    members = {d.id: len(r.folder.meeting.members(d.id)) for d in r.folder.meeting.delegations}
    out = set()
    for sid, by in counts.items():
        bars = tuple(
            Bar(d, by[d]["agree"], by[d]["disagree"], by[d]["pass"], members[d]) for d in members
        )
        if StatementBars(sid, "", bars).common:
            out.add(sid)
    return out


def test_summary_md_report_and_projector_agree_on_common_ground(
    rendered: dict[str, Rendered],
) -> None:
    checked = 0
    for r in rendered.values():
        state = meeting_state(r.inputs.records)
        markdown = render_summary(r.folder, state)
        for held in state.items:
            analyses = [e for _, e in held.outputs if isinstance(e, AnalysisRecorded)]
            if not analyses or "tiers" not in analyses[-1].result:
                continue
            rows = (analyses[-1].result.get("common_ground") or {}).get("per_statement", [])
            if not rows:
                continue
            title = f"Session {held.session}: {held.title}" if held.session else held.title
            agreed = {row["statement_id"] for row in rows if standing(row["tier"]) == "agreed"}
            assert _summary_md_common(markdown, title) == len(agreed), (r.name, title)
            assert _report_common(r, title) == len(agreed), (r.name, title)
            assert _glance_common(r, title) == len(agreed), (r.name, title)
            assert _projector_common(r, held.item_id) == agreed, (r.name, title)
            checked += 1
    assert checked >= 3


def test_no_two_roadmap_phases_share_a_label(rendered: dict[str, Rendered]) -> None:
    for r in rendered.values():
        doc = r.result("meeting-report").document
        assert doc is not None
        section = doc.section("roadmap")
        if section is None:
            continue
        labels = [
            b.text.split(" — ", 1)[1]
            for b in section.blocks
            if isinstance(b, Heading) and b.text.startswith("Phase ")
        ]
        assert len(labels) == len(set(labels)), (r.name, labels)
