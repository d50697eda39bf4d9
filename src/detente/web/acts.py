"""A person's acts, checked against the log and appended under its lock.

Each function validates the act against the current log (the request is still open, belongs to
the person's delegation, the form parses …) while holding the log's lock, then appends the act.
It returns only after the append has committed, so the HTTP handler that called it acknowledges
a durable act. A refused act raises :class:`ActRefused` with an HTTP status and a catalog message.
"""

from __future__ import annotations

from typing import Any

from detente.meeting.events import (
    Announcement,
    AnswerDrafted,
    AnswerSubmitted,
    CodeRevoked,
    DecisionTaken,
    NoteWritten,
    ParticipantJoined,
    RequestClosed,
    SeatAssigned,
)
from detente.store.log import Record
from detente.store.visibility import ALL, FACILITATOR, delegation_only
from detente.web import forms
from detente.web.codec import encode_answer
from detente.web.live import LiveController

RESOLUTIONS = ("answer_submitted", "answer_simulated", "answer_missed")
MAX_NOTE = 4000
MAX_FIELDS = 64
"""A draft keeps at most this many fields (a decision form has a few dozen at most)."""


class ActRefused(Exception):
    """The act cannot be taken. `status` is the HTTP status, `msgid` a catalog message."""

    def __init__(self, status: int, msgid: str, **params: Any) -> None:
        super().__init__(msgid % params if params else msgid)
        self.status = status
        self.msgid = msgid
        self.params = params


def _open_request(
    controller: LiveController, key: str, delegation: str
) -> tuple[str, dict[str, Any]]:
    entries = controller.log.by_key.get(key, [])
    asked = next((e for e in entries if e.record.kind == "seat_requested"), None)
    if asked is None or asked.record.payload["delegation"] != delegation:
        raise ActRefused(404, "No such request for your delegation.")
    missed = next((e for e in entries if e.record.kind == "answer_missed"), None)
    if missed is not None and missed.record.payload.get("reason") == "the deadline passed":
        raise ActRefused(409, "The deadline for this request has passed.")
    if any(e.record.kind in RESOLUTIONS for e in entries):
        raise ActRefused(409, "This request has already been answered or closed.")
    if any(e.record.kind == "request_closed" for e in entries):
        raise ActRefused(409, "This request has already been answered or closed.")
    return str(asked.record.payload["request_type"]), dict(asked.record.payload["request"])


def _before_deadline(controller: LiveController, key: str) -> None:
    deadline = controller.deadline_for(key)
    if deadline is not None and controller.now() >= deadline:
        raise ActRefused(409, "The deadline for this request has passed.")


def _parse(form: forms.Form[Any], request: Any, fields: dict[str, str], controller: Any) -> Any:
    try:
        answer = form.parse(request, fields)
        if form.check is not None:
            form.check(request, answer, controller)
    except forms.FormError as exc:
        raise ActRefused(422, exc.msgid, **exc.params) from exc
    return answer


def submit_answer(
    controller: LiveController, person: str, delegation: str, key: str, fields: dict[str, str]
) -> Record:
    """A delegation member answers request `key` (any member may; the first answer counts;
    not after its deadline; a member ballot is answered by :func:`mark_ballot` instead)."""
    with controller.log.lock:
        name, data = _open_request(controller, key, delegation)
        form = forms.seat_form_named(name)
        request = forms.rebuild_request(name, data)
        if form is None or request is None:
            raise ActRefused(400, "This request cannot be answered in the app.")
        if form.member_ballot:
            raise ActRefused(409, "Each member answers this for themselves.")
        _before_deadline(controller, key)
        answer = _parse(form, request, fields, controller)
        return controller.append_act(
            AnswerSubmitted(
                key=key,
                delegation=delegation,
                person=person,
                answer=encode_answer(type(request), answer),
            ),
            actor=delegation,
            visibility=delegation_only(delegation),
        )


def save_draft(
    controller: LiveController, person: str, delegation: str, key: str, fields: dict[str, str]
) -> Record:
    """Keep a draft of the delegation's answer (every draft stays in the log)."""
    with controller.log.lock:
        name, _data = _open_request(controller, key, delegation)
        form = forms.seat_form_named(name)
        if form is not None and form.member_ballot:
            raise ActRefused(409, "Each member answers this for themselves.")
        kept = {k: v for k, v in fields.items() if k != "csrf"}
        if len(kept) > MAX_FIELDS:
            raise ActRefused(413, "This form has too many fields.")
        if any(len(v) > MAX_NOTE for v in kept.values()):
            raise ActRefused(422, "A field is longer than %(limit)s characters.", limit=MAX_NOTE)
        return controller.append_act(
            AnswerDrafted(key=key, delegation=delegation, person=person, fields=kept),
            actor=delegation,
            visibility=delegation_only(delegation),
        )


def take_decision(controller: LiveController, key: str, fields: dict[str, str]) -> Record:
    """The facilitator decides `key`."""
    with controller.log.lock:
        entries = controller.log.by_key.get(key, [])
        asked = next((e for e in entries if e.record.kind == "decision_requested"), None)
        if asked is None:
            raise ActRefused(404, "No such decision.")
        name = str(asked.record.payload["request_type"])
        form = forms.decision_form_named(name)
        if any(e.record.kind in ("decision_taken", "decision_automatic") for e in entries):
            if form is not None and form.too_late is not None:
                try:
                    form.too_late(fields)
                except forms.FormError as exc:
                    raise ActRefused(409, exc.msgid, **exc.params) from exc
            raise ActRefused(409, "This decision has already been taken.")
        request = forms.rebuild_request(name, dict(asked.record.payload["request"]))
        if form is None or request is None:
            raise ActRefused(400, "This decision cannot be taken in the app.")
        answer = _parse(form, request, fields, controller)
        return controller.append_act(
            DecisionTaken(key=key, answer=encode_answer(type(request), answer)),
            actor=FACILITATOR,
            visibility=FACILITATOR,
        )


def seat_position(controller: LiveController, person: str, delegation: str) -> str | None:
    """The seat position (`<delegation>-k`) of a delegate: k is their place among the
    delegation's delegates in meeting.yaml — the positions votes and ratings are recorded under."""
    members = controller.folder.meeting.members(delegation)
    for k, member in enumerate(members, start=1):
        if member.id == person:
            return f"{delegation}-{k}"
    return None


def mark_ballot(
    controller: LiveController, person: str, delegation: str, key: str, fields: dict[str, str]
) -> Record:
    """A member marks their own votes or ratings on member ballot `key` (a draft visible to the
    delegation; a later mark replaces an earlier one for the same statement or measure, and
    every mark stays in the log)."""
    with controller.log.lock:
        name, data = _open_request(controller, key, delegation)
        form = forms.seat_form_named(name)
        request = forms.rebuild_request(name, data)
        if form is None or request is None or not form.member_ballot:
            raise ActRefused(400, "This request cannot be answered in the app.")
        position = seat_position(controller, person, delegation)
        if position is None or position not in getattr(request, "members", ()):
            raise ActRefused(403, "You have no seat in this ballot.")
        _before_deadline(controller, key)
        marks = _parse(form, request, fields, controller)
        return controller.append_act(
            AnswerDrafted(
                key=key,
                delegation=delegation,
                person=person,
                fields={"member": position, **marks},
            ),
            actor=delegation,
            visibility=delegation_only(delegation),
        )


def ballot_marks(controller: LiveController, key: str) -> dict[str, dict[str, str]]:
    """Each member's latest marks on member ballot `key`: seat position → item → value."""
    marks: dict[str, dict[str, str]] = {}
    for entry in controller.log.by_key.get(key, []):
        if entry.record.kind == "answer_drafted":
            fields = dict(entry.record.payload["fields"])
            member = fields.pop("member", None)
            if isinstance(member, str):
                marks.setdefault(member, {}).update(fields)
    return marks


def close_ballots(controller: LiveController, person: str, item_id: str) -> list[Record]:
    """The facilitator closes voting (or rating) on `item_id`: every delegation's open member
    ballot for the item is answered with its members' latest marks (an `answer_submitted` act
    per delegation, by the facilitator). Seats held by simulated seats answer for themselves."""
    done: list[Record] = []
    with controller.log.lock:
        for entries in list(controller.log.by_key.values()):
            asked = entries[0].record
            if asked.kind != "seat_requested" or asked.payload["request"].get("item_id") != item_id:
                continue
            if any(e.record.kind in (*RESOLUTIONS, "request_closed") for e in entries):
                continue
            name = str(asked.payload["request_type"])
            form = forms.seat_form_named(name)
            request = forms.rebuild_request(name, dict(asked.payload["request"]))
            if form is None or form.assemble is None or request is None:
                continue
            key = str(asked.payload["key"])
            answer = form.assemble(request, ballot_marks(controller, key))
            delegation = str(asked.payload["delegation"])
            done.append(
                controller.append_act(
                    AnswerSubmitted(
                        key=key,
                        delegation=delegation,
                        person=person,
                        answer=encode_answer(type(request), answer),
                    ),
                    actor=FACILITATOR,
                    visibility=delegation_only(delegation),
                )
            )
    if not done:
        raise ActRefused(409, "Nothing is open for voting or rating on this item.")
    return done


def close_request(controller: LiveController, key: str) -> Record:
    """The facilitator closes an open seat request without an answer."""
    with controller.log.lock:
        entries = controller.log.by_key.get(key, [])
        asked = next((e for e in entries if e.record.kind == "seat_requested"), None)
        if asked is None:
            raise ActRefused(404, "No such request.")
        _open_request(controller, key, str(asked.record.payload["delegation"]))
        return controller.append_act(
            RequestClosed(key=key), actor=FACILITATOR, visibility=FACILITATOR
        )


def assign_seat(controller: LiveController, delegation: str, holder: str) -> Record:
    if delegation not in controller.seats:
        raise ActRefused(404, "No such delegation.")
    if holder not in ("people", "simulated", "model"):
        raise ActRefused(422, "A seat is held by its members, simulated or by a language model.")
    if holder == "simulated" and not controller.seats[delegation].can_simulate:
        raise ActRefused(409, "This delegation has no profile to simulate it.")
    if holder == "model" and controller.seats[delegation].model_option:
        raise ActRefused(
            409,
            "This seat cannot be handed to a language model: %(reason)s",
            reason=controller.seats[delegation].model_option,
        )
    record = controller.append_act(
        SeatAssigned(delegation=delegation, holder=holder),
        actor=FACILITATOR,
        visibility=ALL,
    )
    controller.start_model(delegation)  # on the seat's requests already asked, if a model's
    return record


def write_note(
    controller: LiveController, author: str, visibility: str, text: str, item_id: str | None
) -> Record:
    text = text.strip()
    if not text:
        raise ActRefused(422, "Please fill in every required field.")
    if len(text) > MAX_NOTE:
        raise ActRefused(422, "A field is longer than %(limit)s characters.", limit=MAX_NOTE)
    return controller.append_act(
        NoteWritten(author=author, item_id=item_id, text=text),
        actor=author,
        visibility=visibility,
    )


def announce(controller: LiveController, text: str) -> Record:
    text = text.strip()
    if not text or len(text) > MAX_NOTE:
        raise ActRefused(422, "Please fill in every required field.")
    return controller.append_act(Announcement(text=text), actor=FACILITATOR, visibility=ALL)


def revoke(controller: LiveController, person: str, known: set[str]) -> Record:
    if person not in known:
        raise ActRefused(404, "No such person.")
    return controller.append_act(
        CodeRevoked(person=person), actor=FACILITATOR, visibility=FACILITATOR
    )


def joined(controller: LiveController, person: str, role: str) -> Record:
    return controller.append_act(
        ParticipantJoined(person=person, role=role), actor=person, visibility=FACILITATOR
    )
