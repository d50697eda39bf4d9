"""Where, in the YAML file, a position inside an expression string is.

An :class:`~detente.ttx.expressions.ExpressionError` knows the line and column of a problem in the
expression *text*; the scenario author needs it in the *file*. The source map gives the position of
the YAML value; this module walks the physical lines of that value to translate, for every scalar
style a scenario uses:

- plain and quoted scalars on one line: the value's column plus the offset (plus one for the quote);
- plain or quoted scalars over several lines, and folded block scalars (``>``): line breaks were
  folded into one space each, so the walk skips blank lines and re-indentation;
- literal block scalars (``|``): the text starts on the next line, every line keeps its breaks, and
  columns are offset by the block's indentation.

Escapes inside double-quoted scalars are not undone, so a column on such a line may be off by the
length of an escape; expressions have no reason to contain escapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class _Piece:
    line: int  # 1-based physical line
    column: int  # 1-based column of the piece's first character
    text: str


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block_pieces(lines: Sequence[str], header_line: int, *, literal: bool) -> list[_Piece]:
    """The content lines of a block scalar whose indicator (`|` or `>`) is on `header_line`."""
    pieces: list[_Piece] = []
    indent: int | None = None
    for number in range(header_line + 1, len(lines) + 1):
        raw = lines[number - 1]
        if not raw.strip():
            if literal:
                pieces.append(_Piece(number, (indent or 0) + 1, ""))
            continue
        if indent is None:
            indent = _indent(raw)
        elif _indent(raw) < indent:
            break
        pieces.append(_Piece(number, indent + 1, raw[indent:]))
    return pieces


def _flow_pieces(lines: Sequence[str], line: int, column: int, *, quoted: bool) -> list[_Piece]:
    """A plain or quoted scalar starting at (line, column), possibly continued on later lines."""
    first = lines[line - 1]
    start = column + (1 if quoted else 0)
    pieces = [_Piece(line, start, first[start - 1 :])]
    for number in range(line + 1, len(lines) + 1):
        raw = lines[number - 1]
        if not raw.strip():
            continue
        pieces.append(_Piece(number, _indent(raw) + 1, raw.strip()))
    return pieces


def _offset(text: str, line: int, column: int) -> int:
    """Character offset of a 1-based (line, column) in `text`."""
    rows = text.split("\n")
    line = max(1, min(line, len(rows)))
    return sum(len(r) + 1 for r in rows[: line - 1]) + max(0, column - 1)


def expression_position(
    lines: Sequence[str],
    value_at: tuple[int, int],
    raw: str,
    stripped: str,
    line: int,
    column: int,
) -> tuple[int, int]:
    """File position of (line, column) in `stripped`, the compiled text of YAML value `raw`.

    `lines` are the file's lines, `value_at` the value's 1-based position from the source map.
    `stripped` is `raw` without surrounding whitespace (what the schema keeps). Returns the
    value's own position when the file cannot be read the expected way.
    """
    value_line, value_column = value_at
    if not 1 <= value_line <= len(lines):
        return value_at
    offset = len(raw) - len(raw.lstrip()) + _offset(stripped, line, column)
    header = lines[value_line - 1]
    style = header[value_column - 1] if 0 < value_column <= len(header) else ""
    literal = style == "|"
    if style in ("|", ">"):
        pieces = _block_pieces(lines, value_line, literal=literal)
    else:
        pieces = _flow_pieces(lines, value_line, value_column, quoted=style in ("'", '"'))
    if literal:
        # A literal block keeps every break, so the offset counts lines exactly.
        rows = raw.split("\n")
        before = raw[:offset].count("\n")
        if before < len(pieces):
            within = offset - sum(len(r) + 1 for r in rows[:before])
            piece = pieces[before]
            return piece.line, piece.column + within
    remaining = offset
    for piece in pieces:
        if remaining <= len(piece.text):
            return piece.line, piece.column + remaining
        remaining -= len(piece.text) + 1
    return value_at
