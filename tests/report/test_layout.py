"""Layout you can print: chart text at print size, no near-empty pages, lists as lists.

The chart test reads each Figure of the documents (its SVG's text sizes and natural width) and
its placed width on the page; the page test renders the PDFs with pdftoppm and measures, per
page, the share of the text area left empty below the last ink."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from detente.document.figure_text import (
    MIN_PRINTED_PT,
    TEXT_WIDTH_PT,
    printed_sizes,
    smallest_printed,
)
from detente.document.model import BulletList, Figure, Paragraph
from tests.rendered import Rendered, pdf_pages

NEAR_EMPTY = 0.6
"""A page (other than a document's last) may not leave more than this share of its text area
empty."""
DOCUMENTS = ("pack-CHN", "pack-RUS", "pack-USA", "pack-observers", "meeting-report")


def _figures(r: Rendered) -> list[tuple[str, Figure]]:
    out = []
    for made in r.made:
        if made.document is None:
            continue
        for section in made.document.sections:
            for block in section.blocks:
                if isinstance(block, Figure):
                    out.append((f"{made.request.slug}/{section.id}", block))
    return out


def test_printed_size_follows_the_placed_width() -> None:
    svg = '<svg viewBox="0 0 1000 500"><text style="font-size: 10px">a</text></svg>'
    half = Figure(svg, caption="", alt="", width=1.0)
    assert printed_sizes(half) == [10 * TEXT_WIDTH_PT / 1000]
    paths = '<svg viewBox="0 0 250 100"><g transform="translate(1 2) scale(0.08 -0.08)"></g></svg>'
    assert smallest_printed(Figure(paths, "", "", width=0.5)) == 8 * 0.5 * TEXT_WIDTH_PT / 250


def test_no_chart_text_below_7pt_in_print(rendered: dict[str, Rendered]) -> None:
    checked = 0
    for name in ("korea-2024", "harbour-2025"):
        for where, figure in _figures(rendered[name]):
            smallest = smallest_printed(figure)
            if smallest is None:
                continue  # a QR code
            checked += 1
            assert smallest >= MIN_PRINTED_PT - 0.05, f"{name} {where}: {smallest:.1f} pt"
    assert checked >= 2  # at least the escalation chart and a roadmap figure


def blank_share(page: np.ndarray) -> float:
    """The share of the text area (below the header margin, above the footer margin) left
    empty after the last ink."""
    height = page.shape[0]
    top, bottom = int(height * 22 / 297) + 1, height - int(height * 20 / 297) - 1
    body = page[top:bottom]
    ink = np.flatnonzero((body < 200).any(axis=1))
    return 1.0 if len(ink) == 0 else 1 - (ink[-1] + 1) / body.shape[0]


def _page_text(pdf: Path, number: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(number), "-l", str(number), "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_no_near_empty_pages(rendered: dict[str, Rendered]) -> None:
    """Join cards are exempt: a pack prints each member's card on a page of its own, by
    design, so each can be handed out."""
    r = rendered["korea-2024"]
    found = []
    checked = 0
    for slug in DOCUMENTS:
        pdf = r.file(slug, "pdf")
        pages = pdf_pages(pdf)
        for number, page in enumerate(pages[:-1], start=1):
            share = blank_share(page)
            checked += 1
            if share > NEAR_EMPTY and "/join/" not in _page_text(pdf, number):
                found.append(f"{slug} page {number}: {share:.0%} empty")
    assert checked > 20
    assert not found, found


def test_numbered_rules_are_a_list(rendered: dict[str, Rendered]) -> None:
    r = rendered["korea-2024"]
    for made in r.made:
        if made.document is None or not made.request.slug.startswith("pack-"):
            continue
        for section in made.document.sections:
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    lines = [x for x in block.text.splitlines() if x.strip()]
                    numbered = [x for x in lines if x.lstrip()[:3].rstrip(".").isdigit()]
                    assert len(numbered) < 2, f"{made.request.slug}: {block.text[:60]}"
        lists = [
            b
            for s in made.document.sections
            for b in s.blocks
            if isinstance(b, BulletList) and b.ordered
        ]
        assert lists, made.request.slug
