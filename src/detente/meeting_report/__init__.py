"""The meeting report under the Chatham House Rule: the one document that reads every domain.

It sits above the domains (it may import any of them; none imports it) and below the document
host (:mod:`detente.report`), which it never imports: it builds with the document toolkit
(:mod:`detente.document`) and registers through :func:`detente.hooks.detente_report_sections`
like any plugin. Each domain contributes its own sections and session outcomes to it from its own
plugin; what lives here is what combines them: the executive summary and the sessions at a
glance (:mod:`~detente.meeting_report.executive_summary`), and the report's frame
(:mod:`~detente.meeting_report.sections`).

No other package imports it: it is reached only through its plugin.
"""

__all__: list[str] = []
