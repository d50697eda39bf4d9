"""Diagnostics: errors and warnings that point at a place in a file.

Every problem in user input is reported as `file:line:column path: message`, so a facilitator can
open the file at the right line. Loading never raises anything else for bad input.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


PathPart = str | int


def format_path(path: Sequence[PathPart]) -> str:
    """Render a field path the way people read it: `programme[1].items[4].end`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class Diagnostic:
    """One finding about an input file. `line` and `column` are 1-based (0 when unknown)."""

    file: str
    line: int
    column: int
    path: tuple[PathPart, ...]
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        field = format_path(self.path)
        lead = f"{where} {field}:" if field else f"{where}:"
        tag = "" if self.severity is Severity.ERROR else "warning: "
        return f"{lead} {tag}{self.message}"


class InputError(Exception):
    """Bad input: one or more located error diagnostics. The message lists them all."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))
