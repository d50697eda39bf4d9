"""Vietnamese end to end in the second example (examples/sulu-sea-2026): every text a pack, a
move handout or a ballot prints has a `vi` translation, the Namhai delegation's pack and handouts
print the scenario's Vietnamese with no English stand-in, and the MSEL sheet has `vi` columns."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from detente import translations
from detente.cli import app
from detente.document.localize import MARKER
from detente.meeting.loader import load_meeting

ROOT = Path(__file__).resolve().parents[1]
SULU = ROOT / "examples" / "sulu-sea-2026"
runner = CliRunner()


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, f"detente {' '.join(args)}\n{result.output}"
    assert "Traceback" not in result.output
    return result.output


def scenario_vi(*path: str | int) -> str:
    """A Vietnamese text read straight from the example's scenario.yaml (not through detente)."""
    node: object = yaml.safe_load((SULU / "scenario.yaml").read_text(encoding="utf-8"))
    for key in path:
        node = node[key]  # type: ignore[index]
    assert isinstance(node, dict), f"scenario.yaml {path} has no translations"
    return " ".join(str(node["vi"]).split())


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example run once in simulation, with its packs and handouts as Markdown."""
    out = tmp_path_factory.mktemp("sulu-vi")
    invoke("run", str(SULU), "--seed", "1", "--out", str(out))
    for kind in ("pack", "handouts"):
        invoke("report", str(SULU), "--out", str(out), "--kind", kind, "--format", "md")
    return out / "reports"


def test_every_text_of_the_example_has_vietnamese() -> None:
    folder = load_meeting(SULU)
    assert "vi" in folder.meeting.meeting.languages
    cov = translations.coverage(folder)
    assert cov.unread == ()
    assert {f.file for f in cov.fields} == {
        "meeting.yaml",
        "scenario.yaml",
        "statements.yaml",
        "measures.yaml",
    }
    assert cov.texts > 150
    untranslated = [f"{f.file} {f.field}" for f in cov.fields if f.missing.get("vi")]
    assert untranslated == []
    output = invoke("validate", str(SULU), "--languages")
    assert f"vi: {cov.texts} of {cov.texts} texts translated (100%), 0 missing" in output


def test_the_namhai_pack_is_in_vietnamese(reports: Path) -> None:
    pack = " ".join((reports / "pack-NAM.md").read_text(encoding="utf-8").split())
    unescaped = pack.replace("\\[", "[").replace("\\]", "]")
    assert MARKER.strip() not in unescaped
    assert scenario_vi("scenario", "title") in pack
    assert scenario_vi("scenario", "background") in pack
    assert scenario_vi("scenario", "rules_of_play") in pack
    assert scenario_vi("actions", 1, "label") in pack  # an option open to Namhai
    assert "Nguyên Tư lệnh Cảnh sát biển (đã nghỉ hưu)" in pack  # a delegate's position
    # The same pack for an English-speaking delegation has none of it.
    english = (reports / "pack-SEL.md").read_text(encoding="utf-8")
    assert scenario_vi("scenario", "title") not in english


def test_the_namhai_handouts_are_in_vietnamese(reports: Path) -> None:
    moves = yaml.safe_load((SULU / "scenario.yaml").read_text(encoding="utf-8"))["moves"]
    for i, move in enumerate(moves):
        handout = (reports / f"handout-NAM-move-{move['number']}.md").read_text(encoding="utf-8")
        flat = " ".join(handout.split())
        assert scenario_vi("moves", i, "brief") in flat
        for j in range(len(move["questions"]["NAM"])):
            assert scenario_vi("moves", i, "questions", "NAM", j) in flat
        # Only the inject's sender and method (plain strings in the schema) fall back to English.
        marked = [line for line in handout.splitlines() if "\\[en\\]" in line and "**" in line]
        assert all(line.startswith(("- **From:**", "- **By:**")) for line in marked), marked


def test_the_msel_sheet_has_vietnamese_columns(tmp_path: Path) -> None:
    target = tmp_path / "msel.csv"
    invoke("ttx", "msel", "export", str(SULU), "--out", str(target))
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert "Title [vi]" in rows[0] and "Inject Text [vi]" in rows[0]
    assert rows[0]["Title [vi]"] == scenario_vi("msel", 0, "title")
    assert all(row["Inject Text [vi]"] for row in rows)
