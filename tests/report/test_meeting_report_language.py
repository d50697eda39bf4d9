"""The meeting report in Chinese and Russian: every generated sentence, heading and table header
from the catalog, content from the files' translations or marked, plurals agreeing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.document.context import Audience
from detente.document.messages import Messages, extract
from detente.document.model import BulletList, Document, Figure, Heading, Paragraph, Table
from detente.document.prose import Prose
from detente.document.sections import Request, build, edition_slug
from tests.rendered import Rendered

SCRIPTS = {"zh": r"[\u4e00-\u9fff]", "ru": r"[А-Яа-яЁё]"}
MEETINGS = ("korea-2024", "harbour-2025")
MARKED = re.compile(r"\[en\] [^\u4e00-\u9fffА-Яа-яЁё«»“”（）。；]*")
"""A text shown in English for want of a translation, up to the next translated character."""


def meeting_report(r: Rendered, language: str) -> Document:
    request = Request(
        "meeting", Audience("public"), language, edition_slug("meeting-report", language)
    )
    return build(request, r.inputs.context(request))


def units(doc: Document) -> dict[str, list[str]]:
    """The document's text by kind: titles and headings, table headers, everything else."""
    out: dict[str, list[str]] = {"headings": [], "headers": [], "text": []}
    for section in doc.sections:
        out["headings"].append(section.title)
        for block in section.blocks:
            if isinstance(block, Heading):
                out["headings"].append(block.text)
            elif isinstance(block, Paragraph):
                out["text"] += [block.text, *([block.lead] if block.lead else [])]
            elif isinstance(block, BulletList):
                out["text"] += list(block.items)
            elif isinstance(block, Table):
                out["headers"] += list(block.columns)
                out["text"] += [cell for row in block.rows for cell in row]
            elif isinstance(block, Figure):
                out["text"] += [block.caption, block.alt]
    return out


def generated(text: str) -> str:
    """The text less the content shown in English (marked)."""
    return MARKED.sub(" ", text)


def template_fragments() -> set[str]:
    """The literal English pieces of every catalog message with three words or more."""
    found = set()
    for message in extract():
        if not message.id:
            continue
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            for piece in re.split(r"%\(\w+\)s", msgid.replace("%%", "%")):
                piece = piece.strip(" .,;:()—–“”")
                if len(piece.split()) >= 3:
                    found.add(piece)
    return found


@pytest.fixture(scope="module")
def fragments() -> set[str]:
    return template_fragments()


@pytest.mark.parametrize("meeting", MEETINGS)
@pytest.mark.parametrize("language", ["zh", "ru"])
def test_no_sentence_of_the_template_stays_in_english(
    rendered: dict[str, Rendered], fragments: set[str], meeting: str, language: str
) -> None:
    doc = meeting_report(rendered[meeting], language)
    text = units(doc)
    everything = "\n".join(generated(t) for kind in text.values() for t in kind)
    leaks = sorted(f for f in fragments if f in everything)
    assert leaks == []
    assert doc.title.startswith("会议报告" if language == "zh" else "Доклад о встрече")
    assert ".." not in everything and "。。" not in everything and "(s)" not in everything


@pytest.mark.parametrize("meeting", MEETINGS)
@pytest.mark.parametrize("language", ["zh", "ru"])
def test_headings_and_table_headers_are_translated(
    rendered: dict[str, Rendered], meeting: str, language: str
) -> None:
    doc = meeting_report(rendered[meeting], language)
    text = units(doc)
    assert len(text["headings"]) >= 8 and len(text["headers"]) >= 3
    for label in text["headings"] + text["headers"]:
        if label.startswith("[en] ") or label == "#":
            continue  # a content title without a translation, marked
        assert re.search(SCRIPTS[language], label), label
    section_ids = [s.id for s in doc.sections]
    assert "executive-summary" in section_ids and "programme" in section_ids


def test_chinese_report_uses_full_width_punctuation(rendered: dict[str, Rendered]) -> None:
    doc = meeting_report(rendered["korea-2024"], "zh")
    text = "\n".join(generated(t) for kind in units(doc).values() for t in kind)
    assert not re.search(r"[\u4e00-\u9fff][,;:]|[,;:][\u4e00-\u9fff]", text)
    assert "（" in text and "：" in text


def test_english_report_keeps_its_wording(rendered: dict[str, Rendered]) -> None:
    doc = meeting_report(rendered["korea-2024"], "en")
    titles = [s.title for s in doc.sections]
    assert "Programme as held" in titles and "Outcome of every session" in titles
    assert "[en]" not in "\n".join(t for kind in units(doc).values() for t in kind)
    assert doc.warnings == () or all("translation" not in w for w in doc.warnings)


@pytest.mark.parametrize(
    ("singular", "plural", "forms"),
    [
        (
            "The session heard %(n)s intervention. The positions set out, by topic:",
            "The session heard %(n)s interventions. The positions set out, by topic:",
            ["1 выступление", "2 выступления", "5 выступлений", "21 выступление"],
        ),
        (
            "%(n)s public act recorded (see the outcome of the session below).",
            "%(n)s public acts recorded (see the outcome of the session below).",
            ["1 открытое действие", "2 открытых действия", "5 открытых действий", "21 открытое"],
        ),
        (
            "Roadmap chart: %(phases)s; %(n)s measure for further dialogue.",
            "Roadmap chart: %(phases)s; %(n)s measures for further dialogue.",
            ["1 мера", "2 меры", "5 мер", "21 мера"],
        ),
    ],
)
def test_russian_counts_agree_for_1_2_5_21(singular: str, plural: str, forms: list[str]) -> None:
    ru = Messages("ru")
    for n, form in zip((1, 2, 5, 21), forms, strict=True):
        assert form in ru.n(singular, plural, n, phases="…"), (n, form)


def test_russian_counted_nouns_take_their_case() -> None:
    p = Prose("ru")
    phases = [p._nc("prepositional", "%(n)s phase", "%(n)s phases", n) for n in (1, 2, 5, 21)]
    assert phases == ["1 этапе", "2 этапах", "5 этапах", "21 этапе"]
    experts = [p._nc("nominative", "%(n)s expert", "%(n)s experts", n) for n in (1, 2, 5, 21)]
    assert experts == ["1 эксперт", "2 эксперта", "5 экспертов", "21 эксперт"]


def test_report_command_writes_an_edition_per_language(
    rendered: dict[str, Rendered], tmp_path: Path
) -> None:
    from detente.cli import app

    r = rendered["harbour-2025"]
    result = CliRunner().invoke(
        app,
        [
            "report",
            str(r.folder.root),
            "--out",
            str(r.out),
            "--kind",
            "meeting",
            "--format",
            "md",
            "--language",
            "ru",
            "--language",
            "pl",
        ],
    )
    assert result.exit_code == 0, result.output
    ru = (r.out / "reports" / "meeting-report-ru.md").read_text(encoding="utf-8")
    assert "Итоги каждой сессии" in ru
    pl = (r.out / "reports" / "meeting-report-pl.md").read_text(encoding="utf-8")
    assert "Outcome of every session" in pl
    assert "no document catalog for language 'pl'" in result.output
