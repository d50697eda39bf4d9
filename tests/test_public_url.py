"""The one rule for the live app's public URL (see :mod:`detente.public_url`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.public_url import (
    DEFAULT_URL,
    ENV,
    PUBLIC_URL_FILE,
    decide_public_url,
    listening_url,
)


def test_a_given_url_wins_and_is_saved_for_the_next_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV, raising=False)
    out = tmp_path / "out"
    first = decide_public_url(out, "http://10.0.0.5:8000/")
    assert (first.url, first.source, first.replaced) == ("http://10.0.0.5:8000", "option", None)
    assert (out / PUBLIC_URL_FILE).read_text(encoding="utf-8").strip() == "http://10.0.0.5:8000"
    later = decide_public_url(out, None, default=listening_url("0.0.0.0", 9000))
    assert (later.url, later.source) == ("http://10.0.0.5:8000", "saved")
    moved = decide_public_url(out, "https://venue.example")
    assert (moved.url, moved.replaced) == ("https://venue.example", "http://10.0.0.5:8000")


def test_the_environment_comes_after_the_option_and_before_the_saved_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decide_public_url(tmp_path, "http://saved:1")
    monkeypatch.setenv(ENV, "http://from-env:2")
    assert decide_public_url(tmp_path, None).url == "http://from-env:2"
    assert decide_public_url(tmp_path, "http://given:3").url == "http://given:3"


def test_a_default_is_never_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    decided = decide_public_url(tmp_path, None, default=listening_url("127.0.0.1", 8443, tls=True))
    assert (decided.url, decided.source) == ("https://127.0.0.1:8443", "default")
    assert not (tmp_path / PUBLIC_URL_FILE).exists()
    assert decide_public_url(tmp_path, None).url == DEFAULT_URL == "http://127.0.0.1:8000"
