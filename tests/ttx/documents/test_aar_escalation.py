"""The after-action escalation chart counts scripted injects: an actor whose deeds come only
from the MSEL is not charted at 0 in a move where such an inject was released."""

from __future__ import annotations

from detente.ttx.inject_scores import inject_score
from tests.rendered import Rendered


def test_released_scored_injects_show_on_the_curve(rendered: dict[str, Rendered]) -> None:
    r = rendered["korea-2024"]
    scenario = r.inputs.scenario
    assert scenario is not None
    ladder = {rung.id: rung.score for rung in scenario.ladder}
    injects = {i.number: i for i in scenario.msel}
    released = [
        (rec.payload["move"], rec.payload["number"])
        for rec in r.inputs.records
        if rec.kind == "ttx_inject_released"
    ]
    (curve,) = [
        rec.payload for rec in r.inputs.records if rec.kind == "reflection_escalation_curve"
    ]
    checked = 0
    for move, number in released:
        scored = inject_score(scenario, injects[number])
        if scored is None or ladder[scored.rung] == 0:
            continue
        values = curve["by_actor"][scored.actor]
        assert values[curve["moves"].index(move)] != 0, (number, scored)
        checked += 1
    assert checked >= 1
