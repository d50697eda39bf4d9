"""Calibration help on the small pack: factors, paired effects, targets, the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli import app
from detente.meeting.loader import load_meeting
from detente.ttx.calibrate import calibrate, factors
from detente.ttx.pack import load_pack
from tests.ttx.test_activity import SMALL

RUNS = 400


@pytest.fixture(scope="module")
def pack_and_profiles():  # type: ignore[no-untyped-def]
    meeting = load_meeting(SMALL)
    return load_pack(SMALL, meeting=meeting), meeting.profiles


def test_every_action_chance_event_reaction_and_parameter_is_a_factor(pack_and_profiles) -> None:  # type: ignore[no-untyped-def]
    pack, _ = pack_and_profiles
    c = pack.compiled
    found = factors(c)
    kinds = [f.kind for f in found]
    assert kinds.count("action") == len(c.actions)
    assert kinds.count("chance") == len(c.chance)
    assert kinds.count("reaction") == len(c.reactions)
    variables = [v for v in pack.scenario.state if v.min < v.max]
    assert kinds.count("parameter") == len(variables)


def test_an_action_that_alone_opens_talks_drives_them(pack_and_profiles) -> None:  # type: ignore[no-untyped-def]
    pack, profiles = pack_and_profiles
    result = calibrate(pack, runs=RUNS, seed=1, profiles=profiles)
    talks = next(f for f in result.factors if f.id == "propose-talks").outcomes["talks-opened"]
    # `talks = 1` is the only way to open talks: with the action off they never open.
    assert talks.low.estimate == 0.0
    assert talks.high.estimate > result.baseline["talks-opened"].estimate > 0
    assert talks.drives and talks.effect.low > 0
    assert result.drivers("talks-opened")[0].outcomes["talks-opened"].effect.estimate == max(
        abs(f.outcomes["talks-opened"].effect.estimate) for f in result.factors
    )


def test_the_result_depends_only_on_the_seed(pack_and_profiles) -> None:  # type: ignore[no-untyped-def]
    pack, profiles = pack_and_profiles
    one = calibrate(pack, runs=RUNS, seed=2, profiles=profiles, only=["chance", "reaction"])
    two = calibrate(pack, runs=RUNS, seed=2, profiles=profiles, only=["chance", "reaction"])
    other = calibrate(pack, runs=RUNS, seed=3, profiles=profiles, only=["chance", "reaction"])
    assert one.to_json() == two.to_json()
    assert one.to_json() != other.to_json()
    assert {f.kind for f in one.factors} <= {"chance", "reaction"}


def test_levers_move_the_outcome_towards_its_target(pack_and_profiles) -> None:  # type: ignore[no-untyped-def]
    pack, profiles = pack_and_profiles
    result = calibrate(pack, runs=RUNS, seed=0, profiles=profiles, targets={"armed-clash": 0.0})
    (report,) = result.targets
    assert report.status == "too high"
    assert report.levers
    for lever in report.levers:
        assert lever.reaches.estimate < report.baseline.estimate
    distances = [abs(x.reaches.estimate - report.target) for x in report.levers]
    assert distances == sorted(distances)


def test_bad_targets_are_refused(pack_and_profiles) -> None:  # type: ignore[no-untyped-def]
    pack, profiles = pack_and_profiles
    with pytest.raises(ValueError, match="unknown outcome 'clash'"):
        calibrate(pack, runs=10, profiles=profiles, targets={"clash": 0.1})
    with pytest.raises(ValueError, match="probability"):
        calibrate(pack, runs=10, profiles=profiles, targets={"armed-clash": 1.5})


def test_the_command_writes_json_and_plots(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["ttx", "calibrate", str(SMALL), "--runs", "200", "--out", str(tmp_path)]
    result = runner.invoke(app, [*args, "--target", "armed-clash=10%", "--format", "json"])
    assert result.exit_code == 0, result.output
    where = tmp_path / "ttx-calibrate"
    document = json.loads((where / "calibrate.json").read_text(encoding="utf-8"))
    assert document["targets"][0]["outcome"] == "armed-clash"
    assert document["targets"][0]["target"] == 0.1
    assert (where / "drivers-armed-clash.png").stat().st_size > 0
    assert (where / "drivers-armed-clash.svg").exists()
    bad = runner.invoke(app, [*args, "--target", "armed-clsh=0.1"])
    assert bad.exit_code == 1 and "no such outcome" in bad.output
    bad = runner.invoke(app, [*args, "--target", "armed-clash=high"])
    assert bad.exit_code != 0 and "Traceback" not in bad.output
