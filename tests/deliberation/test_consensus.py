"""Tests for detente.deliberation.consensus.

Hand-computed examples use three delegations of three experts each plus two
observers. A statement's votes are written as a string ``"USA CHN RUS OBS"`` with one
character per participant: ``+`` agree, ``-`` disagree, ``0`` pass, ``.`` did not vote.
With three voters, P_d is 4/5 = 0.8 for 3/3, 3/5 = 0.6 for 2/3, 2/5 for 1/3 and 1/5
for 0/3.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Mapping
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.deliberation.consensus import (
    TIERS,
    CommonGround,
    ConsensusInputError,
    VoteMatrix,
    analyse,
)

DELEGATIONS = ("USA", "CHN", "RUS")
PARTICIPANTS = ("u1", "u2", "u3", "c1", "c2", "c3", "r1", "r2", "r3", "o1", "o2")
GROUPS: dict[str, str | None] = {
    **{p: "USA" for p in ("u1", "u2", "u3")},
    **{p: "CHN" for p in ("c1", "c2", "c3")},
    **{p: "RUS" for p in ("r1", "r2", "r3")},
    "o1": None,
    "o2": None,
}
_CODE = {"+": 1, "-": -1, "0": 0, ".": 0}


def build(statements: Mapping[str, str]) -> VoteMatrix:
    """Matrix from ``{statement_id: "USA CHN RUS OBS"}`` vote strings (OBS optional)."""
    columns_v: list[list[int]] = []
    columns_m: list[list[bool]] = []
    for sid, text in statements.items():
        chars = text.replace(" ", "")
        chars += "." * (len(PARTICIPANTS) - len(chars))
        assert len(chars) == len(PARTICIPANTS), sid
        columns_v.append([_CODE[c] for c in chars])
        columns_m.append([c != "." for c in chars])
    values = np.array(columns_v, dtype=np.int8).T
    voted = np.array(columns_m, dtype=np.bool_).T
    return VoteMatrix(list(PARTICIPANTS), list(statements), values, voted)


def run(statements: Mapping[str, str], **kwargs: object) -> CommonGround:
    return analyse(build(statements), GROUPS, delegations=DELEGATIONS, **kwargs)  # type: ignore[arg-type]


def tier_of(text: str, **kwargs: object) -> str:
    return run({"s": text}, **kwargs).per_statement[0].tier


# --------------------------------------------------------------------------- tiers


def test_unanimous_counts_probability_and_label() -> None:
    r = run({"s": "+++ +++ +++ --"}).per_statement[0]
    assert r.tier == "unanimous"
    assert r.label == "USA 3/3 agree, CHN 3/3, RUS 3/3"
    usa = r.group("USA")
    assert (usa.agree, usa.disagree, usa.passes, usa.voted) == (3, 0, 0, 3)
    assert usa.p_agree == pytest.approx(0.8)
    assert r.min_p == pytest.approx(0.8)
    assert r.geo_mean_p == pytest.approx(0.8)
    assert r.pass_rate == 0.0


def test_unanimous_with_uneven_turnout() -> None:
    # RUS only one voter, who agrees: still every voter in every delegation agrees.
    r = run({"s": "+++ ++. +.."}).per_statement[0]
    assert r.tier == "unanimous"
    assert r.group("RUS").p_agree == pytest.approx(2 / 3)  # (1+1)/(1+2)


def test_a_pass_breaks_unanimity_but_not_majority() -> None:
    r = run({"s": "++- ++0 ++."}).per_statement[0]
    assert r.tier == "majority"
    assert r.label == "USA 2/3 agree (1 disagree), CHN 2/3 (1 pass), RUS 2/2"


def test_majority_takes_precedence_over_uncertain() -> None:
    r = run({"s": "++0 ++0 ++0"}).per_statement[0]
    assert r.pass_rate == pytest.approx(1 / 3)  # >= 0.2, yet every delegation agrees
    assert r.tier == "majority"


def test_tie_within_a_delegation_is_not_a_majority() -> None:
    # RUS 1 agree / 1 disagree: neither majority -> neutral -> one-neutral.
    assert tier_of("+++ +++ +-.") == "one-neutral"
    # RUS 1 agree / 1 pass: 2A = S is not a strict majority either.
    assert tier_of("+++ +++ +0.", pass_threshold=0.5) == "one-neutral"


def test_one_neutral() -> None:
    r = run({"s": "+++ +++ +-0"}).per_statement[0]
    assert r.pass_rate == pytest.approx(1 / 9)
    assert r.tier == "one-neutral"
    assert r.label == "USA 3/3 agree, CHN 3/3, RUS 1/3 (1 disagree, 1 pass)"


def test_one_delegation_majority_disagreeing_is_divided() -> None:
    assert tier_of("+++ +++ ---") == "divided"
    assert tier_of("+++ +++ +--") == "divided"


def test_two_neutral_delegations_is_divided() -> None:
    # Two delegations not agreeing, none majority-disagreeing, no passes.
    assert tier_of("+++ +-. +-.") == "divided"


def test_all_pass_is_uncertain() -> None:
    r = run({"s": "000 000 000"}).per_statement[0]
    assert r.tier == "uncertain"
    assert r.pass_rate == 1.0
    assert r.min_p == pytest.approx(0.2)


def test_uncertain_precedes_one_neutral_and_divided() -> None:
    # RUS: 0 agree, 1 disagree, 2 pass -> neutral; pass rate 2/9 >= 0.2.
    assert tier_of("+++ +++ 00-") == "uncertain"
    # Two delegations majority-disagree with passes 2/9: still flagged as a gap.
    assert tier_of("+++ --0 --0") == "uncertain"


def test_pass_threshold_boundary_is_inclusive() -> None:
    # S = 5 votes (USA 2, CHN 1, RUS 2), K = 1 pass: rate exactly 1/5.
    text = "++. +.. 0-."
    assert run({"s": text}).per_statement[0].pass_rate == pytest.approx(0.2)
    assert tier_of(text) == "uncertain"
    assert tier_of(text, pass_threshold=0.25) == "one-neutral"


def test_insufficient_when_a_delegation_did_not_vote() -> None:
    r = run({"s": "+++ +++ ... ++"}).per_statement[0]
    assert r.tier == "insufficient"
    assert r.label == "USA 3/3 agree, CHN 3/3, RUS no votes"
    assert r.group("RUS").p_agree == 0.5


def test_insufficient_label_when_first_delegation_missing() -> None:
    r = run({"s": "... +++ ++-"}).per_statement[0]
    assert r.label == "USA no votes, CHN 3/3 agree, RUS 2/3 (1 disagree)"


def test_nobody_voted_is_insufficient_without_nan() -> None:
    cg = run({"s": "... ... ... .."})
    r = cg.per_statement[0]
    assert r.tier == "insufficient"
    assert r.pass_rate == 0.0
    assert all(t.p_agree == 0.5 for t in r.groups)
    assert cg.common_ground == ()
    assert cg.divisive == ()
    json.dumps(cg.to_json_dict(), allow_nan=False)


def test_min_votes_makes_thin_delegations_insufficient() -> None:
    assert tier_of("+++ +++ +..") == "unanimous"
    assert tier_of("+++ +++ +..", min_votes=2) == "insufficient"


def test_tiers_property_partitions_in_matrix_order() -> None:
    cg = run(
        {
            "u": "+++ +++ +++",
            "m": "++- ++- ++-",
            "n": "+++ +++ +-0",
            "q": "000 000 000",
            "d": "+++ +++ ---",
            "i": "+++ ... +++",
        }
    )
    assert cg.tiers == {
        "unanimous": ["u"],
        "majority": ["m"],
        "one-neutral": ["n"],
        "uncertain": ["q"],
        "divided": ["d"],
        "insufficient": ["i"],
    }
    assert list(cg.to_json_dict()["tiers"]) == list(TIERS)


# -------------------------------------------------------------------- observers


def test_observers_excluded_from_delegation_results() -> None:
    votes = {"s": "+++ +++ +++ --"}
    cg = run(votes)
    assert cg.per_statement[0].tier == "unanimous"
    assert cg.n_observers == 2
    obs = cg.observers[0]
    assert (obs.group, obs.agree, obs.disagree, obs.passes, obs.voted) == (
        "observers",
        0,
        2,
        0,
        2,
    )
    assert obs.p_agree == pytest.approx(0.25)  # (0+1)/(2+2)

    # Had the observers been counted (here: as USA members) the tier would change.
    counted = dict(GROUPS, o1="USA", o2="USA")
    changed = analyse(build(votes), counted, delegations=DELEGATIONS)
    assert changed.per_statement[0].tier == "majority"
    assert changed.n_observers == 0


def test_observer_votes_do_not_move_any_delegation_figure() -> None:
    a = run({"s1": "++- +0+ -+- ++", "s2": "+++ --- 0+. ++"}).to_json_dict()
    b = run({"s1": "++- +0+ -+- --", "s2": "+++ --- 0+. 0."}).to_json_dict()
    assert a.pop("observers") != b.pop("observers")
    assert a == b


def test_observers_only_statement_is_insufficient() -> None:
    cg = run({"s": "... ... ... ++"})
    assert cg.per_statement[0].tier == "insufficient"
    assert cg.observers[0].agree == 2


# ----------------------------------------------------------------- common ground


def test_common_ground_ranking_min_then_geometric_mean_then_id() -> None:
    cg = run(
        {
            "z_tie": "+++ +++ ++-",  # P .8 .8 .6: min .6, product .384
            "low": "++- ++- +++",  # P .6 .6 .8: min .6, product .288
            "best": "+++ +++ +++",  # P .8 .8 .8
            "a_tie": "++- +++ +++",  # same profile as z_tie, delegations swapped
            "thin": "+++ +++ +..",  # RUS 1/1 -> 2/3: min .667 beats .6
            "gap": "+++ +++ ...",  # insufficient: not ranked
        }
    )
    assert cg.common_ground == ("best", "thin", "a_tie", "z_tie", "low")
    z, low = cg.statement("z_tie"), cg.statement("low")
    assert z.min_p == pytest.approx(low.min_p)
    assert z.geo_mean_p == pytest.approx(0.384 ** (1 / 3))
    assert low.geo_mean_p == pytest.approx(0.288 ** (1 / 3))
    # Exact tie of profiles: identical floats, so only the id can decide.
    assert cg.statement("a_tie").geo_mean_p == pytest.approx(z.geo_mean_p)


def test_common_ground_prefers_more_evidence_at_equal_agreement() -> None:
    # 3/3 everywhere beats 2/2 everywhere: smoothing rewards the larger sample.
    cg = run({"two": "++. ++. ++.", "three": "+++ +++ +++"})
    assert cg.common_ground == ("three", "two")


# ---------------------------------------------------------------------- divisive


def test_divisive_delegation_gap_and_direction() -> None:
    cg = run(
        {
            "calm": "+++ +++ +++",
            "rus_against": "+++ +++ ---",
            "rus_for": "--- --- +++",
            "mild": "+++ +++ ++-",
        }
    )
    first = cg.divisive[0]
    assert (first.statement_id, first.delegation, first.direction) == (
        "rus_against",
        "RUS",
        "agrees-less",
    )
    # RUS P = 1/5; rest pools USA+CHN: (6+1)/(6+2) = 7/8.
    assert first.p_delegation == pytest.approx(0.2)
    assert first.p_rest == pytest.approx(7 / 8)
    assert first.gap == pytest.approx(0.675)
    second = cg.divisive[1]
    assert (second.statement_id, second.delegation, second.direction) == (
        "rus_for",
        "RUS",
        "agrees-more",
    )
    assert second.gap == pytest.approx(first.gap)  # exact tie, broken by id
    assert [e.statement_id for e in cg.divisive[2:]] == ["mild", "calm"]
    # mild: RUS P 3/5 vs rest 7/8 -> 0.275; USA .8 vs rest (5+1)/(6+2) -> .05.
    assert cg.divisive[2].delegation == "RUS"
    assert cg.divisive[2].gap == pytest.approx(0.275)
    assert cg.divisive[2].tier == "majority"


def test_divisive_skips_delegations_without_votes_and_reports_same() -> None:
    cg = run({"s": "+.. +.. ..."})
    (entry,) = cg.divisive
    # RUS did not vote, so it is not eligible (its 0.5 prior is not an opinion).
    # USA 2/3 vs rest (CHN) 2/3: zero gap; USA wins the exact tie by order.
    assert (entry.delegation, entry.direction, entry.gap) == ("USA", "same", 0.0)
    assert entry.tier == "insufficient"


# ------------------------------------------------------------------------- splits


def test_splits_per_delegation() -> None:
    cg = run(
        {
            "s1": "+-0 ++- +++",  # USA 1/1/1 -> 1/3; CHN 2 vs 1 -> 1/3
            "s2": "+-. +++ +00",  # USA 1 vs 1 -> 1/2; RUS no disagree -> no split
            "s3": "+++ --- -.-",  # nobody split internally
        }
    )
    assert [e.statement_id for e in cg.splits["USA"]] == ["s2", "s1"]
    usa_s2 = cg.splits["USA"][0]
    assert (usa_s2.agree, usa_s2.disagree, usa_s2.passes, usa_s2.voted) == (1, 1, 0, 2)
    assert usa_s2.measure == pytest.approx(0.5)
    assert [e.statement_id for e in cg.splits["CHN"]] == ["s1"]
    assert cg.splits["CHN"][0].measure == pytest.approx(1 / 3)
    assert cg.splits["RUS"] == ()
    # A stricter threshold keeps only the even split.
    strict = run({"s1": "+-0 ++- +++", "s2": "+-. +++ +00"}, split_threshold=0.5)
    assert {d: [e.statement_id for e in v] for d, v in strict.splits.items()} == {
        "USA": ["s2"],
        "CHN": [],
        "RUS": [],
    }


# -------------------------------------------------------------------------- JSON


def test_to_json_dict_shape() -> None:
    cg = run({"a": "+++ +++ +++ -.", "b": "+-0 ++- ---"})
    data = cg.to_json_dict()
    assert {"tiers", "common_ground", "divisive", "splits", "per_statement"} <= set(data)
    assert data["common_ground"] == ["a", "b"]
    assert data["per_statement"][0]["groups"]["USA"] == {
        "agree": 3,
        "disagree": 0,
        "pass": 0,
        "voted": 3,
        "p_agree": pytest.approx(0.8),
    }
    assert data["splits"]["USA"][0]["statement_id"] == "b"
    assert data["observers"]["count"] == 2
    assert data["observers"]["per_statement"][0]["disagree"] == 1
    assert json.loads(json.dumps(data, allow_nan=False)) == data


def test_default_delegation_order_is_sorted() -> None:
    cg = analyse(build({"s": "+++ ++- +++"}), GROUPS)
    assert cg.delegations == ("CHN", "RUS", "USA")
    assert cg.per_statement[0].label == "CHN 2/3 agree (1 disagree), RUS 3/3, USA 3/3"


# ------------------------------------------------------------------- constructors


def test_from_float_nan_means_not_voted() -> None:
    vm = VoteMatrix.from_float(["a", "b"], ["s", "t"], np.array([[1.0, np.nan], [-1.0, 0.0]]))
    assert vm.mask.tolist() == [[True, False], [True, True]]
    assert vm.values.tolist() == [[1, 0], [-1, 0]]


def test_from_records_last_vote_wins() -> None:
    vm = VoteMatrix.from_records(["a", "b"], ["s"], [("a", "s", 1), ("a", "s", -1)])
    assert vm.values.tolist() == [[-1], [0]]
    assert vm.mask.tolist() == [[True], [False]]


def test_matrix_is_read_only_and_unvoted_cells_are_zeroed() -> None:
    values = np.array([[1, -1]], dtype=np.int8)
    vm = VoteMatrix(["a"], ["s", "t"], values, np.array([[True, False]]))
    assert vm.values.tolist() == [[1, 0]]
    assert values.tolist() == [[1, -1]]  # caller's array untouched
    with pytest.raises(ValueError):
        vm.values[0, 0] = 0


def test_default_mask_is_all_voted() -> None:
    vm = VoteMatrix(["a"], ["s"], np.zeros((1, 1), dtype=np.int8))
    assert vm.mask.tolist() == [[True]]


# --------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("participants", "statements", "values", "match"),
    [
        ([], [], np.zeros((0, 0), dtype=np.int8), "empty vote matrix"),
        (["a"], [], np.zeros((1, 0), dtype=np.int8), "empty vote matrix"),
        (["a", "b"], ["s"], np.zeros((3, 1), dtype=np.int8), "shape"),
        (["a"], ["s"], np.array([[2]], dtype=np.int8), "unknown vote value 2"),
        (["a"], ["s"], np.array([[1.0]]), "integer"),
        (["a"], ["s"], np.array([[True]]), "integer"),
        (["a", "a"], ["s"], np.zeros((2, 1), dtype=np.int8), "duplicate participant"),
        (["a"], ["s", "s"], np.zeros((1, 2), dtype=np.int8), "duplicate statement"),
        (["a", ""], ["s"], np.zeros((2, 1), dtype=np.int8), "non-empty strings"),
        ("ab", ["s"], np.zeros((2, 1), dtype=np.int8), "not one string"),
    ],
)
def test_bad_matrix(
    participants: list[str], statements: list[str], values: np.ndarray, match: str
) -> None:
    with pytest.raises(ConsensusInputError, match=match):
        VoteMatrix(participants, statements, values)


def test_bad_mask() -> None:
    vals = np.zeros((1, 2), dtype=np.int8)
    with pytest.raises(ConsensusInputError, match="voted mask has shape"):
        VoteMatrix(["a"], ["s", "t"], vals, np.ones((2, 1), dtype=np.bool_))
    with pytest.raises(ConsensusInputError, match="boolean"):
        VoteMatrix(["a"], ["s", "t"], vals, np.ones((1, 2), dtype=np.int8))


def test_bad_float_and_records() -> None:
    with pytest.raises(ConsensusInputError, match="unknown vote value"):
        VoteMatrix.from_float(["a"], ["s"], np.array([[0.5]]))
    with pytest.raises(ConsensusInputError, match="unknown vote value"):
        VoteMatrix.from_float(["a"], ["s"], np.array([[np.inf]]))
    with pytest.raises(ConsensusInputError, match="not numeric"):
        VoteMatrix.from_float(["a"], ["s"], np.array([["yes"]]))
    with pytest.raises(ConsensusInputError, match="unknown participant"):
        VoteMatrix.from_records(["a"], ["s"], [("x", "s", 1)])
    with pytest.raises(ConsensusInputError, match="unknown statement"):
        VoteMatrix.from_records(["a"], ["s"], [("a", "x", 1)])
    with pytest.raises(ConsensusInputError, match="unknown vote value"):
        VoteMatrix.from_records(["a"], ["s"], [("a", "s", 3)])


def test_single_participant() -> None:
    vm = VoteMatrix(["a"], ["s"], np.ones((1, 1), dtype=np.int8))
    with pytest.raises(ConsensusInputError, match="at least two participants"):
        analyse(vm, {"a": "USA"})


def test_declared_delegation_without_members() -> None:
    vm = build({"s": "+++ +++ +++"})
    with pytest.raises(ConsensusInputError, match=r"no members.*'GBR'"):
        analyse(vm, GROUPS, delegations=(*DELEGATIONS, "GBR"))
    # A roster entry for someone absent from the matrix also declares a delegation.
    with pytest.raises(ConsensusInputError, match=r"no members.*'GBR'"):
        analyse(vm, {**GROUPS, "g1": "GBR"})
    # ...while an absent person of an existing delegation is harmless.
    assert analyse(vm, {**GROUPS, "u4": "USA"}).per_statement[0].tier == "unanimous"


def test_bad_groups() -> None:
    vm = build({"s": "+++ +++ +++"})
    missing = {k: v for k, v in GROUPS.items() if k != "u2"}
    with pytest.raises(ConsensusInputError, match=r"without a group entry.*'u2'"):
        analyse(vm, missing)
    with pytest.raises(ConsensusInputError, match="at least two delegations"):
        analyse(vm, {p: ("USA" if g else None) for p, g in GROUPS.items()})
    with pytest.raises(ConsensusInputError, match="at least two delegations"):
        analyse(vm, dict.fromkeys(GROUPS))
    with pytest.raises(ConsensusInputError, match="non-empty strings or None"):
        analyse(vm, {**GROUPS, "u1": ""})
    with pytest.raises(ConsensusInputError, match="not among the declared"):
        analyse(vm, GROUPS, delegations=("USA", "CHN"))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"pass_threshold": 0.0}, "pass_threshold"),
        ({"pass_threshold": 1.5}, "pass_threshold"),
        ({"pass_threshold": float("nan")}, "pass_threshold"),
        ({"split_threshold": 0.6}, "split_threshold"),
        ({"split_threshold": 0}, "split_threshold"),
        ({"min_votes": 0}, "min_votes"),
        ({"min_votes": 1.5}, "min_votes"),
    ],
)
def test_bad_options(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ConsensusInputError, match=match):
        analyse(build({"s": "+++ +++ +++"}), GROUPS, **kwargs)  # type: ignore[arg-type]


# ------------------------------------------------------------- property tests


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[VoteMatrix, dict[str, str | None], int]:
    """A random matrix with 2-4 delegations of 1-5 members, 0-3 observers."""
    n_dels = draw(st.integers(2, 4))
    sizes = draw(st.lists(st.integers(1, 5), min_size=n_dels, max_size=n_dels))
    n_obs = draw(st.integers(0, 3))
    groups: dict[str, str | None] = {}
    for d, size in enumerate(sizes):
        for i in range(size):
            groups[f"D{d}-{i}"] = f"D{d}"
    for i in range(n_obs):
        groups[f"obs{i}"] = None
    n = len(groups)
    m = draw(st.integers(1, 8))
    cells = draw(st.lists(st.sampled_from((1, -1, 0, None)), min_size=n * m, max_size=n * m))
    grid = np.array([np.nan if c is None else c for c in cells], dtype=np.float64)
    matrix = VoteMatrix.from_float(list(groups), [f"s{j}" for j in range(m)], grid.reshape(n, m))
    seed = draw(st.integers(0, 2**32 - 1))
    return matrix, groups, seed


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_property_invariants(scenario: tuple[VoteMatrix, dict[str, str | None], int]) -> None:
    matrix, groups, _ = scenario
    cg = analyse(matrix, groups)
    for r in cg.per_statement:
        assert all(0.0 < t.p_agree < 1.0 for t in r.groups)
        assert 0.0 < r.min_p <= r.geo_mean_p + 1e-12 < 1.0 + 1e-12
        assert 0.0 <= r.pass_rate <= 1.0
        for t in r.groups:
            assert t.voted == t.agree + t.disagree + t.passes
            assert Fraction(t.agree + 1, t.voted + 2) == pytest.approx(t.p_agree)
        if r.tier == "unanimous":
            assert all(t.agree == t.voted > 0 for t in r.groups)
        if r.tier in ("unanimous", "majority"):
            assert all(2 * t.agree > t.voted for t in r.groups)
        if r.tier == "insufficient":
            assert any(t.voted == 0 for t in r.groups)
        else:
            assert all(t.voted > 0 for t in r.groups)
    # Tiers partition the statements.
    listed = [sid for ids in cg.tiers.values() for sid in ids]
    assert sorted(listed) == sorted(matrix.statements)
    # Common ground ranks exactly the statements that are not insufficient.
    assert sorted(cg.common_ground) == sorted(
        r.statement_id for r in cg.per_statement if r.tier != "insufficient"
    )

    def exact_key(sid: str) -> tuple[Fraction, Fraction, str]:
        ps = [Fraction(t.agree + 1, t.voted + 2) for t in cg.statement(sid).groups]
        return (-min(ps), -math.prod(ps, start=Fraction(1)), sid)

    assert list(cg.common_ground) == sorted(cg.common_ground, key=exact_key)
    gaps = [e.gap for e in cg.divisive]
    assert all(a >= b - 1e-12 for a, b in itertools.pairwise(gaps))
    assert all(0.0 <= g < 1.0 for g in gaps)
    for entries in cg.splits.values():
        assert all(e.agree > 0 and e.disagree > 0 for e in entries)
    # JSON-serialisable with no NaN or infinity anywhere.
    text = json.dumps(cg.to_json_dict(), allow_nan=False)
    assert "NaN" not in text and "Infinity" not in text


@settings(max_examples=100, deadline=None)
@given(scenarios())
def test_property_row_order_is_irrelevant(
    scenario: tuple[VoteMatrix, dict[str, str | None], int],
) -> None:
    matrix, groups, seed = scenario
    rng = np.random.default_rng(seed)
    base = analyse(matrix, groups).to_json_dict()

    # 1. Shuffle rows, each participant keeping their own votes.
    perm = rng.permutation(len(matrix.participants))
    shuffled = VoteMatrix(
        [matrix.participants[i] for i in perm],
        matrix.statements,
        matrix.values[perm],
        matrix.mask[perm],
    )
    assert analyse(shuffled, groups).to_json_dict() == base

    # 2. Permute votes among members of the same group (ids stay put).
    rows = np.arange(len(matrix.participants))
    labels = [groups[p] for p in matrix.participants]
    for label in set(labels):
        members = rows[[lab == label for lab in labels]]
        rows[members] = rng.permutation(members)
    within = VoteMatrix(
        matrix.participants, matrix.statements, matrix.values[rows], matrix.mask[rows]
    )
    assert analyse(within, groups).to_json_dict() == base


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_property_observers_never_matter(
    scenario: tuple[VoteMatrix, dict[str, str | None], int],
) -> None:
    matrix, groups, seed = scenario
    rng = np.random.default_rng(seed)
    obs = np.array([groups[p] is None for p in matrix.participants])
    values = np.array(matrix.values)
    mask = np.array(matrix.mask)
    values[obs] = rng.integers(-1, 2, size=values[obs].shape)
    mask[obs] = rng.random(mask[obs].shape) < 0.5
    a = analyse(matrix, groups).to_json_dict()
    b = analyse(VoteMatrix(matrix.participants, matrix.statements, values, mask), groups)
    b_json = b.to_json_dict()
    a.pop("observers")
    b_json.pop("observers")
    assert a == b_json


# ------------------------------------------------------------------- scale


def test_large_matrix_counts_match_a_plain_loop() -> None:
    rng = np.random.default_rng(7)
    n, m = 2000, 200
    participants = [f"p{i}" for i in range(n)]
    groups: dict[str, str | None] = {
        p: ("USA", "CHN", "RUS", None)[i % 4] for i, p in enumerate(participants)
    }
    values = rng.integers(-1, 2, size=(n, m)).astype(np.int8)
    voted = rng.random((n, m)) < 0.6
    matrix = VoteMatrix(participants, [f"s{j}" for j in range(m)], values, voted)
    cg = analyse(matrix, groups)
    assert len(cg.per_statement) == m
    assert cg.n_observers == n // 4
    # Spot-check one count against a plain loop.
    usa = [i for i, p in enumerate(participants) if groups[p] == "USA"]
    expected = sum(1 for i in usa if voted[i, 5] and values[i, 5] == 1)
    assert cg.per_statement[5].group("USA").agree == expected
    json.dumps(cg.to_json_dict(), allow_nan=False)
