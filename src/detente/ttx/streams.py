"""Random numbers per run that do not depend on how the runs are split into chunks.

Runs are grouped in fixed blocks of :data:`BLOCK` consecutive run indices. Block *b* of seed *s* has
its own PCG64 stream, seeded by ``SeedSequence(s, spawn_key=(DOMAIN, b))``. Every move the engine
draws a (BLOCK, width) matrix of uniforms from each block's stream, row *i* belonging to run
``b * BLOCK + i``. A chunk ``[start, start + runs)`` only needs the rows of its own runs: PCG64 uses
exactly one 64-bit output per double, so the stream is *advanced* past the rows before and after the
chunk instead of drawing them. Hence:

- run *r* gets the same numbers whether it is computed alone, in a chunk of three, or among 10⁶;
- creating a stream costs one SeedSequence per block touched (≈ one per 1024 runs), not per run;
- the layout (width per move) is fixed by the scenario, never by the state, so masked-out runs
  still consume their numbers and the streams never drift apart.

The spawn key's first element, :data:`DOMAIN`, keeps these streams apart from other uses of the
same seed (e.g. the runner's seat generators, spawned from ``SeedSequence(seed)``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

BLOCK = 1024
DOMAIN = 0x77_78  # "tx": the tabletop-exercise engine's streams


class RunStreams:
    """Uniform numbers in [0, 1) for runs ``[start_run, start_run + runs)`` of one seed."""

    def __init__(self, seed: int, start_run: int, runs: int) -> None:
        if seed < 0 or start_run < 0 or runs < 0:
            raise ValueError("seed, start_run and runs must be non-negative")
        self.seed = seed
        self.start_run = start_run
        self.runs = runs
        self._parts: list[tuple[np.random.Generator, int, int]] = []  # generator, lo, hi in block
        end = start_run + runs
        block = start_run // BLOCK
        while block * BLOCK < end:
            lo = max(start_run, block * BLOCK) - block * BLOCK
            hi = min(end, (block + 1) * BLOCK) - block * BLOCK
            sequence = np.random.SeedSequence(seed, spawn_key=(DOMAIN, block))
            self._parts.append((np.random.Generator(np.random.PCG64(sequence)), lo, hi))
            block += 1

    def uniforms(self, width: int) -> NDArray[np.float64]:
        """The next (runs, width) uniforms: this move's block rows for this chunk's runs."""
        if width == 0 or not self._parts:
            return np.zeros((self.runs, width))
        pieces = []
        for generator, lo, hi in self._parts:
            bits = generator.bit_generator
            if lo:
                bits.advance(lo * width)  # type: ignore[attr-defined]
            pieces.append(generator.random((hi - lo, width)))
            if hi < BLOCK:
                bits.advance((BLOCK - hi) * width)  # type: ignore[attr-defined]
        return pieces[0] if len(pieces) == 1 else np.concatenate(pieces)

    def columns(self, width: int) -> NDArray[np.float64]:
        """The same numbers as :meth:`uniforms` (and advancing the streams alike), transposed:
        (width, runs), C-contiguous, so that one use of a number across runs (a column of
        :meth:`uniforms`) is a contiguous vector. Each block is transposed while in cache."""
        out = np.empty((width, self.runs))
        if width == 0:
            return out
        at = 0
        for generator, lo, hi in self._parts:
            bits = generator.bit_generator
            if lo:
                bits.advance(lo * width)  # type: ignore[attr-defined]
            out[:, at : at + hi - lo] = generator.random((hi - lo, width)).T
            at += hi - lo
            if hi < BLOCK:
                bits.advance((BLOCK - hi) * width)  # type: ignore[attr-defined]
        return out
