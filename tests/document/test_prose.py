"""Report prose in English, Chinese and Russian: catalogs complete, plurals right, the Korea
meeting report's executive summary written in the document's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from detente.catalogs import LOCALE_DIR
from detente.document.context import Audience
from detente.document.model import BulletList, Paragraph
from detente.document.prose import Prose
from detente.document.sections import Request, build
from tests.rendered import Rendered

SRC = Path(__file__).resolve().parents[2] / "src" / "detente"
PROSE_MODULES = [
    SRC / "meeting_report" / "executive_summary.py",
    SRC / "meeting_report" / "sections.py",
    SRC / "document" / "simulation.py",
]
KEYWORDS = {"_": None, "_n": (1, 2), "_nc": ((1, "c"), 2, 3), "N_": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _used() -> set[tuple[str | None, str | tuple[str, str]]]:
    found: set[tuple[str | None, str | tuple[str, str]]] = set()
    for path in PROSE_MODULES:
        for _, message, _, context in extract_from_file("python", path, keywords=KEYWORDS):
            if isinstance(message, tuple):
                found.add((context, (message[0], message[1])))
            else:
                found.add((context, message))
    return found


@pytest.mark.parametrize("folder", ["zh_Hans", "ru"])
def test_every_report_message_is_translated_with_its_placeholders(folder: str) -> None:
    with (LOCALE_DIR / folder / "LC_MESSAGES" / "reports.po").open("rb") as fh:
        catalog = read_po(fh)
    used = _used()
    assert len(used) > 60
    for context, msgid in used:
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        entry = catalog.get(key, context=context)
        assert entry is not None and entry.string, (folder, context, msgid)
        wanted = set(PLACEHOLDER.findall(msgid[1] if isinstance(msgid, tuple) else msgid))
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if isinstance(msgid, tuple):
            assert len(forms) == catalog.num_plurals, (folder, msgid)
        for form in forms:
            assert form, (folder, msgid)
            assert set(PLACEHOLDER.findall(form)) == wanted, (folder, msgid, form)


def test_russian_plurals_take_three_forms() -> None:
    p = Prose("ru")
    rated = [
        p._n("Participants rated %(n)s measure.", "Participants rated %(n)s measures.", n)
        for n in (1, 2, 5, 21)
    ]
    assert rated == [
        "Участники оценили 1 меру.",
        "Участники оценили 2 меры.",
        "Участники оценили 5 мер.",
        "Участники оценили 21 меру.",
    ]
    moves = [p._n("The tabletop exercise ran for %(n)s move.", "x %(n)s", n) for n in (1, 2, 5, 21)]
    assert [m.split()[-1] for m in moves] == ["ход.", "хода.", "ходов.", "ход."]
    assert p._nc("genitive", "%(n)s delegation", "%(n)s delegations", 21) == "21 делегации"
    assert p._nc("accusative", "%(n)s expert", "%(n)s experts", 5) == "5 экспертов"
    en = Prose("en")
    assert en._n("Participants rated %(n)s measure.", "Participants rated %(n)s measures.", 1) == (
        "Participants rated 1 measure."
    )
    assert en._n("Participants rated %(n)s measure.", "Participants rated %(n)s measures.", 21) == (
        "Participants rated 21 measures."
    )
    zh = Prose("zh")
    assert zh._n("Participants rated %(n)s measure.", "x", 21) == "与会者对21项措施进行了评分。"


def test_lists_quotes_and_sentences_follow_the_language() -> None:
    assert Prose("en").join(["a", "b", "c"]) == "a, b and c"
    assert Prose("ru").join(["a", "b", "c"]) == "a, b и c"
    assert Prose("zh").join(["甲", "乙", "丙"]) == "甲、乙和丙"
    assert Prose("zh").join(["甲", "乙"], "or") == "甲或乙"
    assert Prose("ru").quote("Текст.") == "«Текст»"
    assert Prose("en").quote("[en] Text.") == "[en] “Text”"
    assert Prose("ru").sentence("24 августа 2024 г..") == "24 августа 2024 г."
    assert Prose("en").sentence("It waits... then acts.") == "It waits... then acts."
    assert Prose("zh").sentence("第一句。 第二句,第三句。。") == "第一句。第二句，第三句。"


def _summary(r: Rendered, language: str) -> tuple[list[str], list[str]]:
    request = Request("meeting", Audience("public"), language, f"meeting-report-{language}")
    doc = build(request, r.inputs.context(request))
    section = doc.section("executive-summary")
    assert section is not None
    paragraphs = [b.text for b in section.blocks if isinstance(b, Paragraph)]
    paragraphs += [b.lead for b in section.blocks if isinstance(b, Paragraph) and b.lead]
    lines = [i for b in section.blocks if isinstance(b, BulletList) for i in b.items]
    return paragraphs, lines


def _without_content(text: str) -> str:
    """The generated prose: quotations and texts marked as untranslated removed."""
    text = re.sub(r"“[^”]*”|«[^»]*»", " ", text)
    return re.sub(r"\[en\] [^、，,;；。]*", " ", text)


ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}\b")
"""Three English words in a row: an untranslated sentence."""


@pytest.mark.parametrize(
    ("language", "script"), [("zh", r"[\u4e00-\u9fff]"), ("ru", r"[А-Яа-яЁё]")]
)
def test_korea_summary_is_written_in_the_document_language(
    rendered: dict[str, Rendered], language: str, script: str
) -> None:
    paragraphs, lines = _summary(rendered["korea-2024"], language)
    text = "\n".join(paragraphs + lines)
    assert len(paragraphs) >= 6 and len(lines) == 7
    for chunk in paragraphs + lines:
        assert re.search(script, chunk), chunk
        generated = _without_content(chunk)
        leak = ENGLISH_RUN.search(generated)
        assert leak is None, (leak.group(0) if leak else "", chunk)
    assert ".." not in text and "。。" not in text and "(s)" not in text
    if language == "zh":
        assert not re.search(r"[\u4e00-\u9fff][,;:]|[,;:][\u4e00-\u9fff]", _without_content(text))
        assert "、" in text
    else:
        assert " и " in text


def test_english_summary_unchanged_in_substance(rendered: dict[str, Rendered]) -> None:
    paragraphs, lines = _summary(rendered["korea-2024"], "en")
    text = " ".join(paragraphs)
    assert "The tabletop exercise ran for" in text and "[en]" not in text
    assert all(not re.search(r"[\u4e00-\u9fff]", line) for line in lines)
