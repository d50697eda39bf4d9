"""Which documents come from a simulated run, and how they say so.

A record whose `meeting_opened` event has mode `simulation`, or any seat answered by a machine
(:data:`MACHINE_SEATS`), is a simulation: every document made from it carries
:func:`notice` at the top and :func:`footer_mark` in the footer of every page, so a page
photocopied on its own still says it.
"""

from __future__ import annotations

from detente.report.attribution import sentence_list
from detente.report.context import ReportContext
from detente.store.events import MeetingOpened

MACHINE_SEATS = frozenset({"simulated", "model", "llm", "replay"})
"""Seat kinds whose decisions do not come from the people in the room."""

FOOTER_MARK = "SIMULATION — not the participants' views"


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
    return [ctx.delegation_name(d) for d in (machine or opened.seats)]


def notice(ctx: ReportContext) -> str:
    """The disclosure printed at the top of a document made from a simulated run ('' if not)."""
    names = simulated_delegations(ctx)
    if names is None:
        return ""
    opened = next(e for _, e in ctx.decoded if isinstance(e, MeetingOpened))
    seed = f" (seed {opened.seed})" if opened.seed is not None else ""
    who = "the seat" if len(names) == 1 else "the seats"
    return (
        f"Simulated record{seed}: the decisions, votes and ratings of {who} of "
        f"{sentence_list(names)} were produced by software from public sources. They are not "
        "statements or views of the participants named in this document."
    )


def footer_mark(ctx: ReportContext) -> str:
    return FOOTER_MARK if simulated_delegations(ctx) is not None else ""
