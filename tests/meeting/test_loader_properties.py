"""Property: a mutated meeting file either loads or fails with our located error — nothing else."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from detente.diagnostics import InputError
from detente.meeting.checks import check_programme
from detente.meeting.loader import load_meeting

ROOT = Path(__file__).resolve().parents[2]
SOURCES = {
    "korea": ROOT / "examples" / "korea-2024",
    "harbour": ROOT / "tests" / "fixtures" / "harbour-2025",
}
_yaml = YAML(typ="safe")
DATA = {
    name: _yaml.load((path / "meeting.yaml").read_text(encoding="utf-8"))
    for name, path in SOURCES.items()
}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["10:70", "25:00", "9", "09:00", "", "CHN", "USA", "observer", "session"]),
)
values = st.one_of(
    scalars,
    st.lists(scalars, max_size=3),
    st.dictionaries(st.text(max_size=6), scalars, max_size=2),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        node = node[p]
    return node


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(DATA[draw(st.sampled_from(sorted(DATA)))])
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths[1:]))
        parent = _get(data, path[:-1])
        action = draw(st.sampled_from(["replace", "delete", "add_key", "duplicate"]))
        if action == "replace":
            parent[path[-1]] = draw(values)
        elif action == "delete":
            del parent[path[-1]]
        elif action == "add_key" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=8))] = draw(values)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_meeting_loads_or_fails_with_a_location(data: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with (folder / "meeting.yaml").open("w", encoding="utf-8") as fh:
            YAML().dump(data, fh)
        try:
            loaded = load_meeting(folder)
        except InputError as exc:
            assert exc.diagnostics
            for d in exc.diagnostics:
                assert d.file == "meeting.yaml"
                assert d.line >= 1 and d.column >= 1, str(d)
                assert d.message
            return
        for finding in check_programme(loaded.meeting, loaded.source):
            assert finding.line >= 1


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_crashes_the_loader(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "meeting.yaml").write_text(text, encoding="utf-8")
        try:
            load_meeting(folder)
        except InputError as exc:
            assert all(d.file == "meeting.yaml" for d in exc.diagnostics)
