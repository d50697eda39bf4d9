"""Crisis tabletop-exercise engine: scenario expressions, state and simulation runs."""
