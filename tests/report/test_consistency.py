"""Facts shared between documents agree: programme times, validate findings, session counts."""

from __future__ import annotations

from detente.document.model import Table
from detente.document.summary import render_summary
from detente.meeting.checks import check_programme
from detente.meeting.state import meeting_state
from detente.ttx.documents.run_of_show import folder_breaks
from tests.rendered import Rendered


def test_programme_as_held_equals_the_programme_or_says_so(
    rendered: dict[str, Rendered],
) -> None:
    for r in rendered.values():
        doc = r.result("meeting-report").document
        assert doc is not None
        section = doc.section("programme")
        assert section is not None
        (table,) = [b for b in section.blocks if isinstance(b, Table)]
        planned = r.folder.meeting.items()
        for when, label, _ in table.rows:
            title = label.split(": ", 1)[-1] if label.startswith("Session ") else label
            held_at = when.split("\n")[0]
            same = [(d, i) for d, i in planned if i.title == title]
            day, item = next(
                ((d, i) for d, i in same if held_at.startswith(f"{d.date:%a %d %b}")), same[0]
            )
            if item.start is None:
                continue
            if f"{day.date:%a %d %b} {item.start:%H:%M}" in held_at:
                assert "(programme:" not in when, (r.name, when)
            else:
                assert f"(programme: {day.date:%a %d %b} {item.start:%H:%M}" in when, (
                    r.name,
                    when,
                )


def test_handbook_lists_every_programme_check(rendered: dict[str, Rendered]) -> None:
    for r in rendered.values():
        text = r.file("facilitator-handbook", "md").read_text(encoding="utf-8").replace("\\", "")
        findings = check_programme(r.folder.meeting, r.folder.source, folder_breaks(r.folder))
        assert "## Programme checks" in text
        for d in findings:
            assert d.message[1:].rstrip(".") in text, (r.name, d.message)


def _rows(markdown: str, heading: str) -> dict[str, str]:
    """item → when, from the Markdown table under `heading`."""
    part = markdown.replace("\\", "").split(heading, 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in part.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].lower() not in ("when", "---"):
            rows[cells[1]] = cells[0].split("<br>")[0]
    return rows


def test_summary_md_and_meeting_report_agree_on_the_programme_as_held(
    rendered: dict[str, Rendered],
) -> None:
    for r in rendered.values():
        state = meeting_state(r.inputs.records)
        summary = _rows(render_summary(r.folder, state), "## Programme as held")
        report = _rows(
            r.file("meeting-report", "md").read_text(encoding="utf-8"), "## Programme as held"
        )
        assert summary and summary == report, r.name
