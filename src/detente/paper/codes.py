"""Sheet codes: a short, machine-readable code printed on every paper sheet.

Form: ``<kind>/<scope>/<seat>/<check>``, e.g. ``B/session-2/USA-1/7F3A``:

- `kind`: ``B`` ballot of a discussion, ``R`` rating sheet, ``D`` TTX decision form;
- `scope`: the programme item id (ballots, ratings) or ``m<N>`` (decision form of move N);
- `seat`: the seat position (``USA-1``, ``observer-2``) or the delegation id (decision forms);
- `check`: four hex digits of SHA-256 over the meeting id and the rest of the code, so a sheet
  printed for another meeting (or a mistyped code) is refused on entry.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

KINDS = {"B": "ballot", "R": "rating sheet", "D": "decision form"}


class SheetCodeError(ValueError):
    """A code that is malformed or belongs to another meeting."""


@dataclass(frozen=True)
class SheetCode:
    kind: str
    scope: str
    seat: str

    def body(self) -> str:
        return f"{self.kind}/{self.scope}/{self.seat}"


def _check(meeting_id: str, body: str) -> str:
    return hashlib.sha256(f"{meeting_id}\n{body}".encode()).hexdigest()[:4].upper()


def sheet_code(meeting_id: str, kind: str, scope: str, seat: str) -> str:
    """The printed code of one sheet."""
    if kind not in KINDS:
        raise ValueError(f"unknown sheet kind {kind!r}")
    body = SheetCode(kind, scope, seat).body()
    return f"{body}/{_check(meeting_id, body)}"


def parse_code(meeting_id: str, code: str) -> SheetCode:
    """The sheet a code names; :class:`SheetCodeError` when malformed or from another meeting."""
    parts = code.strip().split("/")
    if len(parts) != 4 or parts[0] not in KINDS or not all(parts):
        raise SheetCodeError(
            f"'{code}' is not a sheet code (expected KIND/SCOPE/SEAT/CHECK, e.g. B/s2/USA-1/7F3A)"
        )
    kind, scope, seat, check = parts
    body = f"{kind}/{scope}/{seat}"
    if _check(meeting_id, body) != check.upper():
        raise SheetCodeError(
            f"sheet code '{code}' does not belong to meeting '{meeting_id}' (another meeting's "
            "sheet, or a mistyped code)"
        )
    return SheetCode(kind, scope, seat)


__all__ = ["KINDS", "SheetCode", "SheetCodeError", "parse_code", "sheet_code"]
