"""Hostile YAML: every input below gives one located error, fast and in bounded memory.

Each case runs `detente validate` in a subprocess whose address space is capped (RLIMIT_AS), so an
unbounded expansion would die with MemoryError instead of passing; there is no wall-clock assert
(the timing lives in bench/validate_large.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from detente import yamlread
from detente.diagnostics import InputError
from detente.sourcefile import read_yaml
from detente.yamlread import MAX_DEPTH, MAX_FILE_BYTES, MAX_ITEMS, parse, resolve_plain

MEMORY_CAP = 768 * 1024 * 1024
"""Address-space cap for each hostile case: the CLI's imports fit; a billion laughs does not."""

LOCATED = re.compile(
    r"^(?P<file>[\w.-]+):(?P<line>\d+):(?P<col>\d+) ?(?P<path>[^:]*): (?P<msg>.+)$"
)

BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]" for i in range(9)]
)


def _deep(meeting: str) -> str:
    return meeting + "deep: " + "[" * 300 + "]" * 300 + "\n"


def _append(extra: str) -> Callable[[str], str]:
    return lambda text: text + extra


CASES: dict[str, tuple[Callable[[str], str | bytes], str]] = {
    "alias bomb": (_append("\n" + BOMB + "\n"), "alias"),
    "bidi override in a name": (
        lambda t: t.replace("name: Maria", "name: \u202eMaria", 1),
        "bidirectional control character U+202E",
    ),
    "infinity": (lambda t: t.replace("id: korea-2024", "id: .inf", 1), "not a finite number"),
    "not a number": (lambda t: t.replace("id: korea-2024", "id: .nan", 1), "not a finite number"),
    "invalid UTF-8": (
        lambda t: t.encode("utf-8").replace(b"Istanbul", b"Istan\xffbul", 1),
        "not UTF-8 text",
    ),
    "control character": (lambda t: t.replace("Istanbul", "Istan\x07bul", 1), "U+0007"),
    "impossible date": (
        lambda t: re.sub(r"start_date: [\d-]+", "start_date: 2024-02-30", t, count=1),
        "is not a valid date",
    ),
    "deep nesting": (_deep, f"more than {MAX_DEPTH} levels"),
    "huge file": (lambda t: t + "#" * (MAX_FILE_BYTES + 10) + "\n", "limited to"),
    "a list too long, on one line": (
        _append("long: [" + "x, " * (MAX_ITEMS + 5) + "x]\n"),
        f"more than {MAX_ITEMS:,} items in one list",
    ),
    "syntax error": (lambda t: t + "\n  : : [\n", "YAML syntax"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_input_gives_one_located_error(case: str, korea: Path, tmp_path: Path) -> None:
    edit, expected = CASES[case]
    folder = tmp_path / "m"
    shutil.copytree(korea, folder)
    target = folder / "meeting.yaml"
    edited = edit(target.read_text(encoding="utf-8"))
    assert edited != target.read_text(encoding="utf-8"), "the edit did not apply"
    if isinstance(edited, bytes):
        target.write_bytes(edited)
    else:
        target.write_text(edited, encoding="utf-8")
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_CAP}, {MEMORY_CAP}))\n"
        "from detente.cli import main\n"
        f"sys.argv = ['detente', 'validate', {str(folder)!r}]\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    first = LOCATED.match(lines[0])
    assert first is not None, lines[0]
    assert first["file"] == "meeting.yaml" and int(first["line"]) >= 1, lines[0]
    assert expected in first["msg"], lines[0]


def _error(text: str) -> str:
    with pytest.raises(InputError) as info:
        parse(text, "f.yaml")
    return str(info.value.diagnostics[0])


def test_errors_point_at_the_offending_value() -> None:
    assert (
        _error("a:\n  b: [1, .inf]\n")
        == "f.yaml:2:10 a.b[1]: '.inf' is not a finite number (infinity and NaN are not accepted)"
    )
    assert _error("a: 1\nb:\n  c: 2024-02-30\n").startswith(
        "f.yaml:3:6 b.c: '2024-02-30' is not a valid date"
    )
    assert _error("a: 1\na: 2\n") == "f.yaml:2:1 a: duplicate key 'a' (first at line 1)"
    assert _error("a: *nope\n").startswith("f.yaml:1:4 a: unknown alias")
    assert _error("a: 1\n---\nb: 2\n").startswith("f.yaml:2:1")


def test_collections_longer_than_the_limit_are_refused_where_they_cross_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "a:\n  b: [" + ", ".join(["x"] * MAX_ITEMS) + ", last]\n"
    column = len("  b: [") + len("x, ") * MAX_ITEMS + 1
    assert _error(text).startswith(f"f.yaml:2:{column} a.b[{MAX_ITEMS}]: more than")
    monkeypatch.setattr(yamlread, "MAX_ITEMS", 3)
    assert parse("[1, 2, 3]\n", "f").data == [1, 2, 3]
    assert _error("[1, 2, [3], [4]]\n").startswith("f.yaml:1:13 [3]: more than 3 items in one list")
    assert _error("- &x 1\n- 2\n- 3\n- *x\n").startswith("f.yaml:4:3 [3]: more than 3")
    assert _error("{a: 1, b: 2, c: 3, d: 4}\n").startswith(
        "f.yaml:1:20: more than 3 keys in one mapping"
    )


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes("a: 1\nname: Zhōu ".encode() + b"\xff\n")
    with pytest.raises(InputError) as info:
        read_yaml(path)
    assert str(info.value.diagnostics[0]).startswith("x.yaml:2:12: not UTF-8 text: byte 0xFF")


def test_aliases_and_merge_keys_still_work() -> None:
    parsed = parse("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\nlist: [*b, *b]\n", "f")
    assert parsed.data == {
        "base": {"x": 1, "y": 2},
        "use": {"x": 1, "y": 3},
        "list": [{"x": 1, "y": 2}, {"x": 1, "y": 2}],
    }


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("yes", "yes"),
        ("no", "no"),
        ("true", True),
        ("null", None),
        ("~", None),
        ("017", 17),
        ("0x1F", 31),
        ("1_000", 1000),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("09:00", "09:00"),
        ("1.", 1.0),
        (".5", 0.5),
        ("2024-8-5", "2024-8-5"),
        ("1e3.5", "1e3.5"),
        ("-", "-"),
    ],
)
def test_plain_scalars_follow_yaml_1_2(text: str, value: object) -> None:
    assert resolve_plain(text) == value and type(resolve_plain(text)) is type(value)
