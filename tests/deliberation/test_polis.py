"""Exact-match tests of the Pol.is math port against published ``math-pca2.json`` fixtures.

Two scenarios are checked:

* **restart** - ``previous`` is rebuilt from the stored output, exactly what a restarted
  Pol.is worker reloads (in-conv, PCA components, base clusters, group votes). Everything
  is recomputed from the votes; all published parts must match.
* **from scratch** - no history at all. PCA, consensus and the replayed in-conv must match;
  clusters are path dependent in Pol.is and are not asserted.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from detente.deliberation.polis import (
    PolisInputError,
    PolisVotes,
    history_from_math_json,
    load_polis_export,
    load_polis_math_fixture,
    polis_math,
    replay_in_conv,
    run,
)

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
MATH = DATA / "polis-math"
OPEN = DATA / "polis-opendata"
FIXTURES = [
    "150ptpt-3gp-no-strict-no-meta",
    "25ptpt-3gp-no-strict-with-meta",
    "50ptpt-3gp-strict-no-meta",
    "above-100-ptpts",
    "below-100-ptpts",
]
#: Known upstream data problem (documented in red-dwarf's fixtures): votes missing from the
#: API dump, so participant counts, PCA centre and projections cannot match.
INCOMPLETE_VOTES = {"50ptpt-3gp-strict-no-meta"}


def _need(folder: Path) -> Path:
    if not folder.is_dir():
        pytest.skip(f"shared test data not found at {folder}")
    return folder


def _load(name: str) -> tuple[Any, dict[str, Any]]:
    folder = _need(MATH / name)
    expected = json.loads((folder / "math-pca2.json").read_text(encoding="utf-8"))
    return load_polis_math_fixture(folder), expected


def _close(a: Any, b: Any, path: str = "") -> None:
    """Recursive equality with relative float tolerance 1e-6; reports the first mismatch."""
    if isinstance(b, dict):
        assert isinstance(a, dict), path
        assert set(a) == set(b), f"{path}: keys {sorted(a)} != {sorted(b)}"
        for k in b:
            _close(a[k], b[k], f"{path}.{k}")
    elif isinstance(b, list):
        assert isinstance(a, list) and len(a) == len(b), f"{path}: {a} != {b}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _close(x, y, f"{path}[{i}]")
    elif isinstance(b, float) or isinstance(a, float):
        assert a == pytest.approx(b, rel=1e-6, abs=1e-9), path
    else:
        assert a == b, path


def _up_to_sign(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any]) -> None:
    err = min(np.abs(a - b).max(), np.abs(a + b).max())
    assert err <= 1e-6 * max(1.0, float(np.abs(b).max()))


def _group_sets(js: dict[str, Any]) -> list[list[int]]:
    members = dict(zip(js["base-clusters"]["id"], js["base-clusters"]["members"], strict=True))
    return sorted(sorted(p for b in g["members"] for p in members[b]) for g in js["group-clusters"])


@pytest.fixture(scope="module", params=FIXTURES)
def restart(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any], dict[str, Any]]:
    inp, expected = _load(request.param)
    got = run(inp, history_from_math_json(expected)).to_polis_json()
    return request.param, got, expected


def test_restart_in_conv_and_counts(restart: tuple[str, dict[str, Any], dict[str, Any]]) -> None:
    name, got, exp = restart
    assert sorted(got["in-conv"]) == sorted(exp["in-conv"])
    assert sorted(got["mod-out"]) == sorted(exp["mod-out"])
    assert sorted(got["mod-in"]) == sorted(exp["mod-in"])
    assert sorted(got["meta-tids"]) == sorted(exp["meta-tids"])
    if name in INCOMPLETE_VOTES:
        pytest.xfail("votes missing from the upstream API dump")
    assert got["n"] == exp["n"] and got["tids"] == exp["tids"]
    assert got["user-vote-counts"] == exp["user-vote-counts"]


def test_restart_pca_and_projections(restart: tuple[str, dict[str, Any], dict[str, Any]]) -> None:
    name, got, exp = restart
    if name in INCOMPLETE_VOTES:
        pytest.xfail("votes missing from the upstream API dump")
    np.testing.assert_allclose(got["pca"]["center"], exp["pca"]["center"], atol=1e-9)
    for i in range(2):
        _up_to_sign(np.array(got["pca"]["comps"][i]), np.array(exp["pca"]["comps"][i]))
        _up_to_sign(
            np.array(got["pca"]["comment-projection"][i]),
            np.array(exp["pca"]["comment-projection"][i]),
        )
    np.testing.assert_allclose(
        got["pca"]["comment-extremity"], exp["pca"]["comment-extremity"], rtol=1e-6
    )
    # Base-cluster centres are the (mean) participant projections.
    gb, eb = got["base-clusters"], exp["base-clusters"]
    assert gb["id"] == eb["id"]
    assert [sorted(m) for m in gb["members"]] == [sorted(m) for m in eb["members"]]
    _up_to_sign(np.array(gb["x"]), np.array(eb["x"]))
    _up_to_sign(np.array(gb["y"]), np.array(eb["y"]))


def test_restart_groups(restart: tuple[str, dict[str, Any], dict[str, Any]]) -> None:
    _, got, exp = restart
    assert [g["id"] for g in got["group-clusters"]] == [g["id"] for g in exp["group-clusters"]]
    assert [g["members"] for g in got["group-clusters"]] == [
        g["members"] for g in exp["group-clusters"]
    ]
    assert _group_sets(got) == _group_sets(exp)


@pytest.mark.parametrize(
    "key",
    ["repness", "consensus", "group-aware-consensus", "group-votes", "votes-base"],
)
def test_restart_statements(restart: tuple[str, dict[str, Any], dict[str, Any]], key: str) -> None:
    _, got, exp = restart
    _close(got[key], exp[key], key)


def test_restart_comment_priorities(restart: tuple[str, dict[str, Any], dict[str, Any]]) -> None:
    name, got, exp = restart
    if name in INCOMPLETE_VOTES:
        pytest.xfail("priorities use comment extremity, which depends on the incomplete PCA")
    _close(got["comment-priorities"], exp["comment-priorities"], "comment-priorities")


@pytest.mark.parametrize("name", FIXTURES)
def test_from_scratch_pca_consensus_in_conv(name: str) -> None:
    inp, exp = _load(name)
    got = run(inp).to_polis_json()
    _close(got["consensus"], exp["consensus"], "consensus")
    replayed = replay_in_conv(inp.vote_log)
    assert replayed <= set(exp["in-conv"])
    if name != "above-100-ptpts":  # Pol.is admitted 31 more there; the vote log cannot show why
        assert replayed == set(exp["in-conv"])
    if name not in INCOMPLETE_VOTES:
        for i in range(2):
            _up_to_sign(np.array(got["pca"]["comps"][i]), np.array(exp["pca"]["comps"][i]))


def test_group_aware_consensus_formula() -> None:
    votes = [(p, 0, 1) for p in range(6)] + [(p, 1, -1 if p < 3 else 1) for p in range(6)]
    res = polis_math(votes)
    assert res.status == "ok"
    for tid, value in res.group_aware_consensus.items():
        expected = 1.0
        for g in res.group_votes.values():
            v = g["votes"][tid]
            expected *= (v["A"] + 1) / (v["S"] + 2)
        assert value == pytest.approx(expected)


def test_mod_out_columns_are_zeroed_and_excluded() -> None:
    votes = [(p, t, 1 if (p + t) % 3 else -1) for p in range(20) for t in range(8)]
    res = polis_math(votes, mod_out=[3])
    assert res.pca is not None and res.pca.center[3] == 0.0
    assert all(r["tid"] != 3 for rs in res.repness.values() for r in rs)
    assert all(c["tid"] != 3 for side in res.consensus.values() for c in side)
    assert res.votes_base[3]["S"] != [0] * len(res.base_clusters)  # raw votes still counted


def test_not_enough_votes() -> None:
    assert polis_math([(1, 1, 1), (1, 2, -1)]).status == "not enough votes"
    assert polis_math([]).status == "not enough votes"


def test_invalid_vote_value() -> None:
    with pytest.raises(PolisInputError, match="vote value"):
        PolisVotes.from_records([(1, 1, 2)])


def _export(tmp: Path, votes: str, comments: str | None = None) -> Path:
    (tmp / "participants-votes.csv").write_text(votes, encoding="utf-8")
    (tmp / "comments.csv").write_text(
        comments
        or "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        "1,x,1,0,0,0,1,a\n1,x,2,0,0,0,-1,b\n",
        encoding="utf-8",
    )
    return tmp


HEAD = "participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree,1,2\n"


def test_export_ok(tmp_path: Path) -> None:
    inp = load_polis_export(_export(tmp_path, HEAD + "1,,,0,2,1,1,1,-1\n2,,,0,1,0,0,0,\n"))
    assert inp.votes.pids == (1, 2) and inp.votes.tids == (1, 2)
    assert inp.mod_out == frozenset({2})
    assert run(inp).status == "ok"


def test_export_single_participant(tmp_path: Path) -> None:
    inp = load_polis_export(_export(tmp_path, HEAD + "1,,,0,2,1,1,1,-1\n"))
    assert run(inp).status == "not enough votes"


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (HEAD + "1,,,0,2,1,1,1,5\n", r"participants-votes.csv:2: vote '5'"),
        (HEAD + "1,,,0,2,1,1,1\n", r"participants-votes.csv:2: expected 9 fields"),
        (HEAD.replace(",2\n", ",99\n") + "1,,,0,2,1,1,1,1\n", r"csv:1: unknown statement id"),
        (HEAD, "no votes"),
        ("", r"participants-votes.csv:1: header"),
        (HEAD + "x,,,0,2,1,1,1,1\n", r"csv:2: bad participant id"),
    ],
)
def test_export_errors(tmp_path: Path, body: str, match: str) -> None:
    with pytest.raises(PolisInputError, match=match):
        load_polis_export(_export(tmp_path, body))


def test_export_bad_comments(tmp_path: Path) -> None:
    with pytest.raises(PolisInputError, match=r"comments.csv:2: malformed"):
        load_polis_export(_export(tmp_path, HEAD, "comment-id,moderated\nabc,1\n"))


def test_real_export_runs() -> None:
    folder = _need(OPEN / "london.youth.policing")
    res = run(load_polis_export(folder))
    assert res.status == "ok" and len(res.group_clusters) >= 2
    assert set(res.in_conv) <= set(res.projections)


def test_k_smoother_holds_previous_k() -> None:
    """A new best k only replaces the smoothed k after being seen 4 updates in a row."""
    inp, exp = _load("above-100-ptpts")
    hist = history_from_math_json(exp)
    fresh = run(inp, hist)
    best_k = len(fresh.group_clusters)
    other = 2 if best_k != 2 else 3
    held = run(inp, dataclasses.replace(hist, k_smoother=(best_k, 1, other)))
    assert len(held.group_clusters) == other
    assert held.k_smoother == (best_k, 2, other)
    switched = run(inp, dataclasses.replace(hist, k_smoother=(best_k, 3, other)))
    assert len(switched.group_clusters) == best_k


# --- from-scratch path: vectorised internals, restart passes, meta declarations -----------


def _naive_kmeans(
    points: np.ndarray[Any, Any], k: int, weights: np.ndarray[Any, Any] | None, max_iters: int
) -> list[tuple[int, tuple[int, ...]]]:
    """Pol.is k-means written out loop by loop (reference for the vectorised one)."""
    seeds: list[tuple[float, float]] = []
    for x, y in points.tolist():
        if (x, y) not in seeds:
            seeds.append((x, y))
        if len(seeds) == k:
            break
    clusters = [(i, c) for i, c in enumerate(seeds)]
    w = np.ones(len(points)) if weights is None else weights
    members: dict[int, list[int]] = {}
    for remaining in range(max_iters, -1, -1):
        members = {cid: [] for cid, _ in clusters}
        for r, (x, y) in enumerate(points.tolist()):
            best = None
            for cid, (cx, cy) in clusters:  # ties go to the later centre
                d = float(np.sqrt((x - cx) ** 2 + (y - cy) ** 2))
                if best is None or d <= best[0]:
                    best = (d, cid)
            assert best is not None
            members[best[1]].append(r)
        new = []
        for cid, _ in clusters:
            rows = members[cid]
            if rows:
                ww = w[rows]
                c = (ww[:, None] * points[rows]).sum(axis=0) / ww.sum()
                new.append((cid, (float(c[0]), float(c[1]))))
        same = all(
            np.hypot(a[0] - b[0], a[1] - b[1]) < 0.01
            for a, b in zip(sorted(c for _, c in clusters), sorted(c for _, c in new), strict=False)
        )
        clusters = new
        if remaining == 0 or same:
            break
    return sorted((cid, tuple(members[cid])) for cid, _ in clusters)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("weighted", [False, True])
def test_vectorised_kmeans_matches_loop_reference(seed: int, weighted: bool) -> None:
    from detente.deliberation.polis_clusters import kmeans

    rng = np.random.default_rng(seed)
    # Clumpy data with exact duplicates, so ties and dropped clusters occur.
    pts = np.round(rng.normal(size=(300, 2)) * 3, 1)
    weights = rng.integers(1, 5, size=300).astype(float) if weighted else None
    for k in (2, 5, 40):
        got = kmeans(list(range(300)), pts, k, weights=weights, max_iters=30)
        want = _naive_kmeans(pts, k, weights, 30)
        assert [(c.id, c.members) for c in got] == want


@pytest.mark.parametrize("seed", range(30))
def test_vectorised_from_records_matches_record_by_record(seed: int) -> None:
    import random

    rnd = random.Random(seed)
    recs = [
        (rnd.randint(0, 25), rnd.randint(0, 9), rnd.choice([1, -1, 0]))
        for _ in range(rnd.randint(0, 90))
    ]
    fast = PolisVotes.from_records(recs)
    slow = PolisVotes._from_records_checked(recs)
    assert fast.pids == slow.pids and fast.tids == slow.tids
    np.testing.assert_array_equal(fast.values, slow.values)


def test_from_records_reports_bad_record_from_fast_path() -> None:
    with pytest.raises(PolisInputError, match=r"vote value 'x' for pid 2, tid 1"):
        PolisVotes.from_records([(1, 1, 1), (2, 1, "x")])  # type: ignore[list-item]
    with pytest.raises(PolisInputError, match=r"vote value 0.5"):
        PolisVotes.from_records([(1, 1, 1), (2, 1, 0.5)])


def _opendata(name: str) -> Any:
    return load_polis_export(_need(OPEN / name))


def test_history_carries_everything_a_running_worker_keeps() -> None:
    from detente.deliberation.polis import history_from_result

    inp = _opendata("london.youth.policing")
    first = run(inp)
    assert set(first.group_clusterings) == {first.diagnostics["k"]}  # fresh: the chosen k
    hist = history_from_result(first)
    second = run(inp, hist)
    assert second.diagnostics["method"] == "history"
    assert set(second.group_clusterings) == set(range(2, 2 + len(second.base_clusters) // 12 + 1))
    third = run(inp, history_from_result(second))
    assert hist.k_smoother == first.k_smoother and hist.base_clusters == first.base_clusters
    assert third.k_smoother is not None and second.k_smoother is not None
    if third.k_smoother[0] == second.k_smoother[0]:
        assert third.k_smoother[1] == second.k_smoother[1] + 1  # same best k seen again


def test_export_declared_meta_is_zeroed(tmp_path: Path) -> None:
    inp = load_polis_export(
        _export(tmp_path, HEAD + "1,,,0,2,1,1,1,-1\n2,,,0,1,0,0,0,\n"), meta_tids=[1]
    )
    assert inp.meta_tids == frozenset({1})
    assert 1 in inp.mod_out and 1 in inp.mod_in


def test_export_is_meta_column(tmp_path: Path) -> None:
    comments = "comment-id,moderated,is-meta\n1,1,true\n2,1,false\n"
    inp = load_polis_export(_export(tmp_path, HEAD + "1,,,0,2,1,1,1,-1\n", comments))
    assert inp.meta_tids == frozenset({1})


def test_export_unknown_declared_meta(tmp_path: Path) -> None:
    with pytest.raises(PolisInputError, match="declared meta statement 9"):
        load_polis_export(_export(tmp_path, HEAD + "1,,,0,2,1,1,1,-1\n"), meta_tids=[9])


def test_london_declared_meta_statements_leave_the_math() -> None:
    """London's demographic statements 0-14 are meta (the export does not flag them): declared,
    their columns are zeroed for everybody, which moves every projection, and everybody
    Pol.is grouped is still grouped."""
    folder = _need(OPEN / "london.youth.policing")
    with (folder / "participants-votes.csv").open(encoding="utf-8") as fh:
        import csv

        published = {int(r["participant"]) for r in csv.DictReader(fh) if r["group-id"]}
    plain = run(load_polis_export(folder))
    meta = run(load_polis_export(folder, meta_tids=range(15)))
    assert meta.mod_out >= frozenset(range(15))
    assert published <= {p for ps in meta.group_pids.values() for p in ps}
    assert all(meta.projections[p] != plain.projections[p] for p in published)


@pytest.mark.parametrize("seed", range(4))
def test_top_eigvecs_match_full_decomposition(seed: int) -> None:
    from detente.deliberation.polis_pca import _top_eigvecs

    rng = np.random.default_rng(seed)
    x = rng.normal(size=(60, 25)) * np.linspace(3, 0.1, 25)
    gram = x.T @ x
    got = _top_eigvecs(gram)
    want = np.linalg.eigh(gram)[1][:, ::-1][:, :2]
    for i in range(2):
        _up_to_sign(got[:, i], want[:, i])


def test_top_eigvecs_tiny_and_degenerate_inputs() -> None:
    from detente.deliberation.polis_pca import _top_eigvecs

    assert _top_eigvecs(np.array([[4.0]])).shape == (1, 1)
    # Equal top eigenvalues: any orthonormal basis of the top eigenspace is acceptable.
    vecs = _top_eigvecs(np.diag([5.0, 5.0, 1.0]))
    assert np.allclose(np.abs(vecs[2]), 0.0)
    assert np.allclose(vecs.T @ vecs, np.eye(2))
