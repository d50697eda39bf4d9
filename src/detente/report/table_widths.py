"""Table column widths that leave every header word room on one line.

A document gives each table relative column widths chosen for its English headers; in Russian a
narrow column's header ("Отметка" for a tick box) is wider than the column, and the printed
header then runs into its neighbour or is broken inside a word. :func:`fitted_widths` raises
every column to at least its longest header word (estimated in the table's bold type, plus the
cell's inset), taking the room from the other columns in proportion to their widths, so headers
wrap only between words. Chinese headers are kept whole (they are a few characters long).

The estimate errs wide: a Latin or Cyrillic character is counted at :data:`CHAR_EM` of the type
size (Noto Sans Bold averages about 0.6 em), a full-width character at 1 em.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

TEXT_WIDTH_PT = (210 - 2 * 17) / 25.4 * 72
"""The text width of an A4 page with the PDF's 17 mm side margins, in points."""
TABLE_TEXT_PT = 9.0
"""The type size of table text in the PDF."""
INSET_PT = 5.0
"""A table cell's inset on each side in the PDF."""
CHAR_EM = 0.66
"""Width of a Latin or Cyrillic bold character, in ems (rounded up)."""


def word_width_pt(word: str, size: float = TABLE_TEXT_PT) -> float:
    """Estimated printed width of one bold word."""
    wide = sum(unicodedata.east_asian_width(ch) in ("W", "F") for ch in word)
    return (wide + CHAR_EM * (len(word) - wide)) * size


def header_minimum(header: str, text_width_pt: float = TEXT_WIDTH_PT) -> float:
    """The share of the text width a column needs to print its longest header word whole."""
    words = header.split() or [""]
    return (max(word_width_pt(w) for w in words) + 2 * INSET_PT) / text_width_pt


def fitted_widths(
    columns: Sequence[str], widths: Sequence[float], text_width_pt: float = TEXT_WIDTH_PT
) -> tuple[float, ...]:
    """Shares of the text width (summing to 1) close to `widths` (relative; equal when empty)
    in which every column holds its longest header word. When the headers cannot all fit, each
    column gets its minimum scaled down to the width available."""
    weights = list(widths) if widths else [1.0] * len(columns)
    total = sum(weights) or 1.0
    shares = [w / total for w in weights]
    need = [header_minimum(c, text_width_pt) for c in columns]
    if sum(need) >= 1:
        return tuple(n / sum(need) for n in need)
    fixed: set[int] = set()
    while True:
        short = [i for i, s in enumerate(shares) if i not in fixed and s < need[i] - 1e-9]
        if not short:
            return tuple(shares)
        fixed.update(short)
        for i in fixed:
            shares[i] = need[i]
        room = 1 - sum(shares[i] for i in fixed)
        free = [i for i in range(len(shares)) if i not in fixed]
        weight = sum(weights[i] for i in free) or 1.0
        for i in free:
            shares[i] = room * weights[i] / weight
