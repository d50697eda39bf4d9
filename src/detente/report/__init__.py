"""Documents generated from a meeting's record."""
