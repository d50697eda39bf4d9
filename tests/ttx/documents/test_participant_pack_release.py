"""Packs give nothing of the exercise away: for the Korea example and every scenario under
tests/, no text of a move brief, decision question or inject that the release plan does not
release before the meeting appears in any pack (document model, Markdown, HTML, PDF text)."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from detente.meeting.loader import load_meeting
from detente.report.render import ReportInputs, make_documents
from detente.ttx.pack import load_pack
from detente.ttx.release import BEFORE_MEETING, inject_stage, move_stage
from detente.ttx.scenario import Scenario, Text
from tests.rendered import pdf_text

ROOT = Path(__file__).resolve().parents[3]
FOLDERS = sorted(
    {
        p.parent
        for p in (ROOT / "tests").rglob("scenario.yaml")
        if (p.parent / "meeting.yaml").exists()
    }
    | {p.parent for p in (ROOT / "examples").glob("*/scenario.yaml")}
)
MOVE_1 = "  - number: 1\n    title: Trawlers in the strait\n"


def _squash(text: str) -> str:
    """Text without whitespace or markup escapes, so wrapped or escaped text still matches."""
    text = html.unescape(re.sub(r"\\(.)", r"\1", text))
    return re.sub(r"\s+", "", text)


def _all(text: Text) -> list[str]:
    return [t for t in (text.en, *text.translations.values()) if t]


def secrets(scenario: Scenario) -> list[str]:
    """Every player text not released before the meeting, in every language."""
    out: list[str] = []
    for move in scenario.moves:
        if move_stage(move) != BEFORE_MEETING:
            out += _all(move.brief)
            out += [t for qs in move.questions.values() for q in qs for t in _all(q)]
    for inject in scenario.msel:
        if inject_stage(inject) != BEFORE_MEETING:
            out += _all(inject.text)
    return out


def released(scenario: Scenario) -> list[str]:
    return [t for m in scenario.moves if move_stage(m) == BEFORE_MEETING for t in _all(m.brief)]


def packs(folder: Path, out: Path) -> dict[str, str]:
    """Every pack of the folder as one squashed text per file (md, html, pdf)."""
    meeting = load_meeting(folder)
    inputs = ReportInputs.load(meeting, out)
    made = make_documents(inputs, ["pack"], ["md", "html", "pdf"], out / "reports")
    texts: dict[str, str] = {}
    for m in made:
        assert m.document is not None, m.unavailable
        for path in m.files:
            raw = pdf_text(path) if path.suffix == ".pdf" else path.read_text(encoding="utf-8")
            texts[path.name] = _squash(raw)
    assert texts
    return texts


def leaks(texts: dict[str, str], scenario: Scenario) -> list[str]:
    found = []
    for secret in secrets(scenario):
        needle = _squash(secret)[:60]
        found += [f"{name}: {secret[:50]}" for name, t in texts.items() if needle in t]
    return found


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_pack_holds_an_unreleased_move_or_inject(folder: Path, tmp_path: Path) -> None:
    scenario = load_pack(folder, meeting=load_meeting(folder)).scenario
    assert secrets(scenario), "the walk must have something to look for"
    assert leaks(packs(folder, tmp_path), scenario) == []


def test_a_pre_released_starting_situation_is_in_the_packs_and_nothing_else(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "ttx-small"
    shutil.copytree(ROOT / "tests" / "fixtures" / "ttx-small", folder)
    path = folder / "scenario.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(MOVE_1, MOVE_1 + "    release: before-meeting\n"), "utf-8")
    scenario = load_pack(folder, meeting=load_meeting(folder)).scenario
    texts = packs(folder, tmp_path / "out")
    brief = _squash(released(scenario)[0])[:60]
    assert all(brief in t for t in texts.values())
    assert leaks(texts, scenario) == []
    # the leak check itself can fail: move 2's brief is found when it is released too
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "  - number: 2\n", "  - number: 2\n    release: before-meeting\n"
        ),
        "utf-8",
    )
    again = packs(folder, tmp_path / "again")
    moved = _squash(scenario.moves[1].brief.en)[:60]
    assert all(moved in t for t in again.values())
    assert leaks(again, scenario)
