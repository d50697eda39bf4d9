"""Plain-language English for the scenario expression language, for the facilitator handbook.

The renderer walks the syntax tree of :mod:`detente.ttx.expressions_parser` (the same whitelisted
language the engine compiles), so every rule of a scenario gets a description without anyone
writing one by hand, and the description cannot drift from the formula: ``clip(x, 0, 10)`` reads
"x, kept between 0 and 10"; ``tension += 8`` reads "raise tension by 8"; ``a > 60 and not b``
reads "a is above 60 and b is false". Variable ids are read as words (`dprk_fire` → "dprk
fire"; the state table of the handbook explains them); actor ids inside a pair variable are
shown by name when the caller passes a name map. A nested compound sub-expression is put in
parentheses, so the reading is never ambiguous. Text that does not parse is returned unchanged:
`validate` reports it, and the handbook must still be written.
"""

from __future__ import annotations

from collections.abc import Mapping

from detente.ttx import expressions_parser as syntax
from detente.ttx.expressions_lexer import ExpressionError

__all__ = ["describe_condition", "describe_effects", "describe_probability", "describe_value"]

_COMPARE = {
    "==": "is",
    "!=": "is not",
    "<": "is below",
    "<=": "is at most",
    ">": "is above",
    ">=": "is at least",
}
_ARITH = {"+": "plus", "-": "minus", "*": "times", "/": "divided by"}
_SIMPLE = (syntax.Number, syntax.BoolLit, syntax.Var, syntax.Subscript, syntax.Call, syntax.Neg)
"""Nodes read without parentheses inside a larger reading."""


def _number(value: float) -> str:
    return f"{value:g}"


def _words(name: str) -> str:
    """A variable's id read as words (`dprk_fire` → "dprk fire"), so it also wraps in a table."""
    return name.replace("_", " ")


def _constant(node: syntax.Expr) -> float | None:
    """The value of a literal number, negated any number of times; None otherwise."""
    if isinstance(node, syntax.Number):
        return node.value
    if isinstance(node, syntax.Neg):
        inner = _constant(node.operand)
        return None if inner is None else -inner
    return None


def _series(words: list[str], last: str) -> str:
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


class _Renderer:
    def __init__(self, names: Mapping[str, str]) -> None:
        self.names = names

    def simple(self, node: syntax.Expr) -> bool:
        return isinstance(node, _SIMPLE)

    def nested(self, node: syntax.Expr) -> str:
        text = self.expr(node)
        return text if self.simple(node) else f"({text})"

    def expr(self, node: syntax.Expr) -> str:
        if isinstance(node, syntax.Number):
            return _number(node.value)
        if isinstance(node, syntax.BoolLit):
            return "true" if node.value else "false"
        if isinstance(node, syntax.Var):
            return self.names.get(node.name, _words(node.name))
        if isinstance(node, syntax.Subscript):
            pair = [self.expr(i) for i in node.indices]
            return f"{_words(node.name)} between {_series(pair, 'and')}"
        if isinstance(node, syntax.Call):
            return self.call(node)
        if isinstance(node, syntax.Neg):
            if isinstance(node.operand, syntax.Number):
                return _number(-node.operand.value)
            return f"minus {self.nested(node.operand)}"
        if isinstance(node, syntax.Not):
            if isinstance(node.operand, syntax.Var | syntax.Subscript):
                return f"{self.expr(node.operand)} is false"
            return f"not {self.nested(node.operand)}"
        if isinstance(node, syntax.Arith):
            out = self.nested(node.first)
            for op, operand in node.rest:
                out += f" {_ARITH[op]} {self.nested(operand)}"
            return out
        if isinstance(node, syntax.Compare):
            clauses = [
                f"{self.nested(a)} {_COMPARE[op]} {self.nested(b)}"
                for a, op, b in zip(node.operands, node.ops, node.operands[1:], strict=False)
            ]
            return " and ".join(clauses)
        # BoolOp: an `or` inside an `and` (or the reverse) is bracketed by nested().
        parts = [
            self.nested(o) if isinstance(o, syntax.BoolOp) else self.expr(o) for o in node.operands
        ]
        return _series(parts, node.op) if node.op == "or" else " and ".join(parts)

    def call(self, node: syntax.Call) -> str:
        args = [self.nested(a) for a in node.args]
        if node.function == "clip":
            return f"{args[0]}, kept between {args[1]} and {args[2]}"
        if node.function == "abs":
            return f"the size of {args[0]}"
        which = {"min": ("smaller", "smallest"), "max": ("larger", "largest")}[node.function]
        word = which[0] if len(args) == 2 else which[1]
        return f"the {word} of {_series(args, 'and')}"

    def statement(self, s: syntax.Statement) -> str:
        target = self.expr(s.target)
        value = s.value
        if s.op == "=":
            return f"set {target} to {self.expr(value)}"
        if s.op in ("+=", "-="):
            constant = _constant(value)
            negative = constant is not None and constant < 0
            raise_ = (s.op == "+=") != negative
            amount = _number(abs(constant)) if constant is not None else self.expr(value)
            return f"{'raise' if raise_ else 'lower'} {target} by {amount}"
        verb = "multiply" if s.op == "*=" else "divide"
        return f"{verb} {target} by {self.expr(value)}"


def describe_condition(text: str, names: Mapping[str, str] | None = None) -> str:
    """A condition or value expression in words (the text itself when it does not parse)."""
    try:
        return _Renderer(names or {}).expr(syntax.parse_expression(text))
    except ExpressionError:
        return text


describe_value = describe_condition


def describe_effects(text: str, names: Mapping[str, str] | None = None) -> str:
    """Effect statements in words, joined by "; " (the text itself when it does not parse)."""
    try:
        statements = syntax.parse_effects(text)
    except ExpressionError:
        return text
    renderer = _Renderer(names or {})
    return "; ".join(renderer.statement(s) for s in statements)


def describe_probability(value: float | str, names: Mapping[str, str] | None = None) -> str:
    """A probability as a share ("a 30% chance") or, for an expression, its value in words."""
    if isinstance(value, int | float):
        if value >= 1:
            return "always"
        return f"a {value * 100:g}% chance"
    return f"a chance of {describe_value(value, names)} (0 = never, 1 = always)"
