"""Blocks several documents share: the programme and the list of participants."""

from __future__ import annotations

from collections.abc import Sequence

from detente.document.context import ReportContext
from detente.document.localize import local
from detente.document.model import Block, Heading, Paragraph, Table
from detente.meeting.model import Item, Person, Role


def span(item: Item) -> str:
    if item.start is None:
        return ""
    return f"{item.start:%H:%M}" + (f"–{item.end:%H:%M}" if item.end else "")


def item_title(ctx: ReportContext, item: Item) -> str:
    if item.session is not None:
        title = local(ctx, item.title)
        return ctx.gettext("Session %(n)s: %(title)s", n=item.session, title=title)
    return local(ctx, item.title)


def programme_blocks(ctx: ReportContext, *, details: bool = True) -> list[Block]:
    """The programme as planned: one table per day (time, item with its timed parts)."""
    blocks: list[Block] = []
    for day in ctx.folder.meeting.programme:
        blocks.append(Heading(f"{local(ctx, day.title)} — {ctx.date(day.date)}"))
        rows = []
        for item in day.items:
            lines = [item_title(ctx, item)]
            if details:
                lines += [f"{p.start:%H:%M} {local(ctx, p.title)}" for p in item.parts]
                lines += [f"• {local(ctx, q.text)}" for q in item.questions]
                lines += [f"• {local(ctx, s.title)}" for s in item.steps]
                if item.note:
                    lines.append(local(ctx, item.note))
            rows.append((span(item), "\n".join(lines)))
        blocks.append(Table((ctx.gettext("Time"), ctx.gettext("Item")), tuple(rows), widths=(1, 5)))
    return blocks


def _row(ctx: ReportContext, person: Person) -> tuple[str, str, str]:
    """A participant's name (as written), position and affiliation (in the document's language)."""
    return (person.name, local(ctx, person.title), local(ctx, person.affiliation))


def participants_blocks(ctx: ReportContext, *, facilitators: bool = True) -> list[Block]:
    """Participants by delegation, then observers (and the facilitation team)."""
    meeting = ctx.folder.meeting
    columns = (ctx.gettext("Name"), ctx.gettext("Position"), ctx.gettext("Affiliation"))
    blocks: list[Block] = []
    if meeting.meeting.participants_as_of is not None:
        blocks.append(
            Paragraph(
                ctx.gettext(
                    "List of participants confirmed as of %(date)s.",
                    date=ctx.date(meeting.meeting.participants_as_of),
                )
            )
        )
    groups: list[tuple[str, Sequence[tuple[str, str, str]]]] = []
    for d in meeting.delegations:
        groups.append((local(ctx, d.name), [_row(ctx, p) for p in meeting.members(d.id)]))
    observers = [_row(ctx, p) for p in meeting.observers]
    if observers:
        groups.append((ctx.gettext("Observers"), observers))
    if facilitators:
        team = [_row(ctx, p) for p in meeting.people if p.role is Role.FACILITATOR]
        if team:
            groups.append((ctx.gettext("Facilitation"), team))
    for name, rows in groups:
        blocks.append(Heading(name))
        blocks.append(Table(columns, tuple(rows), widths=(2, 3, 4)))
    return blocks
