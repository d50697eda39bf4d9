"""Chart labels wrap at word boundaries, and text without spaces still wraps."""

from __future__ import annotations

from detente.roadmap.plots import wrap_words


def test_a_word_a_little_longer_than_the_column_stays_whole() -> None:
    lines = wrap_words("Mass casualties (50 or more killed)", 8)
    assert "casualties" in lines
    assert all(" " not in line or len(line) <= 8 for line in lines)


def test_text_without_spaces_is_broken_by_characters_a_full_em_each() -> None:
    lines = wrap_words("武装冲突扩大：继开始的两次交火后再次发生致命交火", 10)
    assert len(lines) > 1 and all(len(line) <= 6 for line in lines)  # 10 × 0.6 em


def test_a_very_long_word_is_broken() -> None:
    assert max(len(line) for line in wrap_words("x" * 40, 8)) <= 8
