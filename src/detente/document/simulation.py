"""Which documents come from a simulated run, and how they say so.

A record whose `meeting_opened` event has mode `simulation`, or any seat answered by a machine
(:data:`MACHINE_SEATS`), is a simulation: every document made from it carries
:func:`notice` at the top and :func:`footer_mark` in the footer of every page, so a page
photocopied on its own still says it — both in the document's language (the ``reports``
catalogs, :mod:`detente.document.prose`).
"""

from __future__ import annotations

from detente.document.context import ReportContext
from detente.document.localize import local
from detente.document.prose import Prose
from detente.meeting.events import MeetingOpened

MACHINE_SEATS = frozenset({"simulated", "model", "llm", "replay"})
"""Seat kinds whose decisions do not come from the people in the room."""

FOOTER_MARK = "SIMULATION — not the participants' views"
"""The footer mark in English (the msgid; other languages from the `reports` catalogs)."""


def simulated_delegations(ctx: ReportContext) -> list[str] | None:
    """The delegations answered by machine seats (names), or None for a record of people.
    Reads the full record: whether a run was simulated is known to every audience."""
    opened = next(
        (e for r, e in ctx.decoded if isinstance(e, MeetingOpened)),
        None,
    )
    if opened is None:
        return None
    machine = [d for d, kind in opened.seats.items() if kind in MACHINE_SEATS]
    if opened.mode != "simulation" and not machine:
        return None
    names = {d.id: d.name for d in ctx.folder.meeting.delegations}
    return [local(ctx, names[d]) if d in names else d for d in (machine or opened.seats)]


def notice(ctx: ReportContext) -> str:
    """The disclosure printed at the top of a document made from a simulated run ('' if not),
    in the document's language."""
    names = simulated_delegations(ctx)
    if names is None:
        return ""
    p = Prose(ctx.language)
    opened = next(e for _, e in ctx.decoded if isinstance(e, MeetingOpened))
    text = p._n(
        "Simulated record: the decisions, votes and ratings of the seat of %(names)s were "
        "produced by software from public sources.",
        "Simulated record: the decisions, votes and ratings of the seats of %(names)s were "
        "produced by software from public sources.",
        len(names),
        names=p.join(names),
    )
    if opened.seed is not None:
        text += " " + p._("Seed of the simulation: %(seed)s.", seed=opened.seed)
    text += " " + p._(
        "They are not statements or views of the participants named in this document."
    )
    return p.sentence(text)


def footer_mark(ctx: ReportContext) -> str:
    """The mark in the footer of every page of a simulated document, in its language."""
    if simulated_delegations(ctx) is None:
        return ""
    return Prose(ctx.language)._("SIMULATION — not the participants' views")
