"""The app's languages: Babel message catalogs for the interface, fallbacks for content.

Interface strings are English msgids translated by the catalogs under ``detente/locale/<dir>/
LC_MESSAGES/messages.po`` (`zh_Hans`, `ru`); they are compiled in memory with Babel when the app
starts, so no build step is needed and the `.po` files are the only source. A missing
translation shows the English text.

Content fields of the meeting, scenario and measures files may be a string or a mapping
``{en: …, zh: …, ru: …}``; :func:`localize` picks the person's language and falls back to English.
"""

from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "messages"

LANGUAGES: dict[str, str] = {"en": "English", "zh-Hans": "简体中文", "ru": "Русский"}
"""Interface languages: code → the language's own name."""

_DIRS = {"zh-Hans": "zh_Hans", "ru": "ru"}
_CONTENT_KEYS = {"en": ("en",), "zh-Hans": ("zh-Hans", "zh", "zh-CN"), "ru": ("ru",)}

Translate = Callable[..., str]


def language_for(code: str | None) -> str:
    """The interface language closest to a language code (`zh`, `zh-CN` → `zh-Hans`)."""
    if not code:
        return "en"
    code = code.strip()
    if code in LANGUAGES:
        return code
    base = code.split("-")[0].split("_")[0].lower()
    return {"zh": "zh-Hans", "ru": "ru"}.get(base, "en")


def from_accept_language(header: str | None) -> str:
    """The best interface language for an `Accept-Language` header (English otherwise)."""
    if not header:
        return "en"
    ranked = []
    for index, part in enumerate(header.split(",")):
        lang, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        ranked.append((-weight, index, lang))
    for _, _, lang in sorted(ranked):
        chosen = language_for(lang)
        if chosen != "en" or lang.lower().startswith("en"):
            return chosen
    return "en"


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog of an interface language (NullTranslations for English)."""
    folder = _DIRS.get(language)
    if folder is None:
        return gettext.NullTranslations()
    path = LOCALE_DIR / folder / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=folder)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translator(language: str) -> Translate:
    """`_(msgid, **params)`: the translated message with `%(name)s` placeholders filled."""
    catalog = translations(language_for(language))

    def _(msgid: str, **params: Any) -> str:
        text = catalog.gettext(msgid)
        return text % params if params else text

    return _


def plural_translator(language: str) -> Callable[..., str]:
    """`_n(singular, plural, n, **params)`: the plural form of the language's catalog for `n`
    (Babel's `Plural-Forms`: one/other in English, three forms in Russian, one in Chinese),
    with `%(n)s` and the other placeholders filled."""
    catalog = translations(language_for(language))

    def _n(singular: str, plural: str, n: int, **params: Any) -> str:
        return catalog.ngettext(singular, plural, n) % {"n": n, **params}

    return _n


def localize(value: object, language: str) -> str:
    """A content field in `language`: a plain string as is, a mapping by language with English
    fallback (then any non-empty value)."""
    if isinstance(value, Mapping):
        for key in (*_CONTENT_KEYS.get(language_for(language), ()), "en"):
            text = value.get(key)
            if isinstance(text, str) and text:
                return text
        for text in value.values():
            if isinstance(text, str) and text:
                return text
        return ""
    return "" if value is None else str(value)
