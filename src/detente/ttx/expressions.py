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
from typing import Any, ClassVar, Generic, Literal, TypeAlias, TypeVar, cast

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
    "select",
]

FloatArray: TypeAlias = NDArray[np.float64]
BoolArray: TypeAlias = NDArray[np.bool_]
Kind = Literal["number", "boolean"]
# A compiled node maps the state to a (runs,) array or, for constants, a 0-d array; both
# broadcast against each other, so constants cost nothing per run.
# `rows` (see the compilation section below): None for all runs, else the runs to evaluate.
Rows: TypeAlias = NDArray[np.intp] | None
Evaluator: TypeAlias = Callable[["State", Rows], NDArray[Any]]
How: TypeAlias = Literal["all", "none", "rows", "mask"]
Selection: TypeAlias = tuple[How, NDArray[Any] | None]


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
        return State.zeros(runs, self.n_scalars, self.n_dyadic, self.n_actors)


@dataclass
class State:
    """Simulation state for all runs: ``scalars`` is ``(runs, n_scalars)`` float64 and
    ``dyadic`` is ``(runs, n_dyadic, n_actors, n_actors)`` float64.

    Effects mutate these arrays in place; conditions and values only read them.  Any memory
    layout works; :meth:`zeros` (used by :meth:`Symbols.new_state` and the engine) puts the runs
    axis *last in memory* behind the same shapes, so that one variable over all runs
    (``scalars[:, i]``, ``dyadic[:, d, a, b]``) is a contiguous vector — every expression reads
    and writes whole variables, never whole runs.
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

    @classmethod
    def zeros(cls, runs: int, n_scalars: int, n_dyadic: int, n_actors: int) -> State:
        """A zero-filled state whose runs axis is contiguous in memory (see the class doc)."""
        scalars = np.zeros((n_scalars, runs)).T
        dyadic = np.moveaxis(np.zeros((n_dyadic, n_actors, n_actors, runs)), -1, 0)
        return cls(scalars, dyadic)


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
#
# Every closure takes the state and `rows`: ``None`` evaluates over all runs, an index array
# evaluates over those runs only (in that order).  The engine uses rows to do an action's or
# an event's work only where it happens; the arithmetic is elementwise, so a value computed for
# a subset of runs is bit-identical to the same value computed for all of them.
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Node:
    evaluate: Evaluator
    kind: Kind
    constant: float | bool | None = None  # the value, when the node is a literal
    view: bool = False  # over all runs, the result may be a view of the state
    upper: float = math.inf  # no run's value exceeds this (NaN aside); see `_upper`


def _constant(value: float | bool) -> Evaluator:
    array: NDArray[Any] = np.asarray(
        value, dtype=np.bool_ if isinstance(value, bool) else np.float64
    )

    def evaluate(state: State, rows: Rows) -> NDArray[Any]:
        return array

    return evaluate


def _safe_divide(a: NDArray[Any], b: NDArray[Any]) -> FloatArray:
    """``a / b`` with every division by zero defined as 0 (no warning, no exception)."""
    out = np.zeros(np.broadcast_shapes(np.shape(a), np.shape(b)), dtype=np.float64)
    np.divide(a, b, out=out, where=b != 0)
    return out


def _divide_by(divisor: float) -> Callable[[NDArray[Any], NDArray[Any]], NDArray[Any]]:
    """:func:`_safe_divide` specialised for a literal divisor (same results, one pass)."""
    if divisor == 0:
        return lambda a, b: np.zeros(np.shape(a), dtype=np.float64)
    return np.divide


def _truth(node: _Node) -> Evaluator:
    """Boolean view of a node: numbers are true when non-zero."""
    if node.kind == "boolean":
        return node.evaluate
    evaluate = node.evaluate

    def truthy(state: State, rows: Rows) -> NDArray[Any]:
        return np.not_equal(evaluate(state, rows), 0.0)

    return truthy


def _as_number(node: _Node) -> Evaluator:
    """Numeric view of a node: booleans become 1.0 / 0.0 (used only where documented)."""
    if node.kind == "number":
        return node.evaluate
    evaluate = node.evaluate

    def numeric(state: State, rows: Rows) -> NDArray[Any]:
        return evaluate(state, rows).astype(np.float64)

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


def _scalar_reader(column: int) -> Evaluator:
    def evaluate(state: State, rows: Rows) -> NDArray[Any]:
        values = state.scalars[:, column]
        return values if rows is None else values[rows]

    return evaluate


def _dyadic_reader(d: int, a: int, b: int) -> Evaluator:
    def evaluate(state: State, rows: Rows) -> NDArray[Any]:
        values = state.dyadic[:, d, a, b]
        return values if rows is None else values[rows]

    return evaluate


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

    def number_node(self, node: Expr, context: str) -> _Node:
        """Compile ``node`` and require a number (``context`` names where it is used)."""
        compiled = self.compile(node)
        if compiled.kind != "number":
            raise ExpressionError(
                f"{context} needs a number, got a boolean", node.line, node.column
            )
        return compiled

    def number(self, node: Expr, context: str) -> Evaluator:
        """:meth:`number_node`'s closure."""
        return self.number_node(node, context).evaluate

    def compile(self, node: Expr) -> _Node:
        """Compile one syntax node to a typed closure (recursion bounded by the parser)."""
        if isinstance(node, Number):
            return _Node(
                _constant(node.value), "number", constant=node.value, upper=float(node.value)
            )
        if isinstance(node, BoolLit):
            return _Node(_constant(node.value), "boolean", constant=node.value)
        if isinstance(node, Var):
            column = self.resolve_scalar(node)
            self.names.add(node.name)
            return _Node(_scalar_reader(column), "number", view=True)
        if isinstance(node, Subscript):
            _, spec, a, b = self.resolve_dyadic(node)
            self.names.add(node.name)
            return _Node(_dyadic_reader(spec.index, a, b), "number", view=True)
        if isinstance(node, Neg):
            negated = self.number_node(node.operand, "unary '-'")
            if negated.constant is not None:  # a negative literal: -x is exact, fold it
                value = -float(negated.constant)
                return _Node(_constant(value), "number", constant=value, upper=value)
            operand = negated.evaluate
            return _Node(lambda state, rows: np.negative(operand(state, rows)), "number")
        if isinstance(node, Not):
            inner = _truth(self.compile(node.operand))
            return _Node(lambda state, rows: np.logical_not(inner(state, rows)), "boolean")
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

        def evaluate(state: State, rows: Rows) -> NDArray[Any]:
            result = parts[0](state, rows)
            for part in parts[1:]:
                result = combine(result, part(state, rows))
            return result

        return _Node(evaluate, "boolean")

    def _arith(self, node: Arith) -> _Node:
        head = self.number_node(node.first, f"{node.rest[0][0]!r}")
        first, upper = head.evaluate, head.upper
        rest = []
        for op, operand in node.rest:
            compiled = self.number_node(operand, f"{op!r}")
            function = _ARITH[op]
            if op == "/" and compiled.constant is not None:
                function = _divide_by(float(compiled.constant))
            rest.append((function, compiled.evaluate))
            upper = _upper(op, upper, compiled)

        def evaluate(state: State, rows: Rows) -> NDArray[Any]:
            result = first(state, rows)
            for op, operand in rest:
                result = op(result, operand(state, rows))
            return result

        return _Node(evaluate, "number", upper=upper)

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
        if len(ops) == 1:
            (left, right), (compare,) = operands, ops
            return _Node(
                lambda state, rows: compare(left(state, rows), right(state, rows)), "boolean"
            )

        def evaluate(state: State, rows: Rows) -> NDArray[Any]:
            values = [operand(state, rows) for operand in operands]
            result = ops[0](values[0], values[1])
            for index in range(1, len(ops)):
                result = np.logical_and(result, ops[index](values[index], values[index + 1]))
            return result

        return _Node(evaluate, "boolean")

    def _call(self, node: Call) -> _Node:
        nodes = [self.number_node(arg, f"{node.function}()") for arg in node.args]
        args = [n.evaluate for n in nodes]
        if node.function == "abs":
            (x,) = args
            return _Node(lambda state, rows: np.abs(x(state, rows)), "number")
        if node.function == "clip":
            x, low, high = args
            return _Node(
                lambda state, rows: np.minimum(
                    np.maximum(x(state, rows), low(state, rows)), high(state, rows)
                ),
                "number",
                upper=min(nodes[2].upper, max(nodes[0].upper, nodes[1].upper)),
            )
        combine = np.minimum if node.function == "min" else np.maximum
        pick = min if node.function == "min" else max
        return _Node(
            lambda state, rows: reduce(combine, (arg(state, rows) for arg in args)),
            "number",
            upper=pick(n.upper for n in nodes),
        )


def _upper(op: str, upper: float, operand: _Node) -> float:
    """A bound on ``left op operand`` from a bound on `left`: exact for a sum of bounds and
    for a literal subtracted, multiplied (≥ 0) or divided (> 0) — rounding is monotone, so the
    rounded result never exceeds the rounded bound; +inf (no bound) otherwise."""
    if math.isinf(upper) or math.isnan(upper):
        return math.inf
    c = operand.constant
    if op == "+" and not math.isinf(operand.upper):
        bound = upper + operand.upper
    elif c is None:
        return math.inf
    elif op == "-":
        bound = upper - float(c)
    elif op == "*" and c >= 0:
        bound = upper * float(c)
    elif op == "/" and c > 0:
        bound = upper / float(c)
    else:
        return math.inf
    return math.inf if math.isnan(bound) else bound


def _full(result: NDArray[Any], runs: int, dtype: type[np.generic]) -> NDArray[Any]:
    """A fresh ``(runs,)`` array: broadcasts constants and never aliases the state."""
    out = np.empty(runs, dtype=dtype)
    out[...] = result
    return out


ArrayT = TypeVar("ArrayT", BoolArray, FloatArray)


@dataclass(frozen=True, eq=False)
class _Compiled(Generic[ArrayT]):
    """A compiled expression: calling it returns a fresh ``(runs,)`` array of `_dtype`."""

    source: str
    names: frozenset[str]
    _symbols: Symbols = field(repr=False)
    _evaluate: Evaluator = field(repr=False)
    _dtype: ClassVar[type[np.generic]]

    def __call__(self, state: State) -> ArrayT:
        """Evaluate for every run at once; the result is a fresh array, never a view."""
        self._symbols.check_state(state)
        with np.errstate(all="ignore"):
            return cast(ArrayT, _full(self._evaluate(state, None), state.runs, self._dtype))

    def evaluate(self, state: State, rows: Rows = None) -> ArrayT:
        """The engine's fast path: the expression in runs `rows` (all runs if None).

        No checks and no floating-point error handling (the caller checked the state's shape
        once and ignores floating-point errors); the result is read-only, may be a 0-d array
        (a literal) that broadcasts against the rows, and over all runs may be a view of the
        state (`a = b`)."""
        return cast(ArrayT, self._evaluate(state, rows))


@dataclass(frozen=True, eq=False)
class Condition(_Compiled[BoolArray]):
    """A compiled condition; calling it returns a ``(runs,)`` bool array."""

    _dtype = np.bool_


@dataclass(frozen=True, eq=False)
class Value(_Compiled[FloatArray]):
    """A compiled numeric expression; calling it returns a ``(runs,)`` float64 array."""

    _dtype = np.float64

    upper: float = field(default=math.inf, repr=False)
    """No run's value exceeds this (a NaN aside), whatever the state: known from literals in
    ``clip``/``min``/``max`` and arithmetic on them, else +inf. The engine uses it to skip the
    runs whose uniform is above a probability's bound before evaluating it."""


SPARSE_SHARE = 1 / 3
"""A condition or value needed in fewer than this share of the runs is evaluated in those runs
only (each variable gathered for them); in more, it is evaluated in all runs and the needed ones
picked. Both give the same numbers; this only chooses the cheaper way."""

SPARSE_WRITE_SHARE = 3 / 4
"""An effect on fewer than this share of the runs is computed and written in those runs only
(gather, compute, scatter); on more, it is computed for every run and written where the mask
holds (a masked copy costs several times a gather per element, hence the high share). Both give
the same numbers; this only chooses the cheaper way."""


@dataclass(frozen=True)
class _Assignment:
    """One compiled statement: evaluate, combine with the old value, clip, write.

    Most statements in a scenario change a variable by a literal (``tension += 5``,
    ``channel[A,B] = 1``); for those `literal` holds the number and no expression is evaluated
    (for ``=`` the clipped literal is computed once, with the same operations)."""

    label: str
    location: Callable[[State], list[FloatArray]]  # (runs,) views to write; the first is read
    combine: Callable[[NDArray[Any], NDArray[Any]], NDArray[Any]] | None  # None for "="
    value: Evaluator
    low: float
    high: float
    aliases: bool  # over all runs the value may be a view of the state (`a = b`)
    literal: NDArray[np.float64] | None = None  # the right-hand side, when a number
    clipped: NDArray[np.float64] | None = None  # for `= literal`: the value written

    def execute(self, state: State, rows: Rows, mask: BoolArray | None) -> None:
        """Write in runs `rows` (an index array), or in every run where `mask` holds, or (both
        None) in every run."""
        views = self.location(state)
        new: NDArray[Any]
        if self.clipped is not None:
            _write(views, self.clipped, rows, mask)
            return
        if self.literal is not None and self.combine is not None:
            new = self.combine(views[0] if rows is None else views[0][rows], self.literal)
        else:
            rhs = self.value(state, rows)
            if self.combine is None:
                new = rhs
            else:
                old = views[0] if rows is None else views[0][rows]
                new = self.combine(old, rhs)
            size = state.runs if rows is None else len(rows)
            if not (isinstance(new, np.ndarray) and new.shape == (size,)) or (
                self.aliases and rows is None
            ):
                new = _full(new, size, np.float64)  # fresh array: safe to clip in place
        if self.low > -math.inf:
            np.maximum(new, self.low, out=new)
        if self.high < math.inf:
            np.minimum(new, self.high, out=new)
        _write(views, new, rows, mask)


def _write(views: list[FloatArray], new: NDArray[Any], rows: Rows, mask: BoolArray | None) -> None:
    """Write `new` into each view: in runs `rows`, or where `mask` holds, or (both None)
    everywhere."""
    for view in views:
        if rows is not None:
            view[rows] = new
        elif mask is None:
            view[...] = new
        else:
            np.copyto(view, new, where=mask)


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
        changes: list[EffectChange] = []
        with np.errstate(all="ignore"):
            self.execute(state, select(state.runs, mask=mask), audit=changes)
        return changes

    def execute(
        self,
        state: State,
        selection: Selection,
        audit: list[EffectChange] | None = None,
    ) -> None:
        """The engine's path (the same statements as :meth:`apply`): write where `selection`
        (from :func:`select`) says; with `audit`, append each statement's before/after over all
        runs to it.

        No checks and no floating-point error handling (the caller's)."""
        how, where = selection
        rows = where if how == "rows" else None
        mask = where if how == "mask" else None
        for assignment in self._assignments:
            before = assignment.location(state)[0].copy() if audit is not None else None
            if how != "none":
                assignment.execute(state, rows, mask)
            if audit is not None and before is not None:
                after = assignment.location(state)[0].copy()
                audit.append(EffectChange(assignment.label, before, after))


def select(
    runs: int, *, mask: BoolArray | None = None, rows: NDArray[np.intp] | None = None
) -> Selection:
    """Where :meth:`Effects.execute` writes: the runs a bool `mask` selects, or the (sorted,
    distinct) run indices `rows`, or every run when both are None — as the cheaper of an index
    array and a mask (see :data:`SPARSE_WRITE_SHARE`)."""
    if mask is not None:
        count = int(np.count_nonzero(mask))
        if count == runs:
            return "all", None
        if count == 0:
            return "none", None
        if count < runs * SPARSE_WRITE_SHARE:
            return "rows", np.flatnonzero(mask).astype(np.intp, copy=False)
        return "mask", mask
    if rows is None or len(rows) == runs:
        return "all", None
    if len(rows) == 0:
        return "none", None
    if len(rows) < runs * SPARSE_WRITE_SHARE:
        return "rows", rows
    full = np.zeros(runs, dtype=np.bool_)
    full[rows] = True
    return "mask", full


def compile_condition(text: str, symbols: Symbols) -> Condition:
    """Compile a condition; numbers are accepted and mean "non-zero".

    Raises :class:`ExpressionError` (with line and column) for anything not in the language.
    """
    names, node = _compile_expression(text, symbols)
    return Condition(text, names, symbols, _truth(node))


def compile_value(text: str, symbols: Symbols) -> Value:
    """Compile a numeric expression; a boolean result is returned as 1.0 / 0.0.

    Raises :class:`ExpressionError` (with line and column) for anything not in the language.
    """
    names, node = _compile_expression(text, symbols)
    upper = node.upper if node.kind == "number" else math.inf
    return Value(text, names, symbols, _as_number(node), upper)


def _compile_expression(text: str, symbols: Symbols) -> tuple[frozenset[str], _Node]:
    """The one compilation path of conditions and values: parse, check against `symbols`,
    compile; returns the variables read and the compiled tree."""
    compiler = _Compiler(symbols)
    node = compiler.compile(parse_expression(text))
    return frozenset(compiler.names), node


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
        node = compiler.compile(statement.value)
        value, aliases, combine = _as_number(node), node.view, None
    else:
        compiler.names.add(target.name)
        node = compiler.number_node(statement.value, f"{statement.op!r}")
        value, aliases, combine = node.evaluate, False, _ARITH[statement.op[0]]
        if statement.op == "/=" and node.constant is not None:
            combine = _divide_by(float(node.constant))
    literal = clipped = None
    if node.kind == "number" and node.constant is not None:
        literal = np.asarray(float(node.constant), dtype=np.float64)
        if combine is None:  # clipped once, with the operations `execute` would use
            clipped = literal.copy()
            if low > -math.inf:
                np.maximum(clipped, low, out=clipped)
            if high < math.inf:
                np.minimum(clipped, high, out=clipped)
    return _Assignment(label, location, combine, value, low, high, aliases, literal, clipped)


def compile_effects(text: str, symbols: Symbols) -> Effects:
    """Compile effect statements separated by ``;`` or line breaks.

    ``names`` holds the variables read (including targets of ``+=`` and friends) and
    ``writes`` the variables assigned.  Raises :class:`ExpressionError` with line and
    column for syntax errors, unknown targets and anything not in the language.
    """
    compiler = _Compiler(symbols)
    statements = parse_effects(text)
    assignments = tuple(_compile_statement(compiler, s) for s in statements)
    writes = frozenset(s.target.name for s in statements)
    return Effects(text, frozenset(compiler.names), writes, symbols, assignments)
