"""The event log: one append-only table of typed events per meeting, the single source of truth.

The face: other packages import only the modules in ``__all__`` (tests/test_layering.py checks
every import); every other module is the package's own.

- ``events`` — the event base, its registry, versions and upcasters, and decoding;
- ``log`` — the append-only log (SQLite or PostgreSQL);
- ``visibility`` — who may read a record: the one confidentiality rule.
"""

__all__ = [
    "events",
    "log",
    "visibility",
]
