"""Crisis tabletop-exercise engine: scenario expressions, state and simulation runs.

The face: other packages import only the modules in ``__all__`` (tests/test_layering.py checks
every import); every other module is the package's own.

- ``documents`` — the exercise's documents (its run of show is read by `detente agenda`);
- ``events`` — the vocabulary in the log: the exercise, its parts, the reflection, live control;
- ``handout`` — what a delegation is handed when a move opens;
- ``live`` — one exercise played with seats (runs=1);
- ``modifiers`` — measures' scenario modifiers;
- ``pack`` — loading and compiling a scenario pack;
- ``parts`` — which moves each item of a split exercise plays;
- ``release`` — what players may see, and from when;
- ``requests`` — what the exercise asks seats and the facilitator;
- ``results`` — per-run results and one recorded exercise;
- ``scenario`` — the schema of `scenario.yaml`;
- ``sweep`` — Monte Carlo sweeps.
"""

__all__ = [
    "documents",
    "events",
    "handout",
    "live",
    "modifiers",
    "pack",
    "parts",
    "release",
    "requests",
    "results",
    "scenario",
    "sweep",
]
