"""The documents' fixed wording through the Babel catalogs, and dates as the language writes them.

Every heading, label, table header and note of a document is an English msgid looked up in the
``reports`` domain (:mod:`detente.catalogs`: ``detente/locale/<dir>/LC_MESSAGES/reports.po``),
the same catalogs the generated prose uses (:class:`detente.document.prose.Prose`). A counted
message is an ``ngettext`` pair, so each language takes its own plural forms (Russian: one, few,
many). Placeholders are ``%(name)s``.

A document asked for in a language without a catalog is written in English, and the fallback is
a warning naming the language and those that have one, so the organiser learns what to translate
(as the web interface falls back for its visitors). A message missing from a shipped catalog is
a test failure (``tests/report/test_messages.py``), not a runtime fallback.

Dates and date ranges come from Babel (CLDR): :meth:`Messages.date` is the locale's long date,
:meth:`Messages.dates` the locale's interval pattern, with the month as wide as in its long date
(``24 – 26 August 2024``, ``2024年8月24日 – 26日``, ``24—26 августа 2024 г.``).

The catalogs are regenerated from the source by ``scripts/reports_catalogs.py``, which extracts
the messages with :data:`KEYWORDS` from :func:`source_files`.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.messages.catalog import Catalog
from babel.messages.extract import extract as babel_extract

from detente.catalogs import catalog

DOMAIN = "reports"
LANGUAGES = ("en", "zh", "ru")
"""Languages with a document catalog (any other language is written in English)."""
LOCALES = {"en": "en_GB", "zh": "zh_Hans", "ru": "ru"}
"""Document language → the Babel locale its dates are written in."""

KEYWORDS: dict[str, Any] = {
    "_": None,
    "gettext": None,
    "N_": None,
    "_n": (1, 2),
    "ngettext": (1, 2),
    "_nc": ((1, "c"), 2, 3),
    "pgettext": ((1, "c"), 2),
}
"""How messages are marked in the source, for extraction: ``p._(msgid)``,
``ctx.gettext(msgid)``, ``N_(msgid)`` (a msgid defined before it is looked up),
``p._n``/``ctx.ngettext(singular, plural, n)``, ``ctx.pgettext(context, msgid)`` and
``p._nc(case, singular, plural, n)`` (a counted noun in a grammatical case). Babel takes any bare
name equal to a keyword for a call, even inside another call's arguments, which is why the
context's methods have gettext's long names (a variable named ``t`` cut a plural short)."""


def N_(msgid: str) -> str:
    """Mark `msgid` for extraction where it is defined; it is translated where it is used."""
    return msgid


def source_files() -> list[Path]:
    """The modules whose messages the ``reports`` catalogs translate: every document module —
    the toolkit's own and, in any package, every module that builds documents with it (imports
    :mod:`detente.document`); the live app's modules have their own catalog."""
    toolkit = Path(__file__).resolve().parent
    package = toolkit.parent
    found = set(toolkit.glob("*.py"))
    for path in package.rglob("*.py"):
        if path.parent.name == "web" or path.name.startswith("web_"):
            continue
        if "from detente.document" in path.read_text(encoding="utf-8"):
            found.add(path)
    return sorted(found)


class Messages:
    """The fixed wording of one document in its language, recording a fallback to English."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.lang = language if language in LANGUAGES else "en"
        self.fallback = self.lang != language and language != "en"

    def __call__(self, msgid: str, **values: object) -> str:
        """The message in the document's language, `%(name)s` placeholders filled."""
        return _fill(catalog(self.lang, DOMAIN).gettext(msgid), values)

    def n(self, singular: str, plural: str, n: int, **values: object) -> str:
        """The plural form for `n` (the catalog's Plural-Forms), `%(n)s` and others filled."""
        return _fill(catalog(self.lang, DOMAIN).ngettext(singular, plural, n), {"n": n, **values})

    def c(self, context: str, msgid: str, **values: object) -> str:
        """A message in a `context` (one English word, several translations)."""
        return _fill(catalog(self.lang, DOMAIN).pgettext(context, msgid), values)

    def warnings(self) -> list[str]:
        """The fallback, as a message for the command to print."""
        if not self.fallback:
            return []
        return [
            f"no document catalog for language '{self.language}' "
            f"(have {', '.join(LANGUAGES)}): its fixed wording is in English"
        ]

    @property
    def locale(self) -> Locale:
        return Locale.parse(LOCALES[self.lang])

    def date(self, day: dt.date) -> str:
        """A date written the way the language writes it (the locale's long date)."""
        return format_date(day, "long", locale=self.locale)

    def time(self, moment: dt.time) -> str:
        """A time of day in the locale's short form (`09:30`)."""
        return format_time(moment, "short", locale=self.locale)

    def day(self, day: dt.date) -> str:
        """A day in a table: weekday, day and month, short (`Sat 24 Aug`, `8月24日周六`)."""
        return format_skeleton("MMMEd", day, locale=self.locale)

    def dates(self, start: dt.date, end: dt.date) -> str:
        """A date range in the locale's interval pattern (CLDR `yMMMd`), the month as wide as
        in the locale's long date: one date when `start == end`."""
        if start == end:
            return self.date(start)
        locale = self.locale
        wide = "MMMM" in str(locale.date_formats["long"].pattern)
        greatest = "y" if start.year != end.year else "M" if start.month != end.month else "d"
        first, second = locale.interval_formats["yMMMd"][greatest]
        if wide:
            first, second = (re.sub("(?<!M)MMM(?!M)", "MMMM", p) for p in (first, second))
        return format_date(start, first, locale=locale) + format_date(end, second, locale=locale)


def _fill(text: str, values: dict[str, Any]) -> str:
    """`text % values` (always: a literal percent sign is written `%%` in every message); a
    value ending in a full stop (`2024 г.`) takes the sentence's own stop."""
    for name, value in values.items():
        if isinstance(value, str) and value.endswith("."):
            text = text.replace(f"%({name})s.", f"%({name})s")
    return text % values


__all__ = ["DOMAIN", "KEYWORDS", "LANGUAGES", "LOCALES", "N_", "Messages", "source_files"]


def extract() -> Catalog:
    """The ``reports`` template: every message of :func:`source_files`, with its context and
    plural, as Babel extracts it with :data:`KEYWORDS` (`python-format` flagged)."""
    template = Catalog(project="detente", version="0.1", domain=DOMAIN)
    root = Path(__file__).resolve().parents[2]
    for path in source_files():
        with path.open("rb") as fh:
            for line, message, comments, context in babel_extract("python", fh, KEYWORDS):
                where = (path.relative_to(root).as_posix(), line)
                flags = ("python-format",) if "%(" in str(message) else ()
                template.add(
                    message, None, [where], auto_comments=comments, flags=flags, context=context
                )
    return template
