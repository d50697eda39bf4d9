"""The store decodes every kind through the plugins' vocabularies, knowing no domain itself."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from detente import registry
from detente.store.events import UnknownEventError, decode, defined_in, event_class, known
from detente.store.log import Record

WHEN = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

_FRESH = """
import datetime as dt, json, sys
from detente.store.events import decode
from detente.store.log import Record
before = sorted(m for m in sys.modules if m.startswith("detente."))
record = Record("m", 1, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "USA", "ttx_decision",
                "delegation:USA", {"item_id": "s3", "move": 1, "delegation": "USA",
                "actor": "usa", "actions": ["talk"]}, 1)
event = decode(record)
print(json.dumps({"class": f"{type(event).__module__}.{type(event).__qualname__}",
                  "actions": list(event.actions), "before": before,
                  "after": sorted(m for m in sys.modules if m.startswith("detente."))}))
"""


def test_a_record_decodes_without_its_domain_imported_first() -> None:
    """In a fresh interpreter that imported only the store, a ttx record decodes to the ttx
    vocabulary's class, found through the plugins' hook; the domain's other modules (engine,
    activity …) stay unimported."""
    out = subprocess.run(
        [sys.executable, "-c", _FRESH], capture_output=True, text=True, check=True
    ).stdout
    found = json.loads(out)
    assert found["class"] == "detente.ttx.events.TtxDecisionMade"
    assert found["actions"] == ["talk"]
    assert not any(m.startswith("detente.ttx") for m in found["before"])
    domains = ("ttx", "deliberation", "roadmap", "paper", "seats", "meeting")
    loaded = {m for m in found["after"] if m.split(".")[1] in domains}
    allowed = {f"detente.{d}{suffix}" for d in domains for suffix in ("", ".events", ".plugin")}
    assert loaded <= allowed, sorted(loaded - allowed)
    assert "detente.ttx.events" in loaded


def test_every_kind_a_plugin_claims_is_known_and_decodes_to_its_class() -> None:
    for kind, (_, cls) in registry.event_types().items():
        assert event_class(kind) is cls
        assert known(kind)


def test_a_kind_no_plugin_defines_is_reported_not_guessed() -> None:
    record = Record("m", 4, WHEN, "system", "no_such_kind", "all", {}, 1)
    assert event_class("no_such_kind") is None
    assert not known("no_such_kind")
    with pytest.raises(UnknownEventError, match="#4: unknown kind 'no_such_kind'"):
        decode(record)


def test_a_vocabulary_is_the_events_its_module_defines_in_order_not_those_it_imports() -> None:
    import types

    vocabulary = types.ModuleType("toy_vocabulary")
    exec(  # a module written as a domain writes its events module
        "from detente.meeting.events import FacilitatorNote\n"
        "from detente.store.events import Event\n"
        "class ToyB(Event):\n    kind = 'toy_defined_b'\n"
        "class ToyA(Event):\n    kind = 'toy_defined_a'\n"
        "NOT_AN_EVENT = 3\n",
        vocabulary.__dict__,
    )
    try:
        assert [c.kind for c in defined_in(vocabulary)] == ["toy_defined_b", "toy_defined_a"]
    finally:
        from detente.store.events import Event

        for kind in ("toy_defined_b", "toy_defined_a"):
            Event.registry.pop(kind, None)
