"""Stable names derived from Python identifiers, for anything recorded in a meeting's log."""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake_case(name: str) -> str:
    """`TtxDecisionRequest` → `ttx_decision_request`; `ABCRequest` → `abc_request`."""
    return _BOUNDARY.sub("_", name).lower()


def request_kind_of_path(name: str) -> str:
    """The stable request kind for a name as recorded before kinds existed (`module.QualName`);
    a name without a dot is already a kind and is returned unchanged."""
    return snake_case(name.rsplit(".", 1)[-1]) if "." in name else name


def plural(n: int, one: str, many: str | None = None) -> str:
    """`1 measure`, `2 measures` (irregular plurals via `many`). English only: documents in other
    languages word counts through their catalogs."""
    return f"{n} {one if n == 1 else (many or one + 's')}"
