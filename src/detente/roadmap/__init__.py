"""Roadmap of cooperative measures, recommendations and the Framework for Future Engagement.

The face: other packages import only the modules in ``__all__`` (tests/test_layering.py checks
every import); every other module is the package's own.

- ``analysis`` — the typed result of the ratings' analysis (measures, tiers, stances);
- ``catalog`` — loading and checking `measures.yaml`;
- ``document_sections`` — the roadmap, recommendations and commitments as document sections;
- ``measures`` — the schema of the measures catalog;
- ``ratings`` — the rating request, its simulated and replayed answers, and the fold into ratings;
- ``recommendations`` — the recommendations draft, the Framework and the commitments.
"""

__all__ = [
    "analysis",
    "catalog",
    "document_sections",
    "measures",
    "ratings",
    "recommendations",
]
