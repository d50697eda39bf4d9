"""Figures for the documents, drawn with matplotlib (Agg) and returned as SVG text.

SVG keeps figures sharp in print and lets the HTML inline them; text is drawn as paths so a
figure looks the same without the fonts installed. Output is deterministic (fixed hash salt,
no date in the metadata), so the same record gives the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

PALETTE = ("#1f4e8c", "#b5532a", "#2f7d4f", "#7a4ea3", "#9b1c1c", "#4d6b78", "#a1801f")


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "detente", "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def escalation_chart(
    moves: Sequence[int],
    series: Mapping[str, Sequence[float]],
    *,
    rungs: Sequence[tuple[str, float]] = (),
    title: str = "",
) -> str:
    """Escalation score per actor over the moves, one line per actor; ladder rungs as faint
    horizontal guides labelled on the right."""
    fig, ax = plt.subplots(figsize=(7.0, 3.4), dpi=100)
    for index, (name, values) in enumerate(series.items()):
        ax.plot(
            list(moves),
            list(values),
            marker="o",
            linewidth=1.8,
            markersize=4,
            color=PALETTE[index % len(PALETTE)],
            label=name,
        )
    top = max([v for vals in series.values() for v in vals] + [0.0])
    for label, score in rungs:
        if score <= top * 1.15 + 1:
            ax.axhline(score, color="#c8ccd4", linewidth=0.6, zorder=0)
            ax.annotate(
                label,
                (1.0, score),
                xycoords=("axes fraction", "data"),
                xytext=(3, 0),
                textcoords="offset points",
                fontsize=7,
                color="#6b7280",
                va="center",
            )
    ax.set_xticks(list(moves))
    ax.set_xlabel("move")
    ax.set_ylabel("escalation score")
    if title:
        ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3)
    fig.tight_layout()
    return _svg(fig)
