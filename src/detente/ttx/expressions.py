"""Whitelisted expression language for tabletop-exercise scenarios, compiled to NumPy.

Scenario files are data: conditions (``tension > 70 and channel[DPRK,ROK] == 0``), values
and effects (``tension += 10; trust[USA,CHN] = trust[USA,CHN] + 0.1``) are parsed by our
own tokenizer and recursive-descent parser (never ``eval``/``exec``/``compile``/``ast``),
checked against a :class:`Symbols` table, and compiled once into a tree of closures over
NumPy arrays.  Every array has a leading *runs* axis, so one evaluation handles all Monte
Carlo runs with a handful of vectorised NumPy calls and no Python loop over runs.

Semantics (documented contract):

* Numbers are float64.  ``/`` is true division and **division by zero yields 0** (also
  ``0/0``), so a scenario can never crash a run or emit a warning.  Other floating-point
  conditions (overflow to ``inf``) follow IEEE-754 silently.
* There are two types, *number* and *boolean*.  ``and``/``or``/``not`` and conditions
  accept numbers as well (non-zero is true) and always produce booleans; both sides are
  evaluated (there are no side effects, so short-circuiting would change nothing).
  Arithmetic, ordering comparisons and function arguments require numbers.  ``==``/``!=``
  may compare a boolean with a number (``true`` counts as 1).  Where a whole value is
  expected (:func:`compile_value`, the right-hand side of ``=``) a boolean becomes 1 or 0.
* Comparisons chain like Python: ``a < b <= c`` is ``a < b and b <= c`` (``b`` once).
* ``min``/``max`` take two or more arguments, ``abs`` one, ``clip(x, lo, hi)`` three and
  equals ``min(max(x, lo), hi)``; NaN propagates through all of them.
* Effect statements run in order (later statements see earlier writes), each result is
  clipped to the variable's declared ``[min, max]`` range, and only runs where the mask is
  true are written.  Symmetric dyadic variables are written to both ``[a,b]`` and ``[b,a]``.
* A dyadic subscript needs two *different* known actors; the same actor twice is rejected
  as a likely typo because a relation of an actor with itself is not modelled.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import reduce
from types import MappingProxyType
from typing import Any, Literal, TypeAlias

import numpy as np
from numpy.typing import NDArray

from detente.ttx.expressions_lexer import (
    FUNCTIONS,
    LANGUAGE_WORDS,
    RESERVED_WORDS,
    ExpressionError,
    is_identifier,
)
from detente.ttx.expressions_parser import (
    Arith,
    BoolLit,
    BoolOp,
    Call,
    Compare,
    Expr,
    Neg,
    Not,
    Number,
    Statement,
    Subscript,
    Var,
    parse_effects,
    parse_expression,
)

__all__ = [
    "Condition",
    "DyadicSpec",
    "EffectChange",
    "Effects",
    "ExpressionError",
    "State",
    "Symbols",
    "Value",
    "compile_condition",
    "compile_effects",
    "compile_value",
]

FloatArray: TypeAlias = NDArray[np.float64]
BoolArray: TypeAlias = NDArray[np.bool_]
Kind = Literal["number", "boolean"]
# A compiled node maps the state to a (runs,) array or, for constants, a 0-d array; both
# broadcast against each other, so constants cost nothing per run.
Evaluator: TypeAlias = Callable[["State"], NDArray[Any]]


@dataclass(frozen=True)
class DyadicSpec:
    """A variable defined for ordered actor pairs, stored at ``State.dyadic[:, index]``.

    ``symmetric`` variables (e.g. an open channel) are written to both ``[a,b]`` and
    ``[b,a]``; asymmetric ones (e.g. how much ``a`` trusts ``b``) only to ``[a,b]``.
    """

    index: int
    symmetric: bool
    min: float = -math.inf
    max: float = math.inf


def _check_range(what: str, low: float, high: float) -> None:
    if math.isnan(low) or math.isnan(high) or low > high:
        raise ValueError(f"{what}: invalid range [{low}, {high}]")


def _check_names(what: str, names: Iterable[str]) -> None:
    for name in names:
        if not is_identifier(name):
            raise ValueError(f"{what} {name!r} is not an identifier ([A-Za-z_][A-Za-z0-9_]*)")
        if name in LANGUAGE_WORDS or name in RESERVED_WORDS or name in FUNCTIONS:
            raise ValueError(f"{what} {name!r} is a reserved word or function name")


def _check_indices(what: str, indices: Iterable[int]) -> None:
    seen = list(indices)
    if any(i < 0 for i in seen) or len(set(seen)) != len(seen):
        raise ValueError(f"{what} indices must be distinct and non-negative: {sorted(seen)}")


@dataclass(frozen=True)
class Symbols:
    """What an expression may refer to, and where each variable lives in a :class:`State`.

    ``scalars`` maps a name to its column in ``State.scalars``; ``scalar_ranges`` gives the
    ``(min, max)`` range every scalar is clipped to when an effect writes it (required for
    each scalar; use ``-inf``/``inf`` for unbounded).  ``dyadics`` maps a name to its
    :class:`DyadicSpec`; ``actors`` maps an actor id to its index on the two actor axes.

    The constructor validates the table (identifiers, no reserved words, no name used as
    both scalar and dyadic, distinct indices, sane ranges) and freezes the mappings, so a
    compiled expression can rely on it.
    """

    scalars: Mapping[str, int]
    scalar_ranges: Mapping[str, tuple[float, float]]
    dyadics: Mapping[str, DyadicSpec] = field(default_factory=dict)
    actors: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_names("variable", self.scalars)
        _check_names("variable", self.dyadics)
        _check_names("actor", self.actors)
        both = set(self.scalars) & set(self.dyadics)
        if both:
            raise ValueError(f"names used as both scalar and dyadic variables: {sorted(both)}")
        if set(self.scalar_ranges) != set(self.scalars):
            raise ValueError("scalar_ranges must give a (min, max) range for exactly the scalars")
        for name, (low, high) in self.scalar_ranges.items():
            _check_range(f"scalar {name!r}", low, high)
        for name, spec in self.dyadics.items():
            _check_range(f"dyadic {name!r}", spec.min, spec.max)
        _check_indices("scalar column", self.scalars.values())
        _check_indices("dyadic", (spec.index for spec in self.dyadics.values()))
        _check_indices("actor", self.actors.values())
        for name in ("scalars", "scalar_ranges", "dyadics", "actors"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    @property
    def n_scalars(self) -> int:
        """Minimum number of columns ``State.scalars`` needs."""
        return max(self.scalars.values(), default=-1) + 1

    @property
    def n_dyadic(self) -> int:
        """Minimum size of the dyadic-variable axis of ``State.dyadic``."""
        return max((spec.index for spec in self.dyadics.values()), default=-1) + 1

    @property
    def n_actors(self) -> int:
        """Minimum size of the two actor axes of ``State.dyadic``."""
        return max(self.actors.values(), default=-1) + 1

    def check_state(self, state: State) -> None:
        """Raise ``ValueError`` if ``state`` is too small for this symbol table."""
        if state.scalars.shape[1] < self.n_scalars:
            raise ValueError(
                f"state has {state.scalars.shape[1]} scalar columns, symbols need {self.n_scalars}"
            )
        _, n_dyadic, n_actors, _ = state.dyadic.shape
        if n_dyadic < self.n_dyadic or n_actors < self.n_actors:
            raise ValueError(
                f"state dyadic shape {state.dyadic.shape[1:]} is smaller than the symbols need "
                f"({self.n_dyadic}, {self.n_actors}, {self.n_actors})"
            )

    def new_state(self, runs: int) -> State:
        """A zero-filled :class:`State` of the right shape for ``runs`` runs."""
        return State(
            np.zeros((runs, self.n_scalars)),
            np.zeros((runs, self.n_dyadic, self.n_actors, self.n_actors)),
        )


@dataclass
class State:
    """Simulation state for all runs: ``scalars`` is ``(runs, n_scalars)`` float64 and
    ``dyadic`` is ``(runs, n_dyadic, n_actors, n_actors)`` float64.

    Effects mutate these arrays in place; conditions and values only read them.
    """

    scalars: FloatArray
    dyadic: FloatArray

    def __post_init__(self) -> None:
        if self.scalars.ndim != 2 or self.scalars.dtype != np.float64:
            raise ValueError("State.scalars must be a 2-D float64 array (runs, n_scalars)")
        if self.dyadic.ndim != 4 or self.dyadic.dtype != np.float64:
            raise ValueError("State.dyadic must be a 4-D float64 array (runs, n, actors, actors)")
        if self.dyadic.shape[2] != self.dyadic.shape[3]:
            raise ValueError("State.dyadic must have two equal actor axes")
        if self.dyadic.shape[0] != self.scalars.shape[0]:
            raise ValueError("State.scalars and State.dyadic disagree on the number of runs")

    @property
    def runs(self) -> int:
        """Number of runs (the leading axis)."""
        return int(self.scalars.shape[0])


@dataclass(frozen=True)
class EffectChange:
    """Audit record of one effect statement: a variable label and its values for every run.

    ``before`` and ``after`` are copies of shape ``(runs,)``; they are equal where the
    mask was false.  ``variable`` is ``"tension"`` or ``"channel[DPRK,ROK]"``.
    """

    variable: str
    before: FloatArray
    after: FloatArray


# ---------------------------------------------------------------------------------------
# Compilation: resolved, typed closures.
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Node:
    evaluate: Evaluator
    kind: Kind


def _constant(value: float | bool) -> Evaluator:
    array: NDArray[Any] = np.asarray(
        value, dtype=np.bool_ if isinstance(value, bool) else np.float64
    )

    def evaluate(state: State) -> NDArray[Any]:
        return array

    return evaluate


def _safe_divide(a: NDArray[Any], b: NDArray[Any]) -> FloatArray:
    """``a / b`` with every division by zero defined as 0 (no warning, no exception)."""
    out = np.zeros(np.broadcast_shapes(a.shape, b.shape), dtype=np.float64)
    np.divide(a, b, out=out, where=b != 0)
    return out


def _truth(node: _Node) -> Evaluator:
    """Boolean view of a node: numbers are true when non-zero."""
    if node.kind == "boolean":
        return node.evaluate
    evaluate = node.evaluate

    def truthy(state: State) -> NDArray[Any]:
        return np.not_equal(evaluate(state), 0.0)

    return truthy


def _as_number(node: _Node) -> Evaluator:
    """Numeric view of a node: booleans become 1.0 / 0.0 (used only where documented)."""
    if node.kind == "number":
        return node.evaluate
    evaluate = node.evaluate

    def numeric(state: State) -> NDArray[Any]:
        return evaluate(state).astype(np.float64)

    return numeric


_ARITH: dict[str, Callable[[NDArray[Any], NDArray[Any]], NDArray[Any]]] = {
    "+": np.add,
    "-": np.subtract,
    "*": np.multiply,
    "/": _safe_divide,
}

_COMPARE: dict[str, Callable[[NDArray[Any], NDArray[Any]], NDArray[Any]]] = {
    "==": np.equal,
    "!=": np.not_equal,
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
}


def _suggest(name: str, candidates: Iterable[str]) -> str:
    """A `` ; did you mean 'x'?`` suffix, case-insensitive match first, else difflib."""
    pool = sorted(candidates)
    folded = [c for c in pool if c.casefold() == name.casefold()]
    close = folded or difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class _Compiler:
    """Resolves names against :class:`Symbols`, checks types and builds closures."""

    def __init__(self, symbols: Symbols) -> None:
        self.symbols = symbols
        self.names: set[str] = set()

    def _example(self, name: str) -> str:
        actors = sorted(self.symbols.actors, key=self.symbols.actors.__getitem__)
        pair = ",".join(actors[:2]) if len(actors) >= 2 else "A,B"
        return f"{name}[{pair}]"

    def _unknown(self, name: str, line: int, column: int, *, dyadic_only: bool) -> ExpressionError:
        if dyadic_only:
            pool: list[str] = list(self.symbols.dyadics)
            message = f"unknown dyadic variable {name!r}; only dyadic variables can be subscripted"
        else:
            pool = [*self.symbols.scalars, *self.symbols.dyadics, "true", "false"]
            message = f"unknown variable {name!r}"
        return ExpressionError(message + _suggest(name, pool), line, column)

    def _actor(self, node: Expr) -> tuple[str, int]:
        if not isinstance(node, Var):
            raise ExpressionError(
                "a dyadic subscript takes two actor ids, as in channel[A,B]", node.line, node.column
            )
        index = self.symbols.actors.get(node.name)
        if index is None:
            suggestion = _suggest(node.name, self.symbols.actors)
            raise ExpressionError(
                f"unknown actor {node.name!r}{suggestion}", node.line, node.column
            )
        return node.name, index

    def resolve_dyadic(self, node: Subscript) -> tuple[str, DyadicSpec, int, int]:
        """Check a subscript and return (label, spec, first actor index, second actor index)."""
        spec = self.symbols.dyadics.get(node.name)
        if spec is None:
            if node.name in self.symbols.scalars:
                raise ExpressionError(
                    f"{node.name!r} is a scalar variable and takes no subscript",
                    node.bracket_line,
                    node.bracket_column,
                )
            raise self._unknown(node.name, node.line, node.column, dyadic_only=True)
        if len(node.indices) != 2:
            raise ExpressionError(
                f"{node.name!r} needs exactly two actor ids, as in {self._example(node.name)} "
                f"(got {len(node.indices)})",
                node.bracket_line,
                node.bracket_column,
            )
        (first, a), (second, b) = self._actor(node.indices[0]), self._actor(node.indices[1])
        if a == b:
            where = node.indices[1]
            raise ExpressionError(
                f"{node.name}[{first},{second}] relates an actor to itself",
                where.line,
                where.column,
            )
        return f"{node.name}[{first},{second}]", spec, a, b

    def resolve_scalar(self, node: Var) -> int:
        """Check a bare name and return its scalar column."""
        column = self.symbols.scalars.get(node.name)
        if column is not None:
            return column
        if node.name in self.symbols.dyadics:
            raise ExpressionError(
                f"{node.name!r} is a dyadic variable; index it with two actor ids, "
                f"as in {self._example(node.name)}",
                node.line,
                node.column,
            )
        raise self._unknown(node.name, node.line, node.column, dyadic_only=False)

    def number(self, node: Expr, context: str) -> Evaluator:
        """Compile ``node`` and require a number (``context`` names where it is used)."""
        compiled = self.compile(node)
        if compiled.kind != "number":
            raise ExpressionError(
                f"{context} needs a number, got a boolean", node.line, node.column
            )
        return compiled.evaluate

    def compile(self, node: Expr) -> _Node:
        """Compile one syntax node to a typed closure (recursion bounded by the parser)."""
        if isinstance(node, Number):
            return _Node(_constant(node.value), "number")
        if isinstance(node, BoolLit):
            return _Node(_constant(node.value), "boolean")
        if isinstance(node, Var):
            column = self.resolve_scalar(node)
            self.names.add(node.name)
            return _Node(lambda state: state.scalars[:, column], "number")
        if isinstance(node, Subscript):
            _, spec, a, b = self.resolve_dyadic(node)
            self.names.add(node.name)
            d = spec.index
            return _Node(lambda state: state.dyadic[:, d, a, b], "number")
        if isinstance(node, Neg):
            operand = self.number(node.operand, "unary '-'")
            return _Node(lambda state: np.negative(operand(state)), "number")
        if isinstance(node, Not):
            inner = _truth(self.compile(node.operand))
            return _Node(lambda state: np.logical_not(inner(state)), "boolean")
        if isinstance(node, BoolOp):
            return self._bool_op(node)
        if isinstance(node, Arith):
            return self._arith(node)
        if isinstance(node, Compare):
            return self._compare(node)
        return self._call(node)

    def _bool_op(self, node: BoolOp) -> _Node:
        parts = [_truth(self.compile(operand)) for operand in node.operands]
        combine = np.logical_and if node.op == "and" else np.logical_or

        def evaluate(state: State) -> NDArray[Any]:
            result = parts[0](state)
            for part in parts[1:]:
                result = combine(result, part(state))
            return result

        return _Node(evaluate, "boolean")

    def _arith(self, node: Arith) -> _Node:
        first = self.number(node.first, f"{node.rest[0][0]!r}")
        rest = [(_ARITH[op], self.number(operand, f"{op!r}")) for op, operand in node.rest]

        def evaluate(state: State) -> NDArray[Any]:
            result = first(state)
            for op, operand in rest:
                result = op(result, operand(state))
            return result

        return _Node(evaluate, "number")

    def _compare(self, node: Compare) -> _Node:
        compiled = [self.compile(operand) for operand in node.operands]
        for index, op in enumerate(node.ops):
            if op in ("==", "!="):
                continue
            for side in (index, index + 1):
                if compiled[side].kind != "number":
                    operand = node.operands[side]
                    raise ExpressionError(
                        f"{op!r} needs numbers on both sides, got a boolean",
                        operand.line,
                        operand.column,
                    )
        mixed = len({c.kind for c in compiled}) > 1
        operands = [_as_number(c) if mixed else c.evaluate for c in compiled]
        ops = [_COMPARE[op] for op in node.ops]

        def evaluate(state: State) -> NDArray[Any]:
            values = [operand(state) for operand in operands]
            result = ops[0](values[0], values[1])
            for index in range(1, len(ops)):
                result = np.logical_and(result, ops[index](values[index], values[index + 1]))
            return result

        return _Node(evaluate, "boolean")

    def _call(self, node: Call) -> _Node:
        args = [self.number(arg, f"{node.function}()") for arg in node.args]
        if node.function == "abs":
            (x,) = args
            return _Node(lambda state: np.abs(x(state)), "number")
        if node.function == "clip":
            x, low, high = args
            return _Node(
                lambda state: np.minimum(np.maximum(x(state), low(state)), high(state)), "number"
            )
        combine = np.minimum if node.function == "min" else np.maximum
        return _Node(lambda state: reduce(combine, (arg(state) for arg in args)), "number")


def _full(result: NDArray[Any], runs: int, dtype: type[np.generic]) -> NDArray[Any]:
    """A fresh ``(runs,)`` array: broadcasts constants and never aliases the state."""
    out = np.empty(runs, dtype=dtype)
    out[...] = result
    return out


@dataclass(frozen=True, eq=False)
class Condition:
    """A compiled condition; calling it returns a ``(runs,)`` bool array."""

    source: str
    names: frozenset[str]
    _symbols: Symbols = field(repr=False)
    _evaluate: Evaluator = field(repr=False)

    def __call__(self, state: State) -> BoolArray:
        """Evaluate for every run at once; the result is a fresh array, never a view."""
        self._symbols.check_state(state)
        with np.errstate(all="ignore"):
            return _full(self._evaluate(state), state.runs, np.bool_)


@dataclass(frozen=True, eq=False)
class Value:
    """A compiled numeric expression; calling it returns a ``(runs,)`` float64 array."""

    source: str
    names: frozenset[str]
    _symbols: Symbols = field(repr=False)
    _evaluate: Evaluator = field(repr=False)

    def __call__(self, state: State) -> FloatArray:
        """Evaluate for every run at once; the result is a fresh array, never a view."""
        self._symbols.check_state(state)
        with np.errstate(all="ignore"):
            return _full(self._evaluate(state), state.runs, np.float64)


@dataclass(frozen=True)
class _Assignment:
    """One compiled statement: evaluate, combine with the old value, clip, masked write."""

    label: str
    location: Callable[[State], list[FloatArray]]  # views to write; the first is read
    op: str
    value: Evaluator
    low: float
    high: float

    def apply(self, state: State, mask: BoolArray | None) -> EffectChange:
        views = self.location(state)
        before = views[0].copy()
        rhs = self.value(state)
        new = rhs if self.op == "=" else _ARITH[self.op[0]](before, rhs)
        clipped = _full(new, state.runs, np.float64)  # fresh array: safe to clip in place
        if self.low > -math.inf:
            np.maximum(clipped, self.low, out=clipped)
        if self.high < math.inf:
            np.minimum(clipped, self.high, out=clipped)
        for view in views:
            if mask is None:
                view[...] = clipped
            else:
                np.copyto(view, clipped, where=mask)
        return EffectChange(self.label, before, views[0].copy())


@dataclass(frozen=True, eq=False)
class Effects:
    """Compiled effect statements; ``writes`` lists assigned variables, ``names`` read ones."""

    source: str
    names: frozenset[str]
    writes: frozenset[str]
    _symbols: Symbols = field(repr=False)
    _assignments: tuple[_Assignment, ...] = field(repr=False)

    def apply(self, state: State, mask: BoolArray | None = None) -> list[EffectChange]:
        """Apply every statement in order, in place, only in runs where ``mask`` is true.

        ``mask`` must be a ``(runs,)`` bool array or ``None`` (all runs).  Returns one
        :class:`EffectChange` per statement, in order, for the audit log.
        """
        self._symbols.check_state(state)
        if mask is not None:
            mask = np.asarray(mask)
            if mask.dtype != np.bool_ or mask.shape != (state.runs,):
                raise ValueError(f"mask must be a bool array of shape ({state.runs},)")
        with np.errstate(all="ignore"):
            return [assignment.apply(state, mask) for assignment in self._assignments]


def compile_condition(text: str, symbols: Symbols) -> Condition:
    """Compile a condition; numbers are accepted and mean "non-zero".

    Raises :class:`ExpressionError` (with line and column) for anything not in the language.
    """
    compiler = _Compiler(symbols)
    node = compiler.compile(parse_expression(text))
    return Condition(text, frozenset(compiler.names), symbols, _truth(node))


def compile_value(text: str, symbols: Symbols) -> Value:
    """Compile a numeric expression; a boolean result is returned as 1.0 / 0.0.

    Raises :class:`ExpressionError` (with line and column) for anything not in the language.
    """
    compiler = _Compiler(symbols)
    node = compiler.compile(parse_expression(text))
    return Value(text, frozenset(compiler.names), symbols, _as_number(node))


def _compile_statement(compiler: _Compiler, statement: Statement) -> _Assignment:
    target = statement.target
    location: Callable[[State], list[FloatArray]]
    if isinstance(target, Var):
        if target.name not in compiler.symbols.scalars.keys() | compiler.symbols.dyadics.keys():
            pool = [*compiler.symbols.scalars, *compiler.symbols.dyadics]
            raise ExpressionError(
                f"cannot assign to unknown variable {target.name!r}{_suggest(target.name, pool)}",
                target.line,
                target.column,
            )
        column = compiler.resolve_scalar(target)
        label = target.name
        low, high = compiler.symbols.scalar_ranges[target.name]

        def location(state: State) -> list[FloatArray]:
            return [state.scalars[:, column]]

    else:
        label, spec, a, b = compiler.resolve_dyadic(target)
        low, high, d = spec.min, spec.max, spec.index
        pairs = [(a, b), (b, a)] if spec.symmetric else [(a, b)]

        def location(state: State) -> list[FloatArray]:
            return [state.dyadic[:, d, i, j] for i, j in pairs]

    if statement.op == "=":
        value = _as_number(compiler.compile(statement.value))
    else:
        compiler.names.add(target.name)
        value = compiler.number(statement.value, f"{statement.op!r}")
    return _Assignment(label, location, statement.op, value, low, high)


def compile_effects(text: str, symbols: Symbols) -> Effects:
    """Compile effect statements separated by ``;`` or line breaks.

    ``names`` holds the variables read (including targets of ``+=`` and friends) and
    ``writes`` the variables assigned.  Raises :class:`ExpressionError` with line and
    column for syntax errors, unknown targets and anything not in the language.
    """
    compiler = _Compiler(symbols)
    assignments = tuple(_compile_statement(compiler, s) for s in parse_effects(text))
    writes = frozenset(s.target.name for s in parse_effects(text))
    return Effects(text, frozenset(compiler.names), writes, symbols, assignments)
