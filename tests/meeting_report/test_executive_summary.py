"""The meeting report's executive summary is prose, and its counts agree with the sessions."""

from __future__ import annotations

import re

from detente.deliberation.events import AnalysisRecorded
from detente.document.model import BulletList, Paragraph
from detente.store.events import decode
from tests.rendered import Rendered


def _summary(r: Rendered) -> tuple[str, list[str]]:
    doc = r.result("meeting-report").document
    assert doc is not None
    section = doc.section("executive-summary")
    assert section is not None
    prose = " ".join(b.text for b in section.blocks if isinstance(b, Paragraph))
    lines = [i for b in section.blocks if isinstance(b, BulletList) for i in b.items]
    return prose, lines


def test_korea_summary_is_at_least_a_page_of_prose(rendered: dict[str, Rendered]) -> None:
    prose, _ = _summary(rendered["korea-2024"])
    assert len(prose.split()) >= 400, len(prose.split())
    for theme in ("common ground", "divided", "exercise", "roadmap", "Framework for Future"):
        assert theme in prose, theme
    # no internal ids (lower-case words joined by hyphens with a digit or 2+ hyphens)
    assert not re.search(r"\b[a-z0-9]+-[a-z0-9]+-[a-z0-9-]+\b", prose.replace("two-", ""))
    assert "(s)" not in prose and "[#" not in prose


def test_summary_counts_agree_with_the_sessions(rendered: dict[str, Rendered]) -> None:
    for r in rendered.values():
        prose, lines = _summary(r)
        found = re.search(r"common ground on (\d+) statements?", prose)
        analyses = [decode(x) for x in r.inputs.records if x.kind == AnalysisRecorded.kind]
        if not analyses:
            continue
        assert found, r.name
        per_session = [
            int(m.group(1)) for line in lines if (m := re.search(r"common ground on (\d+)", line))
        ]
        assert sum(per_session) == int(found.group(1)), r.name
