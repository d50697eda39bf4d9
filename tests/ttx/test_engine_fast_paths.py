"""The engine's fast paths compute exactly what the plain formulation computes.

Each optimisation has a switch or a reference here: evaluation on a subset of runs against all
runs, the transposed sampler against the original per-row sampler, the probability bound that
skips runs against no bound, the transposed uniforms against the row-major ones, and a play with
an audit against one without.
"""

from __future__ import annotations

import dataclasses
import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from detente.meeting.loader import load_meeting
from detente.ttx import engine as engine_module
from detente.ttx import expressions
from detente.ttx.engine import Engine
from detente.ttx.expressions import (
    DyadicSpec,
    State,
    Symbols,
    compile_effects,
    compile_value,
    select,
)
from detente.ttx.modifiers import compile_modifier
from detente.ttx.pack import CompiledScenario, load_pack
from detente.ttx.policy import PASS, sample_choices
from detente.ttx.results import Results
from detente.ttx.scenario import Modifier
from detente.ttx.streams import BLOCK, RunStreams

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "ttx-small"

SYMBOLS = Symbols(
    scalars={"a": 0, "b": 1, "t": 2},
    scalar_ranges={"a": (-math.inf, math.inf), "b": (-5.0, 5.0), "t": (0.0, 100.0)},
    dyadics={"ch": DyadicSpec(0, symmetric=True, min=0.0, max=1.0)},
    actors={"X": 0, "Y": 1},
)


def same(a: Results, b: Results) -> bool:
    return all(np.array_equal(a.arrays()[k], b.arrays()[k]) for k in a.arrays())


def random_state(runs: int, seed: int) -> State:
    rng = np.random.default_rng(seed)
    state = SYMBOLS.new_state(runs)
    state.scalars[:, 0] = rng.normal(0, 50, runs)
    state.scalars[:, 1] = rng.uniform(-5, 5, runs)
    state.scalars[:, 2] = rng.uniform(0, 100, runs)
    state.scalars[::7, 0] = np.nan
    state.dyadic[:, 0, 0, 1] = state.dyadic[:, 0, 1, 0] = rng.integers(0, 2, runs)
    return state


# --- layout ------------------------------------------------------------------------------------


def test_state_keeps_its_shapes_with_the_runs_axis_contiguous() -> None:
    state = State.zeros(5, 3, 2, 4)
    assert state.scalars.shape == (5, 3) and state.dyadic.shape == (5, 2, 4, 4)
    assert state.scalars[:, 1].flags.c_contiguous
    assert state.dyadic[:, 1, 2, 3].flags.c_contiguous


def test_a_new_state_holds_the_initial_values(compiled: CompiledScenario) -> None:
    state = compiled.new_state(3)
    assert np.array_equal(state.scalars, np.repeat(compiled.initial_scalars[None], 3, axis=0))
    assert np.array_equal(state.dyadic, np.repeat(compiled.initial_dyadic[None], 3, axis=0))


def test_transposed_uniforms_are_the_same_numbers() -> None:
    for start, runs in ((0, 3), (700, BLOCK + 10), (5, 2 * BLOCK)):
        rows, cols = RunStreams(4, start, runs), RunStreams(4, start, runs)
        for width in (7, 0, 3):
            assert np.array_equal(rows.uniforms(width).T, cols.columns(width))


# --- expressions ---------------------------------------------------------------------------------

EFFECTS = [
    "a += 2; b -= 1.5; t = 120",
    "a = b; b = a * 2",  # `=` of a bare variable, then a read of the new value
    "t /= 0; ch[X,Y] = 1 - ch[X,Y]",
    "b *= -3; a = t > 50",
    "t += clip(a / 10, -1, 1); a /= 4",
]


@pytest.mark.parametrize("text", EFFECTS)
@pytest.mark.parametrize("density", [0.0, 0.05, 0.5, 0.97, 1.0])
def test_effects_write_the_same_numbers_on_few_or_many_runs(text: str, density: float) -> None:
    """Index arrays (few runs), masked writes (many) and whole columns (all) agree, run by run,
    with the effect applied to each run alone."""
    runs = 200
    mask = np.random.default_rng(1).random(runs) < density
    effects = compile_effects(text, SYMBOLS)
    state = random_state(runs, 2)
    alone = [
        State(state.scalars[r : r + 1].copy(), state.dyadic[r : r + 1].copy()) for r in range(runs)
    ]
    effects.apply(state, mask)
    for r in range(runs):
        if mask[r]:
            effects.apply(alone[r])
        np.testing.assert_array_equal(state.scalars[r], alone[r].scalars[0])
        np.testing.assert_array_equal(state.dyadic[r], alone[r].dyadic[0])


def test_select_picks_the_cheaper_form() -> None:
    assert select(10)[0] == "all"
    assert select(10, mask=np.zeros(10, dtype=bool))[0] == "none"
    assert select(10, rows=np.arange(10))[0] == "all"
    how, rows = select(100, rows=np.array([3, 50]))
    assert how == "rows" and rows is not None and rows.tolist() == [3, 50]
    how, mask = select(10, rows=np.arange(9))
    assert how == "mask" and mask is not None and mask.sum() == 9


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("clip(a, 0, 0.4)", 0.4),
        ("clip(0.45 + (t - 75) / 50, 0.03, 0.8)", 0.8),
        ("min(a, 0.3, b)", 0.3),
        ("max(clip(a, 0, 1), 0.2) * 0.5", 0.5),
        ("0.2 + clip(b, 0, 1) / 4", 0.45),
        ("clip(b, 0, 2) - 1", 1.0),
        ("-0.5", -0.5),
        ("a", math.inf),
        ("clip(a, 0, 1) * b", math.inf),
        ("clip(a, 0, 1) / 0", math.inf),
    ],
)
def test_a_value_never_exceeds_its_bound(text: str, bound: float) -> None:
    value = compile_value(text, SYMBOLS)
    assert value.upper == pytest.approx(bound)
    v = value(random_state(500, 3))
    assert ((v <= value.upper) | np.isnan(v)).all()


# --- the sampler ---------------------------------------------------------------------------------


def reference_sample(
    utility: NDArray[np.float64],
    available: NDArray[np.bool_],
    temperature: float,
    uniforms: NDArray[np.float64],
) -> NDArray[np.int64]:
    """The first implementation of :func:`sample_choices`, row-major, kept as the reference."""
    runs, n = utility.shape
    k = uniforms.shape[1]
    out = np.full((runs, k), PASS, dtype=np.int64)
    with np.errstate(over="ignore", invalid="ignore"):
        logits = np.where(available, utility / temperature, -np.inf)
        top = np.maximum(logits.max(axis=1), 0.0)
        weights = np.exp(logits - top[:, None])
        weights[~available] = 0.0
        weights = np.nan_to_num(weights, nan=0.0)
        pass_weight = np.exp(-top)
    active = np.ones(runs, dtype=bool)
    rows = np.arange(runs)
    for slot in range(k):
        cumulative = np.cumsum(weights, axis=1)
        target = uniforms[:, slot] * (cumulative[:, -1] + pass_weight)
        index = (cumulative <= target[:, None]).sum(axis=1)
        chose = active & (index < n)
        out[chose, slot] = index[chose]
        weights[rows[chose], index[chose]] = 0.0
        active &= chose
        if not active.any():
            break
    return out


@pytest.mark.parametrize("runs", [1, 40, 3000, 17_000])
def test_the_sampler_draws_exactly_what_the_reference_draws(runs: int) -> None:
    rng = np.random.default_rng(runs)
    n, k = 9, 3
    utility = rng.normal(0, 2, (runs, n))
    available = rng.random((runs, n)) < 0.7
    available[::11] = False  # nothing available: pass
    uniforms = rng.random((runs, k))
    for temperature in (0.05, 0.5, 3.0):
        expected = reference_sample(utility, available, temperature, uniforms)
        assert np.array_equal(sample_choices(utility, available, temperature, uniforms), expected)
    utility[::5, 2] = np.inf  # not finite: the general path
    utility[::13, 4] = np.nan
    expected = reference_sample(utility, available, 0.5, uniforms)
    assert np.array_equal(sample_choices(utility, available, 0.5, uniforms), expected)


# --- the engine ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compiled() -> CompiledScenario:
    return load_pack(SMALL).compiled


@pytest.fixture(scope="module")
def engine(compiled: CompiledScenario) -> Engine:
    return Engine(compiled, load_meeting(SMALL).profiles)


@pytest.mark.parametrize("share", [0.0, 2.0])
def test_subset_and_whole_run_evaluation_agree(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, share: float
) -> None:
    """Share 0: every condition, value and effect over all runs; 2: always on the subset."""
    expected = engine.run(3000, seed=4)
    monkeypatch.setattr(expressions, "SPARSE_SHARE", share)
    monkeypatch.setattr(expressions, "SPARSE_WRITE_SHARE", share)
    monkeypatch.setattr(engine_module, "SPARSE_SHARE", share)
    assert same(engine.run(3000, seed=4), expected)


def test_the_probability_bound_only_skips_work(tmp_path: Path) -> None:
    """A reaction whose probability is at most 0.5: runs with a uniform above 0.5 are skipped
    before the probability is evaluated; forgetting the bound gives the same results."""
    folder = tmp_path / "ttx-small"
    shutil.copytree(SMALL, folder)
    scenario = folder / "scenario.yaml"
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text.replace("clip(tension / 100, 0, 1)", "clip(tension / 100, 0, 0.5)"))
    compiled = load_pack(folder).compiled
    (rule, *others) = compiled.reactions
    assert isinstance(rule.probability, expressions.Value) and rule.probability.upper == 0.5
    unbounded = dataclasses.replace(
        compiled,
        reactions=(
            dataclasses.replace(
                rule, probability=dataclasses.replace(rule.probability, upper=math.inf)
            ),
            *others,
        ),
    )
    profiles = load_meeting(folder).profiles
    hot = compile_modifier(Modifier.model_validate({"effects": "tension = 45"}), compiled)
    bounded = Engine(compiled, profiles, [hot]).run(4000, seed=6)
    assert bounded.reactions[:, :, 0].any()
    assert same(bounded, Engine(unbounded, profiles, [hot]).run(4000, seed=6))


def test_an_audited_play_plays_the_same(engine: Engine) -> None:
    plays = [engine.start(500, seed=8, audit=audit) for audit in (False, True)]
    reports = []
    for play in plays:
        for _ in range(play.compiled.n_moves):
            play.begin_move()
            reports.append(play.adjudicate(play.simulated_choices()))
            play.close_move()
    assert same(plays[0].results(), plays[1].results())
    assert not reports[0].audit and reports[2].audit  # only the audited play records
    assert same(plays[0].results(), engine.run(500, seed=8))


def test_choices_of_any_integer_type_are_adjudicated_alike(engine: Engine) -> None:
    """Run indices times the number of actions exceed int16: the grouping must not overflow."""
    reports = []
    for dtype in (np.int64, np.int16):
        play = engine.start(5000, seed=9)
        play.begin_move()
        reports.append(play.adjudicate(play.simulated_choices().astype(dtype)))
    assert np.array_equal(reports[0].applied, reports[1].applied)
    assert reports[0].applied[-100:].any()
    assert np.array_equal(reports[0].escalation, reports[1].escalation)
