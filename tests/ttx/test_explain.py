"""The plain-language rendering of scenario expressions (the handbook's adjudication rules)."""

from __future__ import annotations

import pytest

from detente.ttx.explain import (
    describe_condition,
    describe_effects,
    describe_probability,
)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("clip(x, 0, 10)", "x, kept between 0 and 10"),
        ("tension >= 60", "tension is at least 60"),
        ("a > 1 and not b", "a is above 1 and b is false"),
        ("(a or b) and c < 2", "(a or b) and c is below 2"),
        ("a or b or c", "a, b or c"),
        ("0 < x <= 5", "0 is below x and x is at most 5"),
        ("min(a, b + 1)", "the smaller of a and (b plus 1)"),
        ("max(a, b, c)", "the largest of a, b and c"),
        ("abs(-x)", "the size of minus x"),
        ("trust[USA, CHN] != 0", "trust between United States and China is not 0"),
        ("(t - 50) / 100", "(t minus 50) divided by 100"),
        ("dprk_fire >= rok_fire", "dprk fire is at least rok fire"),
    ],
)
def test_condition_in_words(text: str, words: str) -> None:
    names = {"USA": "United States", "CHN": "China"}
    assert describe_condition(text, names) == words


def test_effects_in_words() -> None:
    assert (
        describe_effects("tension += 8; casualties -= -2; x += -1; y = 3; z *= 2; w /= 4")
        == "raise tension by 8; raise casualties by 2; lower x by 1; set y to 3; "
        "multiply z by 2; divide w by 4"
    )
    assert describe_effects("a -= b * 2") == "lower a by b times 2"


def test_probability_in_words() -> None:
    assert describe_probability(0.3) == "a 30% chance"
    assert describe_probability(1.0) == "always"
    assert describe_probability("min(x, 1)").startswith("a chance of the smaller of x and 1")


def test_text_that_does_not_parse_is_kept() -> None:
    assert describe_condition("a >") == "a >"
    assert describe_effects("= 3") == "= 3"
