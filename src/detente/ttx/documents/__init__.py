"""The tabletop exercise's documents, built with the document toolkit (:mod:`detente.document`)
and registered from :func:`detente.ttx.plugin.detente_report_sections`: the after-action report,
the facilitator handbook and its run of show, and the participant pack.

The face: other packages import only the modules in ``__all__`` (tests/test_layering.py checks
every import); every other module is the package's own.

- ``run_of_show`` — the run of show, minute by minute (read by `detente agenda`).
"""

__all__ = [
    "run_of_show",
]
