"""The engine: chunking-invariant seeds, one implementation for any number of runs, move rules."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from detente.meeting.loader import load_meeting
from detente.seats.profiles import Profiles
from detente.ttx.engine import Engine
from detente.ttx.modifiers import CompiledModifier, compile_modifier
from detente.ttx.pack import CompiledScenario, load_pack
from detente.ttx.policy import PASS, sample_choices, softmax_first_choice
from detente.ttx.results import Results, concat
from detente.ttx.scenario import Factor, Modifier
from detente.ttx.streams import BLOCK, RunStreams

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "ttx-small"


@pytest.fixture(scope="module")
def compiled() -> CompiledScenario:
    return load_pack(SMALL).compiled


@pytest.fixture(scope="module")
def profiles() -> Profiles:
    folder = load_meeting(SMALL)
    assert folder.profiles is not None
    return folder.profiles


def modifier(compiled: CompiledScenario, **fields: object) -> CompiledModifier:
    return compile_modifier(Modifier.model_validate(fields), compiled)


def same(a: Results, b: Results) -> bool:
    return all(np.array_equal(a.arrays()[k], b.arrays()[k]) for k in a.arrays())


def everything_disabled(compiled: CompiledScenario) -> list[str]:
    return [a.id for a in compiled.actions if any(x in compiled.players for x in a.actors)]


# --- seeds and chunks ----------------------------------------------------------------------------


def test_streams_do_not_depend_on_chunking() -> None:
    whole = RunStreams(7, 0, 2 * BLOCK + 5)
    parts = [RunStreams(7, 0, 700), RunStreams(7, 700, BLOCK + 10), RunStreams(7, BLOCK + 710, 319)]
    for width in (3, 0, 5):
        joined = np.concatenate([p.uniforms(width) for p in parts])
        assert np.array_equal(whole.uniforms(width), joined)


def test_same_seed_same_result_whatever_the_chunking(
    compiled: CompiledScenario, profiles: Profiles
) -> None:
    engine = Engine(compiled, profiles)
    runs = 2 * BLOCK + 900  # crosses two block boundaries
    one = engine.run(runs, seed=11)
    three = concat(
        [
            engine.run(1000, seed=11),
            engine.run(1500, seed=11, start_run=1000),
            engine.run(runs - 2500, seed=11, start_run=2500),
        ]
    )
    assert same(one, three)
    assert not same(one, engine.run(runs, seed=12))


def test_one_run_alone_equals_its_row_in_a_batch(
    compiled: CompiledScenario, profiles: Profiles
) -> None:
    engine = Engine(compiled, profiles)
    batch = engine.run(BLOCK + 3, seed=5)
    for r in (0, 1, BLOCK - 1, BLOCK, BLOCK + 2):
        alone = engine.run(1, seed=5, start_run=r)
        for name, array in batch.arrays().items():
            assert np.array_equal(alone.arrays()[name][0], array[r]), (name, r)


def test_concat_refuses_gaps(compiled: CompiledScenario) -> None:
    engine = Engine(compiled)
    with pytest.raises(ValueError):
        concat([engine.run(3, seed=1), engine.run(3, seed=1, start_run=4)])


def test_the_batch_varies_between_runs(compiled: CompiledScenario, profiles: Profiles) -> None:
    results = Engine(compiled, profiles).run(4000, seed=3)
    p = results.outcome_probability()
    assert p.min() > 0.0 and p.max() < 1.0  # every outcome possible, none certain
    assert len({tuple(row) for row in results.choices[:, 0, 0, :].tolist()}) > 3


# --- the policy ----------------------------------------------------------------------------------


def test_first_choice_follows_the_softmax() -> None:
    utility = np.array([[1.0, 0.0, -1.0, 2.0]])
    available = np.array([[True, True, False, True]])
    runs = 60_000
    rng = np.random.default_rng(0)
    picked = sample_choices(
        np.repeat(utility, runs, 0), np.repeat(available, runs, 0), 0.7, rng.random((runs, 2))
    )
    expected = softmax_first_choice(utility, available, 0.7)[0]
    counts = np.bincount(np.where(picked[:, 0] == PASS, 4, picked[:, 0]), minlength=5) / runs
    assert counts[2] == 0.0
    assert np.allclose(counts, expected, atol=0.01)


def test_choices_are_distinct_available_and_stop_at_pass() -> None:
    rng = np.random.default_rng(1)
    runs, n = 5000, 6
    utility = rng.normal(size=(runs, n))
    available = rng.random((runs, n)) < 0.6
    picked = sample_choices(utility, available, 0.5, rng.random((runs, 3)))
    for row, ok in zip(picked, available, strict=True):
        chosen = [int(i) for i in row if i != PASS]
        assert len(set(chosen)) == len(chosen)
        assert all(ok[i] for i in chosen)
        assert list(row[: len(chosen)]) == chosen  # no action after a pass
    assert (picked[:, 0] == PASS).any() and (picked[:, 2] != PASS).any()


def test_a_cold_delegation_takes_its_best_action() -> None:
    utility = np.array([[0.5, 3.0, 1.0]])
    picked = sample_choices(
        np.repeat(utility, 200, 0),
        np.ones((200, 3), bool),
        0.01,
        np.random.default_rng(2).random((200, 1)),
    )
    assert (picked[:, 0] == 1).all()


# --- the rules of a move -------------------------------------------------------------------------


def test_a_terminal_outcome_freezes_the_run(compiled: CompiledScenario, profiles: Profiles) -> None:
    clash = modifier(compiled, effects="casualties = 5")
    results = Engine(compiled, profiles, [clash]).run(300, seed=2)
    armed = [o.id for o in compiled.outcomes].index("armed-clash")
    assert results.occurred[:, armed].all() and (results.occurred_move[:, armed] == 1).all()
    assert (results.ended_move == 1).all()
    assert (results.escalation[:, 1] == 0).all()
    assert (results.choices[:, 1] == PASS).all()
    assert (results.released_move[:, 5] == 0).all()  # move 2's collision never happens
    casualties = compiled.symbols.scalars["casualties"]
    assert (results.scalars[:, casualties] >= 5).all()


def test_without_a_terminal_outcome_every_move_is_played(compiled: CompiledScenario) -> None:
    results = Engine(compiled).run(200, seed=4)
    armed = [o.id for o in compiled.outcomes].index("armed-clash")
    assert ((results.ended_move == 0) == ~results.occurred[:, armed]).all()


def test_preconditions_make_actions_unavailable(
    compiled: CompiledScenario, profiles: Profiles
) -> None:
    closed = modifier(compiled, effects="hotline[ALD,BRV] = 0")
    results = Engine(compiled, profiles, [closed]).run(2000, seed=1)
    hotline_actions = {compiled.action_index("ald-hotline"), compiled.action_index("brv-hotline")}
    assert not np.isin(results.choices, list(hotline_actions)).any()
    opened = Engine(compiled, profiles).run(2000, seed=1)
    assert np.isin(opened.choices, list(hotline_actions)).any()


def test_a_precondition_is_checked_again_at_adjudication(compiled: CompiledScenario) -> None:
    play = Engine(compiled).start(2, seed=0, audit=True)
    play.begin_move()
    talks = compiled.action_index("propose-talks")
    choices = np.full((2, 2, 2), PASS)
    choices[:, 0, 0] = talks  # ALD proposes talks, applied first (talks becomes 1)
    choices[:, 1, 0] = talks  # BRV's proposal then finds talks == 1
    report = play.adjudicate(choices)
    assert report.applied[:, 0, 0].all() and not report.applied[:, 1, 0].any()
    assert report.blocked[:, 1, 0].all()
    assert report.escalation[:, 0].tolist() == [-2.0, -2.0]
    assert report.escalation[:, 1].tolist() == [0.0, 0.0]
    reasons = [e.reason for e in report.audit if e.variable == "talks"]
    assert reasons == ["ALD: propose-talks"]


def test_escalation_is_the_sum_of_the_ladder_scores(compiled: CompiledScenario) -> None:
    play = Engine(compiled).start(1, seed=0)
    play.begin_move()
    choices = np.full((1, 2, 2), PASS)
    choices[0, 0] = [compiled.action_index("ald-escort"), compiled.action_index("ald-detain")]
    choices[0, 1, 0] = compiled.action_index("brv-reinforce")
    report = play.adjudicate(choices)
    assert report.escalation[0, :2].tolist() == [4.0 + 12.0, 4.0]


def test_triggered_injects_are_released_per_run(compiled: CompiledScenario) -> None:
    """Inject 4 waits for tension >= 45 at the start of a move; inject 5 follows it."""
    tense = modifier(compiled, effects="tension = 44", chance={"misperception": Factor(factor=0.0)})
    play = Engine(compiled, None, [tense]).start(6, seed=0)
    released, _ = play.begin_move()
    assert not released[:, 3].any()  # 44 at the start of move 1
    choices = np.full((6, 2, 2), PASS)
    choices[:3, 0, 0] = compiled.action_index("ald-escort")  # +10 tension in runs 0-2 only
    play.adjudicate(choices)
    play.close_move()
    tension = play.state.scalars[:, compiled.symbols.scalars["tension"]].copy()
    released, _ = play.begin_move()
    assert released[:, 3].tolist() == (tension >= 45).tolist()
    assert released[:, 3].any() and not released[:, 3].all()
    assert (released[:, 4] == released[:, 3]).all()  # `after` in the same move
    assert released[:, 5].all()  # scheduled for move 2


def test_a_held_contingency_inject_is_not_released(compiled: CompiledScenario) -> None:
    hot = modifier(compiled, effects="tension = 70", disable_actions=everything_disabled(compiled))
    play = Engine(compiled, None, [hot]).start(3, seed=0)
    asked: list[int] = []
    for _ in range(2):
        released, _ = play.begin_move(lambda inject: asked.append(inject.number) is not None)
        assert not released[:, 6].any()
        play.adjudicate(np.full((3, 2, 2), PASS))
        play.close_move()
    assert asked == [7]  # due in move 2 only, and held
    again = Engine(compiled, None, [hot]).run(3, seed=0)
    assert (again.released_move[:, 6] == 2).all()  # the engine's default: released


def test_chance_probability_falls_with_an_open_channel(compiled: CompiledScenario) -> None:
    frozen = {
        "disable_actions": everything_disabled(compiled),
        "reactions": {"swarm-when-tense": {"factor": 0.0}, "withdraw-after-talks": {"factor": 0.0}},
    }
    runs = 40_000
    opened = Engine(compiled, None, [modifier(compiled, **frozen)]).run(runs, seed=9)
    closed = Engine(
        compiled, None, [modifier(compiled, effects="hotline[ALD,BRV] = 0", **frozen)]
    ).run(runs, seed=9)
    # fleet is 5 after inject 1, so `when` holds; p = 0.3 - 0.2 * hotline
    assert abs(opened.chance[:, 0, 0].mean() - 0.1) < 0.006
    assert abs(closed.chance[:, 0, 0].mean() - 0.3) < 0.01
    flt = compiled.actor_index("FLT")
    fired = closed.chance[:, 0, 0]
    assert (closed.escalation[fired, 0, flt] == 4.0).all()  # posturing, attributed to FLT


def test_reaction_probability_is_an_expression(compiled: CompiledScenario) -> None:
    runs = 40_000
    frozen = modifier(
        compiled,
        effects="tension = 60",
        disable_actions=everything_disabled(compiled),
        chance={"misperception": Factor(factor=0.0)},
    )
    results = Engine(compiled, None, [frozen]).run(runs, seed=3)
    assert abs(results.reactions[:, 0, 0].mean() - 0.6) < 0.01  # clip(tension / 100, 0, 1)
    halved = modifier(
        compiled,
        effects="tension = 60",
        disable_actions=everything_disabled(compiled),
        chance={"misperception": Factor(factor=0.0)},
        reactions={"swarm-when-tense": Factor(factor=0.5)},
    )
    assert (
        abs(Engine(compiled, None, [halved]).run(runs, seed=3).reactions[:, 0, 0].mean() - 0.3)
        < 0.01
    )
    assert not results.reactions[:, 0, 1].any()  # withdraw-after-talks: move 2 only, no talks


def test_measures_disable_and_favour_actions(
    compiled: CompiledScenario, profiles: Profiles
) -> None:
    talks = compiled.action_index("propose-talks")
    hold = compiled.action_index("hold")
    base = Engine(compiled, profiles).run(3000, seed=8)
    banned = Engine(
        compiled, profiles, [modifier(compiled, disable_actions=["propose-talks"])]
    ).run(3000, seed=8)
    favoured = Engine(compiled, profiles, [modifier(compiled, appeal={"hold": 5.0})]).run(
        3000, seed=8
    )
    assert np.isin(base.choices, [talks]).any() and not np.isin(banned.choices, [talks]).any()
    talks_opened = [o.id for o in compiled.outcomes].index("talks-opened")
    assert banned.occurred[:, talks_opened].sum() == 0
    assert (
        (favoured.choices[:, 0, :, 0] == hold).mean()
        > 0.9
        > (base.choices[:, 0, :, 0] == hold).mean()
    )


def test_the_facilitator_can_override(compiled: CompiledScenario) -> None:
    play = Engine(compiled).start(1, seed=0)
    play.begin_move()
    play.adjudicate(np.full((1, 2, 2), PASS))
    (entry,) = play.override("tension = 99", "facilitator override: test")
    assert (entry.variable, entry.after[0], entry.reason) == (
        "tension",
        99.0,
        "facilitator override: test",
    )
    new = play.close_move()
    assert new[0, [o.id for o in compiled.outcomes].index("crisis-peak")]


def test_moves_must_be_played_in_order(compiled: CompiledScenario) -> None:
    play = Engine(compiled).start(1, seed=0)
    with pytest.raises(RuntimeError):
        play.adjudicate(np.full((1, 2, 2), PASS))
    play.begin_move()
    with pytest.raises(RuntimeError):
        play.begin_move()
    with pytest.raises(ValueError):
        play.adjudicate(np.full((1, 2, 3), PASS))
