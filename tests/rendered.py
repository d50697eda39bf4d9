"""Session fixtures (a pytest plugin, registered in tests/conftest.py): each test meeting run once
in simulation, then every document rendered once in every format; the tests of the document host
and of every domain's documents inspect the files. First pages are saved as PNG under
test-artifacts/."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from detente.meeting.loader import MeetingFolder, load_meeting
from detente.meeting.runner import run_meeting
from detente.report.render import Made, ReportInputs, make_documents
from detente.store.log import EventStore

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "report"
MEETINGS = {
    "korea-2024": ROOT / "examples" / "korea-2024",
    "harbour-2025": ROOT / "tests" / "fixtures" / "harbour-2025",
    "ttx-small": ROOT / "tests" / "fixtures" / "ttx-small",
}


@dataclass
class Rendered:
    """One meeting after its run: inputs, results and files by document slug."""

    name: str
    folder: MeetingFolder
    out: Path
    inputs: ReportInputs
    made: list[Made]
    files: dict[str, dict[str, Path]] = field(default_factory=dict)

    def file(self, slug: str, fmt: str) -> Path:
        return self.files[slug][fmt]

    def result(self, slug: str) -> Made:
        return next(m for m in self.made if m.request.slug == slug)


def run_and_render(name: str, source: Path, base: Path, *, annex: bool = True) -> Rendered:
    folder = load_meeting(source)
    out = base / name
    out.mkdir(parents=True, exist_ok=True)
    store = EventStore.open(out / "detente.db")
    try:
        run_meeting(folder, store, seed=7)
    finally:
        store.close()
    inputs = ReportInputs.load(folder, out, annex=annex)
    made = make_documents(
        inputs, ["pack", "handbook", "aar", "meeting"], ["html", "pdf", "md"], out / "reports"
    )
    files: dict[str, dict[str, Path]] = {}
    for m in made:
        for path in m.files:
            files.setdefault(m.request.slug, {})[path.suffix[1:]] = path
    return Rendered(name, folder, out, inputs, made, files)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    base = tmp_path_factory.mktemp("reports")
    out = {name: run_and_render(name, path, base) for name, path in MEETINGS.items()}
    save_artifacts(out)
    return out


def save_artifacts(all_rendered: dict[str, Rendered]) -> None:
    """PNG of the first two pages of every PDF, for a reviewer (git-ignored folder)."""
    for r in all_rendered.values():
        target = ARTIFACTS / r.name
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True, exist_ok=True)
        for slug, formats in r.files.items():
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "60",
                    "-f",
                    "1",
                    "-l",
                    "2",
                    str(formats["pdf"]),
                    str(target / slug),
                ],
                check=True,
                capture_output=True,
            )


def pdf_pages(pdf: Path) -> list[np.ndarray]:
    """Every page as a grey image (PGM from pdftoppm, parsed here)."""
    with_dir = pdf.parent / (pdf.stem + "-pages")
    with_dir.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-gray", "-r", "20", str(pdf), str(with_dir / "p")],
        check=True,
        capture_output=True,
    )
    pages = []
    for path in sorted(with_dir.glob("p-*.pgm"), key=lambda p: int(re.findall(r"\d+", p.stem)[-1])):
        data = path.read_bytes()
        header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
        assert header is not None
        width, height = int(header.group(1)), int(header.group(2))
        pixels = np.frombuffer(data[header.end() :], dtype=np.uint8)
        pages.append(pixels.reshape(height, width))
    return pages


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
