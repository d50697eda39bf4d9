"""Every phase of a roadmap has its own label (no "Phase 3 — longer term" then "Phase 4 — longer
term")."""

from __future__ import annotations

from detente.roadmap.sequence import Phase, phase_label


def test_a_phase_pushed_later_by_prerequisites_says_after_which_phase() -> None:
    phases = [
        Phase(1, "immediate", ("a",)),
        Phase(2, "longer", ("b",)),
        Phase(3, "longer", ("c",)),
        Phase(4, "longer", ("d",)),
    ]
    labels = [phase_label(phases, p) for p in phases]
    assert labels == [
        "immediate",
        "longer term",
        "longer term, after phase 2",
        "longer term, after phase 3",
    ]
    assert len(set(labels)) == len(labels)
