"""Table headers print whole: every header word on one line, no header running into the next."""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import pytest

from detente.document.model import Document, Table
from detente.report.render import make_documents
from detente.report.table_widths import TEXT_WIDTH_PT, fitted_widths, header_minimum
from tests.rendered import Rendered

WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def test_a_narrow_column_grows_to_its_header_word() -> None:
    columns = ("Отметка", "Действие", "Описание", "Огласка")
    widths = (0.6, 3, 4, 1.2)
    assert widths[0] / sum(widths) < header_minimum(columns[0])  # too narrow as given
    shares = fitted_widths(columns, widths)
    assert sum(shares) == pytest.approx(1)
    for column, share in zip(columns, shares, strict=True):
        assert share >= header_minimum(column) - 1e-9
    # the room comes from the wide columns, in proportion
    assert shares[2] / shares[1] == pytest.approx(4 / 3)


def test_widths_that_fit_are_kept() -> None:
    shares = fitted_widths(("move", "title"), (1, 3))
    assert shares == pytest.approx((0.25, 0.75))
    assert fitted_widths(("a", "b", "c"), ()) == pytest.approx((1 / 3,) * 3)


def test_headers_that_cannot_all_fit_share_the_width() -> None:
    columns = tuple("Переговоры" for _ in range(12))
    assert header_minimum(columns[0]) * 12 > 1
    assert fitted_widths(columns, ()) == pytest.approx((1 / 12,) * 12)
    assert round(TEXT_WIDTH_PT, 1) == 498.9


def _words(pdf: Path) -> list[tuple[int, float, float, float, str]]:
    """(page, xMin, yMin, xMax, text) of every word pdftotext finds."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [
        (n, float(a), float(b), float(c), text)
        for n, page in enumerate(out.split("<page "))
        for a, b, c, _, text in WORD.findall(page)
    ]


def _header_words(doc: Document) -> set[str]:
    return {
        word.strip("(),:;")
        for section in doc.sections
        for block in section.blocks
        if isinstance(block, Table)
        for column in block.columns
        for word in column.split()
        if len(word.strip("(),:;")) > 1
    }


def test_table_headers_print_whole(rendered: dict[str, Rendered], tmp_path: Path) -> None:
    """Every header word of every table in the Korea packs and move handouts (Chinese, Russian,
    English) is a word of its own in the PDF (not broken across lines, not run into the next
    column's header), and no two words of a line overlap."""
    r = rendered["korea-2024"]
    made = [m for m in r.made if m.request.kind == "pack"]
    made += [
        m
        for m in make_documents(r.inputs, ["handouts"], ["pdf"], tmp_path)
        if m.request.slug.endswith("-move-1")
    ]
    checked = 0
    for m in made:
        assert m.document is not None
        pdf = next(p for p in m.files if p.suffix == ".pdf")
        words = _words(pdf)
        printed = {w[4].strip("(),:;") for w in words}
        for header in _header_words(m.document):
            assert header in printed, f"{m.request.slug}: header word {header!r} not whole"
            checked += 1
        by_line: dict[tuple[int, float], list[tuple[float, float, str]]] = {}
        for page, x0, y0, x1, text in words:
            by_line.setdefault((page, round(y0, 1)), []).append((x0, x1, text))
        for line in by_line.values():
            line.sort()
            for (_, end, a), (start, _, b) in itertools.pairwise(line):
                assert start >= end - 0.5, f"{m.request.slug}: {a!r} runs into {b!r}"
    assert checked > 20
