"""Recursive-descent parser for the tabletop-exercise expression language.

The parser turns tokens from :mod:`detente.ttx.expressions_lexer` into a small syntax tree
of frozen dataclasses.  It checks everything that is fixed by the *language* (syntax, the
function whitelist and arities, what may be subscripted or assigned); everything that
depends on a scenario's *symbol table* (which names exist, types, actors) is checked when
the tree is compiled in :mod:`detente.ttx.expressions`.

Python's ``eval``/``exec``/``compile`` and the ``ast`` module are never used: scenario
files are data and must not be able to reach the Python interpreter.

Grammar (EBNF; ``NEWLINE`` only exists in effect blocks, outside brackets)::

    effects    = { sep } , statement , { sep , { sep } , statement } , { sep } ;
    sep        = ";" | NEWLINE ;
    statement  = target , ( "=" | "+=" | "-=" | "*=" | "/=" ) , expr ;
    target     = NAME , [ "[" , NAME , "," , NAME , "]" ] ;
    expr       = or_expr ;
    or_expr    = and_expr , { "or" , and_expr } ;
    and_expr   = not_expr , { "and" , not_expr } ;
    not_expr   = "not" , not_expr | comparison ;
    comparison = sum , { ( "==" | "!=" | "<" | "<=" | ">" | ">=" ) , sum } ;
    sum        = term , { ( "+" | "-" ) , term } ;
    term       = unary , { ( "*" | "/" ) , unary } ;
    unary      = "-" , unary | primary ;
    primary    = NUMBER | "true" | "false" | "(" , expr , ")"
               | FUNC , "(" , expr , { "," , expr } , ")"
               | NAME , [ "[" , NAME , "," , NAME , "]" ] ;
    FUNC       = "min" | "max" | "abs" | "clip" ;

Binary operators of one precedence level are kept as flat chains (:class:`Arith`,
:class:`BoolOp`, :class:`Compare`) rather than left-deep trees, so that a long sum such as
``a + a + ... + a`` cannot exhaust Python's recursion limit when compiled; real nesting
(parentheses, calls, unary operators) is capped at :data:`MAX_NESTING`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Literal, TypeAlias

from detente.ttx.expressions_lexer import FUNCTIONS, ExpressionError, Token, tokenize

__all__ = [
    "MAX_NESTING",
    "Arith",
    "BoolLit",
    "BoolOp",
    "Call",
    "Compare",
    "Expr",
    "Neg",
    "Node",
    "Not",
    "Number",
    "Statement",
    "Subscript",
    "Var",
    "parse_effects",
    "parse_expression",
]

#: Maximum depth of parentheses, calls, subscripts and unary operators.  Far beyond any
#: sensible scenario expression, and low enough that parsing and evaluation stay well
#: inside Python's default recursion limit.
MAX_NESTING = 40

ArithOp = Literal["+", "-", "*", "/"]
CompareOp = Literal["==", "!=", "<", "<=", ">", ">="]
AssignOp = Literal["=", "+=", "-=", "*=", "/="]

_COMPARE_OPS: frozenset[str] = frozenset({"==", "!=", "<", "<=", ">", ">="})
_ASSIGN_OPS: frozenset[str] = frozenset({"=", "+=", "-=", "*=", "/="})


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    """Where a syntax-tree node starts in the text (1-based line and column), for errors.

    Keyword-only, so each node's own fields stay first and positional."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Number(Node):
    """A numeric literal."""

    value: float


@dataclass(frozen=True, slots=True)
class BoolLit(Node):
    """``true`` or ``false``."""

    value: bool


@dataclass(frozen=True, slots=True)
class Var(Node):
    """A bare name: a scalar variable (or, inside a subscript, an actor id)."""

    name: str


@dataclass(frozen=True, slots=True)
class Subscript(Node):
    """``name[index, ...]``; only valid for dyadic variables with two actor ids.

    `bracket_line` and `bracket_column` locate the opening bracket."""

    name: str
    indices: tuple[Expr, ...]
    bracket_line: int
    bracket_column: int


@dataclass(frozen=True, slots=True)
class Call(Node):
    """A call to one of the whitelisted :data:`FUNCTIONS` (arity already checked)."""

    function: str
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Neg(Node):
    """Unary minus."""

    operand: Expr


@dataclass(frozen=True, slots=True)
class Not(Node):
    """Logical ``not``."""

    operand: Expr


@dataclass(frozen=True, slots=True)
class Arith(Node):
    """A left-associative chain ``first op1 x1 op2 x2 ...`` of one precedence level."""

    first: Expr
    rest: tuple[tuple[ArithOp, Expr], ...]


@dataclass(frozen=True, slots=True)
class Compare(Node):
    """A (possibly chained) comparison: ``a < b <= c`` means ``a < b and b <= c``."""

    operands: tuple[Expr, ...]
    ops: tuple[CompareOp, ...]


@dataclass(frozen=True, slots=True)
class BoolOp(Node):
    """``x and y and ...`` or ``x or y or ...``."""

    op: Literal["and", "or"]
    operands: tuple[Expr, ...]


Expr: TypeAlias = Number | BoolLit | Var | Subscript | Call | Neg | Not | Arith | Compare | BoolOp


@dataclass(frozen=True, slots=True)
class Statement(Node):
    """One effect statement ``target op value``; the target is a Var or a Subscript."""

    target: Var | Subscript
    op: AssignOp
    value: Expr


class _Parser:
    """Recursive-descent parser over a lazy token stream with one token of lookahead."""

    def __init__(self, text: str, *, newlines: bool) -> None:
        self._tokens: Iterator[Token] = tokenize(text, newlines=newlines)
        self.tok: Token = next(self._tokens)
        self._nesting = 0

    # -- token helpers -------------------------------------------------------------------

    def _advance(self) -> Token:
        token = self.tok
        if token.kind != "eof":
            self.tok = next(self._tokens)
        return token

    def _is_op(self, text: str) -> bool:
        return self.tok.kind == "op" and self.tok.text == text

    def _is_keyword(self, word: str) -> bool:
        return self.tok.kind == "keyword" and self.tok.text == word

    def _error(self, message: str, token: Token | None = None) -> ExpressionError:
        where = self.tok if token is None else token
        return ExpressionError(message, where.line, where.column)

    def _expect_op(self, text: str, context: str) -> Token:
        if not self._is_op(text):
            raise self._error(f"expected {text!r} {context}, found {self.tok.describe()}")
        return self._advance()

    def _enter(self, opener: Token) -> None:
        self._nesting += 1
        if self._nesting > MAX_NESTING:
            raise self._error(
                f"expression is nested too deeply (more than {MAX_NESTING} levels)", opener
            )

    def _leave(self) -> None:
        self._nesting -= 1

    def unexpected(self, after: str) -> ExpressionError:
        """Error for a token that cannot continue a complete expression or statement."""
        token = self.tok
        if token.kind == "op" and token.text == "=":
            return self._error("'=' assigns a value; use '==' to compare")
        if token.kind == "op" and token.text in _ASSIGN_OPS:
            return self._error(f"{token.text!r} is only allowed in effects")
        if token.kind == "op" and token.text == ";":
            return self._error("';' separates effect statements and is not allowed here")
        return self._error(f"unexpected {token.describe()} after {after}")

    # -- expressions ---------------------------------------------------------------------

    def _nested(self, opener: Token, parse: Callable[[], Expr]) -> Expr:
        """`parse()` one nesting level deeper; past :data:`MAX_NESTING` the error points at
        `opener`."""
        self._enter(opener)
        node = parse()
        self._leave()
        return node

    def _bool_chain(self, word: Literal["and", "or"], operand: Callable[[], Expr]) -> Expr:
        """``operand {word operand}``: one flat :class:`BoolOp` at the first operand, or that
        operand alone."""
        first = operand()
        if not self._is_keyword(word):
            return first
        operands = [first]
        while self._is_keyword(word):
            self._advance()
            operands.append(operand())
        return BoolOp(word, tuple(operands), line=first.line, column=first.column)

    def _arith_chain(self, ops: tuple[ArithOp, ArithOp], operand: Callable[[], Expr]) -> Expr:
        """``operand {op operand}`` for the two operators `ops` of one precedence level: one
        flat :class:`Arith` at the first operand, or that operand alone."""
        first = operand()
        rest: list[tuple[ArithOp, Expr]] = []
        while self._is_op(ops[0]) or self._is_op(ops[1]):
            op = ops[0] if self._advance().text == ops[0] else ops[1]
            rest.append((op, operand()))
        return Arith(first, tuple(rest), line=first.line, column=first.column) if rest else first

    def expression(self) -> Expr:
        return self._bool_chain("or", self._and)

    def _and(self) -> Expr:
        return self._bool_chain("and", self._not)

    def _not(self) -> Expr:
        if self._is_keyword("not"):
            token = self._advance()
            operand = self._nested(token, self._not)
            return Not(operand, line=token.line, column=token.column)
        return self._comparison()

    def _comparison(self) -> Expr:
        first = self._sum()
        if not (self.tok.kind == "op" and self.tok.text in _COMPARE_OPS):
            return first
        operands = [first]
        ops: list[CompareOp] = []
        while self.tok.kind == "op" and self.tok.text in _COMPARE_OPS:
            ops.append(_compare_op(self._advance().text))
            operands.append(self._sum())
        return Compare(tuple(operands), tuple(ops), line=first.line, column=first.column)

    def _sum(self) -> Expr:
        return self._arith_chain(("+", "-"), self._term)

    def _term(self) -> Expr:
        return self._arith_chain(("*", "/"), self._unary)

    def _unary(self) -> Expr:
        if self._is_op("-"):
            token = self._advance()
            operand = self._nested(token, self._unary)
            return Neg(operand, line=token.line, column=token.column)
        if self._is_op("+"):
            raise self._error("unary '+' is not supported")
        return self._postfix()

    def _postfix(self) -> Expr:
        node = self._primary()
        if self._is_op("."):
            raise self._error("attribute access ('.') is not allowed")
        if self._is_op("("):
            raise self._error("only the functions abs, clip, max and min can be called")
        if self._is_op("["):
            if isinstance(node, Subscript):
                raise self._error(f"write both actor ids in one subscript, as in {node.name}[A,B]")
            raise self._error("only dyadic variables can be subscripted")
        return node

    def _primary(self) -> Expr:
        token = self.tok
        if token.kind == "number":
            self._advance()
            return Number(token.value, line=token.line, column=token.column)
        if token.kind == "keyword" and token.text in ("true", "false"):
            self._advance()
            return BoolLit(token.text == "true", line=token.line, column=token.column)
        if token.kind == "name":
            self._advance()
            if self._is_op("("):
                return self._call(token)
            if self._is_op("["):
                return self._subscript(token)
            return Var(token.text, line=token.line, column=token.column)
        if self._is_op("("):
            self._advance()
            inner = self._nested(token, self.expression)
            if not self._is_op(")"):
                raise self._error(
                    f"expected ')' to close '(' at {token.line}:{token.column}, "
                    f"found {self.tok.describe()}"
                )
            self._advance()
            # Errors about a parenthesised operand point at its opening parenthesis.
            return replace(inner, line=token.line, column=token.column)
        raise self._error(f"expected an expression, found {token.describe()}")

    def _arguments(self, closing: str, opener: Token) -> tuple[Expr, ...]:
        self._advance()  # the opening bracket
        self._enter(opener)
        args = [self.expression()]
        while self._is_op(","):
            self._advance()
            args.append(self.expression())
        self._leave()
        if not self._is_op(closing):
            raise self._error(
                f"expected ',' or {closing!r} to close {opener.text!r} at "
                f"{opener.line}:{opener.column}, found {self.tok.describe()}"
            )
        self._advance()
        return tuple(args)

    def _call(self, name: Token) -> Call:
        if name.text not in FUNCTIONS:
            raise self._error(
                f"{name.text!r} cannot be called; the only functions are abs, clip, max and min",
                name,
            )
        args = self._arguments(")", self.tok)
        low, high = FUNCTIONS[name.text]
        if len(args) < low or (high is not None and len(args) > high):
            if high is None:
                wanted = f"at least {low} arguments"
            else:
                wanted = f"exactly {low} argument{'s' if low != 1 else ''}"
            raise self._error(f"{name.text}() takes {wanted} (got {len(args)})", name)
        return Call(name.text, args, line=name.line, column=name.column)

    def _subscript(self, name: Token) -> Subscript:
        bracket = self.tok
        indices = self._arguments("]", bracket)
        return Subscript(
            name.text, indices, bracket.line, bracket.column, line=name.line, column=name.column
        )

    # -- statements ----------------------------------------------------------------------

    def _at_separator(self) -> bool:
        return self.tok.kind == "newline" or self._is_op(";")

    def _at_end(self) -> bool:
        return self.tok.kind == "eof"

    def effects(self) -> tuple[Statement, ...]:
        statements: list[Statement] = []
        while self._at_separator():
            self._advance()
        while not self._at_end():
            statements.append(self._statement())
            if self._at_end():
                break
            if not self._at_separator():
                raise self.unexpected("a complete effect statement")
            while self._at_separator():
                self._advance()
        if not statements:
            raise self._error("expected at least one effect statement, found end of input")
        return tuple(statements)

    def _statement(self) -> Statement:
        start = self.tok
        if start.kind != "name":
            raise self._error(f"expected a variable to assign to, found {start.describe()}")
        target = self._postfix()
        if not isinstance(target, Var | Subscript):
            raise self._error("only variables can be assigned to", start)
        if not (self.tok.kind == "op" and self.tok.text in _ASSIGN_OPS):
            found = self.tok.describe()
            raise self._error(
                f"expected '=', '+=', '-=', '*=' or '/=' after the target, found {found}"
            )
        op = _assign_op(self._advance().text)
        value = self.expression()
        return Statement(target, op, value, line=start.line, column=start.column)


def _compare_op(text: str) -> CompareOp:
    ops: dict[str, CompareOp] = {
        "==": "==",
        "!=": "!=",
        "<": "<",
        "<=": "<=",
        ">": ">",
        ">=": ">=",
    }
    return ops[text]


def _assign_op(text: str) -> AssignOp:
    ops: dict[str, AssignOp] = {"=": "=", "+=": "+=", "-=": "-=", "*=": "*=", "/=": "/="}
    return ops[text]


def parse_expression(text: str) -> Expr:
    """Parse a condition or value expression; line breaks are ordinary whitespace.

    Raises :class:`ExpressionError` for any syntax error, forbidden construct or wrong arity.
    """
    parser = _Parser(text, newlines=False)
    node = parser.expression()
    if parser.tok.kind != "eof":
        raise parser.unexpected("a complete expression")
    return node


def parse_effects(text: str) -> tuple[Statement, ...]:
    """Parse one or more effect statements separated by ``;`` or line breaks.

    Raises :class:`ExpressionError` for syntax errors and for empty effect blocks.
    """
    return _Parser(text, newlines=True).effects()
