"""Statements as the analysis and reports read them: edits replace the wording, withdrawn
statements are left out (see :func:`detente.deliberation.votes.latest_statements`)."""

from __future__ import annotations

from detente.deliberation.events import StatementAdded, StatementEdited, StatementWithdrawn
from detente.deliberation.votes import latest_statements


def test_latest_statements_apply_edits_and_withdrawals_in_order() -> None:
    events = [
        StatementAdded(item_id="s", statement_id="a", text="prepared"),
        StatementAdded(item_id="s", statement_id="b", text="first", provenance="facilitator"),
        StatementAdded(item_id="s", statement_id="c", text="gone", provenance="facilitator"),
        StatementEdited(item_id="s", statement_id="b", text="second"),
        StatementWithdrawn(item_id="s", statement_id="c"),
        StatementEdited(item_id="s", statement_id="zz", text="never added"),
    ]
    latest = latest_statements(events)
    assert list(latest) == ["a", "b"]
    assert latest["b"].text == "second" and latest["b"].provenance == "facilitator"
    assert latest["a"].text == "prepared"
