"""Property: whatever one mutation does to the small pack, loading it either works or raises our
located error — never another exception, never an error without a file position."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from detente.diagnostics import InputError
from detente.meeting.loader import load_meeting
from detente.ttx.engine import Engine
from detente.ttx.pack import load_pack

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "ttx-small"
DATA: Any = YAML(typ="safe").load((SMALL / "scenario.yaml").read_text(encoding="utf-8"))
MEETING = load_meeting(SMALL)

Path_ = tuple[str | int, ...]


def _paths(node: Any, path: Path_ = ()) -> list[Path_]:
    out: list[Path_] = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*path, index))
    return out


PATHS = _paths(DATA)[1:]
NAMES = ["tension", "fleet", "talks", "hotline", "trust", "ALD", "BRV", "FLT", "hold", "nuclear"]
EXPRESSIONS = st.one_of(
    st.sampled_from(
        [
            "tension > 3 and",
            "hotline[ALD,ALD] == 1",
            "trust[ALD] > 0",
            "fleet += 1; casualties = -1",
            "x = 1",
            "tension = tension / 0",
            "min(tension)",
            "__import__(os)",
            "tension.real",
            "lambda: 1",
            "(((((((((tension)))))))))",
            "clip(tension, 0, 1) * 2",
            "1e999",
            "tension >= 45 # comment",
        ]
    ),
    st.text(alphabet="abcfhlnst[],()+-*/<>=!. 0123456789_;#\n", max_size=30),
)
VALUES = st.one_of(
    EXPRESSIONS,
    st.sampled_from(NAMES),
    st.none(),
    st.booleans(),
    st.integers(-5, 200),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.sampled_from(NAMES), max_size=3),
    st.dictionaries(st.sampled_from(NAMES), st.integers(-2, 2), max_size=2),
)


def _mutate(data: Any, path: Path_, kind: str, value: Any) -> Any:
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if kind == "delete":
        del parent[last]
    elif kind == "duplicate" and isinstance(parent, list):
        parent.append(parent[last])
    else:
        parent[last] = value
    return data


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    path=st.sampled_from(PATHS),
    kind=st.sampled_from(["replace", "delete", "duplicate"]),
    value=VALUES,
)
def test_a_mutated_pack_loads_or_fails_with_located_errors(
    path: Path_, kind: str, value: Any
) -> None:
    data = _mutate(YAML(typ="safe").load(io.StringIO(_dump(DATA))), path, kind, value)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)  # the meeting is checked against MEETING, loaded once
        (folder / "scenario.yaml").write_text(_dump(data), encoding="utf-8")
        try:
            pack = load_pack(folder, meeting=MEETING)
        except InputError as exc:
            assert exc.diagnostics
            for d in exc.diagnostics:
                assert d.file == "scenario.yaml" and d.line >= 1 and d.column >= 1, str(d)
                assert d.message
            return
    # a pack that loads also runs
    results = Engine(pack.compiled, MEETING.profiles).run(8, seed=0)
    assert results.runs == 8


def _dump(data: Any) -> str:
    stream = io.StringIO()
    yaml = YAML(typ="safe")
    yaml.default_flow_style = False
    yaml.dump(data, stream)
    return stream.getvalue()
