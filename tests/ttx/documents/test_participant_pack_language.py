"""Packs in the delegation's language: translated content, marked and counted fallbacks,
Russian case and Chinese punctuation, numbered rules as a list."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from detente.document.localize import MARKER, typography
from detente.document.messages import Messages
from detente.document.model import BulletList, Document, Paragraph, Table
from detente.document.sections import build, requests
from detente.meeting.loader import load_meeting
from detente.report.render import ReportInputs

KOREA = Path(__file__).resolve().parents[3] / "examples" / "korea-2024"
CONTENT = ("background", "objectives", "ttx-background", "rules-of-play", "options")


def pack(slug: str, tmp_path: Path, source: Path = KOREA) -> Document:
    folder = load_meeting(source)
    inputs = ReportInputs.load(folder, tmp_path)
    request = next(r for r in requests(folder, "pack") if r.slug == slug)
    return build(request, inputs.context(request))


def texts(doc: Document, section: str) -> list[str]:
    found = doc.section(section)
    if found is None:
        return []
    out: list[str] = []
    for block in found.blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, BulletList):
            out += block.items
        elif isinstance(block, Table):
            out += [c for row in block.rows for c in row]
    return out


def test_the_korea_packs_have_nothing_untranslated(tmp_path: Path) -> None:
    for slug in ("pack-RUS", "pack-CHN"):
        doc = pack(slug, tmp_path)
        assert doc.section("translations") is None, slug
        assert not any(MARKER in t for s in doc.sections for t in texts(doc, s.id)), slug


def without_russian(tmp_path: Path, english: str) -> Path:
    """A copy of the Korea example in which the text starting `english` has no Russian."""
    target = tmp_path / "korea-2024"
    shutil.copytree(KOREA, target)
    path = target / "scenario.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip().startswith(f"en: {english}"))
    ru = next(i for i in range(at, at + 8) if lines[i].strip().startswith("ru: "))
    del lines[ru]
    path.write_text("\n".join(lines), encoding="utf-8")
    return target


def test_russian_pack_untranslated_content_is_marked_and_counted(tmp_path: Path) -> None:
    source = without_russian(tmp_path, "Counsel Pyongyang against escalation")
    doc = pack("pack-RUS", tmp_path / "out", source)
    english = re.compile(r"^[A-Za-z0-9 ,.;:'’()\-–]{25,}$")
    for section in CONTENT:
        for text in texts(doc, section):
            assert not english.match(text) or text.startswith(MARKER), (section, text)
    note = doc.section("translations")
    assert note is not None
    marked = sum(
        t.count(MARKER) for s in doc.sections if s.id != "translations" for t in texts(doc, s.id)
    )
    assert marked > 0
    count = int(re.search(r"\d+", texts(doc, "translations")[0]).group())  # type: ignore[union-attr]
    assert count >= marked
    assert any(str(count) in w for w in doc.warnings)


def test_russian_case_and_no_double_full_stop(tmp_path: Path) -> None:
    doc = pack("pack-RUS", tmp_path)
    assert "Ваша делегация играет за Россию." in texts(doc, "ttx-background")
    everything = " ".join(t for s in doc.sections for t in texts(doc, s.id))
    assert "г.." not in everything
    baseline = "The scenario is set as of %(date)s. It is hypothetical."
    assert Messages("ru")(baseline, date="31 июля 2024 г.").count("г..") == 0


def test_rules_of_play_are_a_numbered_list(tmp_path: Path) -> None:
    doc = pack("pack-CHN", tmp_path)
    rules = doc.section("rules-of-play")
    assert rules is not None
    lists = [b for b in rules.blocks if isinstance(b, BulletList)]
    assert lists and lists[0].ordered and len(lists[0].items) >= 5
    assert not lists[0].items[0].startswith("1.")


def test_chinese_pack_uses_full_width_punctuation_and_enumeration_comma(tmp_path: Path) -> None:
    doc = pack("pack-CHN", tmp_path)
    players = next(t for t in texts(doc, "ttx-background") if t.startswith("参演方"))
    assert "、" in players and "," not in players
    assert typography('平壤宣布的"海上国境线",随后', "zh") == "平壤宣布的“海上国境线”，随后"
    assert typography("1,000 boats", "zh") == "1,000 boats"


def test_control_actors_are_said_to_be_played_by_the_team_only_when_marked_so(
    tmp_path: Path,
) -> None:
    """Korea's control actors are moved by the engine (`played_by: engine`): the pack must not
    tell players the facilitation team plays them; marked `facilitator`, it says so."""
    engine = " ".join(texts(pack("pack-USA", tmp_path), "ttx-background"))
    assert "facilitation team" not in engine
    assert "moved by its rules rather than by a delegation" in engine
    edited = tmp_path / "korea"
    shutil.copytree(KOREA, edited)
    scenario = edited / "scenario.yaml"
    scenario.write_text(
        scenario.read_text(encoding="utf-8").replace(
            "played_by: engine", "played_by: facilitator", 1
        ),
        encoding="utf-8",
    )
    folder = load_meeting(edited)
    inputs = ReportInputs.load(folder, tmp_path / "out")
    request = next(r for r in requests(folder, "pack") if r.slug == "pack-USA")
    both = " ".join(texts(build(request, inputs.context(request)), "ttx-background"))
    assert "Played by the facilitation team:" in both
    assert "moved by its rules rather than by a delegation" in both  # the two still engine-run
