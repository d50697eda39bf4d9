"""Render a document as PDF with Typst (the PyPI `typst` package: the compiler in-process).

Why Typst: one ~35 MB wheel with no system dependency besides fonts, a compile of a 20-page
document in tens of milliseconds, real typography (CJK line breaking, hyphenation, repeated
table headers), and fonts embedded and subset in the PDF. (A browser engine would need Chromium;
WeasyPrint needs Pango and is an order of magnitude slower; LaTeX needs a TeX installation.)

Escaping. The generated Typst source never puts document text in *markup* mode, where a dozen
characters (`#`, `*`, `_`, `$`, `[`, `]`, `<`, `@`, `=` …) mean something. Every piece of text is
a Typst *string literal* in code mode (``par("…")``, ``table(…, "cell")``), and a string literal
has exactly four escapes to get right: backslash, double quote, and control characters
(:func:`typst_string`). Whatever a participant typed is printed verbatim.

Fonts. Noto Sans (Latin, Cyrillic, Greek) and Noto Sans CJK SC (Chinese) from Debian's
`fonts-noto-core` and `fonts-noto-cjk`, found under the usual font folders or the folders in
`DETENTE_FONT_DIRS` (separated by the path separator). Only those folders are given to the
compiler (system fonts are ignored) so output does not depend on what else is installed. A
missing font is a warning naming the Debian package, and the PDF falls back to Typst's built-in
fonts (which have no CJK glyphs).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import typst

from detente.document.model import (
    Block,
    BulletList,
    Document,
    Figure,
    Heading,
    KeyValue,
    PageBreak,
    Paragraph,
    Section,
    Table,
)

FONTS: dict[str, tuple[str, str]] = {
    "Noto Sans": ("NotoSans-Regular.ttf", "fonts-noto-core"),
    "Noto Sans CJK SC": ("NotoSansCJK-Regular.ttc", "fonts-noto-cjk"),
}
"""Font family → (a file that proves it is installed, the Debian package that provides it)."""
FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    str(Path.home() / ".local/share/fonts"),
    str(Path.home() / ".fonts"),
)
ACCENT = "#1f4e8c"
MARK = "#9b1c1c"


class PdfError(Exception):
    """Typst could not compile the generated source (a bug in this module, never bad input)."""


def typst_string(text: str) -> str:
    """A Typst string literal holding exactly `text`."""
    out = ['"']
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _content(text: str) -> str:
    """Text as a content expression; line breaks become `linebreak()`."""
    if "\n" not in text:
        return typst_string(text)
    parts = ", ".join(typst_string(p) for p in text.split("\n"))
    return f"({parts},).join(linebreak())"


@dataclass(frozen=True)
class FontSetup:
    """The folders handed to Typst and what could not be found."""

    dirs: tuple[str, ...]
    families: tuple[str, ...]
    missing: tuple[str, ...]


@cache
def font_setup() -> FontSetup:
    """Find the Noto fonts once per process."""
    extra = [d for d in os.environ.get("DETENTE_FONT_DIRS", "").split(os.pathsep) if d]
    wanted = {file: family for family, (file, _) in FONTS.items()}
    found: dict[str, str] = {}
    for root in [*extra, *FONT_DIRS]:
        base = Path(root)
        if not base.is_dir():
            continue
        for path in base.rglob("*"):
            family = wanted.get(path.name)
            if family and family not in found:
                found[family] = str(path.parent)
        if len(found) == len(wanted):
            break
    missing = tuple(
        f"{family} (Debian package {package})"
        for family, (_, package) in FONTS.items()
        if family not in found
    )
    families = tuple(f for f in FONTS if f in found)
    return FontSetup(tuple(sorted(set(found.values()))), families, missing)


@cache
def compiler() -> typst.Compiler:
    """One compiler per process: fonts are scanned once, later compiles reuse them."""
    setup = font_setup()
    return typst.Compiler(font_paths=list(setup.dirs), ignore_system_fonts=True)


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, line: str) -> None:
        self.lines.append(line)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _table(columns: Sequence[str], rows: Iterable[Sequence[str]], widths: Sequence[float]) -> str:
    from detente.report.table_widths import fitted_widths

    cols = ", ".join(f"{w * 1000:.0f}fr" for w in fitted_widths(columns, widths))
    header = ", ".join(f"strong({typst_string(c)})" for c in columns)
    cells = ", ".join(_content(cell) for row in rows for cell in row)
    return (
        f"#table(columns: ({cols},), table.header({header},)"
        + (f", {cells}" if cells else "")
        + ")"
    )


def _block(w: _Writer, block: Block) -> None:
    if isinstance(block, Heading):
        w.add(f"#heading(level: {block.level}, {typst_string(block.text)})")
    elif isinstance(block, Paragraph):
        body = _content(block.text)
        if block.lead:
            body = f'strong({typst_string(block.lead_text)}) + " " + {body}'
        if block.tone == "note":
            w.add(f"#note({body})")
        elif block.tone == "muted":
            w.add(f"#par(text(size: 8.5pt, fill: luma(90), {body}))")
        else:
            w.add(f"#par({body})")
    elif isinstance(block, BulletList):
        fn = "enum" if block.ordered else "list"
        items = ", ".join(_content(i) for i in block.items)
        w.add(f"#{fn}({items},)")
    elif isinstance(block, Table):
        w.add(_table(block.columns, block.rows, block.widths))
    elif isinstance(block, KeyValue):
        cells = ", ".join(f"strong({typst_string(k)}), {_content(v)}" for k, v in block.rows)
        w.add(f"#kv({cells})")
    elif isinstance(block, Figure):
        # A chart as wide as the text floats to the top of a page: one that does not
        # fit where it stands goes to the next page while the text after it fills this one (no
        # near-empty page). Narrower figures (QR codes on join cards) stay in place.
        placement = ", placement: top" if block.width >= FLOAT_WIDTH else ""
        w.add(
            f'#figure(image(bytes({typst_string(block.svg)}), format: "svg", '
            f"width: {block.width * 100:.0f}%), caption: {typst_string(block.caption)}, "
            f"numbering: none{placement})"
        )
    elif isinstance(block, PageBreak):
        if block.room >= 1:
            w.add("#pagebreak(weak: true)")
        else:
            w.add(f"#sectionbreak({block.room * BODY_HEIGHT_MM:.0f}mm)")
    else:  # pragma: no cover - the union is closed
        raise TypeError(f"unknown block {block!r}")


def _preamble(w: _Writer, doc: Document, date: dt.date, families: Sequence[str]) -> None:
    fonts = ", ".join(typst_string(f) for f in families) or '"Libertinus Serif"'
    lang = doc.language if len(doc.language) == 2 else "en"
    region = ', region: "CN"' if lang == "zh" else ""
    mark = typst_string(doc.marking_text)
    w.add(
        f"#set document(title: {typst_string(doc.title)}, "
        f"date: datetime(year: {date.year}, month: {date.month}, day: {date.day}))"
    )
    w.add(f'#set text(font: ({fonts},), size: 10pt, lang: "{lang}"{region})')
    w.add("#set par(leading: 0.7em, spacing: 1.1em)")
    header = (
        f'align(center, text(size: 8pt, weight: "bold", fill: rgb("{MARK}"), tracking: 0.04em, '
        f"upper({mark})))"
        if doc.marking_text
        else "none"
    )
    w.add(
        '#set page(paper: "a4", margin: (x: 17mm, top: 22mm, bottom: 20mm), '
        f"header: {header}, "
        "footer: context { set text(size: 7.5pt, fill: luma(90)); "
        f"{typst_string(doc.footer)}; h(1fr); "
        'counter(page).display("1 / 1", both: true) })'
    )
    w.add(f'#show heading.where(level: 1): set text(size: 14pt, fill: rgb("{ACCENT}"))')
    w.add("#show heading.where(level: 1): it => block(above: 1.6em, below: 0.8em, it)")
    w.add("#show heading.where(level: 2): set text(size: 11.5pt)")
    w.add("#show heading.where(level: 3): set text(size: 10.5pt)")
    w.add("#show heading: set block(sticky: true)")
    w.add(
        "#set table(stroke: (x, y) => (bottom: 0.5pt + luma(200)), inset: 5pt, "
        "fill: (x, y) => if y == 0 { luma(242) })"
    )
    w.add("#show table: set text(size: 9pt)")
    w.add("#show table: set par(justify: false)")
    w.add("#let kv(..cells) = table(columns: (28%, 1fr), fill: none, ..cells)")
    # A section that asks for a new page gets one only when less than its `page_room` of the
    # page is left: a hard break after a table that spilled one row leaves a near-empty page.
    # (An unbreakable empty block of that height moves to the next page when it does not fit;
    # the negative space after it takes its room back. No `context`: it always converges.)
    w.add(
        "#let sectionbreak(room) = { block(breakable: false, height: room, above: 0pt, "
        "below: 0pt)[]; v(-room) }"
    )
    w.add(
        "#let note(body) = block(width: 100%, inset: 7pt, fill: luma(245), "
        f'stroke: (left: 2pt + rgb("{ACCENT}")), body)'
    )


FLOAT_WIDTH = 0.75
"""Figures at least this share of the text width float (see :func:`_block`)."""
BODY_HEIGHT_MM = 297 - 22 - 20
"""The text area's height on the page set up in :func:`_preamble` (A4, top and bottom margins)."""


def _cover(w: _Writer, doc: Document) -> None:
    if doc.marking_text:
        w.add(
            f'#box(stroke: 1.5pt + rgb("{MARK}"), inset: 5pt, text(weight: "bold", '
            f'fill: rgb("{MARK}"), upper({typst_string(doc.marking_text)})))'
        )
    w.add(
        f'#block(above: 1.4em, below: 0.5em, text(size: 20pt, weight: "bold", '
        f"{typst_string(doc.title)}))"
    )
    w.add(
        f'#block(below: 1.2em, text(size: 13pt, fill: rgb("{ACCENT}"), '
        f"{typst_string(doc.subtitle)}))"
    )
    if doc.cover:
        cells = ", ".join(f"strong({typst_string(k)}), {_content(v)}" for k, v in doc.cover)
        w.add(f"#kv({cells})")
    if doc.notice:
        w.add(f"#note(strong({typst_string(doc.notice)}))")


def _section(w: _Writer, section: Section) -> None:
    if section.page_break:
        w.add(f"#sectionbreak({section.page_room * BODY_HEIGHT_MM:.0f}mm)")
    w.add(f"#heading(level: 1, {typst_string(section.title)}) <{section.id}>")
    for block in section.blocks:
        _block(w, block)


def typst_source(doc: Document, date: dt.date, families: Sequence[str] | None = None) -> str:
    """The Typst source of a document (exposed for tests and debugging)."""
    w = _Writer()
    _preamble(w, doc, date, font_setup().families if families is None else families)
    _cover(w, doc)
    for section in doc.sections:
        _section(w, section)
    return w.text()


def render_pdf(doc: Document, date: dt.date) -> tuple[bytes, list[str]]:
    """The document as PDF bytes, with warnings (missing fonts, Typst's own warnings).

    `date` is written as the PDF's creation date, so the same record renders the same bytes.
    """
    setup = font_setup()
    source = typst_source(doc, date, setup.families)
    try:
        pdf, warnings = compiler().compile_with_warnings(input=source.encode("utf-8"))
    except typst.TypstError as exc:
        raise PdfError(f"Typst failed on the generated source: {exc}") from exc
    if not isinstance(pdf, bytes):
        raise PdfError("Typst returned no PDF")
    messages = [f"PDF font not found: {m}" for m in setup.missing]
    messages += [f"typst: {w}" for w in warnings]
    return pdf, messages
