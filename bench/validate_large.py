"""Time `detente validate` on a meeting whose statements file is about 5 MB (target: < 2 s).

Copies examples/korea-2024 into a temporary folder, replaces its statements.yaml by one of about
5 MB (the example's statements repeated under fresh ids, same shape and tags), then measures in
the current process (imports excluded, median of 3, wall clock and CPU):

- reading the 5 MB file alone (`detente.sourcefile.read_yaml`);
- the whole validation `detente validate` does: load the meeting, check the programme and every
  optional file (scenario, statements, measures).

Usage: .venv/bin/python bench/validate_large.py [MEGABYTES]
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
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


def timed(fn: object) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(3):
        w, c = time.perf_counter(), time.process_time()
        fn()  # type: ignore[operator]
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
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


if __name__ == "__main__":
    main()
