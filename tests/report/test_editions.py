"""Every edition is built only from what its audience may read, proved record by record.

Each non-public record of a real run gets a unique marker planted in every prose string of its
payload; every edition is then built and rendered, and a marker may appear in an edition only
when that edition's audience may read the record (the shared rule,
:func:`detente.store.visibility.may_read`). Releases after the exercise are exercised the same
way: a released record's marker must reach the participants' after-action report and nothing
circulated beyond it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any

import pytest
from pydantic import ValidationError

from detente.document.sections import KINDS, requests
from detente.meeting.events import RecordReleased
from detente.report.markdown import render_markdown
from detente.report.render import ReportInputs, build_documents
from detente.store.events import decode
from detente.store.log import Record
from detente.store.visibility import ALL, FACILITATOR, Reader, may_read, released
from detente.ttx.events import TtxDecisionMade
from detente.ttx.scenario import Visibility
from tests.rendered import Rendered

MARK = re.compile(r"ZQX(\d+)QZ")


def _plant(value: Any, marker: str) -> Any:
    """`value` with `marker` appended to every string that reads as prose (has a space)."""
    if isinstance(value, str):
        return f"{value} {marker}" if " " in value.strip() else value
    if isinstance(value, list):
        return [_plant(v, marker) for v in value]
    if isinstance(value, dict):
        return {k: _plant(v, marker) for k, v in value.items()}
    return value


def _plant_valid(record: Record) -> Record:
    """`record` with its marker planted in every top-level field where the event still decodes
    (a prose-looking value of a closed set, e.g. a verdict "not met", keeps its value)."""
    marker = f"ZQX{record.seq}QZ"
    payload = dict(record.payload)
    for key, value in record.payload.items():
        trial = dataclasses.replace(record, payload={**payload, key: _plant(value, marker)})
        try:
            decode(trial)
        except ValidationError:
            continue
        payload = trial.payload
    return dataclasses.replace(record, payload=payload)


def _planted(records: Sequence[Record]) -> list[Record]:
    return [r if r.visibility == ALL else _plant_valid(r) for r in records]


def _editions(inputs: ReportInputs) -> dict[str, tuple[str, str]]:
    """slug → (audience kind, rendered Markdown) for every edition that can be made."""
    out: dict[str, tuple[str, str]] = {}
    for kind in KINDS:
        for made in build_documents(inputs, kind):
            if made.document is not None:
                audience = made.request.audience
                out[made.request.slug] = (
                    f"{audience.kind}:{audience.delegation or ''}",
                    render_markdown(made.document),
                )
    return out


def _reader(audience: str) -> Reader:
    kind, _, delegation = audience.partition(":")
    return Reader(facilitator=kind == "facilitator", delegation=delegation or None)


def _check(records: Sequence[Record], editions: dict[str, tuple[str, str]]) -> int:
    by_seq = {r.seq: r for r in records}
    free = released(records)
    checked = 0
    for slug, (audience, text) in editions.items():
        honours = audience.startswith("participants")
        for seq in {int(m) for m in MARK.findall(text)}:
            record = by_seq[seq]
            allowed = may_read(
                record.visibility,
                _reader(audience),
                seq=seq,
                released=free if honours else frozenset(),
            )
            assert allowed, f"{slug} ({audience}) shows record #{seq} ({record.visibility})"
            checked += 1
    return checked


@pytest.mark.parametrize("name", ["korea-2024", "harbour-2025", "ttx-small"])
def test_no_edition_shows_a_record_above_its_audience(
    rendered: dict[str, Rendered], name: str
) -> None:
    r = rendered[name]
    records = _planted(r.inputs.records)
    inputs = dataclasses.replace(r.inputs, records=records)
    editions = _editions(inputs)
    expected = {q.slug for k in KINDS for q in requests(r.folder, k)}
    assert set(editions) <= expected
    _check(records, editions)


def test_a_release_reaches_the_participants_aar_and_nothing_circulated(
    rendered: dict[str, Rendered],
) -> None:
    r = rendered["korea-2024"]
    records = _planted(r.inputs.records)
    # a delegation's private decision with a statement: the participants' edition shows a
    # released decision's steps and statement
    private = [
        x
        for x in records
        if x.kind == TtxDecisionMade.kind
        and x.visibility.startswith("delegation:")
        and " " in str(x.payload.get("statement", ""))
    ]
    assert private, "the Korea run records no private decision with a statement"
    target = private[0]
    before = _editions(dataclasses.replace(r.inputs, records=records))
    assert f"ZQX{target.seq}QZ" not in before["after-action-report"][1]
    delegation = target.visibility.split(":", 1)[1]
    other = next(d.id for d in r.folder.meeting.delegations if d.id != delegation)
    last = records[-1]

    def release(seq: int, by: str, offset: int) -> Record:
        return Record(
            last.meeting_id,
            last.seq + offset,
            last.time,
            by if by == FACILITATOR else f"delegation:{by}",
            RecordReleased.kind,
            ALL,
            RecordReleased(seqs=[seq], by=by).payload(),
        )

    # a release by another delegation does not count; the owner's does
    forged = [*records, release(target.seq, other, 1)]
    assert target.seq not in released(forged)
    with_release = [*forged, release(target.seq, delegation, 2)]
    assert target.seq in released(with_release)
    editions = _editions(dataclasses.replace(r.inputs, records=with_release))
    _check(with_release, editions)
    participants = editions["after-action-report"][1]
    assert f"ZQX{target.seq}QZ" in participants
    assert f"ZQX{target.seq}QZ" not in editions["meeting-report"][1]


def test_participants_aar_names_no_private_option(rendered: dict[str, Rendered]) -> None:
    for r in rendered.values():
        if r.inputs.scenario is None or "after-action-report" not in r.files:
            continue
        private = [
            a.label.en for a in r.inputs.scenario.actions if a.visibility is Visibility.PRIVATE
        ]
        for slug in ("after-action-report", "meeting-report"):
            text = r.file(slug, "md").read_text(encoding="utf-8")
            for label in private:
                assert label not in text, f"{r.name} {slug} names private option {label!r}"


EXPECTED_WORDS = re.compile(r"\b(expected|anticipated|not met|partly met)\b", re.IGNORECASE)


def expected_texts(r: Rendered) -> list[str]:
    """What the MSEL says the scenario expected, taken from the scenario files: each inject's
    expected action in prose, and the label of each expected action no delegation took in
    public (one taken in public is in the shared record, so the participants' edition may name
    it as what was done — never as what was expected)."""
    scenario = r.inputs.scenario
    assert scenario is not None
    labels = {a.id: a.label.en for a in scenario.actions}
    in_public = {
        str(action.get("action"))
        for record in r.inputs.records
        if record.kind == "ttx_narrative" and record.visibility == ALL
        for action in record.payload.get("actions", [])
    }
    texts = [row.expected_action for row in scenario.msel if row.expected_action]
    texts += [
        labels[a]
        for row in scenario.msel
        for a in row.expected_actions
        if a in labels and a not in in_public
    ]
    return sorted({" ".join(t.split()) for t in texts if len(t) >= 12})


def _flat_md(r: Rendered, slug: str) -> str:
    text = r.file(slug, "md").read_text(encoding="utf-8").replace("\\", "")
    return " ".join(text.split())


def test_participants_aar_names_no_expected_action(rendered: dict[str, Rendered]) -> None:
    """Expected actions are facilitator-only MSEL content: the participants' edition never
    names one the room did not see taken, never quotes the MSEL's expected action, and never
    grades a response against expectations; the facilitation team's edition does all three."""
    checked = 0
    for r in rendered.values():
        if r.inputs.scenario is None or "after-action-report" not in r.files:
            continue
        forbidden = expected_texts(r)

        facilitator = _flat_md(r, "after-action-report-facilitator")
        participants = _flat_md(r, "after-action-report")
        # the checks below can fail: the facilitator's edition holds these texts
        assert any(t in facilitator for t in forbidden), r.name
        assert EXPECTED_WORDS.search(facilitator), r.name
        leaks = [t for t in forbidden if t in participants]
        assert leaks == [], f"{r.name}: {leaks[:3]}"
        found = EXPECTED_WORDS.search(participants)
        assert found is None, f"{r.name}: …{participants[found.start() - 80 : found.end() + 40]}…"
        checked += 1
    assert checked >= 2
