"""Benchmark: our Pol.is-compatible groups vs Pol.is' published groups, side by side with red-dwarf.

Usage: .venv/bin/python bench/common_ground.py [--repeats 7] [--data DIR]
       [--reddwarf-python bench/.venv-reddwarf/bin/python]

For every conversation folder under the data directory (default
``../shared/data/polis-opendata``) this script

* reads the export with :func:`detente.deliberation.polis.load_polis_export` (``votes.csv``
  when present, else ``participants-votes.csv``; moderation from ``comments.csv``),
* runs our pipeline from scratch (:func:`detente.deliberation.polis.polis_math`, no Pol.is
  history) and PyPI ``red-dwarf`` 0.4.0's Polis pipeline
  (``reddwarf.implementations.polis.run_pipeline``, PCA + k-means) on the same votes,
* scores both with the adjusted Rand index against the published ``group-id`` column,
* times both, interleaved, best and median of ``--repeats`` runs each,
* counts the participants on whom the two tools disagree (grouped by one and not the other,
  or in groups that do not correspond: labels matched by the best overlap).

red-dwarf is not a dependency of détente: it runs in its own virtual environment (default
``bench/.venv-reddwarf``, see ``bench/README.md``) as a worker process. Without it the
script says so and prints our results alone.

Scoring: the population is every participant with a published group; a participant that a
tool leaves ungrouped (too few votes for its in-conversation rule) counts as one extra
"ungrouped" label, so leaving people out is not free. Timing covers the pipeline call from
in-memory vote records to groups (matrix building, PCA, clustering, statistics) on both
sides; CSV parsing and process start-up are excluded for both.

A second table repeats a conversation with *declared* meta statements where we know the
export lost Pol.is' ``is_meta`` flag (see ``DECLARED_META``): Pol.is zeroes meta statements
out of the math, CSV exports do not say which statements were meta.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from detente.deliberation.compare import adjusted_rand_index
from detente.deliberation.polis import PolisInput, load_polis_export, polis_math

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "polis-opendata"
DEFAULT_REDDWARF = ROOT / "bench" / ".venv-reddwarf" / "bin" / "python"
REDDWARF_VERSION = "0.4.0"

#: Meta statements the CSV export does not flag. london.youth.policing: statements 0-14 are
#: the moderator's demographic questions ("I am between 15 and 19 years old.", "I identify
#: as female.", "My ethnicity is ...", "English is my first language."), the use Pol.is'
#: is_meta flag exists for; red-dwarf documents that CSV exports drop the flag
#: (polis-community/red-dwarf#55). Declared from the statement texts, not from any grouping.
DECLARED_META: dict[str, tuple[int, ...]] = {
    "london.youth.policing": tuple(range(0, 15)),
}

UNGROUPED = "ungrouped"

WORKER = r"""
import json, sys, time, warnings
import pandas as pd
warnings.filterwarnings("ignore")
from importlib.metadata import version
from reddwarf.implementations.polis import run_pipeline
print(json.dumps({"version": version("red-dwarf")}), flush=True)
votes, mod_out, meta = [], [], []
for line in sys.stdin:
    req = json.loads(line)
    if req["op"] == "load":
        votes = [
            {"participant_id": p, "statement_id": t, "vote": v, "modified": i}
            for i, (p, t, v) in enumerate(req["votes"])
        ]
        mod_out, meta = req["mod_out"], req["meta"]
        print(json.dumps({"ok": True}), flush=True)
        continue
    t0 = time.perf_counter()
    res = run_pipeline(votes=votes, mod_out_statement_ids=mod_out, meta_statement_ids=meta)
    seconds = time.perf_counter() - t0
    col = res.participants_df["cluster_id"]
    labels = {str(int(p)): int(g) for p, g in col.items() if not pd.isna(g)}
    print(json.dumps({"seconds": seconds, "labels": labels}), flush=True)
"""


class RedDwarf:
    """A red-dwarf worker process in its own virtual environment (JSON lines over stdio)."""

    def __init__(self, python: Path) -> None:
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)
        self.proc = subprocess.Popen(
            [str(python), "-c", WORKER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        hello = self._read()
        self.version = str(hello["version"])

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            err = self.proc.stderr.read() if self.proc.stderr else ""
            raise RuntimeError(f"red-dwarf worker stopped: {err.strip()[-500:]}")
        out: dict[str, Any] = json.loads(line)
        return out

    def _send(self, req: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def load(
        self, votes: Sequence[tuple[int, int, int]], mod_out: Iterable[int], meta: Iterable[int]
    ) -> None:
        self._send(
            {"op": "load", "votes": list(votes), "mod_out": sorted(mod_out), "meta": sorted(meta)}
        )

    def run(self) -> tuple[float, dict[int, int]]:
        out = self._send({"op": "run"})
        return float(out["seconds"]), {int(p): int(g) for p, g in out["labels"].items()}

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


def start_reddwarf(python: Path) -> tuple[RedDwarf | None, str]:
    """Start the worker, or explain why red-dwarf is unavailable."""
    if not python.exists():
        return None, (
            f"red-dwarf not available: {python} not found "
            f"(create it as described in bench/README.md)"
        )
    try:
        rd = RedDwarf(python)
    except (OSError, RuntimeError, ValueError) as exc:
        return None, f"red-dwarf not available: {exc}"
    if rd.version != REDDWARF_VERSION:
        note = (
            f"warning: red-dwarf {rd.version} installed, the benchmark expects {REDDWARF_VERSION}"
        )
        return rd, note
    return rd, f"red-dwarf {rd.version} from {python}"


def published_groups(folder: Path) -> dict[int, str]:
    """Participant -> published ``group-id`` (participants without one are left out)."""
    with (folder / "participants-votes.csv").open(newline="", encoding="utf-8") as fh:
        return {
            int(row["participant"]): row["group-id"].strip()
            for row in csv.DictReader(fh)
            if row.get("group-id", "").strip()
        }


def vote_records(inp: PolisInput) -> list[tuple[int, int, int]]:
    """(pid, tid, vote) records, agree = +1, rows in export order."""
    out: list[tuple[int, int, int]] = []
    for pid, row in zip(inp.votes.pids, inp.votes.values.tolist(), strict=True):
        out.extend((pid, tid, int(v)) for tid, v in zip(inp.votes.tids, row, strict=True) if v == v)
    return out


def score(labels: dict[int, Any], published: dict[int, str]) -> float:
    """ARI over participants with a published group; ungrouped ones get their own label."""
    pids = sorted(published)
    ours = [str(labels[p]) if p in labels else UNGROUPED for p in pids]
    return adjusted_rand_index(ours, [published[p] for p in pids])


def score_grouped(labels: dict[int, Any], published: dict[int, str]) -> float:
    """ARI over participants both the tool and Pol.is grouped (for the notes)."""
    pids = sorted(p for p in published if p in labels)
    return adjusted_rand_index([labels[p] for p in pids], [published[p] for p in pids])


@dataclass
class Row:
    name: str
    shape: str
    ari: float
    times: list[float]
    rd_ari: float | None
    rd_times: list[float]
    coverage: str
    differ: int | None


def disagreements(ours: dict[int, int], theirs: dict[int, int]) -> int:
    """Participants on whom two groupings disagree: grouped by one tool only, or in a group
    that is not the counterpart of the other's (each of our groups matched to the red-dwarf
    group it overlaps most)."""
    overlap: dict[int, dict[int, int]] = {}
    for p, g in ours.items():
        if p in theirs:
            row = overlap.setdefault(g, {})
            row[theirs[p]] = row.get(theirs[p], 0) + 1
    match = {g: max(row, key=lambda h: (row[h], -h)) for g, row in overlap.items()}
    only = len(set(ours) ^ set(theirs))
    return only + sum(1 for p, g in ours.items() if p in theirs and match[g] != theirs[p])


def bench_one(
    name: str,
    folder: Path,
    rd: RedDwarf | None,
    repeats: int,
    meta: Sequence[int],
) -> Row:
    inp = load_polis_export(folder, meta_tids=meta)
    published = published_groups(folder)
    records = vote_records(inp)
    if rd is not None:
        # Pol.is puts meta statements in mod-out; give red-dwarf the same zeroed columns.
        rd.load(records, set(inp.mod_out) | set(meta), meta)
    times: list[float] = []
    rd_times: list[float] = []
    labels: dict[int, int] = {}
    rd_labels: dict[int, int] = {}
    for _ in range(repeats):  # interleaved, so both see the same machine load
        t0 = time.perf_counter()
        res = polis_math(records, mod_out=inp.mod_out, meta_tids=meta)
        times.append(time.perf_counter() - t0)
        labels = {p: g for g, ps in res.group_pids.items() for p in ps}
        if rd is not None:
            seconds, rd_labels = rd.run()
            rd_times.append(seconds)
    n_ptpt, n_cmt = inp.votes.values.shape
    covered = sum(p in labels for p in published)
    rd_covered = sum(p in rd_labels for p in published)
    coverage = (
        f"ours {covered}/{len(published)} (ARI on those {score_grouped(labels, published):.3f})"
    )
    if rd is not None:
        coverage += (
            f", red-dwarf {rd_covered}/{len(published)}"
            f" (ARI on those {score_grouped(rd_labels, published):.3f})"
        )
    return Row(
        name,
        f"{n_ptpt} × {n_cmt}",
        score(labels, published),
        times,
        score(rd_labels, published) if rd is not None else None,
        rd_times,
        coverage,
        disagreements(labels, rd_labels) if rd is not None else None,
    )


def bench_synthetic(rd: RedDwarf | None, repeats: int) -> list[Row]:
    """The synthetic set (``bench/polis_synthetic.py``), scored against the planted groups
    with the same ARI (ungrouped as a label)."""
    from polis_synthetic import suite

    rows = []
    for conv in suite():
        truth = {p: str(g) for p, g in conv.truth.items()}
        if rd is not None:
            rd.load(conv.votes, conv.mod_out, ())
        times: list[float] = []
        rd_times: list[float] = []
        labels: dict[int, int] = {}
        rd_labels: dict[int, int] = {}
        for _ in range(repeats):
            t0 = time.perf_counter()
            res = polis_math(conv.votes, mod_out=conv.mod_out)
            times.append(time.perf_counter() - t0)
            labels = {p: g for g, ps in res.group_pids.items() for p in ps}
            if rd is not None:
                seconds, rd_labels = rd.run()
                rd_times.append(seconds)
        n_cmt = len({t for _, t, _ in conv.votes})
        rows.append(
            Row(
                conv.name,
                f"{len(conv.truth)} × {n_cmt}",
                score(labels, truth),
                times,
                score(rd_labels, truth) if rd is not None else None,
                rd_times,
                "",
                disagreements(labels, rd_labels) if rd is not None else None,
            )
        )
    return rows


def _ms(ts: list[float]) -> str:
    if not ts:
        return "n/a"
    return f"{1000 * min(ts):.0f} ms (median {1000 * statistics.median(ts):.0f})"


def render(rows: list[Row]) -> str:
    head = [
        "conversation",
        "participants × comments",
        "our ARI",
        "red-dwarf ARI",
        "participants differing",
        "our time",
        "red-dwarf time",
        "speed ratio",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        ratio = f"{min(r.rd_times) / min(r.times):.1f}×" if r.rd_times and r.times else "n/a"
        lines.append(
            "| "
            + " | ".join(
                [
                    r.name,
                    r.shape,
                    f"{r.ari:.3f}",
                    "n/a" if r.rd_ari is None else f"{r.rd_ari:.3f}",
                    "n/a" if r.differ is None else str(r.differ),
                    _ms(r.times),
                    _ms(r.rd_times),
                    ratio,
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="polis-opendata folder")
    ap.add_argument("--repeats", type=int, default=7, help="timed runs per tool (best reported)")
    ap.add_argument("--reddwarf-python", type=Path, default=DEFAULT_REDDWARF)
    ap.add_argument("--no-synthetic", action="store_true", help="skip the synthetic conversations")
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(f"error: data folder {args.data} not found", file=sys.stderr)
        return 1
    convs = sorted(
        (p for p in args.data.iterdir() if (p / "participants-votes.csv").is_file()),
        key=lambda p: (p / "participants-votes.csv").stat().st_size,
    )
    rd, status = start_reddwarf(args.reddwarf_python)
    print(status)
    print(f"our pipeline: polis_math from scratch (no Pol.is history); {args.repeats} repeats\n")
    try:
        rows = [bench_one(p.name, p, rd, args.repeats, ()) for p in convs]
        print(render(rows))
        print()
        for r in rows:
            print(f"- {r.name}: grouped / with a published group: {r.coverage}")
        meta_rows = [
            bench_one(p.name, p, rd, args.repeats, DECLARED_META[p.name])
            for p in convs
            if p.name in DECLARED_META
        ]
        if meta_rows:
            print("\nWith declared meta statements (see DECLARED_META):\n")
            print(render(meta_rows))
        if not args.no_synthetic:
            print("\nSynthetic conversations (bench/polis_synthetic.py), ARI against the planted")
            print("groups, ungrouped as a label:\n")
            print(render(bench_synthetic(rd, max(1, args.repeats // 2))))
    finally:
        if rd is not None:
            rd.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
