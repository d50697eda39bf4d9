"""Option declarations the simulation commands (`ttx sweep`, `ttx calibrate`) make alike: a
repeatable option that names things (measures, targets, factor kinds) and a whole-number option
with a floor (runs, workers, chunk size, rows shown), each with the metavar its help shows.

Built here once so each command's signature is one line of meaning per option; the options
every simulation command takes unchanged (`--seed`, `--format`) are in
:mod:`detente.ttx.command_options`."""

from __future__ import annotations

from typing import Any

import typer


def repeated(flag: str, metavar: str, help_text: str) -> Any:
    """A repeatable option: the command receives the values in the order given, or None when
    the option is absent (declare it `list[str] | None = None`)."""
    return typer.Option(flag, metavar=metavar, help=help_text)


def count(flag: str, metavar: str, help_text: str, *, least: int) -> Any:
    """A whole-number option of at least `least` (Typer rejects a smaller value)."""
    return typer.Option(flag, min=least, metavar=metavar, help=help_text)
