"""The document host: choose which documents to make, build them from what the plugins registered
(:mod:`detente.document`), render them to HTML, Markdown and PDF, and the `report` command.

It imports no domain, not even when it runs: every section and every document made outside the
section registry comes from a plugin. Its API is :mod:`detente.report.render`
(``ReportInputs.load`` then ``make_documents``); this module imports nothing, so that loading the
`report` plugin does not load the renderers.

No other package imports it (the `report` plugin is loaded by name); its API for tests and
scripts is :mod:`~detente.report.render`.
"""

__all__ = ["render"]
