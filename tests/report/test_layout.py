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
from detente.document.model import BulletList, Figure, KeyValue, Paragraph, Section
from detente.report.render import Made, make_documents
from tests.rendered import Rendered, pdf_pages

NEAR_EMPTY = 0.6
"""A page (other than a document's last) may not leave more than this share of its text area
empty."""


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


def _all_documents(r: Rendered, base: Path) -> list[Made]:
    """Every document the meeting's run makes, as PDF: the fixture's (packs, handbook, after-action
    reports, meeting report) and the handouts and paper sheets, rendered here."""
    made = [m for m in r.made if m.document is not None]
    extra = make_documents(r.inputs, ["handouts", "paper"], ["pdf"], base / r.name)
    return made + [m for m in extra if m.document is not None]


def _pdf(made: Made) -> Path:
    return next(p for p in made.files if p.suffix == ".pdf")


def _join_cards(made: Made) -> list[Section]:
    assert made.document is not None
    return [s for s in made.document.sections if s.id == "join"]


def test_no_near_empty_pages(rendered: dict[str, Rendered], tmp_path: Path) -> None:
    """No page but a document's last leaves more than :data:`NEAR_EMPTY` of its text area empty,
    in every document the Korea demo and the harbour fixture make.

    One rule takes pages out of this check: a pack's join cards are printed one per page, each
    the sheet handed to one member (checked by :func:`test_join_cards_one_per_page`), so a page
    holding a join card is judged by that rule instead."""
    found = []
    checked = 0
    documents = 0
    for name in ("korea-2024", "harbour-2025"):
        r = rendered[name]
        for made in _all_documents(r, tmp_path):
            documents += 1
            pdf = _pdf(made)
            cards = bool(_join_cards(made))
            for number, page in enumerate(pdf_pages(pdf)[:-1], start=1):
                if cards and "/join/" in _page_text(pdf, number):
                    continue
                share = blank_share(page)
                checked += 1
                if share > NEAR_EMPTY:
                    found.append(f"{name} {made.request.slug} page {number}: {share:.0%} empty")
    assert documents > 40 and checked > 150
    assert not found, found


def test_join_cards_one_per_page(rendered: dict[str, Rendered]) -> None:
    """A pack's join cards are cut-out sheets, one per member: every page that holds a join
    link holds exactly one, with that member's name and join code on the same page, and every
    member has a page."""
    checked = 0
    for name in ("korea-2024", "harbour-2025"):
        r = rendered[name]
        for made in r.made:
            if made.document is None or not _join_cards(made):
                continue
            pdf = _pdf(made)
            (section,) = _join_cards(made)
            cards = [
                dict(b.rows)
                for b in section.blocks
                if isinstance(b, KeyValue) and any("/join/" in v for _, v in b.rows)
            ]
            pages = [
                text
                for n in range(1, len(pdf_pages(pdf)) + 1)
                if "/join/" in (text := _page_text(pdf, n))
            ]
            assert len(pages) == len(cards), made.request.slug
            for text, card in zip(pages, cards, strict=True):
                flat = " ".join(text.split())
                assert flat.count("/join/") == 1, made.request.slug
                for value in card.values():
                    if "/join/" not in value:
                        assert " ".join(value.split()) in flat, (made.request.slug, value)
                checked += 1
    assert checked >= 9


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
