"""Plots of a room analysis: an opinion map and an agreement chart by delegation (PNG and SVG).

* Opinion map: every participant at their Pol.is 2-D projection, coloured by delegation (or by
  opinion group when no delegations are known), each opinion group outlined by its convex hull,
  observers drawn as black crosses. Points are not labelled: a map shows delegations, never
  who is who.
* Agreement chart: per statement and delegation, a diverging bar — disagree share to the left,
  pass share centred on zero (grey), agree share to the right — with the statement's tier.

Figures are built with the object-oriented API on the Agg backend (no display, no global pyplot
state). SVGs keep text as text (searchable, small) and carry a fixed hash salt and no date, so
the same analysis gives the same files.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import matplotlib

matplotlib.use("Agg")

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from detente.deliberation.analysis import RoomAnalysis

LABEL_WRAP: Final = 60
"""Characters per line of a statement's text beside its bars: wrapped, never cut."""
MAX_CHART_STATEMENTS: Final = 40
"""The agreement chart shows at most this many statements (best common ground first)."""

_COLOURS: Final = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
)
_SVG_META: Final = {"Date": None}


def convex_hull(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull, counter-clockwise, by Andrew's monotone chain (collinear points dropped).
    One or two distinct points are returned as they are."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _save(fig: Figure, stem: Path) -> list[Path]:
    stem.parent.mkdir(parents=True, exist_ok=True)
    png, svg = stem.with_suffix(".png"), stem.with_suffix(".svg")
    fig.savefig(png, format="png", dpi=120, bbox_inches="tight")
    with matplotlib.rc_context({"svg.hashsalt": "detente", "svg.fonttype": "none"}):
        fig.savefig(svg, format="svg", bbox_inches="tight", metadata=_SVG_META)
    return [png, svg]


def opinion_map(analysis: RoomAnalysis, stem: Path, *, title: str = "") -> list[Path]:
    """Draw the opinion map to `stem`.png and `stem`.svg; returns the paths written.

    Raises ``ValueError`` when the analysis has no projection (fewer than two participants).
    """
    projection = analysis.emergent.projection
    if not projection:
        raise ValueError("no opinion map: the analysis has no 2-D projection (not enough votes)")
    known = analysis.known
    fig = Figure(figsize=(7.0, 6.0))
    ax = fig.add_subplot()
    groups = analysis.emergent.groups
    for label in sorted(set(groups.values()), key=lambda g: (len(g), g)):
        pts = [projection[p] for p, g in groups.items() if g == label and p in projection]
        hull = convex_hull(pts)
        if not hull:
            continue
        xs = [x for x, _ in hull] + [hull[0][0]]
        ys = [y for _, y in hull] + [hull[0][1]]
        ax.fill(xs, ys, color="#cccccc", alpha=0.25, zorder=0)
        ax.plot(xs, ys, color="#555555", linewidth=1.0, linestyle="--", zorder=1)
        cx = sum(x for x, _ in pts) / len(pts)
        cy = sum(y for _, y in pts) / len(pts)
        ax.annotate(f"group {label}", (cx, cy), ha="center", fontsize=9, color="#333333")
    small = len(projection) <= 60
    size = 60.0 if small else 8.0
    if known is not None:
        colour_of = {d: _COLOURS[k % len(_COLOURS)] for k, d in enumerate(_order(known))}
        for d, colour in colour_of.items():
            pts = [xy for p, xy in projection.items() if known.get(p) == d]
            if pts:
                _scatter(ax, pts, s=size, color=colour, label=d, zorder=2)
        obs = [xy for p, xy in projection.items() if known.get(p) is None]
        if obs:
            _scatter(
                ax,
                obs,
                s=size,
                marker="x",
                color="black",
                label="observers / ungrouped",
                zorder=3,
            )
    else:
        for k, label in enumerate(sorted(set(groups.values()), key=lambda g: (len(g), g))):
            pts = [projection[p] for p, g in groups.items() if g == label and p in projection]
            _scatter(ax, pts, s=size, color=_COLOURS[k % 10], label=f"group {label}")
        rest = [xy for p, xy in projection.items() if p not in groups]
        if rest:
            _scatter(ax, rest, s=size, color="#bbbbbb", label="not grouped")
    status = analysis.emergent.status
    caption = "" if status == "ok" else f" — {status}: groups indicative only"
    ax.set_title((title or "Opinion map") + caption, fontsize=11)
    ax.set_xlabel("first principal component")
    ax.set_ylabel("second principal component")
    ax.legend(loc="best", fontsize=8, frameon=False)
    ax.grid(alpha=0.2)
    return _save(fig, stem)


def _scatter(ax: Axes, pts: Sequence[tuple[float, float]], **style: Any) -> None:
    ax.scatter([x for x, _ in pts], [y for _, y in pts], **style)


def _order(known: Mapping[str, str | None]) -> list[str]:
    return sorted({g for g in known.values() if g is not None})


def agreement_chart(
    analysis: RoomAnalysis,
    stem: Path,
    *,
    texts: Mapping[str, str] | None = None,
    title: str = "",
) -> list[Path]:
    """Draw the per-statement agreement chart by delegation; returns the paths written.

    Statements are ordered best common ground first, at most :data:`MAX_CHART_STATEMENTS`.
    Raises ``ValueError`` without a delegation-aware result (no known groups).
    """
    common = analysis.common
    if common is None:
        raise ValueError("no agreement chart: the analysis has no delegation-aware result")
    shown = [common.statement(s) for s in common.common_ground[:MAX_CHART_STATEMENTS]]
    if not shown:
        raise ValueError("no agreement chart: no statement has votes from every delegation")
    delegations = list(common.delegations)
    n_d = len(delegations)
    height = 0.8 / n_d
    lines = [
        1 + len(textwrap.wrap((texts or {}).get(r.statement_id, ""), LABEL_WRAP)) for r in shown
    ]
    # Statements share the axis evenly: each band is tall enough for the longest wrapped label
    # (7 pt lines) and for its bars.
    band = max(0.3 * n_d + 0.2, 0.13 * max(lines))
    fig = Figure(figsize=(9.0, 1.0 + band * len(shown)))
    ax = fig.add_subplot()
    ticks, labels = [], []
    for row, result in enumerate(shown):
        base = len(shown) - 1 - row
        for k, tally in enumerate(result.groups):
            y = base + 0.4 - (k + 0.5) * height
            voted = max(tally.voted, 1)
            a, d, p = tally.agree / voted, tally.disagree / voted, tally.passes / voted
            colour = _COLOURS[k % len(_COLOURS)]
            ax.barh(y, d, left=-p / 2 - d, height=height * 0.9, color=colour, alpha=0.45)
            ax.barh(y, p, left=-p / 2, height=height * 0.9, color="#bbbbbb")
            ax.barh(y, a, left=p / 2, height=height * 0.9, color=colour)
        ticks.append(base)
        text = (texts or {}).get(result.statement_id, "")
        wrapped = "\n".join(textwrap.wrap(text, LABEL_WRAP))
        labels.append(f"{result.statement_id} [{result.tier}]" + (f"\n{wrapped}" if text else ""))
    ax.set_yticks(ticks, labels, fontsize=7)
    ax.axvline(0.0, color="black", linewidth=0.8)
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel(
        "← disagree      share of the delegation's votes (pass centred, grey)      agree →"
    )
    handles = [Patch(color=_COLOURS[k % len(_COLOURS)], label=d) for k, d in enumerate(delegations)]
    ax.legend(handles=handles, loc="lower right", fontsize=8, frameon=False)
    more = len(common.common_ground) - len(shown)
    suffix = f" (best {len(shown)} of {len(common.common_ground)})" if more > 0 else ""
    ax.set_title((title or "Agreement by delegation") + suffix, fontsize=11)
    return _save(fig, stem)


def write_plots(
    analysis: RoomAnalysis,
    folder: Path,
    *,
    prefix: str = "",
    texts: Mapping[str, str] | None = None,
    title: str = "",
) -> tuple[list[Path], list[str]]:
    """Write every plot the analysis supports to `folder`; returns (paths, reasons for plots
    that could not be drawn)."""
    written: list[Path] = []
    skipped: list[str] = []
    lead = f"{prefix}-" if prefix else ""
    for name in ("opinion-map", "agreement"):
        stem = folder / f"{lead}{name}"
        try:
            if name == "opinion-map":
                written += opinion_map(analysis, stem, title=title)
            else:
                written += agreement_chart(analysis, stem, texts=texts, title=title)
        except ValueError as exc:
            skipped.append(str(exc))
    return written, skipped


__all__ = ["MAX_CHART_STATEMENTS", "agreement_chart", "convex_hull", "opinion_map", "write_plots"]
