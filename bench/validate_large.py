"""Time `detente validate` on large and hostile input (target: < 2 s, bounded memory).

Copies examples/korea-2024 into a temporary folder, replaces its statements.yaml by one of about
5 MB (the example's statements repeated under fresh ids, same shape and tags), then measures in
the current process (imports excluded, median of 3, wall clock and CPU):

- reading the 5 MB file alone (`detente.sourcefile.read_yaml`);
- the whole validation `detente validate` does: load the meeting, check the programme and every
  optional file (scenario, statements, measures).

Then each hostile case (`HOSTILE`) is validated in a fresh process, which reports its own
validation time (imports excluded), its peak resident memory (`VmHWM`, which a new program
starts afresh, unlike `ru_maxrss`) and the first diagnostic. Every case must end in a located
error (or, for the large valid file, a result), never a hang or a traceback.

With `--baseline SRC` (another checkout's `src`, e.g. main's), each hostile case is also
validated by that tree's code in the same conditions, case by case, and both figures are printed:
on a loaded machine compare CPU seconds (user + sys of the validating process), not wall.

Usage: .venv/bin/python bench/validate_large.py [MEGABYTES] [--baseline SRC]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.cli import check_files  # noqa: E402
from detente.meeting.checks import check_programme  # noqa: E402
from detente.meeting.loader import load_meeting  # noqa: E402
from detente.sourcefile import read_yaml  # noqa: E402


def big_statements(example: Path, megabytes: float) -> str:
    """The example's statements blocks, each statement repeated with new ids until the file
    reaches `megabytes`."""
    source = read_yaml(example / "statements.yaml").data
    blocks = source["items"]
    lines = ["items:"]
    size = 0
    copy = 0
    bodies: dict[str, list[str]] = {b["item"]: [] for b in blocks}
    while size < megabytes * 1_000_000:
        copy += 1
        for block in blocks:
            for st in block["statements"]:
                text = " ".join(str(st["text"]).split())
                tags = ", ".join(f"{k}: {v}" for k, v in st.get("tags", {}).items())
                entry = [f"      - id: {st['id']}-{copy}", "        text: >-", f"          {text}"]
                if "question" in st:
                    entry.append(f"        question: {st['question']}")
                if tags:
                    entry.append(f"        tags: {{{tags}}}")
                chunk = "\n".join(entry)
                size += len(chunk.encode()) + 1
                bodies[block["item"]].append(chunk)
    for item, chunks in bodies.items():
        lines += [f"  - item: {item}", "    statements:", *chunks]
    return "\n".join(lines) + "\n"


def _alias_bomb() -> str:
    """Billion laughs: nine levels of nine aliases each (10⁹ strings if expanded)."""
    lines = ['a0: &a0 "lol"']
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def _error_at_the_end(text: str) -> str:
    """The large statements file with its last statement's tag weight out of range."""
    last = "      - id: last-one\n        text: The last.\n        tags: {regional_stability: 7}\n"
    return text + last


def _one_line(lists: int, per_list: int, statements: bool) -> str:
    """`lists` flow lists of `per_list` values, all on one line; as the statements of blocks
    (each value then a schema error) or as bare lists (each list one schema error)."""
    values = ", ".join(["'word'"] * per_list)
    if statements:
        blocks = ", ".join(f"{{item: s{i}, statements: [{values}]}}" for i in range(lists))
    else:
        blocks = ", ".join(f"[{values}]" for _ in range(lists))
    return f"items: [{blocks}]\n"


HOSTILE: dict[str, Callable[[str], str]] = {
    "5 MB valid statements": lambda big: big,
    "5 MB, error on its last line": _error_at_the_end,
    "alias bomb (billion laughs)": lambda big: _alias_bomb(),
    "nesting 100 000 deep": lambda big: "x: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "5 MB on one line": lambda big: "items: [" + ", ".join(["'word'"] * 700_000) + "]\n",
    "5 MB on one line, 7 lists of 100 000": lambda big: _one_line(7, 100_000, False),
    "the same, each value a schema error": lambda big: _one_line(7, 100_000, True),
    "invalid UTF-8 after 5 MB": lambda big: big,  # bytes appended below
    "bidi override in a text": lambda big: big.replace(
        "text: >-\n          ", "text: >-\n          \u202e", 1
    ),
}

CHILD = """
import json, sys, time
from pathlib import Path
from detente.cli import check_files
from detente.diagnostics import InputError
from detente.meeting.checks import check_programme
from detente.meeting.loader import load_meeting
folder = Path(sys.argv[1])
wall, cpu = time.perf_counter(), time.process_time()
try:
    loaded = load_meeting(folder)
    found = check_programme(loaded.meeting, loaded.source) + check_files(loaded)
    errors = [str(d) for d in found if d.severity == "error"]
except InputError as exc:
    errors = [str(d) for d in exc.diagnostics]
status = Path("/proc/self/status").read_text()
peak = next(int(x.split()[1]) for x in status.splitlines() if x.startswith("VmHWM:"))
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                  "errors": len(errors), "first": errors[0] if errors else "",
                  "last": errors[-1] if errors else "", "peak": peak / 1024}))
"""


def _child(folder: Path, src: Path) -> dict[str, object] | None:
    """Validate `folder` in a fresh process running the code of `src`; its report, or None."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(folder)], stdout=subprocess.PIPE, env=env, text=True
    )
    assert child.stdout is not None
    out = child.stdout.read()
    status = child.wait()
    child.stdout.close()
    if status != 0 or not out.strip():
        return None
    got: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return got


def hostile(folder: Path, big: str, baseline: Path | None) -> None:
    """Validate each hostile statements file in a fresh process; print time, memory, result
    (and the baseline tree's figures for the same file)."""
    print()
    if baseline is None:
        print("| case | validate wall s | CPU s | peak RSS MB | result |")
        print("|---|---|---|---|---|")
    else:
        print(
            "| case | validate wall s | CPU s | peak RSS MB | baseline wall s | baseline CPU s "
            "| baseline peak MB | result |"
        )
        print("|---|---|---|---|---|---|---|---|")
    for name, make in HOSTILE.items():
        path = folder / "statements.yaml"
        path.write_text(make(big), encoding="utf-8")
        if "UTF-8" in name:
            with path.open("ab") as fh:
                fh.write(b"      - id: bad\n        text: caf\xe9\n")
        got = _child(folder, ROOT / "src")
        if got is None:
            print(f"| {name} | — | — | — | FAILED |")
            continue
        figures = f"{got['wall']:.2f} | {got['cpu']:.2f} | {got['peak']:.0f}"
        if baseline is not None:
            base = _child(folder, baseline)
            figures += (
                " | — | — | — (failed)"
                if base is None
                else f" | {base['wall']:.2f} | {base['cpu']:.2f} | {base['peak']:.0f}"
            )
        first = str(got["first"]).replace("|", "\\|")
        if len(first) > 110:
            first = first[:107] + "…"
        result = f"{got['errors']} error(s): `{first}`" if got["errors"] else "valid"
        print(f"| {name} | {figures} | {result} |")


def timed(fn: object) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(3):
        w, c = time.perf_counter(), time.process_time()
        fn()  # type: ignore[operator]
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("megabytes", nargs="?", type=float, default=5.0)
    parser.add_argument("--baseline", type=Path, help="another tree's src, run case by case")
    args = parser.parse_args()
    megabytes = args.megabytes
    print(f"load average before: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "korea-2024"
        shutil.copytree(ROOT / "examples" / "korea-2024", folder)
        text = big_statements(ROOT / "examples" / "korea-2024", megabytes)
        (folder / "statements.yaml").write_text(text, encoding="utf-8")
        size = (folder / "statements.yaml").stat().st_size
        print(f"statements.yaml: {size / 1_000_000:.2f} MB, {text.count('- id:')} statements")

        def validate() -> None:
            loaded = load_meeting(folder)
            findings = check_programme(loaded.meeting, loaded.source) + check_files(loaded)
            assert not [f for f in findings if f.severity == "error"], findings[:3]

        read = timed(lambda: read_yaml(folder / "statements.yaml"))
        whole = timed(validate)
        print(f"read the statements file: {read[0]:.2f} s wall, {read[1]:.2f} s CPU")
        print(f"whole validation:         {whole[0]:.2f} s wall, {whole[1]:.2f} s CPU")
        hostile(folder, text, args.baseline)
        print(f"load average after: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")


if __name__ == "__main__":
    main()
