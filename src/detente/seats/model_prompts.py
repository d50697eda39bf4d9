"""What a model seat asks its model for each request, and how the answer is checked and read.

Each request type the runner sends has a :class:`Prompt` registered here: it builds the calls
(messages plus a JSON schema whose enums are the ids legal *now* — the TTX menu, the delegation's
own position ids, the statements of the ballot), reads a checked JSON answer into the request's
answer type, and lists the free texts the validator screens for participants' names. Votes and
ratings take one call per member for the whole ballot: a vote has a one-line reason per statement, a
rating sheet (often fifty measures) one line for the sheet, as a reason per measure would make up
most of a small local model's decoding time. What differs between the members' calls (the member
note) comes last, so a local model's prompt cache reuses the rest.

A prompt holds only what the seat may see: the request itself (which the activities build from
the delegation's own view), the delegation's profile and sourced positions, and the recent public
record (:attr:`SeatView.history`). It speaks for a national perspective, never a named person.
"""

from __future__ import annotations

import hashlib
import random
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from detente.deliberation.votes import MemberVote, VoteRequest, Votes
from detente.meeting.events import PresentationPoint
from detente.models.client import Message
from detente.roadmap.ratings import HORIZONS, MemberRating, RatingRequest, Ratings
from detente.roadmap.recommendations import COMMITMENTS, Commitment, CommitmentRequest
from detente.seats.base import (
    Answer,
    AnswerRequest,
    Presentation,
    PresentationRequest,
    Question,
    QuestionRequest,
    Request,
)
from detente.seats.profiles import Profile
from detente.seats.simulated import MINUTES_PER_POINT
from detente.ttx.requests import TtxDecision, TtxDecisionRequest

TEXT = 400
"""Longest free text a model may write in one field (characters)."""
REASON = 80
"""Longest one-line reason for a vote or a rating sheet. Token budgets allow a token per
character of free text (a small model's degenerate output) so a cap, not the budget, ends it."""


@dataclass(frozen=True)
class SeatView:
    """What a model seat knows: its delegation, profile and the recent public record."""

    delegation: str
    name: str
    country: str
    profile: Profile
    dimension_labels: dict[str, str]
    seed: int = 0
    history: tuple[str, ...] = ()
    relabel: tuple[tuple[str, str], ...] = ()
    """Names replaced in every prompt text, all at once (the bias audit masks and swaps
    delegation names with it); empty in a meeting."""

    def position_ids(self) -> list[str]:
        return [f"P{i + 1}" for i in range(len(self.profile.positions))]

    def position(self, pid: str) -> Any:
        return self.profile.positions[int(pid[1:]) - 1]


@dataclass(frozen=True)
class Part:
    """One call of a request: its messages, schema, a label (the member, for ballots), a token
    limit and the extras recorded with the call (the menu order shown)."""

    messages: tuple[Message, ...]
    schema: dict[str, Any]
    label: str = ""
    max_tokens: int | None = None
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Read:
    """A checked answer part: the value for the answer, the JSON recorded as the validated answer
    (with private rationale and reasons), the free texts to screen, and the errors (non-empty:
    invalid, re-ask)."""

    value: Any = None
    record: dict[str, Any] = field(default_factory=dict)
    texts: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()


R = TypeVar("R", bound=Request[Any])


class Prompt(ABC, Generic[R]):
    """How a model seat answers one request type (see the module docstring)."""

    @abstractmethod
    def parts(self, view: SeatView, request: R) -> list[Part]:
        """The model calls this request needs (one per ballot member, or one)."""

    @abstractmethod
    def read(self, view: SeatView, request: R, part: Part, data: Any) -> Read:
        """The validated value of one part from the model's parsed output, or its errors."""

    def combine(self, request: R, values: Sequence[Any]) -> Any:
        """The answer from the parts' values (one part: its value)."""
        return values[0]

    def from_fallback(self, request: R, answer: Any, part: Part) -> Any:
        """The value of `part` taken from the simulated seat's whole answer."""
        return answer


_prompts: dict[type[Request[Any]], Prompt[Any]] = {}


def model_prompt(request_type: type[R]) -> Callable[[type[Prompt[R]]], type[Prompt[R]]]:
    """Register the prompt class answering `request_type` (one per type)."""

    def decorate(cls: type[Prompt[R]]) -> type[Prompt[R]]:
        if request_type in _prompts:
            raise ValueError(f"{request_type.__name__} already has a model prompt")
        _prompts[request_type] = cls()
        return cls

    return decorate


def prompt_for(request: Request[Any]) -> Prompt[Any] | None:
    return _prompts.get(type(request))


# --- shared text -------------------------------------------------------------------------------


def system_message(view: SeatView) -> Message:
    """The stable part of every prompt (first, so servers reuse its cache): the role, the
    profile and the sourced positions with their ids."""
    weights = "\n".join(
        f"- {view.dimension_labels.get(d, d)}: {w:+.1f}"
        for d, w in sorted(view.profile.interests.items(), key=lambda dw: -abs(dw[1]))
    )
    positions = "\n".join(
        f"- {pid} ({p.topic}): {p.statement}"
        for pid, p in zip(view.position_ids(), view.profile.positions, strict=True)
    )
    text = (
        f"You speak for the delegation of {view.name} at an unofficial Track-2 dialogue. "
        f"Give the national perspective of {view.country} as declared below: never the views "
        "of a named person, and never name any participant. Cite positions only by their ids.\n"
        f"Interests (+1 wants more, -1 opposes):\n{weights}\n"
        f"Stated positions:\n{positions}\n"
        "Answer with one JSON object that follows the schema, nothing else."
    )
    return {"role": "system", "content": text}


def relabelled(text: str, pairs: Sequence[tuple[str, str]]) -> str:
    """`text` with every whole-word occurrence of a name replaced by its partner, in one pass
    (so a swap A↔B does not turn A into B and back)."""
    if not pairs:
        return text
    table = dict(pairs)
    names = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")(?!\w)")
    return pattern.sub(lambda m: table[m.group(1)], text)


def _user(view: SeatView, text: str) -> Message:
    if view.history:
        text = "Recently in the room:\n" + "\n".join(view.history) + "\n\n" + text
    return {"role": "user", "content": text}


def _string(max_length: int = TEXT, min_length: int = 1) -> dict[str, Any]:
    return {"type": "string", "minLength": min_length, "maxLength": max_length}


MIN_LETTERS = 8
"""A free-text answer put in the record as a person's words holds at least this many letters (of
any script): a date, a number or a code in place of a sentence is re-asked, not recorded."""


def wordless(field: str, text: str) -> tuple[str, ...]:
    """The error for `field` when `text` is not words (fewer than :data:`MIN_LETTERS` letters)."""
    if sum(ch.isalpha() for ch in text) >= MIN_LETTERS:
        return ()
    return (f"{field}: write it in words (a sentence), not a date, number or code",)


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _one_of(ids: Sequence[str]) -> dict[str, Any]:
    """A string from `ids` (an empty list is no valid enum: any string, which the array's
    `maxItems: 0` then rules out)."""
    return {"type": "string", "enum": list(ids)} if ids else {"type": "string"}


def shuffled(view: SeatView, key: str, ids: Sequence[str]) -> list[str]:
    """`ids` in an order seeded by the run's seed, the delegation and `key`: menus are shown
    shuffled (small models favour the first option) and the order is recorded."""
    digest = hashlib.sha256(f"{view.seed}:{view.delegation}:{key}".encode()).digest()
    order = list(ids)
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(order)
    return order


# --- presentations ------------------------------------------------------------------------------


@model_prompt(PresentationRequest)
class _PresentationPrompt(Prompt[PresentationRequest]):
    def parts(self, view: SeatView, request: PresentationRequest) -> list[Part]:
        count = max(1, int(request.minutes // MINUTES_PER_POINT))
        count = min(count, len(view.profile.positions))
        schema = _object(
            {
                "points": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": count,
                    "items": _object(
                        {
                            "position": {"type": "string", "enum": view.position_ids()},
                            "text": _string(),
                        }
                    ),
                }
            }
        )
        task = (
            f"Give the delegation's intervention '{request.title}' ({request.minutes} minutes): "
            f"up to {count} points, each one stated position (by id) in your own words."
        )
        return [Part((system_message(view), _user(view, task)), schema, max_tokens=120 * count)]

    def read(self, view: SeatView, request: PresentationRequest, part: Part, data: Any) -> Read:
        used = [p["position"] for p in data["points"]]
        if len(set(used)) != len(used):
            return Read(errors=("points: each position may be presented once",))
        points = []
        for p in data["points"]:
            position = view.position(p["position"])
            points.append(
                PresentationPoint(
                    topic=position.topic, statement=p["text"].strip(), source=position.source
                )
            )
        texts = tuple(p["text"] for p in data["points"])
        return Read(Presentation(tuple(points)), data, texts)


@model_prompt(QuestionRequest)
class _QuestionPrompt(Prompt[QuestionRequest]):
    def parts(self, view: SeatView, request: QuestionRequest) -> list[Part]:
        topics = sorted({p.topic for p in request.points})
        presented = "\n".join(f"- {p.topic}: {p.statement}" for p in request.points)
        schema = _object({"topic": {"type": "string", "enum": topics}, "question": _string(300)})
        task = (
            f"The delegation of {request.asked_of} presented:\n{presented}\n"
            "Ask it one question about one of these topics, from your delegation's perspective."
        )
        return [Part((system_message(view), _user(view, task)), schema, max_tokens=150)]

    def read(self, view: SeatView, request: QuestionRequest, part: Part, data: Any) -> Read:
        text = data["question"].strip()
        if errors := wordless("question", text):
            return Read(errors=errors)
        return Read(Question(data["topic"], text), data, (text,))


@model_prompt(AnswerRequest)
class _AnswerPrompt(Prompt[AnswerRequest]):
    def parts(self, view: SeatView, request: AnswerRequest) -> list[Part]:
        ids = [*view.position_ids(), "none"]
        schema = _object({"answer": _string(), "position": {"type": "string", "enum": ids}})
        task = (
            f"The delegation of {request.asked_by} asks, on {request.question.topic}: "
            f"{request.question.text}\nAnswer this question; name the position (id) your answer "
            "rests on, or none."
        )
        return [Part((system_message(view), _user(view, task)), schema, max_tokens=180)]

    def read(self, view: SeatView, request: AnswerRequest, part: Part, data: Any) -> Read:
        text = data["answer"].strip()
        if errors := wordless("answer", text):
            return Read(errors=errors)
        source = "—" if data["position"] == "none" else view.position(data["position"]).source
        return Read(Answer(text, source), data, (text,))


# --- the exercise ------------------------------------------------------------------------------


@model_prompt(TtxDecisionRequest)
class _DecisionPrompt(Prompt[TtxDecisionRequest]):
    def parts(self, view: SeatView, request: TtxDecisionRequest) -> list[Part]:
        by_id = {o.id: o for o in request.options}
        menu = shuffled(view, f"{request.item_id}:{request.move}", list(by_id))
        lines = "\n".join(
            f"- {i}: {by_id[i].label}{' (private)' if by_id[i].private else ''}" for i in menu
        )
        injects = "\n".join(f"- {j.title}: {j.text}" for j in request.injects)
        questions = "\n".join(f"{k + 1}. {q}" for k, q in enumerate(request.questions))
        schema = _object(
            {
                "actions": {
                    "type": "array",
                    "maxItems": request.max_actions if menu else 0,
                    "items": _one_of(menu),
                },
                "statement": _string(200, 0),
                "rationale": _string(150, 0),
                "answers": {
                    "type": "array",
                    "minItems": len(request.questions),
                    "maxItems": len(request.questions),
                    "items": _string(120, 0),
                },
            }
        )
        task = (
            f"Crisis exercise, move {request.move}: {request.title} ({request.scenario_time}). "
            f"You play {request.actor}.\n{request.brief}\nNews:\n{injects or '- none'}\n"
            f"Actions open to you now (choose at most {request.max_actions}, or none):\n{lines}\n"
            f"Questions:\n{questions or '- none'}\n"
            "Give the action ids, a public statement (never mention private actions), a private "
            "rationale, and a short answer to each question."
        )
        # the texts' character caps bound the answer; a small model may spend a token per
        # character ("1.1.1.…"), so the budget covers that worst case
        budget = 120 + 200 + 150 + 120 * len(request.questions)
        return [
            Part(
                (system_message(view), _user(view, task)),
                schema,
                max_tokens=budget,
                extras={"menu": menu},
            )
        ]

    def read(self, view: SeatView, request: TtxDecisionRequest, part: Part, data: Any) -> Read:
        actions = list(dict.fromkeys(data["actions"]))  # an action named twice is chosen once
        statement = data["statement"].strip()
        answers = tuple(a.strip() for a in data["answers"])
        private = [o for o in request.options if o.private and o.id in actions]
        leaks = [o.id for o in private if o.id in statement or o.label.lower() in statement.lower()]
        if leaks:
            return Read(errors=(f"statement: announces private action(s) {', '.join(leaks)}",))
        texts = (statement, data["rationale"], *answers)
        return Read(TtxDecision(tuple(actions), statement, answers), data, texts)


# --- ballots: one call per member --------------------------------------------------------------


def _members_note(request_members: Sequence[str], member: str) -> str:
    return (
        f"You are expert {member} ({request_members.index(member) + 1} of {len(request_members)}) "
        "of the delegation; experts of one delegation need not agree."
    )


@model_prompt(VoteRequest)
class _VotePrompt(Prompt[VoteRequest]):
    def parts(self, view: SeatView, request: VoteRequest) -> list[Part]:
        listing = "\n".join(f"- {s.statement_id}: {s.text}" for s in request.statements)
        vote = _object(
            {
                "vote": {"type": "string", "enum": ["agree", "disagree", "pass"]},
                "reason": _string(REASON),
            }
        )
        schema = _object({s.statement_id: vote for s in request.statements})
        out = []
        for member in request.members:
            task = (
                "Vote on each statement: agree, disagree, or pass (not your issue, or you don't "
                f"know), with a one-line reason.\n{listing}\n"
                f"{_members_note(request.members, member)}"
            )
            out.append(
                Part(
                    (system_message(view), _user(view, task)),
                    schema,
                    label=member,
                    max_tokens=40 + (20 + REASON) * len(request.statements),
                    extras={"member": member},
                )
            )
        return out

    def read(self, view: SeatView, request: VoteRequest, part: Part, data: Any) -> Read:
        votes = tuple(
            MemberVote(part.label, s.statement_id, data[s.statement_id]["vote"])
            for s in request.statements
        )
        texts = tuple(data[s.statement_id]["reason"] for s in request.statements)
        return Read(votes, data, texts)

    def combine(self, request: VoteRequest, values: Sequence[Any]) -> Votes:
        return Votes(tuple(v for member in values for v in member))

    def from_fallback(self, request: VoteRequest, answer: Any, part: Part) -> Any:
        return tuple(v for v in answer.votes if v.participant == part.label)


def _sheet_reason_key(request: RatingRequest) -> str:
    """The field of a rating sheet's one-line reason (not a measure id)."""
    ids = {m.measure_id for m in request.measures}
    return next(k for k in ("reason", "sheet reason", "sheet-reason:") if k not in ids)


@model_prompt(RatingRequest)
class _RatingPrompt(Prompt[RatingRequest]):
    def parts(self, view: SeatView, request: RatingRequest) -> list[Part]:
        listing = "\n".join(
            f"- {m.measure_id}: {m.title} (by {', '.join(m.actors)}; catalog horizon {m.horizon})"
            for m in request.measures
        )
        rating = _object(
            {
                "support": {"type": "integer", "minimum": -2, "maximum": 2},
                "feasibility": {"type": "integer", "minimum": 1, "maximum": 5},
                "horizon": {"type": "string", "enum": list(HORIZONS)},
            }
        )
        key = _sheet_reason_key(request)
        schema = _object({key: _string(REASON), **{m.measure_id: rating for m in request.measures}})
        out = []
        for member in request.members:
            task = (
                "Rate each measure: support from -2 (strongly oppose) to +2 (strongly support), "
                "feasibility from 1 to 5 and a realistic horizon; first, in one line, the reason "
                f"that weighs most in your ratings.\n{listing}\n"
                f"{_members_note(request.members, member)}"
            )
            out.append(
                Part(
                    (system_message(view), _user(view, task)),
                    schema,
                    label=member,
                    max_tokens=REASON + 40 + 36 * len(request.measures),
                    extras={"member": member},
                )
            )
        return out

    def read(self, view: SeatView, request: RatingRequest, part: Part, data: Any) -> Read:
        ratings = tuple(
            MemberRating(
                part.label,
                m.measure_id,
                data[m.measure_id]["support"],
                data[m.measure_id]["feasibility"],
                data[m.measure_id]["horizon"],
            )
            for m in request.measures
        )
        return Read(ratings, data, (data[_sheet_reason_key(request)],))

    def combine(self, request: RatingRequest, values: Sequence[Any]) -> Ratings:
        return Ratings(tuple(r for member in values for r in member))

    def from_fallback(self, request: RatingRequest, answer: Any, part: Part) -> Any:
        return tuple(r for r in answer.ratings if r.participant == part.label)


# --- concluding remarks ------------------------------------------------------------------------


@model_prompt(CommitmentRequest)
class _CommitmentPrompt(Prompt[CommitmentRequest]):
    def parts(self, view: SeatView, request: CommitmentRequest) -> list[Part]:
        offers = "\n".join(
            f"- {o.measure_id}: {o.title} (phase {o.phase}; your country acts: "
            f"{'yes' if o.acts else 'no'}; your delegation {o.stance} it)"
            for o in request.offers
        )
        dialogue = "\n".join(f"- {t}" for t in request.dialogue)
        schema = _object(
            {
                "text": _string(500),
                "measures": {
                    "type": "array",
                    "maxItems": COMMITMENTS if request.offers else 0,
                    "items": _one_of([o.measure_id for o in request.offers]),
                },
                "position": {"type": "string", "enum": [*view.position_ids(), "none"]},
            }
        )
        task = (
            f"Concluding remarks: state the commitment of the delegation of "
            f"{request.delegation_name} to next steps. Roadmap measures:\n{offers or '- none'}\n"
            f"Still dividing the room:\n{dialogue or '- none'}\nCommit to at most {COMMITMENTS} "
            "measures (ids) and name the stated position (id) you restate, or none."
        )
        return [Part((system_message(view), _user(view, task)), schema, max_tokens=220)]

    def read(self, view: SeatView, request: CommitmentRequest, part: Part, data: Any) -> Read:
        measures = list(data["measures"])
        if len(set(measures)) != len(measures):
            return Read(errors=("measures: a measure may be named once",))
        text = data["text"].strip()
        if errors := wordless("text", text):
            return Read(errors=errors)
        source = "" if data["position"] == "none" else view.position(data["position"]).source
        return Read(Commitment(text, tuple(measures), source), data, (text,))
