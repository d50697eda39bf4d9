"""Babel message catalogs, compiled in memory: one mechanism for every translated message.

Catalogs live in ``detente/locale/<dir>/LC_MESSAGES/<domain>.po`` (dirs ``zh_Hans`` and ``ru``);
the domain ``messages`` is the web interface's, ``reports`` the documents' prose. A ``.po`` file
is read with Babel and compiled to an in-memory ``.mo`` on first use, so no build step is needed
and the ``.po`` files are the only source. English (and any language or domain without a
catalog) is the msgid itself.
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DIRS = {"zh": "zh_Hans", "zh-Hans": "zh_Hans", "ru": "ru"}
"""Language code → catalog directory."""


def catalog_path(language: str, domain: str) -> Path | None:
    """The `.po` file of a language and domain, or None when there is none."""
    folder = DIRS.get(language)
    if folder is None:
        return None
    path = LOCALE_DIR / folder / "LC_MESSAGES" / f"{domain}.po"
    return path if path.exists() else None


@functools.cache
def catalog(language: str, domain: str) -> gettext.NullTranslations:
    """The compiled catalog (NullTranslations: the msgids themselves, for English)."""
    path = catalog_path(language, domain)
    if path is None:
        return gettext.NullTranslations()
    with path.open("rb") as fh:
        messages = read_po(fh, locale=DIRS[language])
    buffer = io.BytesIO()
    write_mo(buffer, messages)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


__all__ = ["DIRS", "LOCALE_DIR", "catalog", "catalog_path"]
