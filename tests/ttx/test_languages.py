"""Scenario text and MSEL columns in any language the scenario or meeting declares (here `vi`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli import app
from detente.diagnostics import InputError
from detente.text import Text
from detente.ttx.msel import columns_for, csv_text, read_csv, write_csv
from detente.ttx.pack import load_scenario_file
from detente.ttx.scenario import Inject

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ttx-small" / "scenario.yaml"
VI_TITLE = "    vi: Đối đầu ở eo biển Corvan\n"


def _scenario(tmp_path: Path, languages: str) -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    text = text.replace("languages: [en, ru]", f"languages: {languages}", 1)
    text = text.replace(
        "    ru: Противостояние в Корванском проливе\n",
        "    ru: Противостояние в Корванском проливе\n" + VI_TITLE,
        1,
    )
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_declared_language_is_accepted_in_scenario_text(tmp_path: Path) -> None:
    pack = load_scenario_file(_scenario(tmp_path, "[en, ru, vi]"))
    assert pack.scenario.scenario.title.get("vi") == "Đối đầu ở eo biển Corvan"


def test_an_undeclared_language_is_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_scenario_file(_scenario(tmp_path, "[en, ru]"))
    (message,) = [str(d) for d in info.value.diagnostics]
    assert message.startswith("scenario.yaml:11:5 scenario.title.vi: 'vi' is not one of")


def test_msel_columns_follow_the_languages(tmp_path: Path) -> None:
    injects = [Inject(number=1, title=Text("Fog", {"vi": "Sương mù"}), text=Text("Dense fog"))]
    headings = [c.heading for c in columns_for(injects, languages=["en", "vi", "th"])]
    assert "Title [vi]" in headings and "Inject Text [th]" in headings
    assert "Title [zh]" not in headings
    path = tmp_path / "msel.csv"
    write_csv(injects, path, languages=["en", "vi"])
    assert read_csv(path) == injects
    one = csv_text(injects, language="vi")
    assert "Sương mù" in one and "Dense fog" in one  # English where vi has no translation


def test_msel_export_language_option_and_out(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    shutil.copy(_scenario(tmp_path, "[en, ru, vi]"), folder / "scenario.yaml")
    runner = CliRunner()
    bad = runner.invoke(app, ["ttx", "msel", "export", str(folder), "--language", "de"])
    assert bad.exit_code == 1 and "'de' is not one of the languages" in bad.output
    target = tmp_path / "msel-vi.csv"
    done = runner.invoke(
        app, ["ttx", "msel", "export", str(folder), "--language", "vi", "--out", str(target)]
    )
    assert done.exit_code == 0, done.output
    assert "Title [vi]" in target.read_text(encoding="utf-8-sig")
