"""Bit-identity of the engine's results, pinned by checksums.

The engine is optimised for speed (memory layout, work only on the runs a mask selects, a
transposed sampler). None of that may change a single number: the same seed must give the same
:class:`~detente.ttx.results.Results`, bit for bit, before and after any optimisation. These
checksums were taken from the first, straightforward implementation of the rules. If a change of
the *rules* (not of their speed) is intended, recompute them and say why in the change.

The checksums cover every per-run array (dtype, shape and bytes), for the small fixture pack
with and without delegation profiles and with a measure that exercises every modifier kind.
Only arithmetic decides the state; the softmax's `exp` could in principle round differently on
another CPU, but a choice would change only if a uniform fell within one ulp of a boundary.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from detente.meeting.loader import load_meeting
from detente.ttx.engine import Engine
from detente.ttx.modifiers import compile_modifier
from detente.ttx.pack import load_pack
from detente.ttx.results import Results, concat
from detente.ttx.scenario import Modifier

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "ttx-small"

MEASURE = {
    "effects": "hotline[ALD,BRV] = 0",
    "chance": {"misperception": {"factor": 0.5}},
    "appeal": {"hold": 1.0},
    "disable_actions": ["propose-talks"],
}


def checksum(results: Results) -> str:
    digest = hashlib.sha256()
    for name, array in results.arrays().items():
        digest.update(f"{name}:{array.dtype}:{array.shape}".encode())
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()[:16]


def engine(variant: str) -> Engine:
    folder = load_meeting(SMALL)
    compiled = load_pack(SMALL).compiled
    if variant == "no-profiles":
        return Engine(compiled)
    if variant == "measure":
        measure = compile_modifier(Modifier.model_validate(MEASURE), compiled)
        return Engine(compiled, folder.profiles, [measure])
    return Engine(compiled, folder.profiles)


@pytest.mark.parametrize(
    ("variant", "seed", "expected"),
    [
        ("profiles", 0, "3d3a2a90c9ef2e0d"),
        ("profiles", 7, "70d0e4d37cb81a1f"),
        ("no-profiles", 1, "a0692296ded26ccc"),
        ("measure", 1, "ce298463d384e4c8"),
    ],
)
def test_results_are_bit_identical(variant: str, seed: int, expected: str) -> None:
    assert checksum(engine(variant).run(3000, seed=seed)) == expected


def test_chunked_results_are_bit_identical() -> None:
    e = engine("profiles")
    parts = [
        e.run(1, seed=3),
        e.run(1500, seed=3, start_run=1),
        e.run(1499, seed=3, start_run=1501),
    ]
    assert checksum(concat(parts)) == "94077ecf5a1f60a1"
