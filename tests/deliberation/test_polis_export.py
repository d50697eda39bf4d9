"""Reading Pol.is exports and `detente common-ground` on bad ones: every bad input gives a
located message (file:line) or a valid, possibly empty, result - never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from detente.cli import app
from detente.deliberation.polis import PolisInputError, load_polis_export, run

runner = CliRunner()
COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    + "".join(f"1,x,{t},0,0,0,1,statement {t}\n" for t in range(10))
)
HISTORY_HEAD = "timestamp,datetime,comment-id,voter-id,vote\n"


def _export(tmp: Path, votes: str, comments: str = COMMENTS) -> Path:
    (tmp / "votes.csv").write_text(votes, encoding="utf-8")
    (tmp / "comments.csv").write_text(comments, encoding="utf-8")
    return tmp


def _history(rows: list[tuple[int, int, int, int]]) -> str:
    return HISTORY_HEAD + "".join(f"{ts},d,{t},{p},{v}\n" for ts, t, p, v in rows)


def _cli(folder: Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["common-ground", str(folder), "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stdout, result.stderr


def _votes(n_ptpts: int, n_cmts: int, seed: int = 0) -> list[tuple[int, int, int, int]]:
    rng = np.random.default_rng(seed)
    side = rng.integers(0, 2, n_ptpts)
    rows = []
    for p in range(n_ptpts):
        for t in range(n_cmts):
            v = 1 if (t % 2 == side[p]) != (rng.random() < 0.1) else -1
            rows.append((1000 + p * n_cmts + t, t, p, v))
    return rows


def test_history_export_groups_and_reports_diagnostics(tmp_path: Path) -> None:
    code, out, err = _cli(_export(tmp_path, _history(_votes(30, 10))))
    assert code == 0, err
    doc = json.loads(out)
    diag = doc["emergent"]["diagnostics"]
    assert diag["method"] == "fresh" and diag["in_conversation"] == 30
    assert diag["k"] == len({g for g in doc["groups"].values() if g is not None})
    assert set(diag["silhouettes"]) == {"2", "3", "4", "5"}
    assert set(doc["projection"]) == {str(p) for p in range(30)}


def test_no_votes_is_a_located_message(tmp_path: Path) -> None:
    code, _, err = _cli(_export(tmp_path, HISTORY_HEAD))
    assert code == 1
    assert "votes.csv:1: no votes" in err


def test_no_votes_in_participants_votes(tmp_path: Path) -> None:
    (tmp_path / "participants-votes.csv").write_text(
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n3,,0,0,0,0,,\n",
        encoding="utf-8",
    )
    (tmp_path / "comments.csv").write_text(COMMENTS, encoding="utf-8")
    code, _, err = _cli(tmp_path)
    assert code == 1 and "participants-votes.csv:1: no votes" in err


def test_single_participant_is_a_valid_empty_grouping(tmp_path: Path) -> None:
    code, out, err = _cli(_export(tmp_path, _history([(1, t, 7, 1) for t in range(10)])))
    assert code == 0, err
    doc = json.loads(out)
    assert doc["groups"] == {"7": None}
    assert doc["emergent"]["status"] == "not enough votes"


def test_all_passes_is_a_valid_empty_grouping(tmp_path: Path) -> None:
    rows = [(1 + p * 10 + t, t, p, 0) for p in range(20) for t in range(10)]
    code, out, err = _cli(_export(tmp_path, _history(rows)))
    assert code == 0, err
    doc = json.loads(out)
    assert all(g is None for g in doc["groups"].values())
    reasons = doc["emergent"]["diagnostics"]["ungrouped"]
    assert set(reasons) == {str(p) for p in range(20)}
    assert all("distinct positions" in r for r in reasons.values())


def test_comment_missing_from_comments_csv_is_located(tmp_path: Path) -> None:
    rows = [*_votes(5, 3), (99999, 42, 1, 1)]
    code, _, err = _cli(_export(tmp_path, _history(rows)))
    assert code == 1
    assert f"votes.csv:{len(rows) + 1}: comment-id 42 is not in comments.csv" in err


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("5,d,1,2,7\n", "votes.csv:3: vote '7'"),
        ("5,d,x,2,1\n", "votes.csv:3: comment-id 'x' is not an integer"),
        ("5,d,1\n", "votes.csv:3: expected 5 fields, got 3"),
    ],
)
def test_bad_history_rows_are_located(tmp_path: Path, line: str, message: str) -> None:
    code, _, err = _cli(_export(tmp_path, HISTORY_HEAD + "4,d,0,1,1\n" + line))
    assert code == 1 and message in err


def test_bad_history_header(tmp_path: Path) -> None:
    with pytest.raises(PolisInputError, match=r"votes.csv:1: header lacks voter-id"):
        load_polis_export(_export(tmp_path, "timestamp,comment-id,vote\n1,0,1\n"))


def test_duplicated_and_changed_votes_latest_wins(tmp_path: Path) -> None:
    rows = _votes(20, 10)
    dup = rows + rows  # every vote twice, same timestamp: file order decides, same value
    changed = [*rows, (10**9, 3, 4, 0)]  # participant 4 changes its vote on comment 3 to pass
    a = load_polis_export(_export(tmp_path, _history(dup)))
    b = load_polis_export(_export(tmp_path, _history(rows)))
    assert np.array_equal(a.votes.values, b.votes.values, equal_nan=True)
    c = load_polis_export(_export(tmp_path, _history(list(reversed(changed)))))
    assert c.votes.values[c.votes.pids.index(4), c.votes.tids.index(3)] == 0.0
    assert c.last_vote_timestamp == 10**9
    code, _, err = _cli(_export(tmp_path, _history(dup)))
    assert code == 0, err


def test_duplicated_participant_row_is_located(tmp_path: Path) -> None:
    (tmp_path / "participants-votes.csv").write_text(
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n"
        "3,,0,2,1,1,1,-1\n4,,0,1,1,0,1,\n3,,0,1,1,0,1,\n",
        encoding="utf-8",
    )
    (tmp_path / "comments.csv").write_text(COMMENTS, encoding="utf-8")
    code, _, err = _cli(tmp_path)
    assert code == 1 and "participants-votes.csv:4: participant 3 already has a row (line 2)" in err


def _digits(values: np.ndarray[Any, Any], width: int) -> np.ndarray[Any, Any]:
    """Zero-padded decimal digits of non-negative integers as an (n, width) byte array."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values[:, None] // powers % 10 + ord("0")).astype(np.uint8)


def _csv_bytes(columns: list[np.ndarray[Any, Any]]) -> bytes:
    """Rows of byte-array columns joined by commas, one row per line (built vectorised)."""
    n = columns[0].shape[0]
    comma = np.full((n, 1), ord(","), dtype=np.uint8)
    newline = np.full((n, 1), ord("\n"), dtype=np.uint8)
    parts: list[np.ndarray[Any, Any]] = []
    for col in columns:
        parts += [col, comma]
    parts[-1] = newline
    return np.hstack(parts).tobytes()


def test_fifty_megabyte_vote_history(tmp_path: Path) -> None:
    """~1 M vote records (each of 1,200 participants votes on 100 comments, changing every
    vote eight times, in shuffled order) parse and group without trouble."""
    rng = np.random.default_rng(5)
    n_ptpts, n_cmts, changes = 1200, 100, 8
    side = rng.integers(0, 2, n_ptpts)
    pid = np.repeat(np.arange(n_ptpts), n_cmts * changes)
    tid = np.tile(np.repeat(np.arange(n_cmts), changes), n_ptpts)
    agree = (tid % 2 == side[pid]) != (rng.random(pid.size) < 0.1)
    vote = np.where(agree, 1, -1)
    ts = 1_500_000_000_000 + rng.permutation(pid.size)
    stamp = np.frombuffer(b"Mon Jul 17 02:17:32 WIB 2017", dtype=np.uint8)
    sign = np.where(vote > 0, ord("+"), ord("-")).astype(np.uint8)[:, None]
    body = _csv_bytes(
        [
            _digits(ts, 13),
            np.tile(stamp, (pid.size, 1)),
            _digits(tid, 3),
            _digits(pid, 4),
            np.hstack([sign, _digits(np.ones_like(vote), 1)]),
        ]
    )
    comments = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    comments += "".join(f"1,x,{t},0,0,0,1,s\n" for t in range(n_cmts))
    folder = _export(tmp_path, HISTORY_HEAD, comments)
    with (folder / "votes.csv").open("ab") as fh:
        fh.write(body)
    assert (folder / "votes.csv").stat().st_size >= 50_000_000
    inp = load_polis_export(folder)
    assert inp.votes.values.shape == (n_ptpts, n_cmts)
    last = np.argmax(ts.reshape(n_ptpts, n_cmts, changes), axis=2)
    want = np.take_along_axis(vote.reshape(n_ptpts, n_cmts, changes), last[..., None], 2)
    rows = [inp.votes.pids.index(p) for p in range(n_ptpts)]
    assert np.array_equal(inp.votes.values[rows], want[..., 0].astype(float))
    res = run(inp)
    assert res.status == "ok" and res.diagnostics["k"] is not None
