"""Join codes: format, entropy, determinism, revocation by generation, the secret file."""

from __future__ import annotations

import os
import re
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from detente.access import (
    ALPHABET,
    CODE_BITS,
    AccessError,
    join_code,
    join_url,
    load_or_create_secret,
    normalize_code,
    person_for_code,
    qr_svg,
)

SECRET = bytes(range(32))


def test_code_is_80_bits_in_groups_without_ambiguous_characters() -> None:
    code = join_code(SECRET, "ada-lind")
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}", code), code
    assert len(ALPHABET) == 32 and len(set(ALPHABET)) == 32
    assert not set("01IO") & set(ALPHABET)
    assert len(code.replace("-", "")) * 5 == CODE_BITS >= 80


def test_codes_are_deterministic_per_secret_person_and_generation() -> None:
    assert join_code(SECRET, "a") == join_code(SECRET, "a")
    assert join_code(SECRET, "a") != join_code(SECRET, "b")
    assert join_code(SECRET, "a") != join_code(SECRET, "a", generation=1)
    assert join_code(SECRET, "a") != join_code(bytes(32), "a")


def test_codes_spread_over_the_alphabet() -> None:
    codes = [join_code(SECRET, f"p{i}").replace("-", "") for i in range(400)]
    assert len(set(codes)) == 400
    counts = {ch: sum(c.count(ch) for c in codes) for ch in ALPHABET}
    expected = 400 * 16 / 32
    assert min(counts.values()) > expected * 0.6 and max(counts.values()) < expected * 1.4


def test_typed_codes_are_normalised_and_matched() -> None:
    code = join_code(SECRET, "erik-sand")
    typed = code.lower().replace("-", " ")
    assert normalize_code(typed) == code
    assert normalize_code("OOOO-1111-IIII-0000") is None
    assert normalize_code(code[:-1]) is None
    people = ["ada-lind", "erik-sand", "marta-kowal"]
    assert person_for_code(SECRET, typed, people) == "erik-sand"
    assert person_for_code(SECRET, join_code(SECRET, "nobody"), people) is None


def test_a_revoked_code_no_longer_matches() -> None:
    people = ["ada-lind"]
    old = join_code(SECRET, "ada-lind", 0)
    new = join_code(SECRET, "ada-lind", 1)
    assert person_for_code(SECRET, old, people, {"ada-lind": 1}) is None
    assert person_for_code(SECRET, new, people, {"ada-lind": 1}) == "ada-lind"


def test_secret_is_created_once_with_mode_0600(tmp_path: Path) -> None:
    first = load_or_create_secret(tmp_path)
    path = tmp_path / "join-secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) == 32
    assert load_or_create_secret(tmp_path) == first


def test_a_secret_readable_by_others_is_refused(tmp_path: Path) -> None:
    load_or_create_secret(tmp_path)
    os.chmod(tmp_path / "join-secret", 0o644)
    with pytest.raises(AccessError, match="chmod 600"):
        load_or_create_secret(tmp_path)


def test_join_url_and_qr_svg() -> None:
    url = join_url("http://10.0.0.2:8000/", "K7QM-2XPA-9RTD-WE4H")
    assert url == "http://10.0.0.2:8000/join/K7QM-2XPA-9RTD-WE4H"
    svg = qr_svg(url)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert root.find(".//{http://www.w3.org/2000/svg}path") is not None
