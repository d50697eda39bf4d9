"""Each renderer prints any text literally, and its output is well formed."""

from __future__ import annotations

import datetime as dt
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from detente.document.model import (
    BulletList,
    Document,
    Figure,
    Heading,
    KeyValue,
    Marking,
    PageBreak,
    Paragraph,
    Section,
    Table,
)
from detente.document.plots import escalation_chart
from detente.report.html import render_html
from detente.report.markdown import escape as md_escape
from detente.report.markdown import render_markdown
from detente.report.pdf import render_pdf, typst_source, typst_string

HOSTILE = (
    'Say #import "x" $x^2$ *b* _i_ [a](b) <lbl> @ref = h \\ " `c` ~ </p><script>alert(1)</script>'
)
VOID = {"meta", "br", "col", "img", "hr", "input", "link"}


class BalanceChecker(HTMLParser):
    """Fails on any end tag that does not close the innermost open element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] not in ("style", "script"):
            self.text.append(data)


def check_html(html: str) -> BalanceChecker:
    checker = BalanceChecker()
    checker.feed(html)
    checker.close()
    assert not checker.errors, checker.errors[:5]
    assert checker.stack == [], checker.stack
    return checker


def sample(text: str = HOSTILE, language: str = "en") -> Document:
    chart = escalation_chart([1, 2, 3], {"A": [0, 4, 12], "B": [0, -2, 28]})
    blocks = (
        Heading(text),
        Paragraph(text, lead=text),
        Paragraph(text + "\nsecond line", tone="note"),
        Paragraph(text, tone="muted"),
        BulletList((text, "plain"), ordered=True),
        Table(("a", text), ((text, "x\ny"),), widths=(1, 2)),
        KeyValue(((text, text),)),
        PageBreak(),
        Figure(chart, caption=text, alt=text, width=0.5),
    )
    return Document(
        kind="test",
        slug="t",
        title=text,
        subtitle=text,
        language=language,
        marking=Marking.CONFIDENTIAL,
        marking_text=text,
        cover=((text, text),),
        sections=(Section("s", text, blocks),),
        footer=text,
    )


def test_html_is_balanced_and_escapes_text() -> None:
    html = render_html(sample())
    checker = check_html(html)
    assert "<script>alert" not in html
    assert HOSTILE in "".join(checker.text)
    assert html.count("<svg") == 1 and "<?xml" not in html


def test_markdown_escapes_syntax() -> None:
    md = render_markdown(sample())
    assert "<script>" not in md
    assert md_escape("*a* #b") == "\\*a\\* \\#b"
    assert md_escape("- item") == "\\- item"


def test_typst_string_literal_escapes() -> None:
    assert typst_string('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'
    assert typst_string("\x01") == '"\\u{1}"'


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "t.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_pdf_prints_hostile_text_verbatim(tmp_path: Path) -> None:
    data, warnings = render_pdf(sample(), dt.date(2024, 8, 26))
    assert data.startswith(b"%PDF")
    assert not [w for w in warnings if "typst" in w], warnings
    text = _pdf_text(data, tmp_path)
    flat = " ".join(text.split())
    assert " ".join(HOSTILE.split()) in flat


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_any_text_compiles(text: str) -> None:
    doc = sample(text or "x")
    source = typst_source(doc, dt.date(2024, 1, 1))
    assert source.count("#heading(level: 1") == 1
    data, _ = render_pdf(doc, dt.date(2024, 1, 1))
    assert data.startswith(b"%PDF")
