"""Seats: whoever answers for a delegation — a simulated delegation, a replayed record, a person.

The face: other packages import only the modules in ``__all__`` (tests/test_layering.py checks
every import); every other module is the package's own.

- ``base`` — the seat protocol (requests, answers, seats);
- ``choose`` — choosing who holds each seat for a run;
- ``events`` — the model seats' vocabulary in the log;
- ``live_models`` — model seats in a live meeting;
- ``model`` — the model seat;
- ``model_prompts`` — what a model seat asks for each request;
- ``plausibility`` — checks that an answer fits the delegation's profile;
- ``profiles`` — delegation profiles (`delegations.yaml`);
- ``replay`` — replay seats;
- ``run_options`` — the seats of a `detente run`;
- ``simulated`` — simulated seats.
"""

__all__ = [
    "base",
    "choose",
    "events",
    "live_models",
    "model",
    "model_prompts",
    "plausibility",
    "profiles",
    "replay",
    "run_options",
    "simulated",
]
