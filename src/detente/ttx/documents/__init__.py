"""The tabletop exercise's documents, built with the document toolkit (:mod:`detente.document`)
and registered from :func:`detente.ttx.plugin.detente_report_sections`: the after-action report,
the facilitator handbook and its run of show, and the participant pack."""
