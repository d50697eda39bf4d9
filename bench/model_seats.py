"""Benchmark: model seats with the local default (SmolLM2-135M in-process) on this machine.

Runs the Korea example meeting with three model seats (`--seats model`), then reports per request
type: calls, mean and p95 latency, and validity (valid at the first call, valid after re-asking,
answered by the simulated fallback), and the wall time of each programme item. Not a test: record
the numbers in docs/benchmarks.md.

    python bench/model_seats.py [--seed 2024] [--meeting examples/korea-2024]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from detente.meeting.loader import load_meeting
from detente.meeting.runner import run_meeting
from detente.models.client import open_client
from detente.models.config import config_from_env
from detente.seats.choose import build_seats
from detente.seats.events import ModelCalled
from detente.seats.model import ModelStats
from detente.store.log import EventStore

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meeting", type=Path, default=ROOT / "examples" / "korea-2024")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    folder = load_meeting(args.meeting)
    config = config_from_env(seed=args.seed)
    stats = ModelStats()
    kinds = {d.id: "model" for d in folder.meeting.delegations}
    start = time.perf_counter()
    client = open_client(config)
    loaded = time.perf_counter() - start
    seats = build_seats(folder, args.seed, kinds, lambda: client, stats=stats)
    item_times: dict[str, float] = {}
    last = [time.perf_counter(), ""]

    def on_item(index: int, total: int, item: object) -> None:
        now = time.perf_counter()
        if last[1]:
            item_times[str(last[1])] = now - float(last[0])
        last[0], last[1] = now, f"{getattr(item, 'id', '')} {getattr(item, 'activity', '')}"

    store = EventStore("sqlite://")
    begin = time.perf_counter()
    try:
        records = run_meeting(folder, store, seed=args.seed, seats=seats, on_item=on_item)
    finally:
        client.close()
    total = time.perf_counter() - begin
    if last[1]:
        item_times[str(last[1])] = time.perf_counter() - float(last[0])
    calls = [ModelCalled.model_validate(r.payload) for r in records if r.kind == ModelCalled.kind]
    by_request: dict[str, list[ModelCalled]] = defaultdict(list)
    for call in calls:
        by_request[call.request].append(call)
    table = {}
    for request, rows in sorted(by_request.items()):
        latency = np.array([c.latency_ms for c in rows], dtype=float)
        table[request] = {
            "calls": len(rows),
            "mean_ms": round(float(latency.mean())),
            "p95_ms": round(float(np.percentile(latency, 95))),
            "valid_first": stats.first.get(request, 0),
            "valid_after_reask": stats.reasked.get(request, 0),
            "fallback": stats.fallback.get(request, 0),
            "completion_tokens": sum(c.completion_tokens for c in rows),
        }
    result = {
        "model": calls[0].model if calls else "",
        "server": calls[0].server if calls else "",
        "model_load_s": round(loaded, 2),
        "meeting_s": round(total, 1),
        "events": len(records),
        "requests": table,
        "items_s": {k: round(v, 1) for k, v in item_times.items() if v >= 0.5},
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
