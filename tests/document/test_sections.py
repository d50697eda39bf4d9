"""The section registry's plug points that the rendered documents do not reach on their own: a
document kind made by a plugin's maker, a kind nobody makes, and the executive summary's lines."""

from __future__ import annotations

import pytest

from detente.document import Audience, Request
from detente.document.inputs import Made, ReportInputs
from detente.document.sections import (
    document_maker,
    maker_for,
    report_section,
    summary_line,
    summary_line_of,
    summary_lines_for,
)
from detente.meeting.loader import load_meeting
from detente.report.render import build_documents
from tests.conftest import KOREA


def _inputs() -> ReportInputs:
    return ReportInputs(load_meeting(KOREA), [], None, None)


def test_a_plugins_maker_makes_its_kind_and_the_host_names_no_domain() -> None:
    @document_maker("toy-sheets")
    def toy(inputs: ReportInputs) -> list[Made]:
        meeting = inputs.folder.meeting
        return [
            Made(Request("toy-sheets", Audience("delegation", d.id), d.language, f"toy-{d.id}"))
            for d in meeting.delegations
        ]

    assert maker_for("toy-sheets") is toy
    made = build_documents(_inputs(), "toy-sheets")
    assert [m.request.slug for m in made] == [
        f"toy-{d.id}" for d in load_meeting(KOREA).meeting.delegations
    ]


def test_a_kind_no_plugin_makes_is_unavailable_with_the_reason() -> None:
    made = build_documents(_inputs(), "no-such-sheets")
    assert len(made) == 1 and made[0].document is None
    assert made[0].unavailable == "no plugin makes 'no-such-sheets' documents"


def test_the_built_in_plugins_make_handouts_and_paper_sheets() -> None:
    assert maker_for("handouts") is not None
    assert maker_for("paper") is not None


def test_summary_lines_are_kept_in_registration_order_once_each() -> None:
    def first(ctx: object, held: object) -> str | None:
        return None

    def second(ctx: object, held: object) -> str | None:
        return "held."

    for fn in (first, second, first):
        summary_line("toy-activity")(fn)  # type: ignore[arg-type]
    assert summary_lines_for("toy-activity") == [first, second]


def test_the_first_registered_line_with_something_to_say_answers() -> None:
    def silent(ctx: object, held: object) -> str | None:
        return None

    def first(ctx: object, held: object) -> str | None:
        return "first."

    def second(ctx: object, held: object) -> str | None:
        return "second."

    for fn in (silent, first, second):
        summary_line("toy-lines")(fn)  # type: ignore[arg-type]
    assert summary_line_of(None, None, "toy-lines") == "first."  # type: ignore[arg-type]
    summary_line("toy-quiet")(silent)  # type: ignore[arg-type]
    assert summary_line_of(None, None, "toy-quiet") is None  # type: ignore[arg-type]
    assert summary_line_of(None, None, "toy-unregistered") is None  # type: ignore[arg-type]


def test_a_section_for_an_unknown_document_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown document 'minutes'"):
        report_section(document="minutes", order=1)
