"""Who may read a record: the one confidentiality rule of détente.

Every record's envelope carries a visibility: `all` (everyone in the meeting), `delegation:<id>`
(that delegation and the facilitation team) or `facilitator` (the facilitation team only). The
live app (:mod:`detente.web.views`) and the documents (:mod:`detente.document.context`) both decide
through :func:`may_read`, so a screen and a document for the same reader show the same records.

Readers:

- the **facilitator** reads everything;
- a **delegation** reads `all` and its own `delegation:<id>`;
- everyone else (observers, the projector, a circulated document) reads `all` only.

**Releases.** After the exercise a delegation may release its own private records, and the
facilitator any record, to everyone; each release is itself a record of kind
:data:`RELEASE_KIND` (visibility `all`, payload ``{"seqs": [...]}``). :func:`released` folds them
into the set of released sequence numbers; a release by a delegation of a record that is not its
own is ignored, so nobody can publish another delegation's confidences. A reader that honours
releases (the participants' after-action report) passes that set to :func:`may_read`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from detente.store.log import Record

ALL = "all"
FACILITATOR = "facilitator"
DELEGATION_PREFIX = "delegation:"
RELEASE_KIND = "record_released"


def delegation_only(delegation_id: str) -> str:
    """Visibility for one delegation's private material (and the facilitator)."""
    return f"{DELEGATION_PREFIX}{delegation_id}"


@dataclass(frozen=True)
class Reader:
    """Who reads: `facilitator`, a delegation (`delegation` set), or anyone else (neither)."""

    facilitator: bool = False
    delegation: str | None = None


FACILITATION = Reader(facilitator=True)
PUBLIC = Reader()


def may_read(
    visibility: str,
    reader: Reader,
    *,
    seq: int | None = None,
    released: frozenset[int] = frozenset(),
) -> bool:
    """Whether `reader` may read a record with this visibility (and sequence number `seq`, when
    `released` lists records released to everyone)."""
    if reader.facilitator or visibility == ALL:
        return True
    if reader.delegation is not None and visibility == delegation_only(reader.delegation):
        return True
    return seq is not None and seq in released


def visible_to(visibility: str, *, delegation: str | None, facilitator: bool = False) -> bool:
    """:func:`may_read` with keyword arguments (kept for existing callers)."""
    return may_read(visibility, Reader(facilitator=facilitator, delegation=delegation))


def released(records: Iterable[Record]) -> frozenset[int]:
    """The sequence numbers released to everyone by `record_released` records.

    Only a release visible to all counts. The payload's `by` names who released: `facilitator`
    may release any record, a delegation id only records of that delegation's own visibility.
    Only records earlier in the log than the release can be released.
    """
    by_seq: dict[int, str] = {}
    out: set[int] = set()
    for record in records:
        by_seq[record.seq] = record.visibility
        if record.kind != RELEASE_KIND or record.visibility != ALL:
            continue
        releaser = str(record.payload.get("by", ""))
        for seq in record.payload.get("seqs", []):
            if not isinstance(seq, int) or seq not in by_seq:
                continue
            if releaser == FACILITATOR or by_seq[seq] == delegation_only(releaser):
                out.add(seq)
    return frozenset(out)
