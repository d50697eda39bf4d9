"""The measures catalog: the Korea and harbour catalogs load; bad input is a located error."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from detente.diagnostics import InputError, Severity
from detente.meeting.loader import load_meeting
from detente.roadmap.catalog import (
    MEASURES_FILE,
    compile_modifiers,
    load_catalog,
    no_scenario_warning,
    reciprocal_groups,
    roadmap_item,
)
from detente.ttx.pack import load_pack
from tests.conftest import KOREA, SHARED
from tests.roadmap.conftest import HARBOUR_MEASURES


def test_korea_catalog_covers_the_four_steps_and_keeps_sources() -> None:
    folder = load_meeting(KOREA)
    loaded = load_catalog(folder)
    assert loaded is not None and not loaded.warnings
    measures = loaded.measures
    assert len(measures) >= 40
    steps = [s.id for s in loaded.categories]
    assert steps == [
        "immediate-actions",
        "conflict-management",
        "engagement-strategy",
        "regional-security",
    ]
    per = Counter(m.category for m in measures)
    assert set(per) == set(steps) and min(per.values()) >= 8
    reference = yaml.safe_load(
        (SHARED / "reference" / "korea" / "cbm_catalog.yaml").read_text(encoding="utf-8")
    )
    ref_ids = {m["id"] for m in reference["measures"]}
    for m in measures:
        assert m.catalog_ref in ref_ids, m.id
        assert m.precedent and m.source and m.tags
        assert set(m.tags) <= set(folder.profiles.dimension_ids)  # type: ignore[union-attr]
    groups = reciprocal_groups(loaded.catalog)
    assert groups["suspension-dprk-tests"] == (
        "suspension-dprk-tests",
        "suspension-allied-exercises",
    )


def test_korea_modifiers_compile_against_the_pack() -> None:
    folder = load_meeting(KOREA)
    loaded = load_catalog(folder)
    assert loaded is not None
    modifiers = compile_modifiers(loaded, load_pack(KOREA, meeting=folder))
    assert len(modifiers) == sum(m.modifier is not None for m in loaded.measures) >= 30


def test_the_catalog_does_not_cite_events_after_the_meeting() -> None:
    text = (KOREA / MEASURES_FILE).read_text(encoding="utf-8")
    body = text.split("\nmeasures:", 1)[1]
    assert "2024-10" not in body and "MSMT" not in body


def test_harbour_catalog_needs_a_roadmap_session(
    harbour: Path, harbour_rm: Path, tmp_path: Path
) -> None:
    without_session = tmp_path / "no-roadmap"
    shutil.copytree(harbour, without_session)
    shutil.copy(HARBOUR_MEASURES, without_session / MEASURES_FILE)
    with pytest.raises(InputError) as caught:
        load_catalog(load_meeting(without_session))
    (d,) = caught.value.diagnostics
    assert "no roadmap session" in d.message and d.file.endswith(MEASURES_FILE)
    folder = load_meeting(harbour_rm)
    loaded = load_catalog(folder)
    assert loaded is not None and not loaded.has_modifiers
    assert roadmap_item(folder.meeting) is loaded.item
    assert len(loaded.measures) == 8


def _broken(tmp_path: Path, edit: str, replacement: str) -> Path:
    target = tmp_path / "korea-2024"
    shutil.copytree(KOREA, target)
    path = target / MEASURES_FILE
    text = path.read_text(encoding="utf-8")
    assert edit in text, edit
    path.write_text(text.replace(edit, replacement, 1), encoding="utf-8")
    return target


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_unknown_prerequisite_is_located(tmp_path: Path) -> None:
    folder = _broken(
        tmp_path,
        "prerequisites: [exercise-calendars]",
        "prerequisites: [exercise-calendar]",
    )
    with pytest.raises(InputError) as caught:
        load_catalog(load_meeting(folder))
    (d,) = caught.value.diagnostics
    assert d.line == _line_of(folder / MEASURES_FILE, "[exercise-calendar]")
    assert d.column > 1
    assert "unknown measure 'exercise-calendar'" in d.message
    assert "did you mean 'exercise-calendars'" in d.message
    assert re.match(r".*measures\.yaml:\d+:\d+ measures\[\d+\]\.prerequisites\[0\]:", str(d))


def test_prerequisite_cycle_names_every_measure(tmp_path: Path) -> None:
    # ground-buffer-zone needs restore-military-lines; make the lines wait for guard posts,
    # which need ground-buffer-zone: lines -> buffer -> guard posts -> lines
    folder = _broken(
        tmp_path,
        "    horizon: immediate\n    tags: {regional_stability: 0.9, dialogue_engagement: 0.5}",
        "    horizon: immediate\n    prerequisites: [guard-post-withdrawal]\n"
        "    tags: {regional_stability: 0.9, dialogue_engagement: 0.5}",
    )
    with pytest.raises(InputError) as caught:
        load_catalog(load_meeting(folder))
    messages = [d for d in caught.value.diagnostics if "cycle" in d.message]
    assert len(messages) == 1
    d = messages[0]
    assert "prerequisite cycle" in d.message
    for measure in ("restore-military-lines", "ground-buffer-zone", "guard-post-withdrawal"):
        assert measure in d.message
    assert d.line > 0 and d.column > 0


def test_prerequisite_that_is_also_reciprocal_is_refused(tmp_path: Path) -> None:
    folder = _broken(
        tmp_path,
        "    reciprocal: [suspension-dprk-tests]\n",
        "    reciprocal: [suspension-dprk-tests]\n    prerequisites: [suspension-dprk-tests]\n",
    )
    with pytest.raises(InputError) as caught:
        load_catalog(load_meeting(folder))
    assert any(
        "both a prerequisite and a reciprocal" in d.message for d in caught.value.diagnostics
    )


def test_unknown_category_lists_the_steps(tmp_path: Path) -> None:
    folder = _broken(tmp_path, "category: regional-security", "category: regional-securty")
    with pytest.raises(InputError) as caught:
        load_catalog(load_meeting(folder))
    (d,) = caught.value.diagnostics
    assert "did you mean 'regional-security'" in d.message and "roadmap item" in d.message
    assert d.line == _line_of(folder / MEASURES_FILE, "regional-securty")


def test_modifier_naming_a_missing_variable_points_into_the_expression(tmp_path: Path) -> None:
    folder = _broken(
        tmp_path,
        'effects: "hotline[DPRK,ROK] = 1; tension -= 3"',
        'effects: "hotline[DPRK,ROK] = 1; tensions -= 3"',
    )
    meeting = load_meeting(folder)
    loaded = load_catalog(meeting)
    assert loaded is not None
    with pytest.raises(InputError) as caught:
        compile_modifiers(loaded, load_pack(folder, meeting=meeting))
    (d,) = caught.value.diagnostics
    path = folder / MEASURES_FILE
    line = _line_of(path, "tensions -= 3")
    assert d.line == line
    assert (
        path.read_text(encoding="utf-8")
        .splitlines()[line - 1][d.column - 1 :]
        .startswith("tensions")
    )
    assert "tensions" in d.message


def test_modifier_naming_a_missing_reaction_is_located(tmp_path: Path) -> None:
    folder = _broken(tmp_path, "{dprk-balloons: {factor: 0}}", "{dprk-baloons: {factor: 0}}")
    meeting = load_meeting(folder)
    loaded = load_catalog(meeting)
    assert loaded is not None
    with pytest.raises(InputError) as caught:
        compile_modifiers(loaded, load_pack(folder, meeting=meeting))
    (d,) = caught.value.diagnostics
    assert "unknown reaction 'dprk-baloons'" in d.message
    assert d.line == _line_of(folder / MEASURES_FILE, "dprk-baloons")


def test_modifiers_without_a_scenario_are_a_warning(harbour_rm: Path) -> None:
    path = harbour_rm / MEASURES_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "    source: fictional test data\n",
            '    source: fictional test data\n    modifier:\n      effects: "tension -= 1"\n',
            1,
        ),
        encoding="utf-8",
    )
    loaded = load_catalog(load_meeting(harbour_rm))
    assert loaded is not None
    warning = no_scenario_warning(loaded)
    assert warning is not None and warning.severity is Severity.WARNING
    assert "no scenario pack" in warning.message


def test_schema_errors_are_located(harbour_rm: Path) -> None:
    path = harbour_rm / MEASURES_FILE
    path.write_text(
        path.read_text(encoding="utf-8").replace("horizon: immediate", "horizon: soon", 1),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_catalog(load_meeting(harbour_rm))
    assert any("horizon" in str(d) and d.line > 0 for d in caught.value.diagnostics)
