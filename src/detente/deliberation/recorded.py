"""The room analysis as a record keeps it: the one typed reader of `analysis_recorded`.

:meth:`detente.deliberation.analysis.RoomAnalysis.to_json` writes the analysis into the event's
`result`; every view of it (summary.md, the meeting report, the executive summary, the drafted
recommendations) reads it back through :func:`recorded_analysis`, as the same
:class:`~detente.deliberation.consensus.CommonGround` the analysis returned, never by string keys
of its own. A reader that needs more of the document adds it here, once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from detente.deliberation.analysis import Coalition, Comparison
from detente.deliberation.consensus import CommonGround, StatementResult
from detente.deliberation.events import AnalysisRecorded


@dataclass(frozen=True)
class RecordedAnalysis:
    """What a record keeps of one :class:`~detente.deliberation.analysis.RoomAnalysis`.

    - `participants`: how many voted; `statements`: the statement ids analysed.
    - `consensus`: statement ids best first (the delegation-aware order when `common` is set,
      else Pol.is's agree-consensus).
    - `common`: the delegation-aware result, None when there were no known groups or they could
      not be analysed (`notes` then says why).
    - `emergent_status` and `emergent_note`: the Pol.is opinion groups' status (``ok``,
      ``below-minimum``, ``not enough votes``; empty when the document has none) and note.
    - `comparison`: opinion groups against delegations, None when not compared.
    """

    status: str
    participants: int
    statements: tuple[str, ...]
    consensus: tuple[str, ...]
    notes: tuple[str, ...]
    common: CommonGround | None
    emergent_status: str
    emergent_note: str
    comparison: Comparison | None

    def ranked(self) -> tuple[StatementResult, ...]:
        """Every statement's delegation-aware result, best common ground first, then the
        statements the ranking leaves out (too few votes) in the order they were put; empty
        without a delegation-aware result."""
        if self.common is None:
            return ()
        rows = {r.statement_id: r for r in self.common.per_statement}
        ranked = [rows[s] for s in self.common.common_ground if s in rows]
        listed = set(self.common.common_ground)
        return (*ranked, *(r for r in self.common.per_statement if r.statement_id not in listed))

    def statement(self, statement_id: str) -> StatementResult | None:
        """The delegation-aware result of one statement, None without one."""
        if self.common is None:
            return None
        try:
            return self.common.statement(statement_id)
        except KeyError:
            return None


def _comparison(data: Mapping[str, Any] | None) -> Comparison | None:
    if not data:
        return None
    return Comparison(
        groups=tuple(str(g) for g in data["groups"]),
        known=tuple(str(k) for k in data["known"]),
        table=tuple(tuple(int(n) for n in row) for row in data["table"]),
        ari=float(data["ari"]),
        coalitions=tuple(
            Coalition(
                str(c["group"]),
                tuple(str(d) for d in c["delegations"]),
                tuple(str(b) for b in c["bridges"]),
            )
            for c in data["coalitions"]
        ),
    )


def recorded_analysis(event: AnalysisRecorded) -> RecordedAnalysis:
    """Read the analysis document of an `analysis_recorded` event."""
    result = event.result
    common = result.get("common_ground")
    emergent = result.get("emergent") or {}
    return RecordedAnalysis(
        status=str(result.get("status", event.status)),
        participants=int(result.get("participants", 0)),
        statements=tuple(str(s) for s in result.get("statements", [])),
        consensus=tuple(str(s) for s in result.get("consensus", [])),
        notes=tuple(str(n) for n in result.get("notes", [])),
        common=CommonGround.from_json_dict(common) if common is not None else None,
        emergent_status=str(emergent.get("status") or ""),
        emergent_note=str(emergent.get("note") or ""),
        comparison=_comparison(result.get("comparison")),
    )


__all__ = ["RecordedAnalysis", "recorded_analysis"]
