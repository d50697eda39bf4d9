"""Sweeps on Dask give byte-identical results to one process, and leave no process behind.

Small on purpose (two worker processes, a few thousand runs of the small pack): it checks the
plumbing — shipping the job, merging tallies — not the speed, which `bench/ttx_sweep.py` measures.
"""

from __future__ import annotations

import json
from pathlib import Path

import psutil
import pytest

from detente.meeting.loader import load_meeting
from detente.ttx.modifiers import compile_modifier
from detente.ttx.pack import load_pack
from detente.ttx.scenario import Modifier
from detente.ttx.sweep import sweep
from detente.ttx.sweep_dask import local_cluster

pytestmark = pytest.mark.slow

SMALL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "ttx-small"


def _children() -> set[int]:
    """Our child processes, except multiprocessing's resource tracker: that helper is started
    once per interpreter on first use and lives (idle) until the interpreter exits."""
    return {
        p.pid
        for p in psutil.Process().children(recursive=True)
        if "resource_tracker" not in " ".join(p.cmdline())
    }


def test_dask_workers_and_an_existing_scheduler_match_one_process() -> None:
    folder = load_meeting(SMALL)
    pack = load_pack(SMALL, meeting=folder)
    calm = Modifier.model_validate({"reactions": {"swarm-when-tense": {"factor": 0.0}}})
    measures = {"calm": compile_modifier(calm, pack.compiled)}

    def document(**kwargs: object) -> str:
        result = sweep(
            pack, runs=3000, seed=21, measures=measures, profiles=folder.profiles, **kwargs
        )  # type: ignore[arg-type]
        return json.dumps(result.to_json(), indent=2)

    before = _children()
    single = document(chunk=3000)
    seen: list[tuple[int, int]] = []
    local = document(workers=2, chunk=400, progress=lambda done, total: seen.append((done, total)))
    assert local == single
    assert seen[-1] == (3000, 3000) and len(seen) == 8
    assert _children() <= before  # the local cluster's processes are gone

    cluster = local_cluster(2)
    try:
        remote = document(scheduler=cluster.scheduler_address, chunk=777)
    finally:
        cluster.close()
    assert remote == single
    assert _children() <= before
