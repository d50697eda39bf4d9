"""Forms for the runner's own decisions and for the presentations activity's requests."""

from __future__ import annotations

from detente.meeting.events import PresentationPoint
from detente.meeting.facilitator import EndItem, Go, StartItem
from detente.seats.base import (
    Answer,
    AnswerRequest,
    Presentation,
    PresentationRequest,
    Question,
    QuestionRequest,
)
from detente.web.forms import Fields, Form, FormError, decision_form_for, field, seat_form

MAX_POINTS = 6
"""Rows offered for a country intervention's points."""


def _go(_request: StartItem | EndItem, fields: Fields) -> Go:
    return Go(note=field(fields, "note", required=False, limit=1000))


decision_form_for(
    Form(StartItem, "go.html", _go, lambda r: ("Start: %(title)s", {"title": r.title}))
)
decision_form_for(Form(EndItem, "go.html", _go, lambda r: ("End: %(title)s", {"title": r.title})))


def _presentation(_request: PresentationRequest, fields: Fields) -> Presentation:
    points = []
    for i in range(MAX_POINTS):
        topic = field(fields, f"topic-{i}", required=False, limit=200)
        statement = field(fields, f"statement-{i}", required=False)
        source = field(fields, f"source-{i}", required=False, limit=500)
        if not (topic or statement or source):
            continue
        if not (topic and statement):
            raise FormError("Each point needs a topic and a statement.")
        points.append(PresentationPoint(topic=topic, statement=statement, source=source or "—"))
    if not points:
        raise FormError("Give at least one point.")
    return Presentation(tuple(points))


def _question(request: QuestionRequest, fields: Fields) -> Question:
    topic = field(fields, "topic", limit=200)
    if request.points and topic not in {p.topic for p in request.points}:
        raise FormError("Choose one of the topics presented.")
    return Question(topic=topic, text=field(fields, "text"))


def _answer(_request: AnswerRequest, fields: Fields) -> Answer:
    return Answer(text=field(fields, "text"), source=field(fields, "source", required=False) or "—")


seat_form(
    Form(
        PresentationRequest,
        "presentation.html",
        _presentation,
        lambda r: ("Presentation: %(title)s", {"title": r.title}),
    )
)
seat_form(
    Form(
        QuestionRequest,
        "question.html",
        _question,
        lambda r: ("Your question to %(who)s", {"who": r.asked_of}),
    )
)
seat_form(
    Form(
        AnswerRequest,
        "answer.html",
        _answer,
        lambda r: ("Answer the question from %(who)s", {"who": r.asked_by}),
    )
)
