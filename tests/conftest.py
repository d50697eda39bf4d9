"""Shared fixtures: the two example meetings and a helper to write broken copies of them."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KOREA = ROOT / "examples" / "korea-2024"
HARBOUR = ROOT / "tests" / "fixtures" / "harbour-2025"
SHARED = ROOT.parent / "shared"

pytest_plugins = ("tests.rendered",)
"""The documents of the test meetings, rendered once per session for every package's tests."""


@pytest.fixture
def korea() -> Path:
    return KOREA


@pytest.fixture
def harbour() -> Path:
    return HARBOUR


MeetingWriter = Callable[[str], Path]


@pytest.fixture
def edited_meeting(tmp_path: Path) -> Callable[[Path, Callable[[str], str]], Path]:
    """Copy a meeting folder into tmp and apply a text edit to its meeting.yaml."""

    def make(source: Path, edit: Callable[[str], str]) -> Path:
        target = tmp_path / source.name
        shutil.copytree(source, target)
        path = target / "meeting.yaml"
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
        return target

    return make
