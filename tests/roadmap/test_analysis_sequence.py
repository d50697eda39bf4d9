"""Per-measure analysis (tiers as common ground, exact counts, observers apart) and sequencing."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest

from detente.deliberation.consensus import VoteMatrix, analyse
from detente.roadmap.analysis import NOT_ENOUGH, analyse_ratings, analysis_from_json, support_vote
from detente.roadmap.measures import Catalog
from detente.roadmap.ratings import MemberRating, RatingSheet
from detente.roadmap.sequence import build_roadmap, roadmap_from_json
from detente.ttx.sweep import Interval, MeasureEffect

DELEGATIONS = ("A", "B", "C")
CATEGORIES = ("first", "second")


def _catalog(measures: list[dict[str, object]]) -> Catalog:
    base = {"description": "d", "actors": ["A"], "source": "test", "category": "first"}
    return Catalog.model_validate({"measures": [{**base, "title": m["id"], **m} for m in measures]})


def _sheet(
    supports: Mapping[str, Mapping[str, list[int]]],
    *,
    horizon: str = "immediate",
    observers: Mapping[str, list[int]] | None = None,
) -> RatingSheet:
    """supports[measure][delegation] = the members' supports, in member order."""
    sheet = RatingSheet("s", measure_ids=tuple(supports))
    for measure, by_delegation in supports.items():
        for delegation, values in by_delegation.items():
            for k, value in enumerate(values, start=1):
                p = f"{delegation}-{k}"
                sheet.final[(p, measure)] = MemberRating(p, measure, value, 3, horizon)
                sheet.delegation[p] = delegation
        for k, value in enumerate((observers or {}).get(measure, []), start=1):
            p = f"observer-{k}"
            sheet.final[(p, measure)] = MemberRating(p, measure, value, 5, horizon)
            sheet.observers.add(p)
    return sheet


def _all(values: list[int]) -> dict[str, list[int]]:
    return {d: list(values) for d in DELEGATIONS}


def test_support_counts_as_votes() -> None:
    assert [support_vote(s) for s in (-2, -1, 0, 1, 2)] == [-1, -1, 0, 1, 1]


def test_tiers_are_the_common_ground_tiers() -> None:
    supports = {
        "all": _all([2, 1, 1]),
        "most": {"A": [2, 1, -1], "B": [1, 1, 1], "C": [1, 2, 0]},
        "split": {"A": [2, 2, 2], "B": [-2, -1, 1], "C": [1, 1, 1]},
        "quiet": _all([0, 0, 1]),
    }
    sheet = _sheet(supports)
    ids = list(supports)
    analysis = analyse_ratings(sheet, [(m, "first") for m in ids], DELEGATIONS)
    expected = analyse(
        VoteMatrix.from_records(
            sheet.participants,
            ids,
            [(p, m, support_vote(r.support)) for (p, m), r in sheet.final.items()],
        ),
        sheet.groups(),
        delegations=DELEGATIONS,
    )
    for result in expected.per_statement:
        got = analysis.measure(result.statement_id)
        assert (got.tier, got.label) == (result.tier, result.label)
    assert analysis.measure("all").tier == "unanimous"
    assert analysis.measure("most").tier == "majority"
    assert (
        analysis.measure("split").tier == "one-neutral"
        or analysis.measure("split").tier == "divided"
    )
    assert analysis.measure("quiet").tier == "uncertain"
    most_a = analysis.measure("most").group("A")
    assert (most_a.agree, most_a.disagree, most_a.passes, most_a.rated) == (2, 1, 0, 3)
    assert most_a.mean_support == pytest.approx(2 / 3)
    assert analysis.measure("split").group("B").stance == "objects"


def test_observers_are_reported_apart_and_never_change_a_tier() -> None:
    supports = {"m": _all([1, 1, 1])}
    alone = analyse_ratings(_sheet(supports), [("m", "first")], DELEGATIONS)
    with_obs = analyse_ratings(
        _sheet(supports, observers={"m": [-2, -2, -2, -2]}), [("m", "first")], DELEGATIONS
    )
    assert alone.measure("m").tier == with_obs.measure("m").tier == "unanimous"
    assert with_obs.observers == 4 and with_obs.participants == 9
    obs = with_obs.measure("m").observers
    assert (obs.disagree, obs.rated) == (4, 4)
    assert with_obs.measure("m").mean_feasibility == 3.0  # observers rated 5: not counted


def test_thin_data_is_a_stated_result() -> None:
    sheet = _sheet({"m": {"A": [1, 1]}})
    analysis = analyse_ratings(sheet, [("m", "first")], DELEGATIONS)
    assert analysis.status == NOT_ENOUGH and analysis.measures == ()
    assert any("B, C" in n for n in analysis.notes)
    empty = analyse_ratings(RatingSheet("s"), [("m", "first")], DELEGATIONS)
    assert empty.status == NOT_ENOUGH


def test_effects_are_carried_with_intervals() -> None:
    effect = MeasureEffect(
        "m",
        "clash",
        Interval(0.3, 0.28, 0.32),
        Interval(0.2, 0.18, 0.22),
        Interval(-0.1, -0.12, -0.08),
    )
    analysis = analyse_ratings(
        _sheet({"m": _all([1, 1, 1])}),
        [("m", "first")],
        DELEGATIONS,
        effects={"m": {"clash": effect}},
        outcomes={"clash": "Armed clash"},
        runs=100,
    )
    doc = analysis.to_json()
    assert doc["measures"][0]["effects"]["clash"]["difference"] == {
        "estimate": -0.1,
        "low": -0.12,
        "high": -0.08,
    }
    assert doc["runs"] == 100 and doc["outcomes"] == {"clash": "Armed clash"}


def test_phases_respect_prerequisites_horizons_and_reciprocal_pairs() -> None:
    catalog = _catalog(
        [
            {"id": "line", "horizon": "immediate"},
            {"id": "zone", "horizon": "immediate", "prerequisites": ["line"]},
            {
                "id": "committee",
                "horizon": "1-3-years",
                "prerequisites": ["zone"],
                "category": "second",
            },
            {"id": "half-a", "horizon": "immediate", "reciprocal": ["half-b"]},
            {"id": "half-b", "horizon": "within-a-year", "category": "second"},
            {"id": "later", "horizon": "longer", "category": "second"},
        ]
    )
    ids = [m.id for m in catalog.measures]
    sheet = _sheet({m: _all([1, 1, 1]) for m in ids})
    # the room's realistic horizon: make everything immediate so that only prerequisites,
    # the catalog's own horizon when unrated, and pairs decide; here the rated horizon is used
    analysis = analyse_ratings(sheet, [(m.id, m.category) for m in catalog.measures], DELEGATIONS)
    roadmap = build_roadmap(analysis, catalog, CATEGORIES)
    phase = {m: roadmap.phase_of(m) for m in ids}
    assert phase["line"] == 1
    assert phase["zone"] > phase["line"]
    assert phase["committee"] > phase["zone"]
    assert phase["half-a"] == phase["half-b"]
    assert [p.number for p in roadmap.phases] == list(range(1, len(roadmap.phases) + 1))
    assert roadmap.entries["half-a"].reciprocal == ("half-b",)
    assert not roadmap.further_dialogue


def test_rated_horizons_decide_and_unrated_fall_back() -> None:
    catalog = _catalog(
        [
            {"id": "soon", "horizon": "immediate"},
            {"id": "pair-a", "horizon": "immediate", "reciprocal": ["pair-b"]},
            {"id": "pair-b", "horizon": "immediate"},
        ]
    )
    sheet = _sheet({m.id: _all([1, 1, 1]) for m in catalog.measures})
    for key, r in list(sheet.final.items()):
        if r.measure_id == "pair-b":
            sheet.final[key] = MemberRating(r.participant, r.measure_id, r.support, 2, "longer")
    analysis = analyse_ratings(sheet, [(m.id, m.category) for m in catalog.measures], DELEGATIONS)
    roadmap = build_roadmap(analysis, catalog, CATEGORIES)
    assert roadmap.phase_of("soon") == 1
    assert roadmap.phase_of("pair-a") == roadmap.phase_of("pair-b") == 2
    assert roadmap.phases[-1].horizon == "longer"


def test_divided_measures_go_to_further_dialogue_by_delegation() -> None:
    catalog = _catalog(
        [
            {"id": "agreed", "horizon": "immediate"},
            {"id": "contested", "horizon": "immediate", "reciprocal": ["partner"]},
            {"id": "partner", "horizon": "immediate"},
            {"id": "waits", "horizon": "immediate", "prerequisites": ["partner"]},
        ]
    )
    supports = {
        "agreed": _all([1, 1, 1]),
        "contested": {"A": [2, 2, 1], "B": [-2, -2, -1], "C": [0, 0, 1]},
        "partner": _all([1, 1, 1]),
        "waits": _all([1, 1, 1]),
    }
    analysis = analyse_ratings(
        _sheet(supports), [(m.id, m.category) for m in catalog.measures], DELEGATIONS
    )
    roadmap = build_roadmap(analysis, catalog, CATEGORIES)
    assert set(roadmap.entries) == {"agreed"}
    dialogue = {d.measure_id: d for d in roadmap.further_dialogue}
    assert dialogue["contested"].stances.supports == ("A",)
    assert dialogue["contested"].stances.objects == ("B",)
    assert dialogue["contested"].stances.neutral == ("C",)
    assert "reciprocal contested" in dialogue["partner"].reason
    assert "prerequisite partner" in dialogue["waits"].reason
    doc = roadmap.to_json()
    assert doc["further_dialogue"][0]["supports"] == ["A"]
    text = str(doc)
    assert "A-1" not in text and "B-2" not in text  # by delegation, never by rater


def test_recorded_analysis_and_roadmap_read_back_as_the_same_types() -> None:
    """The record's documents are read back by the roadmap's own readers, equal to what the
    run computed, and a delegation's stance is asked of the typed result."""
    catalog = _catalog(
        [{"id": "line", "horizon": "immediate"}, {"id": "zone", "horizon": "longer"}]
    )
    sheet = _sheet({"line": _all([1, 1, 1]), "zone": {"A": [1, 1, -1], "B": [-1, -1], "C": [0]}})
    analysis = analyse_ratings(sheet, [(m.id, m.category) for m in catalog.measures], DELEGATIONS)
    roadmap = build_roadmap(analysis, catalog, CATEGORIES)
    read = analysis_from_json(json.loads(json.dumps(analysis.to_json())))
    assert read == analysis
    assert roadmap_from_json(json.loads(json.dumps(roadmap.to_json()))) == roadmap
    assert read.stance("zone", "A") == "supports" and read.stance("zone", "B") == "objects"
    assert read.stance("zone", "C") == "neutral"
    assert read.stance("zone", "nobody") is None and read.stance("unknown", "A") is None


def test_an_effect_is_clear_only_when_its_interval_excludes_zero() -> None:
    def effect(outcome: str, low: float, high: float) -> MeasureEffect:
        return MeasureEffect(
            "m",
            outcome,
            Interval(0.3, 0.28, 0.32),
            Interval(0.3 + (low + high) / 2, 0.0, 1.0),
            Interval((low + high) / 2, low, high),
        )

    effects = {"down": effect("down", -0.12, -0.08), "flat": effect("flat", -0.02, 0.03)}
    effects["edge"] = effect("edge", 0.0, 0.04)
    analysis = analyse_ratings(
        _sheet({"m": _all([1, 1, 1])}),
        [("m", "first")],
        DELEGATIONS,
        effects={"m": effects},
        outcomes={o: o for o in effects},
        runs=100,
    )
    m = analysis.measure("m")
    assert m.clear_effect("down") is effects["down"]
    assert m.clear_effect("flat") is None and m.clear_effect("edge") is None
    assert m.clear_effect("unknown") is None
