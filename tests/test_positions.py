"""Positions of values and keys: the compact tree from :mod:`detente.yamlread` agrees with the
marks PyYAML's composer gives every node, for any document without aliases."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.positions import Spot, locate, pack, unpack
from detente.yamlread import parse

_words = st.text(alphabet="abcdefghij xyz", min_size=1, max_size=8).map(str.strip).filter(bool)
_scalars = st.one_of(st.none(), st.booleans(), st.integers(-(10**6), 10**6), _words)
_documents = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(_words, inner, min_size=1, max_size=5)
    ),
    max_leaves=30,
)


def _nodes(node: yaml.Node, path: tuple[Any, ...] = ()) -> Any:
    """(path, value node, key node or None) for every node below the root."""
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield (*path, i), item, None
            yield from _nodes(item, (*path, i))
    elif isinstance(node, yaml.MappingNode):
        for key, item in node.value:
            yield (*path, key.value), item, key
            yield from _nodes(item, (*path, key.value))


def _at(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


@settings(max_examples=150, deadline=None)
@given(
    data=_documents,
    flow=st.sampled_from([True, False, None]),
    width=st.sampled_from([12, 80, 10_000]),
)
def test_every_value_and_key_is_located_where_the_composer_puts_it(
    data: Any, flow: bool | None, width: int
) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, width=width, allow_unicode=True)
    parsed = parse(text, "f.yaml")
    assert parsed.data == data
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    assert root is not None
    for path, node, key in _nodes(root):
        assert locate(parsed.positions, path) == _at(node), (text, path)
        if key is not None:
            assert locate(parsed.positions, path, key=True) == _at(key), (text, path)
        # a path that goes on past real data is located at its deepest real part
        assert locate(parsed.positions, (*path, "no-such-key", 3)) == _at(node)
    assert locate(parsed.positions, ()) == (1, 1)


def test_unknown_parts_fall_back_to_the_nearest_located_ancestor() -> None:
    parsed = parse("a:\n  b: [1, 2]\n  c: {d: x}\n", "f.yaml")
    assert locate(parsed.positions, ("a", "b", 1)) == (2, 10)
    assert locate(parsed.positions, ("a", "b", 7)) == (2, 6)  # past the end: the list
    assert locate(parsed.positions, ("a", "b", -1)) == (2, 6)
    assert locate(parsed.positions, ("a", "b", True)) == (2, 6)
    assert locate(parsed.positions, ("a", "c", "d"), key=True) == (3, 7)
    assert locate(parsed.positions, ("a", 0)) == (2, 3)  # an index into a mapping
    assert locate(None, ("x",)) == (1, 1)


def test_values_given_by_an_alias_are_located_at_the_alias() -> None:
    parsed = parse("base: &b {x: 1, y: [2]}\nuse: [*b]\nmerged:\n  <<: *b\n  z: 3\n", "f")
    assert locate(parsed.positions, ("use", 0, "y", 0)) == (2, 7)
    assert locate(parsed.positions, ("merged", "x")) == (4, 3)  # a merged key: its mapping
    assert locate(parsed.positions, ("merged", "z")) == (5, 6)


def test_packed_positions_round_trip() -> None:
    for line, column in [(0, 0), (34_000, 5), (0, (1 << 24) + 7), (1 << 20, (1 << 32) - 1)]:
        assert unpack(pack(line, column)) == (line + 1, column + 1)
    assert Spot(sequence=True).value_at(0) is None
