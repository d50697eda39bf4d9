"""Chatham House by construction: the meeting report words views for the room as a whole."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest

from detente.diagnostics import InputError
from detente.document.attribution import Counts, room_phrase, sentence_list, stance
from detente.meeting.loader import load_meeting
from detente.report.markdown import render_markdown
from detente.report.render import build_documents
from tests.rendered import ROOT, Rendered

COUNT = re.compile(r"\b\d+/\d+\b")
REF = re.compile(r"\[#\d+|\\\[\\#\d+")


def body(md: str) -> str:
    return md.replace("\\", "").split("## Annex: participants")[0]


def delegation_names(r: Rendered) -> list[str]:
    return [n for d in r.folder.meeting.delegations for n in (d.name, d.id)]


def test_room_phrases() -> None:
    assert room_phrase(Counts(9, 0, 0)) == "all participants agreed"
    assert room_phrase(Counts(6, 3, 0)) == "most participants agreed; a minority disagreed"
    assert room_phrase(Counts(1, 8, 0)) == "most participants disagreed; a minority agreed"
    assert room_phrase(Counts(4, 4, 1)) == "participants were divided"
    assert room_phrase(Counts(1, 1, 7)) == "many participants had no view"
    assert room_phrase(Counts(0, 0, 0)) == "no views were recorded"
    assert stance(Counts(2, 1, 0)) == "agreed"
    assert stance(Counts(1, 1, 1)) == "no majority either way"
    assert sentence_list(["a", "b", "c"]) == "a, b and c"


@pytest.mark.parametrize("name", ["korea-2024", "harbour-2025"])
def test_default_report_attributes_no_view_to_a_delegation(
    rendered: dict[str, Rendered], name: str
) -> None:
    r = rendered[name]
    text = body(r.file("meeting-report", "md").read_text(encoding="utf-8"))
    assert not COUNT.findall(text), "counts inside a delegation"
    assert not REF.findall(text), "record references in a circulated document"
    assert "(s)" not in text
    assert "expected action" not in text.lower()
    assert " commits" not in text
    for n in delegation_names(r):
        for verb in ("supported by", "opposed by", "no majority either way in", "asked"):
            assert f"{verb} {n}" not in text and f"{n} {verb}" not in text, (n, verb)
        assert f"### {n}\n" not in text and f"#### {n}" not in text, n


def test_attribution_by_delegation_names_majority_stances_only(
    rendered: dict[str, Rendered],
) -> None:
    r = rendered["korea-2024"]
    info = r.folder.meeting.meeting.model_copy(update={"attribution": "delegation"})
    meeting = r.folder.meeting.model_copy(update={"meeting": info})
    inputs = dataclasses.replace(r.inputs, folder=dataclasses.replace(r.folder, meeting=meeting))
    (made,) = build_documents(inputs, "meeting")
    assert made.document is not None
    text = body(render_markdown(made.document))
    assert not COUNT.findall(text)
    names = [d.name for d in meeting.delegations if len(meeting.members(d.id)) >= 3]
    assert names and any(f"{n}: agreed" in text for n in names)


def test_unknown_attribution_is_a_located_error(tmp_path: Path) -> None:
    folder = tmp_path / "meeting"
    shutil.copytree(ROOT / "tests" / "fixtures" / "harbour-2025", folder)
    path = folder / "meeting.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n  timezone:", "\n  attribution: everyone\n  timezone:", 1))
    with pytest.raises(InputError) as caught:
        load_meeting(folder)
    (d,) = [d for d in caught.value.diagnostics if "attribution" in str(d)]
    assert str(d).startswith("meeting.yaml:") and "'room' or 'delegation'" in str(d)
