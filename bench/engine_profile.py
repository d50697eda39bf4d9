"""Benchmark and profile of the tabletop-exercise engine alone (no sweep, no reduction).

Usage: .venv/bin/python bench/engine_profile.py [--runs 100000] [--batch 10000 50000]
       [--loop-runs 300] [--repeats 3] [--seed 1] [--profile] [--json FILE]

For each pack — the Korea 2024 pack (examples/korea-2024, with the meeting's delegation profiles)
and the small fixture pack (tests/fixtures/ttx-small) — it prints:

1. **vectorised** — :meth:`Engine.run` over ``--runs`` runs in calls of ``--batch`` runs each
   (one line per batch size; the sweep calls the engine the same way), complete playthroughs
   per second, by wall clock and by this process's CPU time (best of ``--repeats``);
2. **loop** — the same engine called with ``runs=1`` in a Python loop over ``--loop-runs``
   runs, checked to give exactly the rows of the vectorised call, and the ratio of the two
   per-run rates.

The CPU-time rate is the one to quote on a shared machine: it does not count time the process
spent waiting for a core. ``--profile`` adds a cProfile of one vectorised call of the first batch
size on the Korea pack (top functions by own time).

Targets (issue 3): ≥ 100× faster vectorised than the loop; ≥ 200,000 playthroughs/s on 2 cores,
so ≥ 100,000/s per core in one process.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from detente.meeting.loader import load_meeting
from detente.ttx.engine import Engine
from detente.ttx.pack import load_pack
from detente.ttx.results import Results, concat

ROOT = Path(__file__).resolve().parents[1]
PACKS = {
    "korea-2024": ROOT / "examples" / "korea-2024",
    "ttx-small": ROOT / "tests" / "fixtures" / "ttx-small",
}


@dataclass(frozen=True)
class Timing:
    runs: int
    wall: float  # seconds, best of the repeats
    cpu: float

    @property
    def rate(self) -> float:
        return self.runs / self.wall

    @property
    def cpu_rate(self) -> float:
        return self.runs / self.cpu


def best_of(repeats: int, runs: int, step: Callable[[], object]) -> Timing:
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        step()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return Timing(runs, min(walls), min(cpus))


def batches(engine: Engine, runs: int, batch: int, seed: int) -> Results:
    return concat([engine.run(min(batch, runs - s), seed, s) for s in range(0, runs, batch)])


def one_by_one(engine: Engine, runs: int, seed: int) -> Results:
    return concat([engine.run(1, seed, r) for r in range(runs)])


def identical(a: Results, b: Results) -> bool:
    return all(np.array_equal(x, b.arrays()[name]) for name, x in a.arrays().items())


def engine_for(root: Path) -> Engine:
    folder = load_meeting(root)
    return Engine(load_pack(folder.root, meeting=folder).compiled, folder.profiles)


def profile(engine: Engine, runs: int, seed: int, top: int = 25) -> str:
    profiler = cProfile.Profile()
    profiler.runcall(engine.run, runs, seed)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def measure(name: str, args: argparse.Namespace) -> dict[str, Any]:
    engine = engine_for(PACKS[name])
    engine.run(1000, args.seed)  # warm up (imports, first allocations)
    out: dict[str, Any] = {"pack": name, "vectorised": [], "loop": {}}
    for batch in args.batch:
        t = best_of(
            args.repeats, args.runs, lambda b=batch: batches(engine, args.runs, b, args.seed)
        )
        out["vectorised"].append(
            {"batch": batch, "runs": args.runs, "per_s": t.rate, "per_s_cpu": t.cpu_rate}
        )
    loop = best_of(1, args.loop_runs, lambda: one_by_one(engine, args.loop_runs, args.seed))
    same = identical(
        one_by_one(engine, min(args.loop_runs, 50), args.seed),
        engine.run(min(args.loop_runs, 50), args.seed),
    )
    best = max(v["per_s_cpu"] for v in out["vectorised"])
    out["loop"] = {
        "runs": args.loop_runs,
        "ms_per_run": 1000 * loop.cpu / loop.runs,
        "per_s_cpu": loop.cpu_rate,
        "identical": same,
        "ratio": best / loop.cpu_rate,
    }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--batch", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--loop-runs", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    report = [measure(name, args) for name in PACKS]
    for pack in report:
        print(f"\n{pack['pack']}")
        for v in pack["vectorised"]:
            print(
                f"  vectorised, {v['runs']:,} runs in calls of {v['batch']:,}: "
                f"{v['per_s']:>10,.0f}/s wall  {v['per_s_cpu']:>10,.0f}/s cpu"
            )
        loop = pack["loop"]
        print(
            f"  loop, runs=1 × {loop['runs']}: {loop['ms_per_run']:.2f} ms/run cpu "
            f"({loop['per_s_cpu']:,.0f}/s); identical rows: {loop['identical']}; "
            f"vectorised/loop: {loop['ratio']:,.0f}×"
        )
    if args.profile:
        print(f"\nprofile, korea-2024, one call of {args.batch[0]:,} runs:")
        print(profile(engine_for(PACKS["korea-2024"]), args.batch[0], args.seed))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
