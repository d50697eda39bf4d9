"""Sweeps: interval statistics against published examples, chunking invariance, JSON, plots, CLI."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from detente.cli import app
from detente.meeting.loader import load_meeting
from detente.seats.profiles import Profiles
from detente.ttx import sweep as sweep_module
from detente.ttx.engine import Engine
from detente.ttx.modifiers import CompiledModifier, compile_modifier
from detente.ttx.pack import Pack, load_pack
from detente.ttx.results import concat
from detente.ttx.scenario import Modifier
from detente.ttx.sweep import (
    Histograms,
    Quantiles,
    measure_effects,
    merge_tallies,
    newcombe_interval,
    paired_newcombe_interval,
    quantiles,
    sweep,
    tally,
    wilson_interval,
)
from detente.ttx.sweep_plots import write_plots

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "ttx-small"


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(SMALL)


@pytest.fixture(scope="module")
def profiles() -> Profiles:
    folder = load_meeting(SMALL)
    assert folder.profiles is not None
    return folder.profiles


def measure(pack: Pack, **fields: object) -> CompiledModifier:
    return compile_modifier(Modifier.model_validate(fields), pack.compiled)


@pytest.fixture(scope="module")
def measures(pack: Pack) -> dict[str, CompiledModifier]:
    return {
        # no militia swarm, no misperception: tension should peak less often
        "calm-strait": measure(
            pack,
            reactions={"swarm-when-tense": {"factor": 0.0}},
            chance={"misperception": {"factor": 0.0}},
        ),
        "talks-from-the-start": measure(pack, effects="talks = 1"),
    }


# --- statistics against hand / published examples ------------------------------------------------


@pytest.mark.parametrize(
    ("x", "n", "low", "high"),
    [
        (0, 10, 0.0, 0.2775),  # Newcombe 1998 (Stat Med 17:857) Table I
        (1, 10, 0.0179, 0.4042),
        (81, 263, 0.2553, 0.3662),
        (10, 10, 0.7225, 1.0),
    ],
)
def test_wilson_interval_matches_published_values(x: int, n: int, low: float, high: float) -> None:
    iv = wilson_interval(x, n)
    assert iv.estimate == pytest.approx(x / n)
    assert iv.low == pytest.approx(low, abs=5e-5)
    assert iv.high == pytest.approx(high, abs=5e-5)


def test_wilson_interval_rejects_impossible_counts() -> None:
    for x, n in ((1, 0), (-1, 5), (6, 5)):
        with pytest.raises(ValueError):
            wilson_interval(x, n)


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2", "low", "high"),
    [
        # Newcombe 1998 (Stat Med 17:873) Table II, method 10
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (5, 56, 0, 29, -0.0381, 0.1926),
        (0, 10, 0, 20, -0.1611, 0.2775),
    ],
)
def test_newcombe_independent_interval(
    x1: int, n1: int, x2: int, n2: int, low: float, high: float
) -> None:
    iv = newcombe_interval(x1, n1, x2, n2)
    assert iv.estimate == pytest.approx(x1 / n1 - x2 / n2)
    assert (iv.low, iv.high) == pytest.approx((low, high), abs=5e-5)


def test_newcombe_paired_interval() -> None:
    # Fagerland, Lydersen & Laake, Statistical Analysis of Contingency Tables, ch. 8 (Cavo et
    # al. 2012): table [[59, 6], [16, 80]], Newcombe square-and-add −0.0621 (−0.1186 to −0.0046).
    iv = paired_newcombe_interval(59, 6, 16, 80)
    assert iv.estimate == pytest.approx(-0.0621, abs=5e-5)
    assert (iv.low, iv.high) == pytest.approx((-0.1186, -0.0046), abs=5e-5)


def test_paired_interval_is_tighter_when_pairs_agree() -> None:
    # 1000 pairs, mostly concordant: a positively correlated design beats independent samples
    paired = paired_newcombe_interval(300, 40, 10, 650)
    independent = newcombe_interval(340, 1000, 310, 1000)
    assert paired.estimate == pytest.approx(independent.estimate)
    assert paired.high - paired.low < 0.5 * (independent.high - independent.low)
    assert paired.low > 0  # 40 against 10 discordant pairs is a clear difference


def test_paired_interval_of_identical_arms_is_zero() -> None:
    iv = paired_newcombe_interval(400, 0, 0, 600)
    assert iv.estimate == 0.0
    assert iv.low <= 0.0 <= iv.high
    assert iv.high - iv.low < 0.01


def test_quantiles_from_histograms_match_numpy_inverted_cdf() -> None:
    rng = np.random.default_rng(5)
    values = rng.integers(-10, 40, size=(997, 3)).astype(float)
    h = Histograms.of(values)
    for column in range(3):
        q = h.quantiles(column)
        assert q is not None
        expected = np.quantile(
            values[:, column], [0.05, 0.25, 0.5, 0.75, 0.95], method="inverted_cdf"
        )
        assert [q.q05, q.q25, q.q50, q.q75, q.q95] == list(expected)
        assert q.mean == pytest.approx(values[:, column].mean())
    assert quantiles([], []) is None
    assert quantiles([1.0, 2.0], [0, 0]) is None
    assert quantiles([3.0], [7]) == Quantiles(3.0, 3.0, 3.0, 3.0, 3.0, 3.0)


def test_histograms_integral_and_fractional_paths_agree() -> None:
    rng = np.random.default_rng(1)
    values = rng.integers(0, 6, size=(500, 2)).astype(float) * 4 - 2
    mask = rng.random((500, 1)) < 0.7
    fast = Histograms.of(values, mask)
    shifted = Histograms.of(values + 0.5, mask)  # not integral: counted through np.unique
    assert np.array_equal(fast.counts, shifted.counts)
    assert np.array_equal(fast.values + 0.5, shifted.values)
    assert sum(fast.cell(0).values()) == int(mask.sum())
    assert fast.cell(1) == {
        float(v): int(((values[:, 1] == v) & mask[:, 0]).sum())
        for v in np.unique(values[mask[:, 0], 1])
    }


def test_histograms_merge_exactly_whatever_the_split() -> None:
    rng = np.random.default_rng(2)
    values = rng.integers(-3, 90, size=(800, 4)).astype(float)
    whole = Histograms.of(values)
    parts = [Histograms.of(values[a:b]) for a, b in ((0, 10), (10, 420), (420, 800))]
    assert parts[2].merge(parts[0]).merge(parts[1]) == whole
    assert parts[0].merge(parts[1].merge(parts[2])) == whole
    with pytest.raises(ValueError):
        whole.merge(Histograms.of(values[:, :2]))


# --- sweeping ------------------------------------------------------------------------------------


def test_tally_of_a_whole_equals_the_merged_tallies_of_its_parts(
    pack: Pack, profiles: Profiles, measures: dict[str, CompiledModifier]
) -> None:
    base = Engine(pack.compiled, profiles)
    arm = Engine(pack.compiled, profiles, [measures["calm-strait"]])
    parts = [(0, 300), (300, 450), (750, 50)]
    whole = tally(base.run(800, 9), [arm.run(800, 9)])
    merged = merge_tallies(tally(base.run(n, 9, s), [arm.run(n, 9, s)]) for s, n in parts)
    assert merged.runs == whole.runs == 800
    assert np.array_equal(merged.outcomes, whole.outcomes)
    assert np.array_equal(merged.pairs, whole.pairs)
    assert np.array_equal(merged.playing, whole.playing)
    assert merged.score == whole.score and merged.cumulative == whole.cumulative
    joined = concat([base.run(n, 9, s) for s, n in parts])
    assert np.array_equal(merged.outcomes, joined.occurred.sum(axis=0))


def test_sweep_does_not_depend_on_the_chunk_size(
    pack: Pack, profiles: Profiles, measures: dict[str, CompiledModifier]
) -> None:
    documents = {
        chunk: json.dumps(
            sweep(
                pack, runs=1500, seed=11, measures=measures, profiles=profiles, chunk=chunk
            ).to_json()
        )
        for chunk in (1500, 500, 333, 1024)
    }
    assert len(set(documents.values())) == 1
    other_seed = sweep(pack, runs=1500, seed=12, measures=measures, profiles=profiles)
    assert json.dumps(other_seed.to_json()) != documents[1500]


def test_outcome_probabilities_agree_with_the_engine(pack: Pack, profiles: Profiles) -> None:
    result = sweep(pack, runs=1200, seed=4, profiles=profiles, chunk=400)
    direct = Engine(pack.compiled, profiles).run(1200, 4)
    for i, o in enumerate(pack.compiled.outcomes):
        count = int(direct.occurred[:, i].sum())
        assert result.outcome_counts[o.id] == count
        assert result.outcomes[o.id] == wilson_interval(count, 1200)
    playing = [int(((direct.ended_move == 0) | (direct.ended_move >= m)).sum()) for m in (1, 2)]
    assert [m.playing for m in result.escalation] == playing
    totals = direct.escalation.sum(axis=2).cumsum(axis=1)[:, -1]
    final = result.escalation[-1].total_cumulative
    assert final.mean == pytest.approx(totals.mean())
    assert final.q50 == np.quantile(totals, 0.5, method="inverted_cdf")


def test_measures_move_outcomes_the_way_they_should(
    pack: Pack, profiles: Profiles, measures: dict[str, CompiledModifier]
) -> None:
    result = sweep(pack, runs=4000, seed=2, measures=measures, profiles=profiles)
    calm = result.effects["calm-strait"]["crisis-peak"]
    assert calm.difference.high < 0
    assert calm.difference.estimate == pytest.approx(
        calm.with_measure.estimate - calm.baseline.estimate
    )
    talks = result.effects["talks-from-the-start"]["talks-opened"]
    assert talks.with_measure.estimate == 1.0
    assert talks.difference.low > 0
    assert calm.baseline == result.outcomes["crisis-peak"]


def test_a_measure_that_changes_nothing_has_no_effect(pack: Pack, profiles: Profiles) -> None:
    same = {"no-op": measure(pack, reactions={"swarm-when-tense": {"factor": 1.0}})}
    result = sweep(pack, runs=2000, seed=8, measures=same, profiles=profiles)
    for effect in result.effects["no-op"].values():
        assert effect.difference.estimate == 0.0
        assert effect.with_measure == effect.baseline
        assert effect.difference.low <= 0.0 <= effect.difference.high


def test_bad_arguments_are_refused(pack: Pack) -> None:
    for kwargs in ({"runs": 0}, {"runs": 5, "chunk": 0}, {"runs": 5, "seed": -1}):
        with pytest.raises(ValueError):
            sweep(pack, **kwargs)  # type: ignore[arg-type]


def test_json_document_has_the_documented_keys(
    pack: Pack, profiles: Profiles, measures: dict[str, CompiledModifier]
) -> None:
    doc = sweep(pack, runs=300, seed=1, measures=measures, profiles=profiles).to_json()
    assert set(doc) >= {"schema", "scenario", "title", "runs", "seed", "actors", "outcomes"}
    assert {"escalation", "measures", "interval"} <= set(doc)
    assert doc["schema"] == "detente.ttx.sweep/1"
    assert list(doc["outcomes"]) == [o.id for o in pack.compiled.outcomes]
    for o in doc["outcomes"].values():
        assert set(o) == {"label", "count", "estimate", "low", "high"}
        assert o["low"] <= o["estimate"] <= o["high"]
    assert [m["move"] for m in doc["escalation"]] == [1, 2]
    move = doc["escalation"][0]
    assert set(move) == {"move", "playing", "score", "cumulative", "total", "total_cumulative"}
    assert set(move["score"]) == set(pack.compiled.actor_ids)
    assert set(move["total"]) == {"q05", "q25", "q50", "q75", "q95", "mean"}
    assert set(doc["measures"]) == set(measures)
    effect = doc["measures"]["calm-strait"]["armed-clash"]
    assert set(effect) == {"baseline", "with_measure", "difference"}
    json.dumps(doc, allow_nan=False)


def test_plots_are_written_as_png_and_parseable_svg(
    tmp_path: Path, pack: Pack, profiles: Profiles, measures: dict[str, CompiledModifier]
) -> None:
    result = sweep(pack, runs=500, seed=3, measures=measures, profiles=profiles)
    files = write_plots(result, tmp_path / "plots", titles={"calm-strait": "A calm strait"})
    names = sorted(p.name for p in files)
    assert names == sorted(
        f"{stem}.{ext}" for stem in ("escalation", "outcomes", "effects") for ext in ("png", "svg")
    )
    for path in files:
        data = path.read_bytes()
        assert len(data) > 1000
        if path.suffix == ".png":
            assert data.startswith(b"\x89PNG\r\n\x1a\n")
        else:
            root = ET.fromstring(data)
            assert root.tag.endswith("svg")
    again = write_plots(result, tmp_path / "again")
    svg = {p.name: p.read_bytes() for p in again if p.suffix == ".svg" and p.stem != "effects"}
    for name, data in svg.items():
        assert (tmp_path / "plots" / name).read_bytes() == data  # reproducible SVG
    no_measures = write_plots(sweep(pack, runs=50, seed=3), tmp_path / "bare")
    assert not any(p.stem == "effects" for p in no_measures)


# --- the command ---------------------------------------------------------------------------------

MODIFIERS = """\
calm-strait:
  reactions:
    swarm-when-tense: {factor: 0}
  chance:
    misperception: {factor: 0.5}
open-hotline:
  effects: hotline[ALD,BRV] = 1
"""


@pytest.fixture
def meeting(tmp_path: Path) -> Path:
    folder = tmp_path / "ttx-small"
    shutil.copytree(SMALL, folder)
    (folder / "modifiers.yaml").write_text(MODIFIERS, encoding="utf-8")
    return folder


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["ttx", "sweep", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_command_writes_json_and_plots(meeting: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, _ = invoke(
        str(meeting), "--runs", "600", "--measure", "calm-strait", "--format", "json",
        "--out", str(out), "--chunk", "250",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(stdout)
    assert doc["runs"] == 600 and list(doc["measures"]) == ["calm-strait"]
    folder = out / "ttx-sweep"
    assert (folder / "sweep.json").read_text(encoding="utf-8") == stdout
    assert {p.name for p in folder.iterdir()} >= {"sweep.json", "effects.svg", "outcomes.png"}
    code, text, _ = invoke(str(meeting), "--runs", "600", "--out", str(out), "--seed", "0")
    assert code == 0
    assert "Outcomes" in text and "Fisheries talks agreed" in text


def test_command_reports_an_unknown_measure_with_suggestions(meeting: Path) -> None:
    code, _, err = invoke(str(meeting), "--runs", "10", "--measure", "calm-strat")
    assert code == 1
    assert "unknown measure 'calm-strat'" in err and "did you mean 'calm-strait'" in err
    assert "Traceback" not in err


def test_command_locates_a_bad_modifier(meeting: Path) -> None:
    (meeting / "modifiers.yaml").write_text(
        "calm:\n  reactions:\n    no-such-rule: {factor: 0}\n", encoding="utf-8"
    )
    code, _, err = invoke(str(meeting), "--runs", "10", "--measure", "calm")
    assert code == 1
    assert "modifiers.yaml:3:5" in err and "no-such-rule" in err
    (meeting / "modifiers.yaml").write_text("calm:\n  factor: 2\n", encoding="utf-8")
    code, _, err = invoke(str(meeting), "--runs", "10", "--measure", "calm")
    assert code == 1 and "modifiers.yaml:2:3" in err and "unknown key 'factor'" in err


def test_command_refuses_a_measure_without_modifier(meeting: Path) -> None:
    (meeting / "measures.yaml").write_text(
        """\
measures:
  - id: fisheries-forum
    title: A standing fisheries forum
    description: Officials meet every quarter.
    category: cbm
    actors: [ALD, BRV]
    horizon: within-a-year
    source: test fixture
""",
        encoding="utf-8",
    )
    code, _, err = invoke(str(meeting), "--runs", "10", "--measure", "fisheries-forum")
    assert code == 1
    assert "measures.yaml:2:9" in err and "has no `modifier`" in err


@pytest.mark.parametrize("runs", ["0", "-5", "many"])
def test_command_refuses_bad_run_counts(meeting: Path, runs: str) -> None:
    code, _, err = invoke(str(meeting), "--runs", runs)
    assert code == 2
    assert "--runs" in err and "Traceback" not in err


def test_command_reports_an_unreadable_pack(meeting: Path, tmp_path: Path) -> None:
    (meeting / "scenario.yaml").write_text("scenario: [unclosed\n", encoding="utf-8")
    code, _, err = invoke(str(meeting), "--runs", "10")
    assert code == 1 and "scenario.yaml:" in err and "Traceback" not in err
    code, _, err = invoke(str(tmp_path / "nowhere"), "--runs", "10")
    assert code == 1 and "Traceback" not in err


def test_command_refuses_workers_with_a_scheduler(meeting: Path) -> None:
    code, _, err = invoke(
        str(meeting), "--runs", "10", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"
    )
    assert code == 1 and "exclude each other" in err


def test_command_reports_a_malformed_scheduler_address(meeting: Path) -> None:
    code, _, err = invoke(str(meeting), "--runs", "10", "--scheduler", "not an address")
    assert code == 1
    assert "cannot use the Dask scheduler at 'not an address'" in err and "Traceback" not in err


def test_measure_effects_is_the_sweeps_effects(
    pack: Pack, profiles: Profiles, measures: dict[str, CompiledModifier]
) -> None:
    effects = measure_effects(pack, measures, runs=700, seed=5, profiles=profiles, chunk=300)
    assert effects == sweep(pack, runs=700, seed=5, measures=measures, profiles=profiles).effects
    assert list(effects) == list(measures)
    assert set(effects["calm-strait"]) == {o.id for o in pack.compiled.outcomes}


def test_progress_reaches_the_total(pack: Pack) -> None:
    seen: list[tuple[int, int]] = []
    sweep(pack, runs=25_000, chunk=12_000, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (25_000, 25_000)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_engine_batches_inside_a_chunk_change_nothing(
    pack: Pack,
    profiles: Profiles,
    measures: dict[str, CompiledModifier],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def document() -> str:
        result = sweep(pack, runs=1000, seed=13, measures=measures, profiles=profiles, chunk=400)
        return json.dumps(result.to_json())

    whole = document()
    monkeypatch.setattr(sweep_module, "ENGINE_BATCH", 97)
    assert document() == whole
