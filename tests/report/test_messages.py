"""The documents' one message mechanism: catalogs complete and up to date with the source, plural
forms, English fallback for a language without a catalog, dates from Babel."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from detente.catalogs import LOCALE_DIR
from detente.document.messages import Messages, extract, source_files

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
FOLDERS = ("zh_Hans", "ru")


def _po(folder: str) -> Catalog:
    with (LOCALE_DIR / folder / "LC_MESSAGES" / "reports.po").open("rb") as fh:
        return read_po(fh, locale=folder)


@pytest.fixture(scope="module")
def template() -> Catalog:
    return extract()


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_source_message_has_every_form_with_its_placeholders(
    folder: str, template: Catalog
) -> None:
    catalog = _po(folder)
    assert len(template) > 150
    missing = []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        forms = entry.string if entry is not None and isinstance(entry.string, tuple) else (None,)
        if entry is not None and not isinstance(entry.string, tuple):
            forms = (entry.string,)
        if entry is None or not all(forms):
            missing.append((message.context, message.id))
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set(PLACEHOLDER.findall(english[-1]))
        if message.pluralizable:
            assert entry.pluralizable, (folder, message.id)
            assert len(forms) == catalog.num_plurals, (folder, message.id)
        for form in forms:
            assert form is not None
            assert set(PLACEHOLDER.findall(form)) == wanted, (folder, message.id, form)
    assert missing == [], f"{folder}: no translation (run scripts/reports_catalogs.py)"


@pytest.mark.parametrize("folder", FOLDERS)
def test_catalog_holds_only_messages_of_the_source(folder: str, template: Catalog) -> None:
    source = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in template if m.id}
    held = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in _po(folder) if m.id}
    assert held - source == set(), "stale messages: run scripts/reports_catalogs.py"


def test_a_message_is_the_catalog_text() -> None:
    assert Messages("zh")("Participants") == "与会者"
    assert Messages("ru")("Delegation: %(name)s", name="Канада") == "Делегация: Канада"
    assert Messages("ru").c("ballot", "Statement") == "Утверждение"
    assert Messages("ru").c("handout", "Statement") == "Заявление"


def test_russian_counts_take_one_few_many() -> None:
    ru = Messages("ru")
    singular = "In each move your delegation submits one decision: up to %(n)s action and a "
    singular += "short statement."
    plural = singular.replace("action ", "actions ")
    got = [ru.n(singular, plural, n).split("не более ")[1].split(" и ")[0] for n in (1, 2, 5, 21)]
    assert got == ["1 действия", "2 действий", "5 действий", "21 действия"]
    en = Messages("en")
    assert "up to 1 action and" in en.n(singular, plural, 1)
    assert "up to 5 actions and" in en.n(singular, plural, 5)


def test_a_language_without_a_catalog_falls_back_to_english_with_a_warning() -> None:
    fr = Messages("fr")
    assert fr("Participants") == "Participants"
    assert fr.date(dt.date(2024, 8, 24)) == "24 August 2024"
    (warning,) = fr.warnings()
    assert "'fr'" in warning and "English" in warning
    assert Messages("zh").warnings() == [] and Messages("en").warnings() == []


def test_dates_and_ranges_come_from_the_locale() -> None:
    start, end = dt.date(2024, 8, 24), dt.date(2024, 8, 26)
    assert Messages("en").date(start) == "24 August 2024"
    assert Messages("zh").date(start) == "2024年8月24日"
    assert Messages("ru").date(start) == "24 августа 2024\u202fг."
    assert Messages("en").dates(start, end) == "24\u2009–\u200926 August 2024"
    assert Messages("zh").dates(start, end) == "2024年8月24日\u2009–\u200926日"
    assert Messages("ru").dates(start, end) == "24—26 августа 2024\u202fг."
    sept = "24 августа — 2 сентября 2024\u202fг."
    assert Messages("ru").dates(start, dt.date(2024, 9, 2)) == sept
    assert Messages("en").dates(start, start) == "24 August 2024"


def test_a_value_ending_in_a_full_stop_takes_the_sentence_stop() -> None:
    baseline = "The scenario is set as of %(date)s. It is hypothetical."
    assert Messages("ru")(baseline, date="31 июля 2024 г.") == (
        "Сценарий исходит из положения на 31 июля 2024 г. Он гипотетический."
    )


def test_catalogs_are_regenerated_from_the_source() -> None:
    script = Path(__file__).resolve().parents[2] / "scripts" / "reports_catalogs.py"
    done = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_every_counted_call_is_extracted_as_a_plural(template: Catalog) -> None:
    """Babel reads a bare name equal to a keyword as a call and can cut a plural short: every
    `ngettext(`, `_n(` and `_nc(` call in the source must come out as a plural message."""
    calls = 0
    for path in source_files():
        calls += len(re.findall(r"\b(?:ngettext|_n|_nc)\(\s*\"", path.read_text(encoding="utf-8")))
    plurals = sum(len(m.locations) for m in template if m.pluralizable)
    assert calls == plurals > 40
