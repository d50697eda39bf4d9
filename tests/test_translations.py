"""Translation coverage per file, field and language (`detente validate --languages`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from detente.cli import app
from detente.meeting.loader import load_meeting
from detente.translations import coverage, report

Edit = Callable[[Path, Callable[[str], str]], Path]


def test_coverage_counts_missing_translations_per_field(
    harbour: Path, edited_meeting: Edit
) -> None:
    folder = edited_meeting(
        harbour,
        lambda t: t.replace(
            "title: Baltic Harbour Safety Dialogue",
            "title: {en: Baltic Harbour Safety Dialogue, pl: Bałtycki dialog}",
            1,
        ),
    )
    cov = coverage(load_meeting(folder))
    assert cov.languages == ("pl", "de")
    title = next(f for f in cov.fields if f.file == "meeting.yaml" and f.field == "meeting.title")
    assert title.texts == 1 and title.missing == {"de": 1}
    items = next(f for f in cov.fields if f.field == "programme[].items[].title")
    assert items.texts > 1 and items.missing == {"pl": items.texts, "de": items.texts}
    assert cov.missing("pl") == cov.missing("de") - 1
    lines = report(cov, ["en", "pl", "de"])
    assert any(line.startswith("pl: ") and "missing" in line for line in lines)
    # neither Polish nor German has a document or interface catalog: said, and counted
    assert lines[-1] == "2 language(s) without a document catalog, 2 without an interface catalog"


def test_validate_languages_prints_the_table(korea: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(korea), "--languages"])
    assert result.exit_code == 0, result.output
    assert "meeting.yaml" in result.output and "programme[].items[].title" in result.output
    assert "scenario.yaml" in result.output and "statements.yaml" in result.output


def test_inject_sender_and_method_are_counted(korea: Path) -> None:
    cov = coverage(load_meeting(korea))
    fields = {f.field: f for f in cov.fields if f.file == "scenario.yaml"}
    for name in ("msel[].from", "msel[].method"):
        assert fields[name].texts > 0
        assert set(fields[name].missing) <= set(cov.languages)
