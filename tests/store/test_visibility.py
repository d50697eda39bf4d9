"""The one confidentiality rule, and that the web and the documents both decide through it."""

from __future__ import annotations

import datetime as dt
import itertools

from detente.document.context import Audience
from detente.store.log import Record
from detente.store.visibility import (
    ALL,
    FACILITATOR,
    RELEASE_KIND,
    Reader,
    delegation_only,
    may_read,
    released,
)
from detente.web.views import Viewer, visible

VISIBILITIES = (ALL, FACILITATOR, delegation_only("A"), delegation_only("B"))


def test_the_rule() -> None:
    assert all(may_read(v, Reader(facilitator=True)) for v in VISIBILITIES)
    assert [may_read(v, Reader(delegation="A")) for v in VISIBILITIES] == [
        True,
        False,
        True,
        False,
    ]
    assert [may_read(v, Reader()) for v in VISIBILITIES] == [True, False, False, False]
    assert may_read(FACILITATOR, Reader(), seq=3, released=frozenset({3}))
    assert not may_read(FACILITATOR, Reader(), seq=4, released=frozenset({3}))


def test_web_and_documents_agree_with_the_rule() -> None:
    pairs = [
        (Viewer("facilitator"), Audience("facilitator")),
        (Viewer("delegate", person="p", delegation="A"), Audience("delegation", "A")),
        (Viewer("observer"), Audience("observers")),
        (Viewer("projector"), Audience("public")),
    ]
    for (viewer, audience), v in itertools.product(pairs, VISIBILITIES):
        assert visible(v, viewer) == audience.sees(v) == may_read(v, audience.reader)


def _record(seq: int, visibility: str, kind: str = "x", **payload: object) -> Record:
    when = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    return Record("m", seq, when, "system", kind, visibility, dict(payload))


def test_releases_count_only_from_the_owner_or_the_facilitator() -> None:
    records = [
        _record(1, delegation_only("A")),
        _record(2, delegation_only("B")),
        _record(3, FACILITATOR),
        _record(4, ALL, RELEASE_KIND, seqs=[1, 2], by="A"),
        _record(5, ALL, RELEASE_KIND, seqs=[3], by=FACILITATOR),
        _record(6, delegation_only("B"), RELEASE_KIND, seqs=[2], by="B"),
        _record(7, ALL, RELEASE_KIND, seqs=[99], by=FACILITATOR),
    ]
    assert released(records) == frozenset({1, 3})
    participants = Audience("participants")
    assert participants.sees(FACILITATOR, 3, released(records))
    assert not Audience("public").sees(FACILITATOR, 3, released(records))
