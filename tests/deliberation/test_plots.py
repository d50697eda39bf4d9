"""Plots: opinion map and agreement chart, PNG and SVG, written by the activity and the command."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from detente.deliberation.activity import deliberate
from detente.deliberation.analysis import analyse_votes
from detente.deliberation.plots import agreement_chart, convex_hull, opinion_map, write_plots
from detente.deliberation.statements import load_statements
from detente.meeting.context import ActivityContext
from detente.meeting.loader import load_meeting
from detente.meeting.runner import simulated_seats
from detente.store.log import Draft, EventStore, Record

STATEMENTS = ["a", "b", "c", "d"]
ROWS = {
    "X-1": (1, 1, -1, 0),
    "X-2": (1, 1, -1, 1),
    "Y-1": (1, -1, 1, 1),
    "Y-2": (1, -1, 1, -1),
    "observer-1": (1, 0, 1, 1),
}


def analysis(known: bool = True):  # type: ignore[no-untyped-def]
    votes = [(p, s, v) for p, row in ROWS.items() for s, v in zip(STATEMENTS, row, strict=True)]
    groups = {p: (None if p.startswith("observer") else p[0]) for p in ROWS}
    return analyse_votes(STATEMENTS, votes, known=groups if known else None)


def test_convex_hull_drops_interior_and_collinear_points() -> None:
    square = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (1.0, 1.0), (1.0, 0.0)]
    assert convex_hull(square) == [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)]
    assert convex_hull([(1.0, 1.0), (1.0, 1.0)]) == [(1.0, 1.0)]


def test_opinion_map_marks_delegations_groups_and_observers(tmp_path: Path) -> None:
    paths = opinion_map(analysis(), tmp_path / "map", title="Test")
    assert [p.suffix for p in paths] == [".png", ".svg"]
    assert paths[0].read_bytes().startswith(b"\x89PNG")
    svg = paths[1].read_text(encoding="utf-8")
    assert "observers / ungrouped" in svg and ">X<" in svg and ">Y<" in svg
    assert "group 0" in svg and "group 1" in svg
    assert "X-1" not in svg  # points are never labelled with who they are


def test_svg_is_reproducible(tmp_path: Path) -> None:
    first = opinion_map(analysis(), tmp_path / "one")[1].read_bytes()
    second = opinion_map(analysis(), tmp_path / "two")[1].read_bytes()
    assert first == second


def test_agreement_chart_needs_known_groups(tmp_path: Path) -> None:
    paths = agreement_chart(analysis(), tmp_path / "chart", texts={"a": "Statement A"})
    svg = paths[1].read_text(encoding="utf-8")
    assert "Statement A" in svg and "unanimous" in svg
    with pytest.raises(ValueError, match="no delegation-aware result"):
        agreement_chart(analysis(known=False), tmp_path / "none")
    written, skipped = write_plots(analysis(known=False), tmp_path / "w", prefix="s")
    assert [p.name for p in written] == ["s-opinion-map.png", "s-opinion-map.svg"]
    assert skipped and "no delegation-aware result" in skipped[0]


def test_no_projection_means_no_map(tmp_path: Path) -> None:
    single = analyse_votes(["a"], [("X-1", "a", 1)], known={"X-1": "X"})
    assert single.status == "not enough votes"
    with pytest.raises(ValueError, match="not enough votes"):
        opinion_map(single, tmp_path / "m")


def test_activity_writes_plots_into_the_run_output_folder(harbour: Path, tmp_path: Path) -> None:
    folder = load_meeting(harbour)
    store = EventStore(f"sqlite:///{tmp_path / 'log.db'}")

    def append(draft: Draft) -> Record:
        (record,) = store.append("harbour-2025", [draft])
        return record

    ctx = ActivityContext(
        folder=folder,
        seats=simulated_seats(folder, 0),
        rng=np.random.default_rng(0),
        append=append,
        now=dt.datetime(2025, 6, 12, 8, tzinfo=dt.UTC),
    )
    ctx.out_dir = tmp_path / "out"  # type: ignore[attr-defined]  # provided by the runner
    loaded = load_statements(folder)
    assert loaded is not None
    deliberate(ctx, folder.meeting.item("session-2"), loaded.statements.for_item("session-2"))
    names = sorted(p.name for p in (tmp_path / "out" / "plots").iterdir())
    assert names == [
        "session-2-agreement.png",
        "session-2-agreement.svg",
        "session-2-opinion-map.png",
        "session-2-opinion-map.svg",
    ]
