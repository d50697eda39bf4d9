"""What a model seat recalls of the meeting so far: the last few events it may see.

Only events visible to the delegation (:func:`~detente.store.visibility.visible_to`, the rule of the
web views and documents) are recalled, one short line each.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from detente.store.log import Record
from detente.store.visibility import visible_to

HISTORY = 4
"""How many recent public events a model seat's prompt recalls."""
_HISTORY_KINDS = {
    "presentation_delivered": "points",
    "clarification_exchanged": "answer",
    "ttx_narrative": "text",
    "commitment_made": "text",
}


def history(records: Sequence[Record], delegation: str, limit: int = HISTORY) -> tuple[str, ...]:
    """The last `limit` public or own events worth recalling, one short line each."""
    lines: list[str] = []
    for record in reversed(records):
        field = _HISTORY_KINDS.get(record.kind)
        if field is None or not visible_to(record.visibility, delegation=delegation):
            continue
        value: Any = record.payload.get(field, "")
        if isinstance(value, list):
            value = "; ".join(str(p.get("topic", "")) for p in value if isinstance(p, dict))
        lines.append(f"- {record.actor}: {str(value)[:160]}")
        if len(lines) >= limit:
            break
    return tuple(reversed(lines))
