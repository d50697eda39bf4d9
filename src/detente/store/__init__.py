"""The event log: one append-only table of typed events per meeting, the single source of truth."""
