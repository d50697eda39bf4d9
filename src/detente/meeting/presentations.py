"""The presentations and opening activities: interventions in programme order.

`opening` holds opening remarks: it records, visible to all, who opens the meeting in the order
the item's parts give (the parts' titles and delegations), and nothing else — no content is put
in anyone's mouth, and no commitment is recorded (commitments belong to the concluding
`remarks`). An item without parts records that the meeting was opened.

`presentations`: country interventions in programme order, then questions.

Each part of the item that names a delegation is a presentation slot; the delegation's seat
delivers its intervention at the slot's time. In the following "questions" part (any part after
the last slot that names no delegation), each delegation asks the next one in speaking order a
question about its intervention, and the asked delegation's seat answers.
"""

from __future__ import annotations

from detente.meeting.context import ActivityContext, local_time
from detente.meeting.events import (
    ClarificationExchanged,
    FacilitatorNote,
    PresentationDelivered,
    PresentationPoint,
)
from detente.meeting.loader import MeetingFolder
from detente.meeting.model import Item
from detente.meeting.state import HeldItem
from detente.seats.base import (
    AnswerRequest,
    PresentationRequest,
    QuestionRequest,
    SeatCannotAnswer,
)

DEFAULT_MINUTES = 10


def _opening_section(folder: MeetingFolder, held: HeldItem) -> list[str]:
    """The opening's order of speakers, for `summary.md`."""
    if held.activity != "opening":
        return []
    notes = [
        e.text for r, e in held.outputs if isinstance(e, FacilitatorNote) and r.visibility == "all"
    ]
    return [*(f"- {text}" for text in notes), ""] if notes else []


def opening(ctx: ActivityContext, item: Item) -> None:
    """Record the opening remarks' order of speakers; see the module docstring."""
    assert item.id is not None
    day = next(d for d, it in ctx.folder.meeting.items() if it.id == item.id)
    if not item.parts:
        ctx.emit(
            FacilitatorNote(item_id=item.id, text=f"{item.title}: the meeting is opened."),
            actor="facilitator",
            visibility="all",
        )
        return
    for part in sorted(item.parts, key=lambda p: p.start):
        who = ""
        if part.delegation is not None:
            try:
                who = f" ({ctx.folder.meeting.delegation(part.delegation).name})"
            except KeyError:
                who = f" ({part.delegation})"
        ctx.emit(
            FacilitatorNote(item_id=item.id, text=f"Opening remarks: {part.title}{who}."),
            actor="facilitator",
            visibility="all",
            at=max(ctx.now, local_time(ctx.folder, day, part.start)),
        )


def presentations(ctx: ActivityContext, item: Item) -> None:
    """Run a presentations item; see the module docstring."""
    assert item.id is not None
    day = next(d for d, it in ctx.folder.meeting.items() if it.id == item.id)
    slots = item.presentation_order
    if not slots:
        ctx.emit(
            FacilitatorNote(item_id=item.id, text="No presentation order is given for this item."),
            actor="system",
            visibility="facilitator",
        )
        return
    delivered: dict[str, tuple[PresentationPoint, ...]] = {}
    for slot in slots:
        assert slot.delegation is not None
        seat = ctx.seats.get(slot.delegation)
        minutes = slot.minutes or DEFAULT_MINUTES
        at = local_time(ctx.folder, day, slot.start)
        if seat is None:
            ctx.emit(
                FacilitatorNote(item_id=item.id, text=f"No seat for {slot.delegation}."),
                actor="system",
                visibility="facilitator",
                at=at,
            )
            continue
        try:
            given = seat.answer(PresentationRequest(item.id, slot.title, minutes))
        except SeatCannotAnswer as exc:
            ctx.emit(
                FacilitatorNote(item_id=item.id, text=f"{slot.delegation}: {exc}"),
                actor="system",
                visibility="facilitator",
                at=at,
            )
            continue
        delivered[slot.delegation] = given.points
        ctx.emit(
            PresentationDelivered(
                item_id=item.id,
                delegation=slot.delegation,
                title=slot.title,
                minutes=minutes,
                points=list(given.points),
            ),
            actor=slot.delegation,
            at=at,
        )
    _questions(ctx, item, day_slots=[s.delegation for s in slots if s.delegation], given=delivered)


def _questions(
    ctx: ActivityContext,
    item: Item,
    *,
    day_slots: list[str],
    given: dict[str, tuple[PresentationPoint, ...]],
) -> None:
    assert item.id is not None
    last_slot = max(p.start for p in item.parts if p.delegation)
    later = [p for p in item.parts if p.delegation is None and p.start > last_slot]
    if not later:
        return
    day = next(d for d, it in ctx.folder.meeting.items() if it.id == item.id)
    ctx.now = local_time(ctx.folder, day, later[0].start)
    order = [d for d in day_slots if d in given]
    if len(order) < 2:
        return
    for i, asker in enumerate(order):
        asked = order[(i + 1) % len(order)]
        try:
            question = ctx.seats[asker].answer(QuestionRequest(item.id, asked, given[asked]))
            answer = ctx.seats[asked].answer(AnswerRequest(item.id, asker, question))
        except SeatCannotAnswer as exc:
            ctx.emit(
                FacilitatorNote(item_id=item.id, text=f"{asker} → {asked}: {exc}"),
                actor="system",
                visibility="facilitator",
            )
            continue
        ctx.emit(
            ClarificationExchanged(
                item_id=item.id,
                asked_by=asker,
                asked_of=asked,
                topic=question.topic,
                question=question.text,
                answer=answer.text,
                source=answer.source,
            ),
            actor=asker,
        )
        ctx.advance(5)
