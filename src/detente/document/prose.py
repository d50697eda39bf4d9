"""Generated prose in a document's language: messages, plurals, lists, quotations, sentences.

The sentences that documents *write* (the meeting report's executive summary and the sessions
at a glance) are English msgids translated by the Babel message catalogs the web interface
uses, in their own domain: ``detente/locale/<dir>/LC_MESSAGES/reports.po`` (``zh_Hans``,
``ru``). The catalogs are compiled in memory (:mod:`detente.catalogs`), so the ``.po`` files
are the only source; ``tests/document/test_prose.py`` checks that every message used in the
report modules is translated with the same placeholders and every plural form.

Plurals follow the catalog's ``Plural-Forms`` (Babel writes them from CLDR: one/other in English,
one/few/many in Russian — 1, 2, 5, 21 take "одно", "два", "пять", "двадцать одно" forms —
one form in Chinese). Lists are joined as the language joins them ("a, b and c", "a、b和c",
"a, b и c"); quotations use the language's marks (“…”, «…»); a sentence never ends in a double
full stop and Chinese text gets full-width punctuation.

A counted noun inside a sentence is a plural message with a context naming its case
(:meth:`Prose._nc`): Russian declines "5 мер" (nominative, genitive) and "1 меру" (accusative)
differently, so one msgid per case.

Contract: :meth:`Prose._` and :meth:`Prose._n` return the English msgid (filled) when a message
has no translation; such a miss is a test failure, not a runtime fallback the reader sees marked.
Content (titles, labels, statement texts) is never passed through the catalog: it comes
translated from the input files (:func:`detente.document.localize.local`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from detente.catalogs import catalog

DOMAIN = "reports"
LANGUAGES = ("en", "zh", "ru")
"""Languages the report prose is written in (a document in another language gets English)."""


def _marked(text: str) -> bool:
    return text.startswith("[en] ")


@dataclass(frozen=True)
class Prose:
    """Message lookup and sentence craft for one document language (`en`, `zh`, `ru`)."""

    language: str

    @property
    def lang(self) -> str:
        return self.language if self.language in LANGUAGES else "en"

    def _(self, msgid: str, **params: Any) -> str:
        """The translated message with its `%(name)s` placeholders filled."""
        text = catalog(self.lang, DOMAIN).gettext(msgid)
        return text % params if params else text

    def _n(self, singular: str, plural: str, n: int, **params: Any) -> str:
        """The plural form for `n` (the catalog's Plural-Forms rule), `%(n)s` filled."""
        return catalog(self.lang, DOMAIN).ngettext(singular, plural, n) % {"n": n, **params}

    def _nc(self, context: str, singular: str, plural: str, n: int, **params: Any) -> str:
        """A counted noun phrase in a grammatical case (`context`: `nominative`, `accusative`,
        `genitive`): English and Chinese need one form, Russian declines the noun."""
        found = catalog(self.lang, DOMAIN).npgettext(context, singular, plural, n)
        return found % {"n": n, **params}

    def join(self, items: Sequence[str], conjunction: str = "and") -> str:
        """`a`, `a and b`, `a, b and c` — in Chinese `a、b和c`, in Russian `a, b и c`;
        `conjunction` is `and` or `or`."""
        items = [i for i in items if i]
        if len(items) <= 1:
            return "".join(items)
        if self.lang == "zh":
            word = "和" if conjunction == "and" else "或"
            return "、".join(items[:-1]) + word + items[-1]
        if self.lang == "ru":
            word = "и" if conjunction == "and" else "или"
            return f"{', '.join(items[:-1])} {word} {items[-1]}"
        return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"

    def series(self, items: Sequence[str]) -> str:
        """Clauses in a row, each a complete clause: `a; b; c` (Chinese `a；b；c`)."""
        return ("；" if self.lang == "zh" else "; ").join(i for i in items if i)

    def quote(self, text: str) -> str:
        """A quotation without its closing full stop, in the language's quotation marks (a
        text marked as untranslated keeps its marker outside the quotation)."""
        core = text.strip()
        marker = ""
        if _marked(core):
            marker, core = "[en] ", core[5:]
        core = core.rstrip("。.")
        if self.lang == "ru":
            return f"{marker}«{core}»"
        return f"{marker}“{core}”"

    def lower_first(self, text: str) -> str:
        """A label used inside a sentence: first letter lower-cased in English and Russian,
        unless the label starts with an acronym (`DPRK nuclear test` stays)."""
        if self.lang == "zh" or not text or _marked(text):
            return text
        first = text.split(" ", 1)[0]
        if len(first) > 1 and first[:2].isupper():
            return text
        return text[:1].lower() + text[1:]

    def sentence(self, text: str) -> str:
        """A finished sentence or paragraph: no double full stop, Chinese punctuation."""
        text = re.sub(r"(?<!\.)\.\.(?=\s|$)", ".", text.strip())  # not an ellipsis
        if self.lang == "zh":
            text = text.replace("。。", "。").replace(".。", "。").replace("。.", "。")
            from detente.document.localize import typography

            text = typography(text, "zh")
            text = re.sub(r"(?<=[。；：！？，、])\s+", "", text)
        return text

    def lead(self, text: str) -> str:
        """A paragraph's bold lead; in Chinese closed by "。" (renderers close others with ".")."""
        return text + "。" if self.lang == "zh" else text

    def number(self, value: float, digits: int = 1) -> str:
        """A decimal number as the language writes it (`4.7`, `4,7`)."""
        text = f"{value:.{digits}f}"
        return text.replace(".", ",") if self.lang == "ru" else text


__all__ = ["DOMAIN", "LANGUAGES", "Prose"]
