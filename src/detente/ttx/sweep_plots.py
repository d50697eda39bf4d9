"""Plots of a sweep: escalation fan charts, outcome bars, measure effects (PNG and SVG).

Figures are built on :class:`matplotlib.figure.Figure` with the Agg canvas — no pyplot, no global
figure state, no display needed — and written as PNG (for slides and the viewer) and SVG (for
print and the web). SVG output is made reproducible (fixed hash salt, no date), so the same sweep
gives the same files.

- ``escalation.{png,svg}``: fan charts over moves of the baseline escalation score — median line,
  25–75 % band, 5–95 % band, mean dashed — for all actors together (in the move, and cumulative)
  and for each actor (in the move). Tick labels give the share of runs still in play.
- ``outcomes.{png,svg}``: each outcome's probability with its 95 % Wilson interval.
- ``effects.{png,svg}`` (only with measures): a forest plot of each measure's effect on each
  outcome, in percentage points, with its paired 95 % interval; 0 is marked.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from pathlib import Path

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from detente.ttx.sweep import Quantiles, SweepResult

FORMATS = ("png", "svg")
TALL_INCHES = 30
"""Figures taller than this are rasterised at 80 dpi instead of 150 (PNG stays a few MB)."""
BAND_OUTER = "#c6dbef"
BAND_INNER = "#6baed6"
LINE = "#08519c"
MEAN = "#444444"
POINT = "#08519c"


def _fan(axes: Axes, moves: Sequence[int], series: Sequence[Quantiles | None], label: bool) -> None:
    points = [(m, q) for m, q in zip(moves, series, strict=True) if q is not None]
    if not points:
        axes.text(0.5, 0.5, "no run in play", ha="center", va="center", transform=axes.transAxes)
        return
    xs = [m for m, _ in points]
    qs = [q for _, q in points]
    axes.fill_between(
        xs,
        [q.q05 for q in qs],
        [q.q95 for q in qs],
        color=BAND_OUTER,
        label="5–95 %" if label else None,
        linewidth=0,
    )
    axes.fill_between(
        xs,
        [q.q25 for q in qs],
        [q.q75 for q in qs],
        color=BAND_INNER,
        label="25–75 %" if label else None,
        linewidth=0,
    )
    axes.plot(
        xs, [q.q50 for q in qs], color=LINE, marker="o", ms=3.5, label="median" if label else None
    )
    axes.plot(xs, [q.mean for q in qs], color=MEAN, ls="--", lw=1, label="mean" if label else None)
    axes.axhline(0, color="#999999", lw=0.6, zorder=0)
    axes.set_xticks(list(moves))
    axes.set_xlim(min(moves) - 0.2, max(moves) + 0.2)
    axes.grid(axis="y", color="#e5e5e5", lw=0.6)
    axes.set_axisbelow(True)


def escalation_figure(result: SweepResult) -> Figure:
    """Fan charts of the baseline escalation score over moves."""
    moves = [m.move for m in result.escalation]
    actors = list(result.actors)
    columns = 3 if len(actors) > 4 else max(2, len(actors))
    rows = math.ceil(len(actors) / columns)
    fig = Figure(figsize=(10, 3.6 + 2.3 * rows), layout="constrained")
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(1 + rows, 2 * columns, height_ratios=[1.5] + [1.0] * rows)
    top_left = fig.add_subplot(grid[0, :columns])
    top_right = fig.add_subplot(grid[0, columns:])
    _fan(top_left, moves, [m.total for m in result.escalation], label=True)
    _fan(top_right, moves, [m.total_cumulative for m in result.escalation], label=False)
    top_left.set_title("All actors: escalation score in the move (runs in play)", fontsize=10)
    top_right.set_title("All actors: cumulative escalation score (all runs)", fontsize=10)
    share = [f"{m.move}\n{m.playing / result.runs:.0%}" for m in result.escalation]
    top_left.set_xticks(moves, share)
    top_left.set_xlabel("move / share of runs still in play", fontsize=9)
    top_right.set_xlabel("move", fontsize=9)
    top_left.set_ylabel("score")
    top_left.legend(loc="upper left", fontsize=8, frameon=False)
    first: Axes | None = None
    for i, actor in enumerate(actors):
        r, c = divmod(i, columns)
        axes = fig.add_subplot(grid[1 + r, 2 * c : 2 * c + 2], sharey=first)
        first = first or axes
        _fan(axes, moves, [m.score.get(actor) for m in result.escalation], label=False)
        axes.set_title(f"{actor}: score in the move", fontsize=9)
        axes.tick_params(labelsize=8)
        if c == 0:
            axes.set_ylabel("score", fontsize=9)
        if r == rows - 1:
            axes.set_xlabel("move", fontsize=9)
    _heading(
        fig, result, f"Escalation over moves, baseline — {result.runs:,} runs, seed {result.seed}"
    )
    return fig


def _heading(fig: Figure, result: SweepResult, what: str) -> None:
    name = result.title or result.scenario
    fig.suptitle(f"{name}\n{what}", fontsize=10.5)


def _wrap(text: str, width: int = 40) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _points(x: float) -> str:
    """Signed, one decimal, a true minus sign, never "−0.0"."""
    return f"{round(x, 1) + 0.0:+.1f}".replace("-", "\N{MINUS SIGN}")


def _percent(x: float) -> str:
    return f"{100 * x:.1f}%"


def outcomes_figure(result: SweepResult) -> Figure:
    """Horizontal bars: each outcome's probability with its 95 % interval."""
    ids = list(result.outcomes)
    fig = Figure(figsize=(9, 1.2 + 0.45 * max(1, len(ids))), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.add_subplot()
    ys = list(range(len(ids)))[::-1]
    values = [result.outcomes[o] for o in ids]
    axes.barh(
        ys,
        [v.estimate for v in values],
        xerr=[[v.estimate - v.low for v in values], [v.high - v.estimate for v in values]],
        color=BAND_INNER,
        ecolor="#222222",
        capsize=3,
        height=0.6,
    )
    top = max([v.high for v in values] + [0.05])
    for y, v in zip(ys, values, strict=True):
        axes.text(
            v.high + top * 0.015,
            y,
            f"{_percent(v.estimate)}  ({_percent(v.low)}–{_percent(v.high)})",
            va="center",
            fontsize=8,
        )
    axes.set_yticks(ys, [_wrap(result.outcome_labels.get(o, o)) for o in ids], fontsize=9)
    axes.set_xlim(0, min(1.0, top * 1.35) if top < 0.74 else 1.0)
    axes.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    axes.set_xlabel("probability over runs (bars: 95 % Wilson interval)", fontsize=9)
    axes.grid(axis="x", color="#e5e5e5", lw=0.6)
    axes.set_axisbelow(True)
    _heading(fig, result, f"Outcomes, baseline — {result.runs:,} runs, seed {result.seed}")
    return fig


def effects_figure(result: SweepResult, titles: dict[str, str] | None = None) -> Figure | None:
    """Forest plot of each measure's effect (percentage points) on each outcome; None if no
    measure was swept. `titles` gives a display title per measure id."""
    if not result.effects:
        return None
    titles = titles or {}
    rows: list[tuple[str, float, float, float] | str] = []
    for measure, by_outcome in result.effects.items():
        rows.append(_wrap(titles.get(measure, measure), 60))
        for outcome, effect in by_outcome.items():
            d = effect.difference
            label = result.outcome_labels.get(outcome, outcome)
            rows.append((_wrap(label), 100 * d.estimate, 100 * d.low, 100 * d.high))
    fig = Figure(figsize=(9.5, 1.4 + 0.36 * len(rows)), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.add_subplot()
    ys = list(range(len(rows)))[::-1]
    labels: list[str] = []
    spans = [abs(x) for row in rows if not isinstance(row, str) for x in row[1:]]
    reach = max([*spans, 1.0]) * 1.1
    for y, row in zip(ys, rows, strict=True):
        if isinstance(row, str):
            labels.append(row)
            axes.axhspan(y - 0.5, y + 0.5, color="#f0f0f0", zorder=0, lw=0)
            continue
        label, estimate, low, high = row
        labels.append(label)
        axes.plot([low, high], [y, y], color=POINT, lw=1.6, solid_capstyle="butt")
        axes.plot([estimate], [y], marker="s", color=POINT, ms=5)
        axes.text(
            reach * 1.02,
            y,
            f"{_points(estimate)} ({_points(low)} to {_points(high)})",
            va="center",
            fontsize=8,
        )
    axes.axvline(0, color="#444444", lw=0.8)
    axes.set_yticks(ys, labels, fontsize=8.5)
    for tick, row in zip(axes.get_yticklabels(), rows, strict=True):
        if isinstance(row, str):
            tick.set_fontweight("bold")
    axes.set_ylim(-0.6, len(rows) - 0.4)
    if len(rows) > 40:  # a long forest plot: the scale at the top too
        axes.tick_params(axis="x", top=True, labeltop=True)
    axes.set_xlim(-reach, reach)
    axes.set_xlabel(
        "change in probability, percentage points (with measure − baseline; paired 95 % interval)",
        fontsize=9,
    )
    axes.grid(axis="x", color="#e5e5e5", lw=0.6)
    axes.set_axisbelow(True)
    _heading(
        fig,
        result,
        f"Effect of each measure — {result.runs:,} runs per arm, same seed ({result.seed})",
    )
    return fig


def save(fig: Figure, stem: Path) -> list[Path]:
    """Write `fig` as ``stem.png`` and ``stem.svg``; returns the paths."""
    written = []
    with matplotlib.rc_context({"svg.hashsalt": "detente", "svg.fonttype": "path"}):
        for fmt in FORMATS:
            path = stem.with_suffix(f".{fmt}")
            metadata = {"Date": None} if fmt == "svg" else {"Software": None}
            tall = fig.get_figheight() > TALL_INCHES  # e.g. a forest plot of a whole catalog
            fig.savefig(path, format=fmt, dpi=80 if tall else 150, metadata=metadata)
            written.append(path)
    return written


def write_plots(
    result: SweepResult, folder: Path, *, titles: dict[str, str] | None = None
) -> list[Path]:
    """Write every plot of `result` into `folder` (created if needed); returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    written = save(escalation_figure(result), folder / "escalation")
    written += save(outcomes_figure(result), folder / "outcomes")
    effects = effects_figure(result, titles)
    if effects is not None:
        written += save(effects, folder / "effects")
    return written
