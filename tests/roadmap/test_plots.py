"""Chart labels wrap at word boundaries, and text without spaces still wraps."""

from __future__ import annotations

from pathlib import Path

from detente.meeting.loader import load_meeting
from detente.roadmap.analysis import RoadmapAnalysis, analyse_ratings
from detente.roadmap.catalog import LoadedCatalog, load_catalog
from detente.roadmap.plots import ChartText, english_chart_text, roadmap_chart, wrap_words
from detente.roadmap.ratings import MemberRating, RatingSheet
from detente.roadmap.sequence import Roadmap, build_roadmap

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "korea-2024"


def test_a_word_a_little_longer_than_the_column_stays_whole() -> None:
    lines = wrap_words("Mass casualties (50 or more killed)", 8)
    assert "casualties" in lines
    assert all(" " not in line or len(line) <= 8 for line in lines)


def test_text_without_spaces_is_broken_by_characters_a_full_em_each() -> None:
    lines = wrap_words("武装冲突扩大：继开始的两次交火后再次发生致命交火", 10)
    assert len(lines) > 1 and all(len(line) <= 6 for line in lines)  # 10 × 0.6 em


def test_a_very_long_word_is_broken() -> None:
    assert max(len(line) for line in wrap_words("x" * 40, 8)) <= 8


def test_a_chinese_text_a_little_longer_than_the_column_is_broken_too() -> None:
    """Chinese has no word to keep whole: 13 characters in a column of 8 (13.3 × 0.6 em) wrap."""
    lines = wrap_words("恢复东、西海岸军事通信线路", 13)
    assert len(lines) == 2 and all(len(line) <= 7 for line in lines)


def _korea_roadmap() -> tuple[RoadmapAnalysis, Roadmap, LoadedCatalog]:
    """The example's catalog with every delegation supporting every measure."""
    folder = load_meeting(EXAMPLE)
    loaded = load_catalog(folder)
    assert loaded is not None
    measures = loaded.catalog.measures
    delegations = tuple(d.id for d in folder.meeting.delegations)
    sheet = RatingSheet("s", measure_ids=tuple(m.id for m in measures))
    for m in measures:
        for d in delegations:
            sheet.final[(f"{d}-1", m.id)] = MemberRating(f"{d}-1", m.id, 2, 4, "immediate")
            sheet.delegation[f"{d}-1"] = d
    analysis = analyse_ratings(sheet, [(m.id, m.category) for m in measures], delegations)
    roadmap = build_roadmap(analysis, loaded.catalog, tuple(c.id for c in loaded.categories))
    return analysis, roadmap, loaded


def test_the_roadmap_chart_draws_the_words_it_is_given(tmp_path: Path) -> None:
    analysis, roadmap, loaded = _korea_roadmap()
    english = english_chart_text(roadmap, loaded)
    numbered = {k: f"措施{n}" for n, k in enumerate(english.measures)}
    chinese = ChartText(
        columns=tuple(f"第{n}阶段" for n in range(1, len(english.columns) + 1)),
        further="待对话",
        measures=numbered,
        categories={k: f"类别{n}" for n, k in enumerate(english.categories)},
        tiers={t: f"等级{n}" for n, t in enumerate(english.tiers)},
    )
    (svg,) = roadmap_chart(
        analysis, roadmap, loaded, tmp_path / "chart", formats=("svg",), text=chinese
    )
    drawn = svg.read_text(encoding="utf-8")
    on_chart = [m for p in roadmap.phases for m in p.measures]
    assert on_chart and all(f">{numbered[m]}<" in drawn for m in on_chart)
    assert "第1阶段" in drawn and "等级0" in drawn and "待对话" in drawn
    assert "Phase 1" not in drawn and "For further dialogue" not in drawn
    assert not any(
        english.measures[m].split()[0] in drawn for m in on_chart if len(english.measures[m]) > 8
    )
