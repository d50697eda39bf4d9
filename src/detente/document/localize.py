"""Content in a document's language: translated fields, visible markers where a translation is
missing, and the typography of the language.

Contract of :func:`local`: a field is either a plain string (taken to be English, the meeting
file's default) or a translation map (a :class:`~detente.ttx.scenario.Text`, any object with
per-language attributes, or a mapping of language code to text). In a non-English document a
field without a translation in that language is printed in English behind :data:`MARKER` and
counted on the context (``ctx.missing_texts``), so the pack says what is untranslated and the
command's warning says how much. Names of people are not passed through here: they keep the
meeting file's form.

Typography: Chinese text gets full-width punctuation (``，：；（）“”``) where an ASCII mark touches
a Chinese character, and lists of names are joined with the enumeration comma ``、``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from detente.document.context import ReportContext
from detente.document.model import Block, BulletList, Paragraph
from detente.text import Text

MARKER = "[en] "
"""Printed before an English text standing in for a missing translation."""

_CJK = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
_FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}


def translations(value: object, language: str) -> tuple[str, str | None]:
    """(English text, text in `language` or None) of a field of any supported shape."""
    if value is None:
        return "", None
    if isinstance(value, Text):
        return str(value), value.translation(language)
    if isinstance(value, str):
        return value, (value if language == "en" else None)
    if isinstance(value, Mapping):
        english = str(value.get("en") or "")
        found = value.get(language)
        return english, (str(found) if found else None)
    english = str(getattr(value, "en", "") or "")
    found = getattr(value, language, None) if language.isidentifier() else None
    return english, (str(found) if found else None)


def local(ctx: ReportContext, value: object) -> str:
    """A content field in the document's language, or English behind :data:`MARKER` (counted)."""
    english, found = translations(value, ctx.language)
    if ctx.language == "en":
        return english
    if found is None:
        if not english:
            return ""
        ctx.missing_texts += 1
        return MARKER + english
    return typography(found, ctx.language)


def typography(text: str, language: str) -> str:
    """Full-width punctuation in Chinese where an ASCII mark touches a Chinese character, and
    Chinese quotation marks for straight quotes in Chinese text; other languages unchanged."""
    if language != "zh" or not re.search(_CJK, text):
        return text
    for ascii_mark, full in _FULL.items():
        mark = re.escape(ascii_mark)
        text = re.sub(rf"(?<={_CJK}){mark}\s*", full, text)
        text = re.sub(rf"{mark}(?={_CJK})", full, text)
    quotes = iter(["“", "”"] * (text.count('"') // 2 + 1))
    if text.count('"') % 2 == 0:
        text = re.sub('"', lambda _m: next(quotes), text)
    return text


def join_names(ctx: ReportContext, names: Iterable[str]) -> str:
    """A list of names joined as the language joins an enumeration."""
    return ("、" if ctx.language == "zh" else ", ").join(names)


_ITEM = re.compile(r"^\s*(\d+[.)]|[-*•])\s+")


def text_blocks(text: str) -> list[Block]:
    """Text split at blank lines into paragraphs; a run of lines starting `1.` `2.` … (or `-`)
    becomes a numbered (or bulleted) list, a line not starting so continues the item above."""
    blocks: list[Block] = []
    for chunk in text.split("\n\n"):
        lines = [line for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if not _ITEM.match(lines[0]):
            blocks.append(Paragraph(" ".join(" ".join(lines).split())))
            continue
        items: list[str] = []
        ordered = _ITEM.match(lines[0]).group(1)[0].isdigit()  # type: ignore[union-attr]
        for line in lines:
            match = _ITEM.match(line)
            if match:
                items.append(line[match.end() :].strip())
            else:
                items[-1] = f"{items[-1]} {line.strip()}"
        blocks.append(BulletList(tuple(" ".join(i.split()) for i in items), ordered=ordered))
    return blocks


def local_blocks(ctx: ReportContext, value: object) -> list[Block]:
    """A long content field as paragraphs and lists (:func:`text_blocks`) in the document's
    language; an untranslated field is counted once and every paragraph and item is marked."""
    english, found = translations(value, ctx.language)
    if ctx.language == "en" or found is not None:
        return text_blocks(local(ctx, value))
    if not english:
        return []
    ctx.missing_texts += 1
    out: list[Block] = []
    for block in text_blocks(english):
        if isinstance(block, Paragraph):
            out.append(Paragraph(MARKER + block.text, block.lead, block.tone))
        elif isinstance(block, BulletList):
            out.append(BulletList(tuple(MARKER + i for i in block.items), block.ordered))
    return out


def missing_note(
    ctx: ReportContext, *, pending: int = 0, key: str = "pack.missing_translations"
) -> Paragraph | None:
    """The document's own note of how many texts are shown in English (None when none are);
    `pending` counts untranslated fields printed after the note is made (the title block)."""
    n = ctx.missing_texts + pending
    if ctx.language == "en" or not n:
        return None
    return Paragraph(
        ctx.ngettext(
            "%(n)s text of this pack has no translation yet and is shown in English, marked "
            "%(marker)s.",
            "%(n)s texts of this pack have no translation yet and are shown in English, marked "
            "%(marker)s.",
            n,
            marker=MARKER.strip(),
        )
        if key == "pack.missing_translations"
        else ctx.ngettext(
            "%(n)s text of this sheet has no translation yet and is shown in English, marked "
            "%(marker)s.",
            "%(n)s texts of this sheet have no translation yet and are shown in English, marked "
            "%(marker)s.",
            n,
            marker=MARKER.strip(),
        ),
        tone="note",
    )


__all__ = [
    "MARKER",
    "join_names",
    "local",
    "local_blocks",
    "missing_note",
    "text_blocks",
    "translations",
    "typography",
]


def outcome_label(ctx: ReportContext, outcome_id: str, recorded: str) -> str:
    """An exercise outcome's label from the scenario (translated), else the recorded English
    label."""
    if ctx.scenario is not None:
        for o in ctx.scenario.outcomes:
            if o.id == outcome_id:
                return local(ctx, o.label)
    return local(ctx, recorded)
