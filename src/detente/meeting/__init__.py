"""The meeting as data: schema, loading with located errors, programme checks and agenda exports.

The face: other packages import only the modules in ``__all__`` (tests/test_layering.py checks
every import); every other module is the package's own.

- ``agenda`` — the programme as Markdown, HTML or iCalendar;
- ``checks`` — the programme's timing checks;
- ``context`` — what an activity works with (meeting, seats, generator, log);
- ``events`` — the kernel's vocabulary in the log;
- ``facilitator`` — the facilitator's decisions, asked like seats' answers;
- ``loader`` — loading a meeting folder with located errors;
- ``model`` — the schema of `meeting.yaml`;
- ``runner`` — the programme runner;
- ``state`` — the meeting's state as a fold of its log.
"""

__all__ = [
    "agenda",
    "checks",
    "context",
    "events",
    "facilitator",
    "loader",
    "model",
    "runner",
    "state",
]
