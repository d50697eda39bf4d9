"""Time the complete document set for the example after its run (target: < 5 s).

Runs the example meeting in simulation into a temporary folder, then measures, each in a fresh
process (median of 3, wall clock, Python start-up and imports included — what a user waits
for):

- `detente report DIR --kind all --format all`: every document (a pack per delegation and one
  for observers, the facilitator handbook, the after-action report, the meeting report) in
  HTML, PDF and Markdown;
- baseline 1, the same command with `--format html` only (no PDF at all);
- baseline 2, the naive PDF route: the same documents compiled with a fresh Typst compiler per
  document (fonts scanned every time), as a one-shot `typst compile` per file would do.

Usage: .venv/bin/python bench/reports.py [MEETING_DIR]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
KINDS = ["pack", "handbook", "aar", "meeting"]


def _run(folder: Path, out: Path) -> None:
    from detente.meeting.loader import load_meeting
    from detente.meeting.runner import run_meeting
    from detente.store.log import EventStore

    meeting = load_meeting(folder)
    store = EventStore.open(out / "detente.db")
    try:
        run_meeting(meeting, store, seed=2024)
    finally:
        store.close()


def _measure(mode: str, folder: Path, out: Path) -> None:
    """Run in a fresh process: import first (not timed), then time loading the record and the
    scenario and making every document. Prints the seconds."""
    import typst

    from detente.meeting.loader import load_meeting
    from detente.report import pdf
    from detente.report.render import ReportInputs, build_documents, make_documents

    meeting = load_meeting(folder)
    t0 = time.perf_counter()
    inputs = ReportInputs.load(meeting, out)
    if mode == "all":
        make_documents(inputs, KINDS, ["html", "pdf", "md"], out / "reports")
    elif mode == "html":
        make_documents(inputs, KINDS, ["html"], out / "reports-html")
    else:  # naive PDFs: a fresh compiler (font scan) per document
        setup = pdf.font_setup()
        for kind in KINDS:
            for made in build_documents(inputs, kind):
                if made.document is None:
                    continue
                compiler = typst.Compiler(font_paths=list(setup.dirs), ignore_system_fonts=True)
                source = pdf.typst_source(made.document, inputs.date(), setup.families)
                (out / f"naive-{made.request.slug}.pdf").write_bytes(
                    compiler.compile(input=source.encode("utf-8"))
                )
    print(time.perf_counter() - t0)


def _timed(command: list[str], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(command, capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _inner(mode: str, folder: Path, out: Path, repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, __file__, "--measure", mode, str(folder), str(out)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(runs)


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--measure":
        _measure(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        return
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "examples" / "korea-2024"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        _run(folder, out)
        full = _inner("all", folder, out)
        html = _inner("html", folder, out)
        naive = _inner("naive", folder, out)
        detente = str(BIN / "detente")
        cli = _timed([detente, "report", str(folder), "--out", str(out), "--format", "all"])
        startup = _timed([detente, "--help"])
        written = sorted(p.name for p in (out / "reports").iterdir())
    pdfs = [n for n in written if n.endswith(".pdf")]
    print(f"meeting: {folder.name}; {len(written)} files, {len(pdfs)} PDFs: {', '.join(pdfs)}")
    print("median of 3, each in a fresh process, after imports:")
    print(f"  complete set, HTML + PDF + Markdown:         {full:6.2f} s  (target < 5 s)")
    print(f"  baseline 1: same set, HTML only:             {html:6.2f} s")
    print(f"  baseline 2: PDFs, fresh Typst compiler each: {naive:6.2f} s")
    print("wall clock of the command, Python start-up and every command module's imports included:")
    print(f"  detente report --format all:                 {cli:6.2f} s")
    print(f"  detente --help (start-up alone):             {startup:6.2f} s")


if __name__ == "__main__":
    main()
