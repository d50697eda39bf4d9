"""Tests for the scenario expression language (detente.ttx.expressions)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from detente.ttx.expressions import (
    Condition,
    DyadicSpec,
    Effects,
    ExpressionError,
    State,
    Symbols,
    Value,
    compile_condition,
    compile_effects,
    compile_value,
)

INF = math.inf

SYMBOLS = Symbols(
    scalars={"tension": 0, "casualties": 1, "talks_opened": 2, "a": 3, "b": 4, "c": 5},
    scalar_ranges={
        "tension": (0.0, 100.0),
        "casualties": (0.0, INF),
        "talks_opened": (0.0, 1.0),
        "a": (-INF, INF),
        "b": (-INF, INF),
        "c": (-10.0, 10.0),
    },
    dyadics={
        "channel": DyadicSpec(index=0, symmetric=True, min=0.0, max=1.0),
        "trust": DyadicSpec(index=1, symmetric=False, min=-1.0, max=1.0),
    },
    actors={"DPRK": 0, "ROK": 1, "USA": 2, "CHN": 3},
)

A = np.array([3.0, -2.0, 0.0, 7.5, -0.5])
B = np.array([2.0, 4.0, 0.0, -2.5, 0.25])
C = np.array([1.0, 1.0, -3.0, 9.0, 0.0])


def make_state(runs: int) -> State:
    """State with distinctive values in every variable; ``runs`` is 1 or 5."""
    state = SYMBOLS.new_state(runs)
    state.scalars[:, 0] = np.array([10.0, 50.0, 71.0, 90.0, 100.0])[:runs]
    state.scalars[:, 1] = np.array([0.0, 3.0, 0.0, 1.0, 0.0])[:runs]
    state.scalars[:, 2] = np.array([0.0, 1.0, 1.0, 0.0, 1.0])[:runs]
    state.scalars[:, 3] = A[:runs]
    state.scalars[:, 4] = B[:runs]
    state.scalars[:, 5] = C[:runs]
    state.dyadic[:, 0, 0, 1] = state.dyadic[:, 0, 1, 0] = np.array([0, 1, 0, 1, 0])[:runs]
    state.dyadic[:, 1, 2, 3] = np.array([0.5, -0.5, 0.0, 1.0, 0.25])[:runs]
    state.dyadic[:, 1, 3, 2] = np.array([-1.0, 0.0, 0.5, 0.0, -0.25])[:runs]
    return state


def value(text: str, state: State) -> NDArray[np.float64]:
    return compile_value(text, SYMBOLS)(state)


def condition(text: str, state: State) -> NDArray[np.bool_]:
    return compile_condition(text, SYMBOLS)(state)


@pytest.fixture(params=[1, 5], ids=["runs1", "runs5"])
def runs(request: pytest.FixtureRequest) -> int:
    return int(request.param)


# --- operators and functions -----------------------------------------------------------

NUMERIC_CASES: list[tuple[str, Callable[..., NDArray[np.float64]]]] = [
    ("a + b", lambda a, b, c: a + b),
    ("a - b", lambda a, b, c: a - b),
    ("a * b", lambda a, b, c: a * b),
    ("a / b", lambda a, b, c: np.where(b == 0, 0.0, a / np.where(b == 0, 1, b))),
    ("-a", lambda a, b, c: -a),
    ("- -a", lambda a, b, c: a),
    ("min(a, b)", lambda a, b, c: np.minimum(a, b)),
    ("min(a, b, c)", lambda a, b, c: np.minimum(np.minimum(a, b), c)),
    ("max(a, b)", lambda a, b, c: np.maximum(a, b)),
    ("max(a, b, c, 0)", lambda a, b, c: np.maximum(np.maximum(np.maximum(a, b), c), 0)),
    ("abs(b)", lambda a, b, c: np.abs(b)),
    ("clip(a, -1, 2)", lambda a, b, c: np.clip(a, -1, 2)),
    ("clip(a, c, 5)", lambda a, b, c: np.minimum(np.maximum(a, c), 5)),
    ("2", lambda a, b, c: np.full_like(a, 2.0)),
    ("2.5e1", lambda a, b, c: np.full_like(a, 25.0)),
    (".5 + 1.", lambda a, b, c: np.full_like(a, 1.5)),
    ("a", lambda a, b, c: a),
]


@pytest.mark.parametrize(("text", "expected"), NUMERIC_CASES, ids=[c[0] for c in NUMERIC_CASES])
def test_numeric_operators_and_functions(
    text: str, expected: Callable[..., NDArray[np.float64]], runs: int
) -> None:
    result = value(text, make_state(runs))
    assert result.shape == (runs,)
    assert result.dtype == np.float64
    np.testing.assert_array_equal(result, expected(A[:runs], B[:runs], C[:runs]))


COMPARISON_CASES: list[tuple[str, Callable[..., NDArray[np.bool_]]]] = [
    ("a == b", lambda a, b, c: a == b),
    ("a != b", lambda a, b, c: a != b),
    ("a < b", lambda a, b, c: a < b),
    ("a <= b", lambda a, b, c: a <= b),
    ("a > b", lambda a, b, c: a > b),
    ("a >= b", lambda a, b, c: a >= b),
    ("a > 0 and b > 0", lambda a, b, c: (a > 0) & (b > 0)),
    ("a > 0 or b > 0", lambda a, b, c: (a > 0) | (b > 0)),
    ("not a > 0", lambda a, b, c: ~(a > 0)),
    ("not a", lambda a, b, c: a == 0),
    ("a and b", lambda a, b, c: (a != 0) & (b != 0)),
    ("a or c", lambda a, b, c: (a != 0) | (c != 0)),
    ("true", lambda a, b, c: np.ones_like(a, dtype=bool)),
    ("false", lambda a, b, c: np.zeros_like(a, dtype=bool)),
    ("a", lambda a, b, c: a != 0),
    ("c < a < b", lambda a, b, c: (c < a) & (a < b)),
    ("c <= a != b > 0", lambda a, b, c: (c <= a) & (a != b) & (b > 0)),
    ("(a > 0) == (b > 0)", lambda a, b, c: (a > 0) == (b > 0)),
    ("(a > 0) == true", lambda a, b, c: a > 0),
    ("c == true", lambda a, b, c: c == 1),
]


@pytest.mark.parametrize(
    ("text", "expected"), COMPARISON_CASES, ids=[c[0] for c in COMPARISON_CASES]
)
def test_comparisons_and_logic(
    text: str, expected: Callable[..., NDArray[np.bool_]], runs: int
) -> None:
    result = condition(text, make_state(runs))
    assert result.shape == (runs,)
    assert result.dtype == np.bool_
    np.testing.assert_array_equal(result, expected(A[:runs], B[:runs], C[:runs]))


def test_examples_from_the_scenario_format(runs: int) -> None:
    state = make_state(runs)
    tension = state.scalars[:, 0]
    channel = state.dyadic[:, 0, 0, 1]
    np.testing.assert_array_equal(
        condition("tension > 70 and channel[DPRK,ROK] == 0", state),
        (tension > 70) & (channel == 0),
    )
    np.testing.assert_array_equal(condition("not talks_opened", state), state.scalars[:, 2] == 0)
    np.testing.assert_array_equal(
        condition("(a + b) * 2 >= c - 1", state), (A + B)[:runs] * 2 >= C[:runs] - 1
    )
    np.testing.assert_array_equal(
        condition("casualties > 0 or tension >= 80", state),
        (state.scalars[:, 1] > 0) | (tension >= 80),
    )


def test_asymmetric_dyadic_reads_respect_order() -> None:
    state = make_state(5)
    np.testing.assert_array_equal(value("trust[USA,CHN]", state), state.dyadic[:, 1, 2, 3])
    np.testing.assert_array_equal(value("trust[CHN,USA]", state), state.dyadic[:, 1, 3, 2])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("10 - 4 - 3", 3.0),
        ("10 - (4 - 3)", 9.0),
        ("24 / 4 / 2", 3.0),
        ("2 * 3 / 4", 1.5),
        ("-2 * 3", -6.0),
        ("-(2 + 3) * 2", -10.0),
        ("2 - -3", 5.0),
        ("1 < 2 == true", 0.0),  # chained: 1 < 2 and 2 == true, as in Python
        ("not 1 == 2", 1.0),  # not binds looser than ==
        ("true or false and false", 1.0),  # and binds tighter than or
        ("(true or false) and false", 0.0),
        ("not false and false", 0.0),  # (not false) and false
        ("1 + 2 > 2 and 3 * 0 == 0", 1.0),
    ],
)
def test_precedence(text: str, expected: float) -> None:
    np.testing.assert_array_equal(value(text, make_state(1)), [expected])


@pytest.mark.parametrize(
    ("text", "expected"),
    # Expected values are what Python gives for the same chained comparison.
    [
        ("1 < 2 < 3", True),
        ("1 < 3 < 2", False),
        ("3 > 2 > 1 >= 1", True),
        ("1 == 1 != 2", True),
        ("2 > 1 < 3", True),
        ("2 > 1 > 3", False),
    ],
)
def test_chained_comparisons_match_python(text: str, expected: bool) -> None:
    assert condition(text, make_state(5)).tolist() == [expected] * 5


def test_division_by_zero_is_zero_without_warnings() -> None:
    state = make_state(5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(value("a / 0", state), np.zeros(5))
        np.testing.assert_array_equal(value("0 / 0", state), np.zeros(5))
        np.testing.assert_array_equal(value("a / (b - b)", state), np.zeros(5))
        np.testing.assert_array_equal(value("1e308 * 10 - 1", state), np.full(5, INF))
        compile_effects("a /= 0; b = 1 / 0", SYMBOLS).apply(state)
    np.testing.assert_array_equal(state.scalars[:, 3:5], np.zeros((5, 2)))


def test_boolean_value_is_one_or_zero(runs: int) -> None:
    np.testing.assert_array_equal(value("a > 0", make_state(runs)), (A[:runs] > 0).astype(float))


def test_value_result_is_a_copy_not_a_view() -> None:
    state = make_state(5)
    result = value("tension", state)
    result[:] = -1
    assert state.scalars[0, 0] == 10.0


def test_multiline_condition_and_comments() -> None:
    text = "tension > 70   # hot\n  and\n  channel[DPRK,\n ROK] == 0"
    compiled = compile_condition(text, SYMBOLS)
    assert compiled.source == text
    assert compiled.names == frozenset({"tension", "channel"})
    np.testing.assert_array_equal(compiled(make_state(5)), [False, False, True, False, True])


def test_large_runs_are_vectorised() -> None:
    runs = 100_000
    state = SYMBOLS.new_state(runs)
    state.scalars[:, 0] = np.linspace(0, 100, runs)
    compiled = compile_condition("tension > 70 and channel[DPRK,ROK] == 0", SYMBOLS)
    result = compiled(state)
    assert result.shape == (runs,)
    assert int(result.sum()) == int((state.scalars[:, 0] > 70).sum())


# --- effects ---------------------------------------------------------------------------


def test_effect_operators_and_clipping() -> None:
    state = make_state(5)
    changes = compile_effects("tension += 10", SYMBOLS).apply(state)
    np.testing.assert_array_equal(state.scalars[:, 0], [20, 60, 81, 100, 100])
    assert [c.variable for c in changes] == ["tension"]
    np.testing.assert_array_equal(changes[0].before, [10, 50, 71, 90, 100])
    np.testing.assert_array_equal(changes[0].after, [20, 60, 81, 100, 100])

    compile_effects("tension -= 75", SYMBOLS).apply(state)
    np.testing.assert_array_equal(state.scalars[:, 0], [0, 0, 6, 25, 25])
    compile_effects("tension *= 1.2", SYMBOLS).apply(state)
    np.testing.assert_array_equal(state.scalars[:, 0], [0, 0, 6 * 1.2, 30, 30])
    compile_effects("tension /= 3", SYMBOLS).apply(state)
    np.testing.assert_allclose(state.scalars[:, 0], [0, 0, 2.4, 10, 10])
    compile_effects("tension = 1000", SYMBOLS).apply(state)
    np.testing.assert_array_equal(state.scalars[:, 0], [100] * 5)
    compile_effects("c = -a * 10", SYMBOLS).apply(state)
    np.testing.assert_array_equal(state.scalars[:, 5], np.clip(-A * 10, -10, 10))


def test_effects_respect_mask_and_record_full_before_after() -> None:
    state = make_state(5)
    mask = np.array([True, False, True, False, False])
    changes = compile_effects("tension += 5; casualties = 7", SYMBOLS).apply(state, mask)
    np.testing.assert_array_equal(state.scalars[:, 0], [15, 50, 76, 90, 100])
    np.testing.assert_array_equal(state.scalars[:, 1], [7, 3, 7, 1, 0])
    assert [c.variable for c in changes] == ["tension", "casualties"]
    np.testing.assert_array_equal(changes[1].before, [0, 3, 0, 1, 0])
    np.testing.assert_array_equal(changes[1].after, [7, 3, 7, 1, 0])
    untouched = make_state(5)
    compile_effects("tension = 0", SYMBOLS).apply(untouched, np.zeros(5, dtype=bool))
    np.testing.assert_array_equal(untouched.scalars, make_state(5).scalars)


def test_symmetric_dyadic_is_written_both_ways_asymmetric_only_one() -> None:
    state = make_state(5)
    compile_effects("channel[ROK,DPRK] = 1", SYMBOLS).apply(state, np.array([1, 1, 0, 0, 1], bool))
    np.testing.assert_array_equal(state.dyadic[:, 0, 1, 0], [1, 1, 0, 1, 1])
    np.testing.assert_array_equal(state.dyadic[:, 0, 0, 1], [1, 1, 0, 1, 1])
    before_reverse = state.dyadic[:, 1, 3, 2].copy()
    changes = compile_effects("trust[USA,CHN] = trust[USA,CHN] + 0.1", SYMBOLS).apply(state)
    np.testing.assert_allclose(state.dyadic[:, 1, 2, 3], [0.6, -0.4, 0.1, 1.0, 0.35])
    np.testing.assert_array_equal(state.dyadic[:, 1, 3, 2], before_reverse)
    assert changes[0].variable == "trust[USA,CHN]"


def test_statements_run_in_order_and_report_names() -> None:
    text = "\n# opening move\ntension += 10;\n\ncasualties = tension * 2 ;; talks_opened = true\n"
    effects = compile_effects(text, SYMBOLS)
    assert effects.source == text
    assert effects.writes == frozenset({"tension", "casualties", "talks_opened"})
    assert effects.names == frozenset({"tension"})
    state = make_state(5)
    effects.apply(state)
    np.testing.assert_array_equal(state.scalars[:, 1], [40, 120, 162, 200, 200])
    np.testing.assert_array_equal(state.scalars[:, 2], np.ones(5))


def test_effect_continues_over_lines_inside_brackets() -> None:
    state = make_state(1)
    compile_effects("tension = max(1,\n 2) + (3\n * 4)", SYMBOLS).apply(state)
    assert state.scalars[0, 0] == 14.0


def test_bad_mask_is_rejected() -> None:
    effects = compile_effects("tension = 1", SYMBOLS)
    with pytest.raises(ValueError, match="mask"):
        effects.apply(make_state(5), np.ones(4, dtype=bool))
    with pytest.raises(ValueError, match="mask"):
        effects.apply(make_state(5), np.ones(5))  # type: ignore[arg-type]


# --- rejections ------------------------------------------------------------------------

REJECTIONS: list[tuple[str, str, int, int, str]] = [
    # (mode, text, line, column, message fragment)
    ("condition", "__import__('os')", 1, 1, "'__import__' cannot be called"),
    ("condition", "eval('1')", 1, 1, "'eval' cannot be called"),
    ("condition", "open('x')", 1, 1, "'open' cannot be called"),
    ("condition", "tension.real", 1, 8, "attribute access"),
    ("condition", "lambda: 1", 1, 1, "lambda"),
    ("condition", '"str"', 1, 1, "string literals"),
    ("condition", "tension == 'x'", 1, 12, "string literals"),
    ("condition", "x[1]", 1, 1, "only dyadic variables can be subscripted"),
    ("condition", "tension[1]", 1, 8, "scalar variable and takes no subscript"),
    ("condition", "channel[1, 2] > 0", 1, 9, "two actor ids"),
    ("condition", "channel[DPRK] > 0", 1, 8, "exactly two actor ids"),
    ("condition", "channel[DPRK][ROK]", 1, 14, "one subscript"),
    ("condition", "channel > 0", 1, 1, "dyadic variable; index it"),
    ("condition", "tension > 1 and channel[DPRK,RK] == 0", 1, 30, "did you mean 'ROK'"),
    ("condition", "channel[dprk,ROK] == 0", 1, 9, "did you mean 'DPRK'"),
    ("condition", "channel[ROK,ROK] == 0", 1, 13, "itself"),
    ("condition", "tensoin > 70", 1, 1, "did you mean 'tension'"),
    ("condition", "a > 1 and\n  casualtys > 0", 2, 3, "did you mean 'casualties'"),
    ("condition", "True", 1, 1, "write 'true'"),
    ("condition", "a.b", 1, 2, "attribute access"),
    ("condition", "(a).b", 1, 4, "attribute access"),
    ("condition", "min(a, b).real", 1, 10, "attribute access"),
    ("condition", "tension(1)", 1, 1, "'tension' cannot be called"),
    ("condition", "(a)(1)", 1, 4, "only the functions"),
    ("condition", "abs(a, b)", 1, 1, "exactly 1 argument (got 2)"),
    ("condition", "clip(a, b)", 1, 1, "exactly 3 arguments (got 2)"),
    ("condition", "min(a)", 1, 1, "at least 2 arguments (got 1)"),
    ("condition", "max()", 1, 5, "expected an expression"),
    ("condition", "a +", 1, 4, "expected an expression, found end of input"),
    ("condition", "(a + b", 1, 7, "expected ')'"),
    ("condition", "a + b)", 1, 6, "unexpected ')'"),
    ("condition", "a b", 1, 3, "unexpected 'b'"),
    ("condition", "tension = 3", 1, 9, "use '=='"),
    ("condition", "tension += 3", 1, 9, "only allowed in effects"),
    ("condition", "a > 1; b > 1", 1, 6, "';' separates"),
    ("condition", "a ** 2", 1, 3, "power"),
    ("condition", "a // 2", 1, 3, "floor division"),
    ("condition", "a % 2", 1, 3, "modulo"),
    ("condition", "a && b", 1, 3, "write 'and'"),
    ("condition", "!a", 1, 1, "write 'not'"),
    ("condition", "a if b else c", 1, 3, "conditional"),
    ("condition", "[a]", 1, 1, "expected an expression"),
    ("condition", "+a", 1, 1, "unary '+'"),
    ("condition", "1_000", 1, 1, "malformed number"),
    ("condition", "1.2.3", 1, 1, "malformed number"),
    ("condition", "1e999", 1, 1, "too large"),
    ("condition", "a\u00a0> 1", 1, 2, "NO-BREAK SPACE"),
    ("condition", "true + 1", 1, 1, "needs a number, got a boolean"),
    ("condition", "abs(a > 1)", 1, 5, "abs() needs a number"),
    ("condition", "-(a > 1)", 1, 2, "unary '-' needs a number"),
    ("condition", "(a > 1) < 2", 1, 1, "'<' needs numbers"),
    ("condition", "", 1, 1, "expected an expression"),
    ("condition", "  \n  ", 2, 3, "expected an expression"),
    ("condition", "(" * 60 + "1" + ")" * 60, 1, 41, "nested too deeply"),
    ("condition", "-" * 60 + "1", 1, 41, "nested too deeply"),
    ("value", "import os", 1, 1, "'import' is not allowed"),
    ("effects", "tension == 5", 1, 9, "expected '='"),
    ("effects", "tenson += 5", 1, 1, "cannot assign to unknown variable 'tenson'"),
    ("effects", "tension += 5\nfoo = 1", 2, 1, "unknown variable 'foo'"),
    ("effects", "channel = 1", 1, 1, "dyadic variable; index it"),
    ("effects", "channel[USA,XX] = 1", 1, 13, "unknown actor 'XX'"),
    ("effects", "tension[USA,CHN] = 1", 1, 8, "takes no subscript"),
    ("effects", "min(a, b) = 1", 1, 1, "only variables can be assigned"),
    ("effects", "tension.real = 1", 1, 8, "attribute access"),
    ("effects", "3 = tension", 1, 1, "expected a variable to assign to"),
    ("effects", "tension += 5 tension -= 1", 1, 14, "unexpected 'tension'"),
    ("effects", "tension += true", 1, 12, "'+=' needs a number"),
    ("effects", "tension = 1 +\n 2", 1, 14, "found end of line"),
    ("effects", "  ;  \n", 2, 1, "at least one effect statement"),
    ("effects", "tension = __import__('os').system('x')", 1, 11, "cannot be called"),
]


@pytest.mark.parametrize(
    ("mode", "text", "line", "column", "fragment"),
    REJECTIONS,
    ids=[f"{r[0]}:{r[1][:30]!r}" for r in REJECTIONS],
)
def test_rejections_name_line_and_column(
    mode: str, text: str, line: int, column: int, fragment: str
) -> None:
    compiler = {"condition": compile_condition, "value": compile_value, "effects": compile_effects}
    with pytest.raises(ExpressionError) as info:
        compiler[mode](text, SYMBOLS)
    error = info.value
    assert fragment in error.message
    assert (error.line, error.column) == (line, column), error.message
    assert str(error) == f"{line}:{column} {error.message}"


def test_located_offsets_first_line_column_and_later_lines_only_by_line() -> None:
    first = ExpressionError("boom", 1, 8)
    assert first.located("scenario.yaml", 12, 15) == "scenario.yaml:12:22 boom"
    later = ExpressionError("boom", 3, 4)
    assert later.located("scenario.yaml", 12, 15) == "scenario.yaml:14:4 boom"
    with pytest.raises(ExpressionError) as info:
        compile_condition("a > 1 and\n  tension.real", SYMBOLS)
    assert (
        info.value.located("s.yaml", 40, 17) == "s.yaml:41:10 attribute access ('.') is not allowed"
    )


def test_expression_error_is_a_value_error() -> None:
    assert issubclass(ExpressionError, ValueError)


# --- symbol table and state validation -------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"scalars": {"and": 0}, "scalar_ranges": {"and": (0, 1)}},
        {"scalars": {"min": 0}, "scalar_ranges": {"min": (0, 1)}},
        {"scalars": {"2x": 0}, "scalar_ranges": {"2x": (0, 1)}},
        {"scalars": {"x": 0}, "scalar_ranges": {}},
        {"scalars": {"x": 0}, "scalar_ranges": {"x": (2, 1)}},
        {"scalars": {"x": 0, "y": 0}, "scalar_ranges": {"x": (0, 1), "y": (0, 1)}},
        {
            "scalars": {"x": 0},
            "scalar_ranges": {"x": (0, 1)},
            "dyadics": {"x": DyadicSpec(0, True)},
        },
        {"scalars": {}, "scalar_ranges": {}, "actors": {"lambda": 0}},
        {"scalars": {}, "scalar_ranges": {}, "actors": {"A": 0, "B": 0}},
        {"scalars": {}, "scalar_ranges": {}, "dyadics": {"d": DyadicSpec(0, True, 1, 0)}},
    ],
)
def test_invalid_symbol_tables_are_rejected(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Symbols(**kwargs)  # type: ignore[arg-type]


def test_symbols_are_frozen_copies() -> None:
    scalars = {"x": 0}
    symbols = Symbols(scalars=scalars, scalar_ranges={"x": (0.0, 1.0)})
    scalars["y"] = 1
    assert "y" not in symbols.scalars


def test_state_shape_is_checked() -> None:
    with pytest.raises(ValueError):
        State(np.zeros((2, 6)), np.zeros((3, 2, 4, 4)))
    with pytest.raises(ValueError):
        State(np.zeros((2, 6), dtype=np.float32), np.zeros((2, 2, 4, 4)))
    small = State(np.zeros((2, 2)), np.zeros((2, 2, 4, 4)))
    with pytest.raises(ValueError, match="scalar columns"):
        compile_condition("a > 0", SYMBOLS)(small)


# --- property tests --------------------------------------------------------------------


# Fragments that often combine into valid programs, so the property also exercises
# evaluation of whatever happens to compile.
TOKEN_SOUP = [
    *["tension", "channel", "trust", "a", "b", "DPRK", "ROK", "USA", "CHN", "min", "abs"],
    *["clip", "not", "and", "or", "true", "1", "2.5", "0", "[", "]", "(", ")", ","],
    *["-", "+", "*", "/", "==", "<", ">=", "=", "+=", "/=", ";", "\n", " "],
]


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(),
        st.text(alphabet="abcnotrue_[](),.;=<>!+-*/ 0123456789eE\n'#\t"),
        st.binary().map(lambda raw: raw.decode("latin-1")),
        st.lists(st.sampled_from(TOKEN_SOUP)).map(" ".join),
        st.lists(st.sampled_from(TOKEN_SOUP)).map("".join),
    ),
    st.sampled_from(["condition", "value", "effects"]),
)
def test_any_text_compiles_or_raises_expression_error_and_evaluates(text: str, mode: str) -> None:
    compiler: dict[str, Callable[[str, Symbols], Condition | Value | Effects]] = {
        "condition": compile_condition,
        "value": compile_value,
        "effects": compile_effects,
    }
    try:
        compiled = compiler[mode](text, SYMBOLS)
    except ExpressionError as error:
        assert error.line >= 1
        assert error.column >= 1
        assert error.message
        return
    assert compiled.source == text
    state = make_state(5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        if isinstance(compiled, Effects):
            compiled.apply(state, np.array([True, False, True, True, False]))
        else:
            assert compiled(state).shape == (5,)


# A tiny independent model: an expression tree rendered with minimal parentheses and
# evaluated per run with plain Python floats.


@dataclass(frozen=True)
class Tree:
    text: str
    precedence: int  # 1 sum, 2 term, 3 unary, 4 atom
    evaluate: Callable[[dict[str, float]], float]


def _nan_aware(pick: Callable[..., float]) -> Callable[..., float]:
    def apply(*values: float) -> float:
        return math.nan if any(math.isnan(v) for v in values) else pick(*values)

    return apply


def _divide(x: float, y: float) -> float:
    return 0.0 if y == 0 else x / y


VARIABLES = ["a", "b", "c", "tension", "trust[USA,CHN]", "trust[CHN,USA]", "channel[ROK,DPRK]"]


def _literal(number: float) -> Tree:
    text = str(int(number)) if number == int(number) else repr(number)
    return Tree(text, 4, lambda env: number)


literals = st.one_of(
    st.integers(0, 1000).map(float),
    st.floats(0, 1000, allow_subnormal=False).map(lambda x: round(x, 3)),
).map(_literal)
variables = st.sampled_from(VARIABLES).map(lambda name: Tree(name, 4, lambda env: env[name]))


def _wrap(tree: Tree, minimum: int) -> str:
    return tree.text if tree.precedence >= minimum else f"({tree.text})"


def _extend(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
    ops: dict[str, tuple[int, Callable[[float, float], float]]] = {
        "+": (1, lambda x, y: x + y),
        "-": (1, lambda x, y: x - y),
        "*": (2, lambda x, y: x * y),
        "/": (2, _divide),
    }

    def binary(op: str, left: Tree, right: Tree) -> Tree:
        level, fn = ops[op]
        # Left-associative: the right operand needs parentheses at equal precedence.
        text = f"{_wrap(left, level)} {op} {_wrap(right, level + 1)}"
        return Tree(text, level, lambda env: fn(left.evaluate(env), right.evaluate(env)))

    def negate(operand: Tree) -> Tree:
        return Tree(f"-{_wrap(operand, 3)}", 3, lambda env: -operand.evaluate(env))

    def call(name: str, args: list[Tree]) -> Tree:
        fn: Callable[..., float] = {
            "min": _nan_aware(min),
            "max": _nan_aware(max),
            "abs": _nan_aware(abs),
            "clip": _nan_aware(lambda x, lo, hi: min(max(x, lo), hi)),
        }[name]
        text = f"{name}({', '.join(arg.text for arg in args)})"
        return Tree(text, 4, lambda env: fn(*(arg.evaluate(env) for arg in args)))

    return st.one_of(
        st.builds(binary, st.sampled_from(list(ops)), children, children),
        st.builds(negate, children),
        st.builds(
            call, st.sampled_from(["min", "max"]), st.lists(children, min_size=2, max_size=3)
        ),
        st.builds(call, st.just("abs"), st.lists(children, min_size=1, max_size=1)),
        st.builds(call, st.just("clip"), st.lists(children, min_size=3, max_size=3)),
    )


trees = st.recursive(st.one_of(literals, variables), _extend, max_leaves=12)
run_values = st.floats(-1000, 1000, allow_nan=False)


def _state_for(env_rows: list[dict[str, float]]) -> State:
    state = SYMBOLS.new_state(len(env_rows))
    for run, env in enumerate(env_rows):
        state.scalars[run, 3:6] = env["a"], env["b"], env["c"]
        state.scalars[run, 0] = env["tension"]
        state.dyadic[run, 1, 2, 3] = env["trust[USA,CHN]"]
        state.dyadic[run, 1, 3, 2] = env["trust[CHN,USA]"]
        state.dyadic[run, 0, 0, 1] = state.dyadic[run, 0, 1, 0] = env["channel[ROK,DPRK]"]
    return state


envs = st.lists(
    st.fixed_dictionaries({name: run_values for name in VARIABLES}), min_size=1, max_size=5
)


@settings(max_examples=300)
@given(trees, envs)
def test_arithmetic_agrees_with_reference_evaluator(
    tree: Tree, env_rows: list[dict[str, float]]
) -> None:
    compiled = compile_value(tree.text, SYMBOLS)
    expected = np.array([tree.evaluate(env) for env in env_rows])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(compiled(_state_for(env_rows)), expected, err_msg=tree.text)


@settings(max_examples=200)
@given(
    st.lists(trees, min_size=2, max_size=4),
    st.lists(st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), min_size=3, max_size=3),
    st.sampled_from(["and", "or"]),
    st.booleans(),
    envs,
)
def test_conditions_agree_with_reference_evaluator(
    operands: list[Tree],
    ops: list[str],
    joiner: str,
    negate: bool,
    env_rows: list[dict[str, float]],
) -> None:
    compare: dict[str, Callable[[float, float], bool]] = {
        "==": lambda x, y: x == y,
        "!=": lambda x, y: x != y,
        "<": lambda x, y: x < y,
        "<=": lambda x, y: x <= y,
        ">": lambda x, y: x > y,
        ">=": lambda x, y: x >= y,
    }
    chain = operands[0].text + "".join(
        f" {op} {tree.text}" for op, tree in zip(ops, operands[1:], strict=False)
    )
    text = f"{'not ' if negate else ''}{chain} {joiner} {operands[0].text} > 0"

    def reference(env: dict[str, float]) -> bool:
        values = [tree.evaluate(env) for tree in operands]
        chained = all(
            compare[op](values[i], values[i + 1]) for i, op in enumerate(ops[: len(operands) - 1])
        )
        left = (not chained) if negate else chained
        right = values[0] > 0
        return (left and right) if joiner == "and" else (left or right)

    compiled = compile_condition(text, SYMBOLS)
    expected = np.array([reference(env) for env in env_rows])
    np.testing.assert_array_equal(compiled(_state_for(env_rows)), expected, err_msg=text)
