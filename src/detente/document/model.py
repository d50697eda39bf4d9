"""The report model: a document is a list of sections, a section a list of typed blocks.

Every renderer (HTML, PDF via Typst, Markdown) walks the same model, so a document says the same
thing in every format and a new renderer is one module. Blocks carry *plain text* only — no
markup of any renderer — and each renderer escapes for its own syntax; a participant who types
`*`, `#`, `<` or `$` in a statement sees exactly that in every format.

Sections are contributed by functions registered with :func:`report_section` (see
:mod:`detente.document.sections`), so the tabletop exercise, common ground and roadmap add their
own sections without this package knowing them. A function returns a :class:`Section`, or None
when its data does not exist yet: a missing section is left out, never filled with placeholder
text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Heading:
    """A subheading inside a section (the section's own title is level 1 of the section)."""

    text: str
    level: int = 2


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of plain text. `lead` is set in bold before the text (e.g. a delegation's
    name); `tone` is `normal`, `note` (a boxed remark) or `muted` (small print)."""

    text: str
    lead: str = ""
    tone: str = "normal"

    @property
    def lead_text(self) -> str:
        """The lead as printed: closed by a full stop unless it ends in its own punctuation
        (a Chinese lead ends in "。")."""
        if not self.lead or self.lead[-1] in ".。:：!?！？":
            return self.lead
        return self.lead + "."


@dataclass(frozen=True, slots=True)
class BulletList:
    """A list of plain-text items, numbered when `ordered`."""

    items: tuple[str, ...]
    ordered: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """A table with a header row. `widths` are relative column widths (renderers may ignore
    them); every row has exactly as many cells as `columns`."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    widths: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(
                    f"row {row!r} has {len(row)} cells for {len(self.columns)} columns"
                )
        if self.widths and len(self.widths) != len(self.columns):
            raise ValueError("widths must match columns")


@dataclass(frozen=True, slots=True)
class KeyValue:
    """A two-column table of labels and values (an overview, an inject's card)."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Figure:
    """A vector figure: a complete SVG document (plots, QR codes). `width` is a fraction of
    the text width; `alt` describes it for readers who cannot see it (and for Markdown)."""

    svg: str
    caption: str
    alt: str
    width: float = 1.0


@dataclass(frozen=True, slots=True)
class PageBreak:
    """Start a new page (paged formats only); with `room` below 1, only when less than that
    share of the page's text area is left (what follows then starts where there is room for a
    real part of it, and no page is left near-empty by a hard break)."""

    room: float = 1.0


Block = Heading | Paragraph | BulletList | Table | KeyValue | Figure | PageBreak


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part of a document.

    `id` is stable (anchors, tests); `annex` marks material outside the body (the participants
    annex of the meeting report — the only place names may appear there); `page_break` starts
    the section on a new page when less than `page_room` of the page's text area is left (in
    PDF: a hard break after a table that spilled one row would leave a near-empty page).
    """

    id: str
    title: str
    blocks: tuple[Block, ...]
    annex: bool = False
    page_break: bool = False
    page_room: float = 0.4


class Marking(StrEnum):
    """How a document is marked on every page."""

    NONE = ""
    CONFIDENTIAL = "confidential"
    CHATHAM_HOUSE = "chatham-house"
    PERSONAL = "personal"


@dataclass(frozen=True, slots=True)
class Document:
    """One document for one audience, in one language.

    `marking_text` is printed in the header of every page (and on top of the HTML page);
    `cover` holds the key facts under the title; `date_text` is when the document describes
    (taken from the meeting and its record, never the wall clock, so renders are reproducible).
    `warnings` lists what fell back (e.g. a missing translation) for the command to print.
    """

    kind: str
    slug: str
    title: str
    subtitle: str
    language: str
    marking: Marking
    marking_text: str
    cover: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    footer: str = ""
    warnings: tuple[str, ...] = field(default=())
    notice: str = ""
    """A disclosure printed at the top, above the first section (e.g. a simulated record)."""

    def section(self, section_id: str) -> Section | None:
        for section in self.sections:
            if section.id == section_id:
                return section
        return None
