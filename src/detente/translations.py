"""Translation coverage of a meeting folder: which texts are written in which of its languages.

`detente validate --languages` prints, for each file (meeting, scenario, statements, measures) and
each translatable field (`programme[].items[].title`), how many texts the field has and how many
lack a translation in each of the meeting's languages; then, for each language, whether the
documents' fixed wording and the live app's interface have a catalog for it or fall back to
English. A missing translation is shown in English in documents and in the app; this report is
how an organiser finds them before printing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from detente.diagnostics import InputError
from detente.meeting.loader import MeetingFolder
from detente.sourcefile import load_model
from detente.text import FALLBACK, field_pattern, match_language, text_fields


@dataclass
class FieldCoverage:
    """One field of one file: how many non-empty texts, and how many lack each language."""

    file: str
    field: str
    texts: int = 0
    missing: dict[str, int] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Coverage:
    """The coverage of a folder in its `languages` (English, the source, excluded)."""

    languages: tuple[str, ...]
    fields: tuple[FieldCoverage, ...]
    unread: tuple[str, ...] = ()

    def missing(self, language: str) -> int:
        return sum(f.missing.get(language, 0) for f in self.fields)

    @property
    def texts(self) -> int:
        return sum(f.texts for f in self.fields)


def measure(
    file: str, model: BaseModel, languages: Sequence[str], out: dict[tuple[str, str], FieldCoverage]
) -> None:
    """Add the texts of one validated file to `out` (keyed by file and field)."""
    for path, text in text_fields(model):
        if not str(text):
            continue  # an optional text left empty is not a text to translate
        key = (file, field_pattern(path))
        entry = out.setdefault(key, FieldCoverage(file, key[1]))
        entry.texts += 1
        for code in languages:
            if not text.translation(code):
                entry.missing[code] = entry.missing.get(code, 0) + 1


def _optional_files(root: Path) -> list[tuple[str, Callable[[Path], BaseModel]]]:
    """The optional files with translatable text, and how to read each (schema only)."""
    from detente.deliberation.statements import STATEMENTS_FILE, StatementsFile
    from detente.roadmap.measures import Catalog
    from detente.ttx.scenario import Scenario

    def reader(model: type[BaseModel]) -> Callable[[Path], BaseModel]:
        return lambda path: load_model(path, model)[0]

    return [
        ("scenario.yaml", reader(Scenario)),
        (STATEMENTS_FILE, reader(StatementsFile)),
        ("measures.yaml", reader(Catalog)),
    ]


def coverage(folder: MeetingFolder) -> Coverage:
    """Count the folder's texts per file, field and language. A file that does not load is
    listed in `unread` (`detente validate` reports why)."""
    languages = [c for c in folder.meeting.meeting.languages if c.lower() != FALLBACK]
    out: dict[tuple[str, str], FieldCoverage] = {}
    measure("meeting.yaml", folder.meeting, languages, out)
    unread = []
    for name, read in _optional_files(folder.root):
        path = folder.root / name
        if not path.is_file():
            continue
        try:
            model = read(path)
        except InputError:
            unread.append(name)
            continue
        measure(name, model, languages, out)
    return Coverage(tuple(languages), tuple(out.values()), tuple(unread))


def catalogs(languages: Iterable[str]) -> list[tuple[str, bool, bool]]:
    """(language, documents have a catalog, the app's interface has one) for each language."""
    from detente.document.messages import LANGUAGES as DOCUMENT_LANGUAGES
    from detente.web.i18n import LANGUAGES as INTERFACE_LANGUAGES

    return [
        (
            code,
            match_language(code, DOCUMENT_LANGUAGES) is not None,
            match_language(code, INTERFACE_LANGUAGES) is not None,
        )
        for code in languages
    ]


def report(cov: Coverage, all_languages: Sequence[str]) -> list[str]:
    """The coverage as text lines: a table per file, totals, then catalogs."""
    if not cov.languages:
        return ["The meeting's only language is English (meeting.languages); nothing to translate."]
    lines = [f"Translation coverage: missing translations per field ({', '.join(cov.languages)})"]
    width = max([len(f.field) for f in cov.fields] + [5])
    head = f"  {'field':<{width}}  {'texts':>5}" + "".join(f"  {c:>8}" for c in cov.languages)
    current = None
    for entry in cov.fields:
        if entry.file != current:
            current = entry.file
            lines += ["", entry.file, head]
        cells = "".join(f"  {entry.missing.get(c, 0):>8}" for c in cov.languages)
        lines.append(f"  {entry.field:<{width}}  {entry.texts:>5}{cells}")
    lines.append("")
    for code in cov.languages:
        missing = cov.missing(code)
        done = cov.texts - missing
        share = 100 * done / cov.texts if cov.texts else 100.0
        lines.append(
            f"{code}: {done} of {cov.texts} texts translated ({share:.0f}%), {missing} missing "
            "(shown in English)"
        )
    for name in cov.unread:
        lines.append(f"{name}: not counted (it has errors; see above)")
    no_docs = no_app = 0
    for code, documents, interface in catalogs(all_languages):
        if not documents:
            no_docs += 1
            lines.append(
                f"{code}: documents have no catalog for their fixed wording (headings, labels); "
                "it is printed in English"
            )
        if not interface:
            no_app += 1
            lines.append(f"{code}: the app has no interface catalog; its interface shows English")
    lines.append(
        f"{no_docs} language(s) without a document catalog, {no_app} without an interface catalog"
    )
    return lines
