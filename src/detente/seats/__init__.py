"""Seats: whoever answers for a delegation — a simulated delegation, a replayed record, a person."""
