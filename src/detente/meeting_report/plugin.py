"""The meeting report's contributions: its header, readiness check and own sections (about,
executive summary, background, programme as held, the outcome of every session, the participants
annex) and the presentation and reflection sessions' outcomes."""

from __future__ import annotations

from detente.hooks import hookimpl


@hookimpl
def detente_report_sections() -> None:
    from detente.meeting_report import (  # noqa: F401  (each registers its sections or lines)
        executive_summary,
        sections,
    )
