"""Feed lines for the programme, the presentations activity and the live app's own acts."""

from __future__ import annotations

from detente.store.log import Record
from detente.web.views import Message, describes

Line = tuple[Message, tuple[str, ...]] | None


@describes("meeting_opened")
def _opened(r: Record) -> Line:
    return ("The meeting is open: %(title)s", {"title": r.payload["title"]}), ()


@describes("meeting_closed")
def _closed(r: Record) -> Line:
    return ("The meeting is closed.", {}), ()


@describes("item_started")
def _started(r: Record) -> Line:
    return ("Started: %(title)s", {"title": r.payload["title"]}), ()


@describes("item_ended")
def _ended(_r: Record) -> Line:
    return None


@describes("activity_unavailable")
def _unavailable(r: Record) -> Line:
    return ("This session has no activity in the app yet.", {}), (str(r.payload["reason"]),)


@describes("presentation_delivered")
def _presentation(r: Record) -> Line:
    body = tuple(f"{p['topic']}: {p['statement']} ({p['source']})" for p in r.payload["points"])
    return ("Presentation by %(delegation)s", {"delegation": r.payload["delegation"]}), body


@describes("clarification_exchanged")
def _clarification(r: Record) -> Line:
    p = r.payload
    return (
        (
            "%(asker)s asked %(asked)s about %(topic)s",
            {"asker": p["asked_by"], "asked": p["asked_of"], "topic": p["topic"]},
        ),
        (str(p["question"]), f"— {p['answer']} ({p['source']})"),
    )


@describes("facilitator_note")
def _facilitator_note(r: Record) -> Line:
    return ("Note", {}), (str(r.payload["text"]),)


@describes("announcement")
def _announcement(r: Record) -> Line:
    return ("Announcement", {}), (str(r.payload["text"]),)


@describes("seat_assigned")
def _assigned(r: Record) -> Line:
    if r.payload["holder"] == "simulated":
        return (
            "The %(delegation)s seat is now simulated.",
            {"delegation": r.payload["delegation"]},
        ), ()
    if r.payload["holder"] == "model":
        return (
            "The %(delegation)s seat is now held by a language model.",
            {"delegation": r.payload["delegation"]},
        ), ()
    return (
        "The %(delegation)s seat is held by its members.",
        {"delegation": r.payload["delegation"]},
    ), ()


@describes("seat_requested")
def _requested(_r: Record) -> Line:
    return None


@describes("answer_submitted")
def _submitted(r: Record) -> Line:
    return ("%(delegation)s answered a request.", {"delegation": r.payload["delegation"]}), ()


@describes("answer_simulated")
def _simulated(r: Record) -> Line:
    if r.actor.startswith("model:"):
        return (
            "A language model answered a request for %(delegation)s.",
            {"delegation": r.payload["delegation"]},
        ), ()
    return (
        "The simulated %(delegation)s seat answered a request.",
        {"delegation": r.payload["delegation"]},
    ), ()


@describes("answer_missed")
def _missed(r: Record) -> Line:
    return ("%(delegation)s did not answer a request.", {"delegation": r.payload["delegation"]}), (
        str(r.payload["reason"]),
    )


@describes("answer_drafted")
def _drafted(_r: Record) -> Line:
    return None


@describes("request_closed")
def _closed_request(_r: Record) -> Line:
    return None


@describes("decision_requested")
def _decision_requested(_r: Record) -> Line:
    return None


@describes("decision_taken")
def _decision_taken(_r: Record) -> Line:
    return None


@describes("decision_automatic")
def _decision_automatic(_r: Record) -> Line:
    return None


@describes("note_written")
def _note(_r: Record) -> Line:
    return None


@describes("participant_joined")
def _joined(r: Record) -> Line:
    return ("%(person)s joined.", {"person": r.payload["person"]}), ()


@describes("code_revoked")
def _revoked(r: Record) -> Line:
    return ("The join code of %(person)s was revoked.", {"person": r.payload["person"]}), ()


@describes("live_resumed")
def _resumed(r: Record) -> Line:
    return ("The app restarted and resumed after %(n)s events.", {"n": r.payload["replayed"]}), ()
