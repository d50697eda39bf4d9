"""Deliberation tools: vote matrices, delegation-aware common ground and opinion mapping.

The face: other packages import only the modules in ``__all__`` (tests/test_layering.py checks
every import); every other module is the package's own.

- ``activity`` — the `discussion` activity (its preparation request, for the live app);
- ``consensus`` — the delegation-aware common-ground analysis of a vote matrix;
- ``document_sections`` — common ground and divergences as document sections;
- ``events`` — the vocabulary in the log: statements, votes, the analysis;
- ``recorded`` — the one typed reader of a recorded analysis;
- ``standing`` — how a statement stood with the room: the one classification;
- ``statements`` — the statements file (`statements.yaml`);
- ``votes`` — the vote request, its simulated and replayed answers, and the fold into ballots.
"""

__all__ = [
    "activity",
    "consensus",
    "document_sections",
    "events",
    "recorded",
    "standing",
    "statements",
    "votes",
]
