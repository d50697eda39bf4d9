"""Tokenizer for the tabletop-exercise expression language.

The lexer is deliberately small and strict: it knows only the characters the language
uses and rejects everything else (strings, Python-only operators, reserved Python words)
with an :class:`ExpressionError` that points at the offending character.  Tokens are
produced lazily so the parser reports the *first* problem in reading order: for
``__import__('os')`` the forbidden call is reported before the string literal is even read.

Positions are 1-based lines and columns counted in code points, relative to the start of
the expression text; :meth:`ExpressionError.located` maps them into a containing file.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "FUNCTIONS",
    "LANGUAGE_WORDS",
    "RESERVED_WORDS",
    "ExpressionError",
    "Token",
    "TokenKind",
    "is_identifier",
    "tokenize",
]

TokenKind = Literal["number", "name", "keyword", "op", "newline", "eof"]

#: Words with a meaning in the language; they can never name a variable or an actor.
LANGUAGE_WORDS: frozenset[str] = frozenset({"and", "or", "not", "true", "false"})

#: Whitelisted functions and their (minimum, maximum) argument counts; ``None`` = unbounded.
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "min": (2, None),
    "max": (2, None),
    "abs": (1, 1),
    "clip": (3, 3),
}

#: Python keywords that are not part of the language.  Rejecting them in the lexer gives a
#: precise message ("lambda expressions are not allowed") instead of "unknown variable".
RESERVED_WORDS: frozenset[str] = frozenset(keyword.kwlist) - LANGUAGE_WORDS

_HINTS: dict[str, str] = {
    "lambda": "lambda expressions are not allowed",
    "True": "'True' is not part of the language; write 'true'",
    "False": "'False' is not part of the language; write 'false'",
    "None": "'None' is not part of the language; there is no null value",
    "is": "'is' is not part of the language; compare with '=='",
    "if": "conditional expressions ('if') are not supported",
    "else": "conditional expressions ('else') are not supported",
    "import": "'import' is not allowed in scenario expressions",
}

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NUMBER_TAIL = re.compile(r"[A-Za-z0-9_.]")

# Longest operators first so that "<=" wins over "<".
_OPERATORS: tuple[str, ...] = (
    "==",
    "!=",
    "<=",
    ">=",
    "+=",
    "-=",
    "*=",
    "/=",
    "<",
    ">",
    "=",
    "+",
    "-",
    "*",
    "/",
    "(",
    ")",
    "[",
    "]",
    ",",
    ";",
    ".",
)

_UNSUPPORTED: dict[str, str] = {
    "**": "'**' (power) is not supported",
    "//": "'//' (floor division) is not supported; '/' is true division",
    "&&": "'&&' is not part of the language; write 'and'",
    "||": "'||' is not part of the language; write 'or'",
    "!": "'!' is not part of the language; write 'not' (or '!=' to compare)",
    "&": "'&' is not part of the language; write 'and'",
    "|": "'|' is not part of the language; write 'or'",
    "%": "'%' (modulo) is not supported",
    "^": "'^' is not supported",
    "~": "'~' is not supported",
    ":": "':' is not part of the language (no lambdas, slices or annotations)",
    "@": "'@' is not supported",
    "{": "'{' is not part of the language",
    "}": "'}' is not part of the language",
    "\\": "'\\' (line continuation) is not supported; wrap the expression in parentheses",
    "`": "'`' is not part of the language",
}

_WHITESPACE = frozenset(" \t\r\f\v")


class ExpressionError(ValueError):
    """A rejected expression, with the 1-based position of the problem in the expression.

    ``line`` and ``column`` are relative to the expression text itself; use
    :meth:`located` to render the position inside the scenario file that contains it.
    """

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message, line, column)
        self.message = message
        self.line = max(1, line)
        self.column = max(1, column)

    def __str__(self) -> str:
        return f"{self.line}:{self.column} {self.message}"

    def located(self, file: str, base_line: int, base_column: int) -> str:
        """Render ``file:LINE:COL message`` for an expression starting at ``base_line:base_column``.

        On the expression's first line the column is offset by ``base_column``; on later
        lines of a multi-line expression only the line is offset and the column is kept
        as-is (it already counts from the start of the physical line).
        """
        line = base_line + self.line - 1
        column = base_column + self.column - 1 if self.line == 1 else self.column
        return f"{file}:{line}:{column} {self.message}"


@dataclass(frozen=True, slots=True)
class Token:
    """One lexical token; ``value`` is the parsed number for ``number`` tokens, else 0."""

    kind: TokenKind
    text: str
    line: int
    column: int
    value: float = 0.0

    def describe(self) -> str:
        """Human-readable name for error messages ("end of input", "'+'", ...)."""
        if self.kind == "eof":
            return "end of input"
        if self.kind == "newline":
            return "end of line"
        return repr(self.text)


def is_identifier(text: str) -> bool:
    """True when ``text`` is an ASCII identifier usable as a variable or actor id."""
    return _IDENTIFIER.fullmatch(text) is not None


def _describe_char(char: str) -> str:
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}"
    if char.isprintable() and not char.isspace():
        return f"{char!r} ({code}{' ' + name if name else ''})"
    return f"{code}{' ' + name if name else ''}"


def _word(text: str, pos: int, line: int, column: int) -> Token:
    """The name or keyword starting at `pos`; raises for a reserved word of Python's."""
    match = _IDENTIFIER.match(text, pos)
    assert match is not None  # the first character is a valid identifier start
    word = match.group()
    if word in RESERVED_WORDS:
        hint = _HINTS.get(word, f"{word!r} is a reserved word and not part of the language")
        raise ExpressionError(hint, line, column)
    kind: TokenKind = "keyword" if word in LANGUAGE_WORDS else "name"
    return Token(kind, word, line, column)


def _number(text: str, pos: int, line: int, column: int) -> Token | None:
    """The number starting at `pos`, None if none does; raises for a number run on into
    letters or digits (``1.2.3``, ``3x``) and for one too large for a float."""
    number = _NUMBER.match(text, pos)
    if number is None:
        return None
    end = number.end()
    if end < len(text) and _NUMBER_TAIL.match(text, end):
        tail = _NUMBER_TAIL.match(text, end)
        while tail is not None:
            end = tail.end()
            tail = _NUMBER_TAIL.match(text, end)
        raise ExpressionError(f"malformed number {text[pos:end]!r}", line, column)
    value = float(number.group())
    if value == float("inf"):
        raise ExpressionError(f"number {number.group()!r} is too large to represent", line, column)
    return Token("number", number.group(), line, column, value)


def _operator(text: str, pos: int, line: int, column: int) -> Token:
    """The operator starting at `pos` (longest first); raises, with a hint when there is one,
    for anything else."""
    two = text[pos : pos + 2]
    if two in _UNSUPPORTED:
        raise ExpressionError(_UNSUPPORTED[two], line, column)
    op = next((candidate for candidate in _OPERATORS if text.startswith(candidate, pos)), None)
    if op is None:
        char = text[pos]
        message = _UNSUPPORTED.get(char, f"unexpected character {_describe_char(char)}")
        raise ExpressionError(message, line, column)
    return Token("op", op, line, column)


def tokenize(text: str, *, newlines: bool) -> Iterator[Token]:
    """Yield the tokens of ``text`` lazily, ending with one ``eof`` token.

    With ``newlines=True`` (effect blocks) a line break outside brackets is a statement
    separator and yields a ``newline`` token; inside ``(`` / ``[`` it is plain whitespace,
    like Python's implicit line joining.  With ``newlines=False`` (conditions, values) every
    line break is whitespace, so long conditions may span several YAML lines.
    ``#`` starts a comment that runs to the end of the line.

    Raises :class:`ExpressionError` at the first character that cannot start a token.
    """
    pos = 0
    line = 1
    line_start = 0
    depth = 0
    length = len(text)
    while pos < length:
        char = text[pos]
        column = pos - line_start + 1
        if char in _WHITESPACE:
            pos += 1
            continue
        if char == "\n":
            if newlines and depth == 0:
                yield Token("newline", "\n", line, column)
            pos += 1
            line += 1
            line_start = pos
            continue
        if char == "#":
            end = text.find("\n", pos)
            pos = length if end < 0 else end
            continue
        if char == "'" or char == '"':
            raise ExpressionError("string literals are not allowed", line, column)
        if char.isascii() and (char.isalpha() or char == "_"):
            token = _word(text, pos, line, column)
        else:
            number = _number(text, pos, line, column)
            token = _operator(text, pos, line, column) if number is None else number
            if token.kind == "op" and token.text in "([":
                depth += 1
            elif token.kind == "op" and token.text in ")]":
                depth = max(0, depth - 1)
        yield token
        pos += len(token.text)
    yield Token("eof", "", line, length - line_start + 1)
