"""Regenerate src/detente/locale/{zh_Hans,ru}/LC_MESSAGES/reports.po from the source.

The documents' messages are extracted from the report modules with Babel
(:func:`detente.document.messages.source_files`, keywords
:data:`detente.document.messages.KEYWORDS`) and merged into each language's ``.po`` file: a
translation already there is kept, a new message is added untranslated, a message no longer in
the source is dropped. Babel writes each language's Plural-Forms from CLDR (Russian: one, few,
many; Chinese: one form). The ``.po`` files are where translators work; the documents read them
compiled in memory (:mod:`detente.catalogs`).

Run it after changing a message, then translate the messages it lists as untranslated
(``tests/report/test_messages.py`` fails until every message has every form in zh and ru).

    python scripts/reports_catalogs.py [--check]

``--check`` writes nothing and exits 1 when a catalog is not up to date with the source.
"""

from __future__ import annotations

import io
import sys

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from detente.catalogs import LOCALE_DIR
from detente.document.messages import DOMAIN, extract

FOLDERS = ("zh_Hans", "ru")


def merged(folder: str, template: Catalog) -> Catalog:
    """The language's catalog updated to `template` (translations kept, new ones empty)."""
    path = LOCALE_DIR / folder / "LC_MESSAGES" / f"{DOMAIN}.po"
    if path.exists():
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=folder)
    else:
        catalog = Catalog(locale=folder, project="detente", version="0.1", domain=DOMAIN)
    catalog.update(template, no_fuzzy_matching=True)
    return catalog


def written(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=100,
        sort_output=False,
        ignore_obsolete=True,
        omit_header=False,
        include_lineno=False,  # a file's messages, not its line numbers: edits don't churn
    )
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    check = "--check" in argv
    template = extract()
    stale = 0
    for folder in FOLDERS:
        path = LOCALE_DIR / folder / "LC_MESSAGES" / f"{DOMAIN}.po"
        catalog = merged(folder, template)
        data = written(catalog)
        untranslated = [m.id for m in catalog if m.id and not all(_forms(m.string))]
        old = path.read_bytes() if path.exists() else b""
        if check:
            if _body(data) != _body(old):
                stale += 1
                print(f"{path}: not up to date with the source", file=sys.stderr)
        else:
            path.write_bytes(data)
            print(f"wrote {path} ({len(catalog)} messages, {len(untranslated)} untranslated)")
        for msgid in untranslated:
            print(f"  untranslated: {msgid!r}")
    return 1 if stale else 0


def _forms(string: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if isinstance(string, tuple):
        return string
    return (string or "",)


def _body(data: bytes) -> bytes:
    """The catalog without its header's dates (which change on every write)."""
    return b"\n".join(
        line for line in data.splitlines() if not line.startswith((b'"POT-', b'"PO-'))
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
