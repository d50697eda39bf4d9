"""The size chart text has on paper: the font size in a figure times the figure's scale on the page.

Figures are SVG documents drawn by matplotlib (:mod:`detente.document.plots`,
:mod:`detente.roadmap.plots`) and placed in the PDF at a share of the text width
(:class:`~detente.document.model.Figure.width`), so a figure drawn wider than the page shrinks its
text with it: 7 pt text in a 14-inch figure prints at 3.5 pt. matplotlib writes every text with
its size in the SVG's own units — `font-size: 7px` when text stays text, a glyph group scaled by
`scale(0.07 -0.07)` (size / 100) when text becomes paths — and the SVG's `viewBox` gives its
natural width in the same units (points). The printed size is therefore
``size × placed width / natural width``, read from the figure itself, not from pixels.
"""

from __future__ import annotations

import re

from detente.document.model import Figure

A4_WIDTH_MM = 210.0
MARGIN_X_MM = 17.0
"""The page set-up of :mod:`detente.report.pdf` (A4, 17 mm left and right)."""
TEXT_WIDTH_PT = (A4_WIDTH_MM - 2 * MARGIN_X_MM) / 25.4 * 72
"""The width a Figure of width 1.0 takes on the page, in points."""
MIN_PRINTED_PT = 7.0
"""No chart text below this size at print size."""

_VIEWBOX = re.compile(r'viewBox="\s*[-\d.]+\s+[-\d.]+\s+([\d.]+)\s+[\d.]+\s*"')
_FONT_SIZE = re.compile(r"font-size:\s*([\d.]+)px")
_FONT_SHORTHAND = re.compile(r"font:\s*(?:[a-z-]+\s+)*([\d.]+)px")
_GLYPH_SCALE = re.compile(r"scale\(([\d.]+) -\1\)")


def text_sizes(svg: str) -> list[float]:
    """Every text size in the SVG, in its own units (matplotlib: points at natural size)."""
    sizes = [float(x) for x in _FONT_SIZE.findall(svg)]
    sizes += [float(x) for x in _FONT_SHORTHAND.findall(svg)]
    sizes += [float(x) * 100 for x in _GLYPH_SCALE.findall(svg)]
    return sizes


def natural_width(svg: str) -> float | None:
    """The SVG's width in its own units (from the viewBox), None without one."""
    match = _VIEWBOX.search(svg)
    return float(match.group(1)) if match else None


def printed_sizes(figure: Figure, text_width_pt: float = TEXT_WIDTH_PT) -> list[float]:
    """Each text size of the figure as printed: size × placed width / natural width."""
    width = natural_width(figure.svg)
    if not width:
        return []
    scale = figure.width * text_width_pt / width
    return [size * scale for size in text_sizes(figure.svg)]


def smallest_printed(figure: Figure, text_width_pt: float = TEXT_WIDTH_PT) -> float | None:
    """The smallest printed text size of the figure in points (None: it has no text)."""
    sizes = printed_sizes(figure, text_width_pt)
    return min(sizes) if sizes else None
