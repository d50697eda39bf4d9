"""Plots of a roadmap (PNG and SVG): the roadmap chart and a forest plot of simulated effects.

* Roadmap chart: a grid of phases (columns) by categories (rows); each measure on the roadmap is a
  box in its cell, coloured by its consensus tier, with its title. Measures for further dialogue
  are listed in a last column, coloured by tier too.
* Forest plot: one panel per outcome of the exercise; one row per measure with an effect
  estimate; the point is the difference in the outcome's probability with the measure in force
  against the baseline (percentage points), the bar its 95% interval, the colour the measure's
  tier. A measure whose interval excludes zero is drawn filled, others hollow.

Figures use the object-oriented API on the Agg backend; SVGs keep text as text and carry a fixed
hash salt and no date, so the same analysis gives the same files (as the discussion plots).
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import matplotlib

matplotlib.use("Agg")

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from detente.roadmap.analysis import RoadmapAnalysis
from detente.roadmap.catalog import LoadedCatalog
from detente.roadmap.sequence import Roadmap, phase_label
from detente.ttx.sweep import Interval

TIER_COLOURS: Final = {
    "unanimous": "#1a9850",
    "majority": "#91cf60",
    "one-neutral": "#fee08b",
    "uncertain": "#d9d9d9",
    "divided": "#fc8d59",
    "insufficient": "#ffffff",
}
_SVG_META: Final = {"Date": None}
WRAP: Final = 28
"""Characters per line of a measure's title in the roadmap chart (at its natural width)."""
PRINT_PT: Final = 7.0
"""Smallest text size of a figure laid out for print (`width=`)."""
CHAR_EM: Final = 0.6
"""Average advance of a character of the chart font, in ems, to wrap text to a width (on the
generous side: text that overflows widens the saved figure, which then prints smaller)."""
PRINT_SLACK: Final = 0.95
"""A figure laid out for print is drawn at this share of the width it is given, so what the
tight bounding box adds (overhanging text) stays within it."""


FORMATS: Final = ("png", "svg")


def wrap_words(text: str, width: int) -> list[str]:
    """`text` in lines of about `width` characters of the chart font (:data:`CHAR_EM` em each),
    never splitting a word that is at most half as long again (``CHAR_EM`` is generous enough
    for that): "casualties" stays whole in an 8-character column. A text with wide characters
    (Chinese, Japanese: a full em each) gets proportionally fewer per line and, written without
    spaces, is broken by characters, as it must be to wrap at all."""
    if any(unicodedata.east_asian_width(ch) in "WF" for ch in text):
        return textwrap.wrap(text, max(2, int(width * CHAR_EM)), break_long_words=True)
    long = any(len(word) > width * 1.5 for word in text.split())
    return textwrap.wrap(text, width, break_long_words=long)


def _save(fig: Figure, stem: Path, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write the figure as `stem.png` and/or `stem.svg` (reports ask for SVG only: a PNG costs
    as much again and would be thrown away)."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    if "png" in formats:
        png = stem.with_suffix(".png")
        fig.savefig(png, format="png", dpi=120, bbox_inches="tight")
        written.append(png)
    if "svg" in formats:
        svg = stem.with_suffix(".svg")
        with matplotlib.rc_context({"svg.hashsalt": "detente", "svg.fonttype": "none"}):
            fig.savefig(svg, format="svg", bbox_inches="tight", metadata=_SVG_META)
        written.append(svg)
    return written


@dataclass(frozen=True)
class ChartText:
    """The roadmap chart's words in its reader's language: one heading per phase (`columns`), the
    further-dialogue column's heading, measure and category titles by id, and the legend's name
    of each tier. :func:`english_chart_text` is the chart's own English; a document passes its
    language's words (the chart draws whatever it is given)."""

    columns: tuple[str, ...]
    further: str
    measures: Mapping[str, str]
    categories: Mapping[str, str]
    tiers: Mapping[str, str]


def english_chart_text(roadmap: Roadmap, loaded: LoadedCatalog) -> ChartText:
    """The chart's words without a document: English titles, phases by their horizon, tiers by
    their ids."""
    return ChartText(
        columns=tuple(
            f"Phase {p.number}\n({phase_label(roadmap.phases, p)})" for p in roadmap.phases
        ),
        further="For further dialogue",
        measures={m.id: m.title.en for m in loaded.measures},
        categories={c.id: c.title for c in loaded.categories},
        tiers={tier: tier for tier in TIER_COLOURS},
    )


def _legend(
    fig: Figure, *, ncol: int | None = None, labels: Mapping[str, str] | None = None
) -> None:
    """The tiers' colours in one row, or in rows of three when `labels` name them in words."""
    named = labels or {}
    handles = [
        Patch(facecolor=c, edgecolor="#555555", label=named.get(t, t))
        for t, c in TIER_COLOURS.items()
    ]
    if ncol is None and any(len(v) > 12 for v in named.values()):
        ncol = 3
    fig.legend(
        handles=handles,
        loc="lower center",
        ncol=ncol or len(handles),
        fontsize=PRINT_PT,
        frameon=False,
    )


def roadmap_chart(
    analysis: RoadmapAnalysis,
    roadmap: Roadmap,
    loaded: LoadedCatalog,
    stem: Path,
    *,
    title: str = "",
    formats: tuple[str, ...] = FORMATS,
    width: float | None = None,
    further: bool = True,
    text: ChartText | None = None,
) -> list[Path]:
    """Phases × categories, boxes coloured by tier; returns the files written.

    `width` (inches) lays the chart out for a page of that width at print size: every text is
    :data:`PRINT_PT` or more and titles wrap to the column width (a document places the figure
    at that width, so nothing shrinks). Without it the chart is as wide as its columns need.
    `further=False` leaves out the column of measures for further dialogue (a document lists
    them in a table instead: a column of dozens of boxes is taller than a page). `text` gives
    the words (default :func:`english_chart_text`)."""
    words = text or english_chart_text(roadmap, loaded)
    tiers = {m.measure_id: m.tier for m in analysis.measures}
    titles, cat_titles = words.measures, words.categories
    columns = [*words.columns, *([words.further] if further else [])]
    rows = list(roadmap.categories)
    cells = _chart_cells(roadmap, rows, len(columns), further)
    lay = _chart_layout(width, len(columns))
    heads = [
        "\n".join(line for part in name.split("\n") for line in wrap_words(part, lay.head_wrap))
        for name in columns
    ]
    head_h = 0.2 + max((h.count("\n") + 1 for h in heads), default=1) * lay.head_pt * 1.3 / 72
    line_h = lay.box_pt * 1.3 / 72
    box_lines = {mid: len(wrap_words(titles.get(mid, mid), lay.wrap)) for mid in titles}
    row_h = [
        max(
            [
                sum(box_lines.get(m, 1) * line_h + 0.12 for m in cells.get((r, c), []))
                for c in range(len(columns))
            ]
            + [0.6]
        )
        for r in range(len(rows))
    ]
    total_w, height = lay.label_w + lay.col_w * len(columns), sum(row_h) + head_h + 0.55
    fig = Figure(figsize=(total_w, height + 0.5))
    ax = fig.add_axes((0.0, 0.06, 1.0, 0.94 * height / (height + 0.5)))
    ax.set_xlim(0, total_w)
    ax.set_ylim(height, 0)
    ax.axis("off")
    for c, name in enumerate(heads):
        x = lay.label_w + c * lay.col_w
        ax.text(
            x + lay.col_w / 2,
            head_h / 2,
            name,
            ha="center",
            va="center",
            fontsize=lay.head_pt,
            weight="bold",
        )
    y = head_h + 0.1
    for r, cat in enumerate(rows):
        label = "\n".join(wrap_words(cat_titles.get(cat, cat), lay.label_wrap))
        ax.text(0.05, y + 0.05, label, ha="left", va="top", fontsize=lay.label_pt, weight="bold")
        ax.axhline(y, color="#bbbbbb", linewidth=0.5)
        for c in range(len(columns)):
            mids = cells.get((r, c), [])
            boxes = [(titles.get(m, m), tiers.get(m, "insufficient")) for m in mids]
            _draw_boxes(ax, lay, lay.label_w + c * lay.col_w, y + 0.06, boxes)
        y += row_h[r]
    if title:
        fig.suptitle(f"{title}: roadmap by phase and category", fontsize=10, y=0.995)
    _legend(fig, labels=words.tiers if text is not None else None)
    return _save(fig, stem, formats)


def _chart_cells(
    roadmap: Roadmap, rows: list[str], n_columns: int, further: bool
) -> dict[tuple[int, int], list[str]]:
    """(category row, phase column) → the measure ids in that cell, in roadmap order; the last
    column holds the measures for further dialogue when `further`."""
    cells: dict[tuple[int, int], list[str]] = {}
    for p_index, phase in enumerate(roadmap.phases):
        for mid in phase.measures:
            row = rows.index(roadmap.entries[mid].category)
            cells.setdefault((row, p_index), []).append(mid)
    if further:
        for d in roadmap.further_dialogue:
            if d.category in rows:
                cells.setdefault((rows.index(d.category), n_columns - 1), []).append(d.measure_id)
    return cells


@dataclass(frozen=True)
class _ChartLayout:
    """Font sizes (points), widths (inches) and wrap widths (characters) of the roadmap chart."""

    box_pt: float
    label_pt: float
    head_pt: float
    col_w: float
    label_w: float
    wrap: int
    label_wrap: int
    head_wrap: int


def _chart_layout(width: float | None, n_columns: int) -> _ChartLayout:
    """The chart's layout: screen sizes without `width`, else print sizes fitted to a page
    `width` inches wide (see :func:`roadmap_chart`)."""
    if width is None:
        box_pt, label_pt, head_pt = 6.0, 7.0, 8.0
        col_w, label_w = 2.3, 2.4
        wrap, label_wrap = WRAP, 30
    else:
        box_pt, label_pt, head_pt = PRINT_PT, PRINT_PT, PRINT_PT + 1
        width *= PRINT_SLACK
        label_w = min(1.6, width * 0.22)
        col_w = (width - label_w) / max(n_columns, 1)
        wrap = max(10, int((col_w - 0.15) * 72 / (box_pt * CHAR_EM)))
        label_wrap = max(10, int((label_w - 0.1) * 72 / (label_pt * CHAR_EM)))
    head_wrap = max(8, int((col_w - 0.1) * 72 / (head_pt * CHAR_EM)))
    return _ChartLayout(box_pt, label_pt, head_pt, col_w, label_w, wrap, label_wrap, head_wrap)


def _draw_boxes(
    ax: Axes, lay: _ChartLayout, x: float, y: float, boxes: Sequence[tuple[str, str]]
) -> None:
    """Draw one cell's measures, (title, tier) each, as boxes stacked from `y` down in the
    column starting at `x`, coloured by tier."""
    line_h = lay.box_pt * 1.3 / 72
    for text, tier in boxes:
        wrapped = wrap_words(text, lay.wrap)
        h = len(wrapped) * line_h + 0.06
        ax.add_patch(
            Rectangle(
                (x + 0.05, y),
                lay.col_w - 0.1,
                h,
                facecolor=TIER_COLOURS.get(tier, "#ffffff"),
                edgecolor="#555555",
                linewidth=0.5,
            )
        )
        ax.text(x + 0.1, y + 0.03, "\n".join(wrapped), fontsize=lay.box_pt, va="top", ha="left")
        y += h + 0.06


def forest_plot(
    analysis: RoadmapAnalysis,
    stem: Path,
    *,
    title: str = "",
    titles: dict[str, str] | None = None,
    formats: tuple[str, ...] = FORMATS,
) -> list[Path]:
    """Effects with 95% intervals, one panel per outcome; [] when there are no effects."""
    measured = [m for m in analysis.measures if m.effects]
    outcomes = [o for o in analysis.outcomes if any(o in m.effects for m in measured)]
    if not measured or not outcomes:
        return []
    names = titles or {}
    n = len(measured)
    fig = Figure(figsize=(2.2 * len(outcomes) + 3.2, 0.22 * n + 1.4))
    axes = fig.subplots(1, len(outcomes), sharey=True, squeeze=False)[0]
    ys = list(range(n))
    for k, outcome in enumerate(outcomes):
        ax = axes[k]
        ax.axvline(0.0, color="#444444", linewidth=0.6)
        for y, m in zip(ys, measured, strict=True):
            effect = m.effects.get(outcome)
            if effect is None:
                continue
            d = effect.difference
            colour = TIER_COLOURS.get(m.tier, "#999999")
            ax.plot([d.low * 100, d.high * 100], [y, y], color="#555555", linewidth=0.8)
            excludes = d.low > 0 or d.high < 0
            ax.plot(
                [d.estimate * 100],
                [y],
                marker="o",
                markersize=4,
                markeredgecolor="#333333",
                markerfacecolor=colour if excludes else "white",
            )
        label = analysis.outcomes[outcome]
        ax.set_title("\n".join(textwrap.wrap(label, 26)), fontsize=7)
        ax.tick_params(labelsize=6)
        ax.set_xlabel("points", fontsize=6)
        ax.grid(axis="x", linewidth=0.3)
    axes[0].set_yticks(ys)
    axes[0].set_yticklabels(
        ["\n".join(textwrap.wrap(names.get(m.measure_id, m.measure_id), 48)) for m in measured]
    )
    axes[0].invert_yaxis()
    if title:
        runs = f" ({analysis.runs} runs per arm)" if analysis.runs else ""
        fig.suptitle(f"{title}: simulated effect of each measure{runs}", fontsize=9)
    _legend(fig)
    fig.subplots_adjust(bottom=max(0.08, 0.9 / (0.22 * n + 1.4)))
    return _save(fig, stem, formats)


LEGEND: Final = (
    "Change in percentage points with the measure in force; bold: the 95% interval excludes "
    "zero; red: more likely, blue: less likely."
)
"""The effects grid's key, in English."""


def effects_grid(
    analysis: RoadmapAnalysis,
    stem: Path,
    *,
    titles: dict[str, str] | None = None,
    formats: tuple[str, ...] = FORMATS,
    width: float = 6.9,
    only: Sequence[str] | None = None,
    outcome_titles: Mapping[str, str] | None = None,
    legend: str = LEGEND,
) -> list[Path]:
    """The forest plot's content for a printed page: one row per measure with an effect, one
    column per outcome; a cell's colour is the estimated change in the outcome's probability
    (percentage points, red = more likely, blue = less likely), its number the estimate, and a
    bold number marks an interval that excludes zero. Laid out at `width` inches with text at
    :data:`PRINT_PT` or more and measure titles wrapped, never cut; [] when there are no
    effects. `only` (measure ids) draws those measures' rows alone, with the columns of every
    outcome any measure affects (a long list is drawn in parts that each fit a page).
    `outcome_titles` and `legend` are the column headings and the key in the document's language
    (default: the recorded English labels and :data:`LEGEND`)."""
    every = [m for m in analysis.measures if m.effects]
    outcomes = [o for o in analysis.outcomes if any(o in m.effects for m in every)]
    measured = every if only is None else [m for m in every if m.measure_id in set(only)]
    if not measured or not outcomes:
        return []
    names = titles or {}
    width *= PRINT_SLACK
    label_w = min(3.0, width * 0.45)
    wrap = max(12, int((label_w - 0.1) * 72 / (PRINT_PT * CHAR_EM)))
    labels = [
        "\n".join(textwrap.wrap(names.get(m.measure_id, m.measure_id), wrap)) for m in measured
    ]
    line_h = PRINT_PT * 1.25 / 72
    heights = [max(1, label.count("\n") + 1) * line_h + 0.06 for label in labels]
    col_w = (width - label_w) / len(outcomes)
    head_wrap = max(8, int((col_w - 0.05) * 72 / (PRINT_PT * CHAR_EM)))
    heading = {**analysis.outcomes, **(outcome_titles or {})}
    heads = ["\n".join(wrap_words(heading[o], head_wrap)) for o in outcomes]
    head_h = max((h.count("\n") + 1 for h in heads), default=1) * line_h + 0.15
    height = head_h + sum(heights) + 0.1
    fig = Figure(figsize=(width, height + 0.45))
    ax = fig.add_axes((0.0, 0.45 / (height + 0.45), 1.0, height / (height + 0.45)))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.axis("off")
    biggest = max(
        (abs(m.effects[o].difference.estimate) for m in every for o in outcomes if o in m.effects),
        default=0.0,
    )
    scale = biggest or 1.0
    for c, head in enumerate(heads):
        x = label_w + c * col_w + col_w / 2
        ax.text(x, head_h - 0.08, head, ha="center", va="bottom", fontsize=PRINT_PT, weight="bold")
    y = head_h
    for m, label, h in zip(measured, labels, heights, strict=True):
        ax.text(0.05, y + h / 2, label, ha="left", va="center", fontsize=PRINT_PT)
        ax.axhline(y, color="#dddddd", linewidth=0.4)
        for c, outcome in enumerate(outcomes):
            effect = m.effects.get(outcome)
            if effect is not None:
                _effect_cell(ax, (label_w + c * col_w, y, col_w, h), effect.difference, scale)
        y += h
    fig.text(
        0.0,
        0.02,
        "\n".join(wrap_words(legend, int(width * 72 / (PRINT_PT * CHAR_EM)))),
        fontsize=PRINT_PT,
        ha="left",
        va="bottom",
    )
    return _save(fig, stem, formats)


def _effect_cell(
    ax: Axes, box: tuple[float, float, float, float], d: Interval, scale: float
) -> None:
    """One cell of the effects grid at `box` (x, y, width, height): coloured by the change `d`
    relative to `scale` (red = more likely, blue = less likely), its estimate in points, bold
    when the interval excludes zero."""
    x, y, col_w, h = box
    share = max(-1.0, min(1.0, d.estimate / scale))
    colour = (
        (1.0, 1 - 0.55 * share, 1 - 0.55 * share)
        if share > 0
        else (
            1 + 0.55 * share,
            1 + 0.55 * share,
            1.0,
        )
    )
    ax.add_patch(Rectangle((x + 0.03, y + 0.02), col_w - 0.06, h - 0.04, facecolor=colour))
    excludes = d.low > 0 or d.high < 0
    ax.text(
        x + col_w / 2,
        y + h / 2,
        f"{d.estimate * 100:+.1f}".replace("-", "−"),
        ha="center",
        va="center",
        fontsize=PRINT_PT,
        weight="bold" if excludes else "normal",
    )


def write_plots(
    analysis: RoadmapAnalysis,
    roadmap: Roadmap,
    loaded: LoadedCatalog,
    folder: Path,
    *,
    prefix: str,
    title: str = "",
) -> list[Path]:
    """Both plots into `folder` as `<prefix>-roadmap.*` and `<prefix>-effects.*` (the forest plot
    only when there are effects); returns the files written."""
    written = roadmap_chart(analysis, roadmap, loaded, folder / f"{prefix}-roadmap", title=title)
    titles = {m.id: m.title.en for m in loaded.measures}
    written += forest_plot(analysis, folder / f"{prefix}-effects", title=title, titles=titles)
    return written


__all__ = [
    "TIER_COLOURS",
    "ChartText",
    "english_chart_text",
    "forest_plot",
    "roadmap_chart",
    "write_plots",
]
