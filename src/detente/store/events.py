"""The log's event machinery, which knows no domain: the :class:`Event` base, its registry of
kinds, payload versions with their upcasters, and :func:`decode`.

An event is what happened; the envelope (:class:`~detente.store.log.Record`) says who did it, when,
and who may see it (:mod:`detente.store.visibility`). The store keeps `(kind, version, payload)`;
the classes are each domain's vocabulary, defined in its own ``events`` module
(:mod:`detente.meeting.events` for the kernel's, :mod:`detente.ttx.events` …) and returned by its
plugin's :func:`~detente.hooks.detente_events`. A class registers its `kind` when it is defined;
to read a kind no imported module defined, :func:`event_class` asks the plugins' vocabularies
(importing each domain's ``events`` module, nothing more), so a record is decodable without the
caller importing the domain first. A stored kind no plugin defines is reported, not guessed.

Each kind has a payload `version` (1 unless a class says otherwise), stored with every record. When
a kind's payload changes, its class raises `version` and registers an upcaster from the previous
version with :func:`upcaster` (in the module defining the class); :func:`decode` brings any older
record up to date through the chain, so a meeting recorded by an earlier release always loads,
replays and reports.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from types import ModuleType
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from detente.store.log import Record, read_through

SYSTEM = "system"


class Event(BaseModel):
    """Base of all events. Subclasses set `kind` and are registered automatically."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: ClassVar[str] = ""
    version: ClassVar[int] = 1
    registry: ClassVar[dict[str, type[Event]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.kind:
            raise TypeError(f"{cls.__name__} must set a 'kind'")
        if cls.kind in Event.registry:
            raise TypeError(f"event kind {cls.kind!r} is defined twice")
        Event.registry[cls.kind] = cls

    def payload(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def defined_in(module: ModuleType) -> tuple[type[Event], ...]:
    """The event classes `module` defines (not those it imports), in the order it defines them:
    what a domain's :func:`~detente.hooks.detente_events` returns for its vocabulary module, so
    a new event is registered by being written, never by also being listed."""
    return tuple(
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, Event)
        and value.__module__ == module.__name__
    )


class UnknownEventError(ValueError):
    """A stored record whose kind (or kind version) this version of détente does not define."""


_asked: tuple[str, ...] = ()
"""The plugins whose vocabularies :func:`event_class` has loaded (all of them, once a kind was
missing; asked again only when a plugin was registered since)."""


def event_class(kind: str) -> type[Event] | None:
    """The class recording `kind`, or None when no plugin defines it.

    A class imported anywhere is registered already; for any other kind the plugins'
    :func:`~detente.hooks.detente_events` are asked (once, importing each domain's vocabulary
    module), so a reader needs to import no domain to decode its records. A kind two plugins
    claim is a :class:`detente.registry.DuplicateError` naming both.
    """
    global _asked
    cls = Event.registry.get(kind)
    if cls is None:
        from detente import plugins, registry  # the plugins sit above the store: asked lazily

        names = tuple(plugins.plugin_names())
        if names != _asked:
            registry.event_types()
            _asked = names
            cls = Event.registry.get(kind)
    return cls


def known(kind: str) -> bool:
    """Whether some plugin defines `kind` (see :func:`event_class`)."""
    return event_class(kind) is not None


Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
_upcasters: dict[tuple[str, int], Upcaster] = {}


def upcaster(kind: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register the function that turns a `kind` payload of `from_version` into the next version.

    It receives a copy of the stored payload and returns the new one; it must be pure, so that
    replaying an old record twice gives the same events.
    """

    def register(fn: Upcaster) -> Upcaster:
        if (kind, from_version) in _upcasters:
            raise ValueError(f"{kind} v{from_version} already has an upcaster")
        _upcasters[(kind, from_version)] = fn
        return fn

    return register


def current_payload(record: Record) -> dict[str, Any]:
    """The record's payload brought up to its kind's current version (unchanged when current)."""
    cls = event_class(record.kind)
    if cls is None:
        raise UnknownEventError(f"event #{record.seq}: unknown kind {record.kind!r}")
    if record.version > cls.version:
        raise UnknownEventError(
            f"event #{record.seq}: {record.kind} v{record.version} was written by a newer détente "
            f"(this one reads up to v{cls.version})"
        )
    payload = record.payload
    for version in range(record.version, cls.version):
        step = _upcasters.get((record.kind, version))
        if step is None:
            raise UnknownEventError(
                f"event #{record.seq}: no upcaster for {record.kind} v{version}"
            )
        payload = step(dict(payload))
    return payload


@read_through
def _upcast(record: Record) -> Record:
    cls = event_class(record.kind)
    if cls is None or record.version >= cls.version:
        return record
    return dataclasses.replace(record, payload=current_payload(record), version=cls.version)


def decode(record: Record) -> Event:
    """The typed event stored in a record, upcast to its kind's current version."""
    payload = current_payload(record)  # raises UnknownEventError for a kind no plugin defines
    return Event.registry[record.kind].model_validate(payload)
