"""Where each value of a YAML file is: a compact tree of positions, looked up by path on error.

Every mapping and sequence read by :mod:`detente.yamlread` gets one :class:`Spot`: the position of
each of its values (and, for a mapping, of each key), plus the spots of its values that are
themselves mappings or sequences. A sequence keeps its values' positions in an integer array, so a
list of 700,000 scalars costs one machine word per value instead of a path tuple, a position tuple
and a dictionary entry each; a path is only walked when a diagnostic needs a place.

A position is packed in one int: ``line << 32 | column``, both 0-based as the parser reports them
(:func:`pack`, :func:`unpack`).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

from detente.diagnostics import PathPart

_SHIFT = 32
_COLUMN = (1 << _SHIFT) - 1


def pack(line: int, column: int) -> int:
    """One int for a 0-based (line, column)."""
    return line << _SHIFT | column


def unpack(packed: int) -> tuple[int, int]:
    """The 1-based (line, column) of a packed position."""
    return (packed >> _SHIFT) + 1, (packed & _COLUMN) + 1


class Spot:
    """Positions inside one mapping or sequence.

    `values` holds the packed position of each value (by key for a mapping, by index in an
    array for a sequence); `keys` the position of each mapping key (None for a sequence);
    `inner` the spots of values that are mappings or sequences written out in the file (a value
    given by an alias has a position but no inner spot: its contents are located at the alias).
    """

    __slots__ = ("inner", "keys", "values")

    def __init__(self, sequence: bool) -> None:
        self.values: array[int] | dict[str, int] = array("q") if sequence else {}
        self.keys: dict[str, int] | None = None if sequence else {}
        self.inner: dict[PathPart, Spot] = {}

    def value_at(self, part: PathPart) -> int | None:
        """Packed position of the value at `part` (a key or an index), None if there is none."""
        values = self.values
        if isinstance(values, dict):
            return values.get(part) if isinstance(part, str) else None
        if isinstance(part, int) and not isinstance(part, bool) and 0 <= part < len(values):
            return values[part]
        return None


def locate(root: Spot | None, path: Sequence[PathPart], *, key: bool = False) -> tuple[int, int]:
    """1-based position of the value at `path` (of its key if `key` and it is a mapping key),
    or of its nearest located ancestor; the file's start (1, 1) for the root or an unknown path.
    """
    found = (1, 1)
    spot = root
    last = len(path) - 1
    for depth, part in enumerate(path):
        if spot is None:
            break
        if key and depth == last and spot.keys is not None and isinstance(part, str):
            at = spot.keys.get(part)
            if at is not None:
                return unpack(at)
        packed = spot.value_at(part)
        if packed is None:
            break
        found = unpack(packed)
        spot = spot.inner.get(part)
    return found
