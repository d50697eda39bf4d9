"""Render a document as one self-contained HTML page (Jinja2).

Self-contained: CSS inline, figures inlined as SVG, no script, no external font or image, so the
file opens from a USB stick in a hotel room. It prints well: A4 `@page` rules with the marking
(e.g. CONFIDENTIAL) and page numbers in the page margins, page breaks before the sections that
ask for one, table headers repeated across pages. The font stack names Noto first and then the
platform's CJK and Cyrillic fonts, so Chinese and Russian render wherever the page is opened.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from detente.document.model import Block, Document

FONT_STACK = (
    '"Noto Sans", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
    '"Microsoft YaHei", "Segoe UI", Roboto, "DejaVu Sans", system-ui, sans-serif'
)

_PROLOGUE = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", re.IGNORECASE)


def inline_svg(svg: str) -> Markup:
    """An SVG document made embeddable: XML declaration and DOCTYPE removed. The SVG comes from
    our own plotting and QR code, never from user input."""
    return Markup(_PROLOGUE.sub("", svg, count=1))


def css_string(text: str) -> Markup:
    """A CSS string literal (for `content:`), safe inside a <style> element."""
    out = []
    for ch in text:
        if ch in '"\\' or ch in "<>&" or ord(ch) < 32:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return Markup('"' + "".join(out) + '"')


def lines(text: str) -> Markup:
    """Escape text and keep its line breaks."""
    return Markup("<br>").join(escape(part) for part in text.split("\n"))


def percent(widths: Sequence[float]) -> list[int]:
    total = sum(widths) or 1.0
    return [round(100 * w / total) for w in widths]


def block_kind(block: Block) -> str:
    return type(block).__name__


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("detente", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.filters.update(
        inline_svg=inline_svg,
        css_string=css_string,
        lines=lines,
        percent=percent,
        block_kind=block_kind,
    )
    return env


def render_html(doc: Document) -> str:
    """The document as a complete HTML page."""
    template = environment().get_template("report/document.html")
    return template.render(doc=doc, fonts=Markup(FONT_STACK)) + "\n"
