"""The paper room's vocabulary in the log: sheets entered by the facilitator.

The class registers its `kind` on definition; the paper plugin returns it from
:func:`detente.hooks.detente_events`, which is how :func:`detente.store.events.decode` finds it.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from detente.store.events import Event

# --- the paper room --------------------------------------------------------------------------


class PaperSheetEntered(Event):
    """The facilitator entered a paper sheet: a ballot (`B`), rating sheet (`R`) or TTX decision
    form (`D`) with its printed `sheet` code, for `seat` (a seat position, or the delegation for
    a decision form) on request `key`. `entered_by` is who typed it in; `source` is where it came
    from (`file.csv:12` or `console`). The answers themselves follow as the same act a device
    would write (`answer_drafted` for a member's marks, `answer_submitted` for a decision, with
    `person` = `paper:<entered_by>`), so analysis treats paper and device answers alike."""

    kind: ClassVar[str] = "paper_sheet_entered"
    key: str
    sheet: str
    sheet_kind: Literal["B", "R", "D"]
    item_id: str
    seat: str
    delegation: str | None = None
    entered_by: str
    source: str
    answers: int
