"""Render a document as Markdown (CommonMark with GitHub tables).

Text is escaped so that what a participant typed shows literally; figures are embedded as SVG
data URIs with their description as alt text, so the file stays self-contained.
"""

from __future__ import annotations

import base64
import re

from detente.document.model import (
    Block,
    BulletList,
    Document,
    Figure,
    Heading,
    KeyValue,
    PageBreak,
    Paragraph,
    Table,
)

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~!])")
_LINE_START = re.compile(r"^(\s*)([-+]|\d+[.)])(\s)", re.MULTILINE)


def escape(text: str) -> str:
    """Escape Markdown syntax in plain text (inline context)."""
    out = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(r"\1\\\2\3", out)


def _cell(text: str) -> str:
    return escape(text).replace("\n", "<br>") or " "


def _table(columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> list[str]:
    out = ["| " + " | ".join(_cell(c) for c in columns) + " |"]
    out.append("|" + "|".join("---" for _ in columns) + "|")
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*out, ""]


def _pairs(rows: tuple[tuple[str, str], ...]) -> list[str]:
    return [
        f"- **{escape(k)}:** {escape(v).replace(chr(10), '  ' + chr(10) + '  ')}" for k, v in rows
    ]


def _block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return ["#" * (block.level + 1) + " " + escape(block.text), ""]
    if isinstance(block, Paragraph):
        text = escape(block.text).replace("\n", "  \n")
        if block.lead:
            text = f"**{escape(block.lead_text)}** {text}"
        if block.tone == "note":
            return ["> " + text.replace("\n", "\n> "), ""]
        if block.tone == "muted":
            return [f"*{text}*" if "\n" not in text else text, ""]
        return [text, ""]
    if isinstance(block, BulletList):
        marks = [f"{i}." if block.ordered else "-" for i in range(1, len(block.items) + 1)]
        return [
            f"{m} {escape(item).replace(chr(10), '  ' + chr(10) + '   ')}"
            for m, item in zip(marks, block.items, strict=True)
        ] + [""]
    if isinstance(block, Table):
        return _table(block.columns, block.rows)
    if isinstance(block, KeyValue):
        return [*_pairs(block.rows), ""]
    if isinstance(block, Figure):
        data = base64.b64encode(block.svg.encode("utf-8")).decode("ascii")
        alt = escape(block.alt)
        return [f"![{alt}](data:image/svg+xml;base64,{data})", "", f"*{escape(block.caption)}*", ""]
    if isinstance(block, PageBreak):
        return []
    raise TypeError(f"unknown block {block!r}")


def render_markdown(doc: Document) -> str:
    """The document as Markdown."""
    lines = []
    if doc.marking_text:
        lines += [f"**{escape(doc.marking_text)}**", ""]
    lines += [f"# {escape(doc.title)}", "", f"*{escape(doc.subtitle)}*", ""]
    if doc.cover:
        lines += [*_pairs(doc.cover), ""]
    if doc.notice:
        lines += [f"> **{escape(doc.notice)}**", ""]
    for section in doc.sections:
        lines += [f"## {escape(section.title)}", ""]
        for block in section.blocks:
            lines += _block(block)
    if doc.footer:
        lines += ["---", "", escape(doc.footer), ""]
    return "\n".join(lines).rstrip() + "\n"
