"""`detente common-ground` on a meeting record and on Pol.is exports, including bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli import app
from detente.deliberation.events import VoteCast
from detente.store.log import Draft, EventStore, parse_time

ROOT = Path(__file__).resolve().parents[2]
LONDON = ROOT.parent / "shared" / "data" / "polis-opendata" / "london.youth.policing"
runner = CliRunner()
KEYS = {"groups", "consensus", "repness", "gic"}


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def held(root: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    code, _, err = invoke("run", str(root), "--out", str(out))
    assert code == 0, err
    return out


def test_meeting_json_has_the_documented_keys(harbour: Path, tmp_path: Path) -> None:
    out = held(harbour, tmp_path)
    code, stdout, _ = invoke("common-ground", str(harbour), "--out", str(out), "--format", "json")
    assert code == 0
    doc = json.loads(stdout)
    assert KEYS | {"tiers", "items"} <= set(doc)
    assert set(doc["groups"]) == {f"{d}-{k}" for d in ("NRD", "KES", "LOV") for k in (1, 2)}
    assert sorted(s for ids in doc["tiers"].values() for s in ids) == sorted(doc["statements"])
    assert set(doc["consensus"]) <= set(doc["statements"])
    assert set(doc["gic"]) == set(doc["statements"])
    assert list(doc["items"]) == ["session-2"]
    assert doc["items"]["session-2"]["tiers"] == doc["tiers"]  # one voted item: same analysis


def test_meeting_text_output_and_plots(korea: Path, tmp_path: Path) -> None:
    out = held(korea, tmp_path)
    plots = tmp_path / "plots"
    code, stdout, err = invoke(
        "common-ground", str(korea), "--out", str(out), "--plots", str(plots)
    )
    assert code == 0, err
    assert "Statements by tier" in stdout and "Opinion groups" in stdout
    assert {p.name for p in plots.iterdir()} == {
        "opinion-map.png",
        "opinion-map.svg",
        "agreement.png",
        "agreement.svg",
    }


def test_meeting_without_record_is_a_clear_error(harbour: Path, tmp_path: Path) -> None:
    code, _, err = invoke("common-ground", str(harbour), "--out", str(tmp_path / "none"))
    assert code == 1 and "run `detente run" in err and "Traceback" not in err


def _append_vote(out: Path, payload: dict[str, object]) -> None:
    store = EventStore.open(out / "detente.db")
    try:
        store.append(
            "harbour-2025",
            [Draft(parse_time("2025-06-12T09:30:00Z"), "NRD", VoteCast.kind, "all", payload)],
        )
    finally:
        store.close()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"statement_id": "h-nonexistent"}, "unknown statement 'h-nonexistent'"),
        ({"vote": "maybe"}, "vote"),
    ],
)
def test_bad_votes_in_a_record_are_located_errors(
    harbour: Path, tmp_path: Path, change: dict[str, str], message: str
) -> None:
    out = held(harbour, tmp_path)
    payload = {
        "item_id": "session-2",
        "participant": "NRD-1",
        "statement_id": "h-alert-scale",
        "vote": "agree",
        "delegation": "NRD",
        "observer": False,
    }
    _append_vote(out, {**payload, **change})
    code, _, err = invoke("common-ground", str(harbour), "--out", str(out))
    assert code == 1 and "Traceback" not in err
    assert message in err and "event #" in err


def test_groups_option_is_refused_for_a_meeting(harbour: Path, tmp_path: Path) -> None:
    out = held(harbour, tmp_path)
    code, _, err = invoke("common-ground", str(harbour), "--out", str(out), "--groups", "x")
    assert code == 1 and "--groups applies to a Pol.is export" in err


def test_neither_meeting_nor_export(tmp_path: Path) -> None:
    code, _, err = invoke("common-ground", str(tmp_path))
    assert code == 1 and "neither a meeting folder" in err


# --- Pol.is exports -------------------------------------------------------------------------

COMMENTS = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n" + (
    "".join(f"0,x,{t},1,0,0,1,Comment {t}\n" for t in (1, 2, 3))
)
HEADER = "participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree,1,2,3\n"


def export(tmp_path: Path, votes: str, comments: str = COMMENTS) -> Path:
    folder = tmp_path / "conv"
    folder.mkdir(exist_ok=True)
    (folder / "comments.csv").write_text(comments, encoding="utf-8")
    (folder / "participants-votes.csv").write_text(votes, encoding="utf-8")
    return folder


SMALL = HEADER + "".join(
    f"{p},,{g},0,3,0,0,{a},{b},{c}\n"
    for p, g, (a, b, c) in [
        (1, 0, (1, 1, -1)),
        (2, 0, (1, 1, -1)),
        (3, 0, (1, 0, -1)),
        (4, 1, (1, -1, 1)),
        (5, 1, (1, -1, 1)),
        (6, 1, (0, -1, 1)),
    ]
)


def test_small_export_with_known_groups(tmp_path: Path) -> None:
    folder = export(tmp_path, SMALL)
    code, stdout, err = invoke(
        "common-ground", str(folder), "--groups", "group-id", "--format", "json"
    )
    assert code == 0, err
    doc = json.loads(stdout)
    assert KEYS | {"tiers"} <= set(doc)
    assert doc["tiers"]["unanimous"] == ["1"] or "1" in doc["tiers"]["majority"]
    assert doc["comparison"]["ari"] == pytest.approx(1.0)  # votes split exactly by group-id
    assert doc["emergent"]["status"] == "below-minimum"


@pytest.mark.parametrize(
    ("votes", "message"),
    [
        (HEADER + "1,,0,0,3,0,0,1,1\n", "participants-votes.csv:2: expected 10 fields, got 9"),
        (HEADER + "1,,0,0,3,0,0,1,2,1\n", "participants-votes.csv:2: vote '2'"),
        (HEADER + "1,,0,0,3,0,0,1,yes,1\n", "vote 'yes'"),
        (HEADER.replace(",3\n", ",99\n") + "1,,0,0,3,0,0,1,1,1\n", "unknown statement id '99'"),
        (HEADER, "no votes"),
        ('participant,"unclosed\n1,2\n', "participants-votes.csv"),
    ],
)
def test_bad_exports_are_clear_errors(tmp_path: Path, votes: str, message: str) -> None:
    code, _, err = invoke("common-ground", str(export(tmp_path, votes)))
    assert code == 1, err
    assert message in err and "Traceback" not in err


def test_unknown_groups_column_names_the_columns(tmp_path: Path) -> None:
    code, _, err = invoke("common-ground", str(export(tmp_path, SMALL)), "--groups", "team")
    assert code == 1 and "no column 'team'" in err and "group-id" in err


def test_single_participant_is_a_stated_not_enough_votes_result(tmp_path: Path) -> None:
    folder = export(tmp_path, HEADER + "1,,0,0,3,0,0,1,-1,0\n")
    code, stdout, err = invoke("common-ground", str(folder), "--format", "json")
    assert code == 0, err
    doc = json.loads(stdout)
    assert doc["status"] == "not enough votes"
    assert doc["groups"] == {"1": None} and doc["repness"] == {} and doc["gic"] == {}
    code, stdout, _ = invoke("common-ground", str(folder), "--groups", "group-id")
    assert code == 0 and "not enough votes" in stdout


@pytest.mark.skipif(not LONDON.exists(), reason=f"Pol.is open data not found at {LONDON}")
def test_london_youth_policing_export(tmp_path: Path) -> None:
    code, stdout, err = invoke(
        "common-ground",
        str(LONDON),
        "--groups",
        "group-id",
        "--format",
        "json",
        "--plots",
        str(tmp_path / "plots"),
    )
    assert code == 0, err
    doc = json.loads(stdout)
    assert KEYS | {"tiers"} <= set(doc)
    assert doc["emergent"]["status"] == "ok" and doc["emergent"]["k"] >= 2
    grouped = [g for g in doc["groups"].values() if g is not None]
    assert len(set(grouped)) == doc["emergent"]["k"]
    assert set(doc["repness"]) == set(grouped)
    assert all(set(ids) <= set(doc["statements"]) for ids in doc["repness"].values())
    assert sorted(s for ids in doc["tiers"].values() for s in ids) == sorted(doc["statements"])
    assert -1.0 <= doc["comparison"]["ari"] <= 1.0
    assert (tmp_path / "plots" / "opinion-map.svg").exists()
    code, stdout, _ = invoke("common-ground", str(LONDON))
    assert code == 0 and "Pol.is consensus" in stdout
