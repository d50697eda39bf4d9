"""Model seats: a language model answers for a delegation, through a validator, with the
delegation's simulated profile as the fallback.

For each request the seat builds the calls of its :mod:`~detente.seats.model_prompts` prompt, asks
the model, and checks every output: JSON, the schema (legal ids only), the prompt's own rules, and
that no free text names a participant (the documents' non-attribution rule). An invalid output is
re-asked with its numbered errors, at most `reasks` times; then the simulated profile answers that
part and a :class:`~detente.seats.events.SeatFellBack` event says so. Every call is recorded as a
:class:`~detente.seats.events.ModelCalled` event (facilitator visibility) with its raw output, so
nothing invalid reaches the answer events and a replay needs no model.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, cast

from detente.meeting.model import Meeting, Role
from detente.models.client import Call, Completion, ModelClient
from detente.models.schema import check, parse_json
from detente.seats.base import Request, Seat, SeatCannotAnswer, T
from detente.seats.events import ModelCalled, SeatFellBack
from detente.seats.history import history
from detente.seats.model_prompts import Part, SeatView, prompt_for, relabelled
from detente.seats.plausibility import Emit
from detente.store.events import Event
from detente.store.log import Record
from detente.store.visibility import FACILITATOR

Notify = Callable[[str], None]


@dataclass
class ModelStats:
    """Counts over a run, per request type: parts valid at the first call, valid after re-asks,
    answered by the fallback; latencies of every call (ms). Shared by all model seats of a run."""

    first: dict[str, int] = field(default_factory=dict)
    reasked: dict[str, int] = field(default_factory=dict)
    fallback: dict[str, int] = field(default_factory=dict)
    latency: dict[str, list[int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    notify: Notify | None = None

    def count(self, table: dict[str, int], request: str) -> None:
        table[request] = table.get(request, 0) + 1

    def note(self, line: str, key: str | None = None) -> None:
        """Say `line` on the console once per `key` (default: the line itself), so a fault is
        one clear line, not one per request; the record holds every occurrence."""
        key = key or line
        if key not in self.notes:
            self.notes.append(key)
            if self.notify is not None:
                self.notify(line)

    def summary(self) -> str:
        first, again, fell = (sum(t.values()) for t in (self.first, self.reasked, self.fallback))
        calls = sum(len(v) for v in self.latency.values())
        return (
            f"model seats: {calls} call(s); {first} answer(s) valid first time, {again} after "
            f"re-asking, {fell} from the simulated profile"
        )


def participant_names(meeting: Meeting) -> list[str]:
    """The names a model seat must never write: the delegates' and observers' (a facilitator's
    entry may be a generic title such as "Initiative facilitator")."""
    return [p.name for p in meeting.people if p.role is not Role.FACILITATOR]


def name_patterns(names: Sequence[str]) -> list[tuple[str, re.Pattern[str]]]:
    """Patterns matching participants' full names and surnames (whole words, any case)."""
    out = []
    for name in names:
        parts = [p for p in re.split(r"\s+", name.strip()) if len(p.strip(".")) > 2]
        for text in {name.strip(), *(parts[-1:] if parts else [])}:
            if text:
                out.append((name, re.compile(rf"(?<!\w){re.escape(text)}(?!\w)", re.IGNORECASE)))
    return out


def named_participants(
    texts: Sequence[str], patterns: Sequence[tuple[str, re.Pattern[str]]]
) -> list[str]:
    """The participants any of `texts` names."""
    found = []
    for name, pattern in patterns:
        if name not in found and any(pattern.search(t) for t in texts):
            found.append(name)
    return found


class ModelSeat:
    """A seat answered by a language model (see the module docstring)."""

    kind = "model"

    def __init__(
        self,
        view: SeatView,
        client: ModelClient,
        fallback: Seat,
        *,
        reasks: int = 2,
        participants: Sequence[str] = (),
        stats: ModelStats | None = None,
        history: Callable[[str], tuple[str, ...]] | None = None,
    ) -> None:
        self._view = view
        self._client = client
        self._fallback = fallback
        self._reasks = max(0, reasks)
        self._names = name_patterns(participants)
        self.stats = stats or ModelStats()
        self._history = history
        self._emit: Emit | None = None
        self.events: list[Event] = []
        """Events written when the seat is not bound to a log (unit tests)."""
        self.answered_by = self.kind

    @property
    def delegation(self) -> str:
        return self._view.delegation

    def bind(self, emit: Emit, records: Sequence[Record] | None = None) -> None:
        """Write this seat's events through `emit`; recall the recent public record from
        `records` (the runner binds both to the meeting's log)."""
        self._emit = emit
        if records is not None:
            self._history = lambda delegation: history(records, delegation)

    def _write(self, event: Event) -> None:
        if self._emit is None:
            self.events.append(event)
        else:
            self._emit(event, self.delegation, FACILITATOR)

    def answer(self, request: Request[T]) -> T:
        prompt = prompt_for(request)
        name = type(request).request_kind  # recorded: stable when the class is renamed
        item_id = str(getattr(request, "item_id", ""))
        if prompt is None:
            return self._fall_back(request, name, item_id, "no model prompt for this request")
        view = self._view
        if self._history is not None:
            view = SeatView(**{**view.__dict__, "history": self._history(self.delegation)})
        try:
            parts = [self._relabel(part, view) for part in prompt.parts(view, request)]
        except (ValueError, IndexError) as exc:
            raise SeatCannotAnswer(f"{self.delegation}: {exc}") from exc
        values: list[Any] = []
        fallback_answer: Any = None
        sources = set()
        for part in parts:
            value = self._ask(prompt, view, request, part, name, item_id)
            if value is None:
                if fallback_answer is None:
                    fallback_answer = self._fallback.answer(request)
                value = prompt.from_fallback(request, fallback_answer, part)
                sources.add("simulated")
            else:
                sources.add(self.kind)
            values.append(value)
        self.answered_by = "+".join(sorted(sources)) if sources else self.kind
        return cast(T, prompt.combine(request, values))

    @staticmethod
    def _relabel(part: Part, view: SeatView) -> Part:
        if not view.relabel:
            return part
        messages = tuple(
            {**m, "content": relabelled(m["content"], view.relabel)} for m in part.messages
        )
        return replace(part, messages=messages)

    def _fall_back(self, request: Request[T], name: str, item_id: str, reason: str) -> T:
        self._write(
            SeatFellBack(delegation=self.delegation, request=name, item_id=item_id, reason=reason)
        )
        self.stats.count(self.stats.fallback, name)
        self.answered_by = "simulated"
        return self._fallback.answer(request)

    def _ask(
        self,
        prompt: Any,
        view: SeatView,
        request: Request[Any],
        part: Part,
        name: str,
        item_id: str,
    ) -> Any:
        """The part's checked value, or None after the bounded re-asks (fallback recorded)."""
        messages = list(part.messages)
        last = ""
        for attempt in range(1, self._reasks + 2):
            call = Call(self.delegation, tuple(messages), part.schema, name, part.max_tokens)
            completion = self._client.complete(call)
            self.stats.latency.setdefault(name, []).append(completion.latency_ms)
            if completion.error:
                self._record(
                    call, completion, attempt, part, name, item_id, "error", [completion.error]
                )
                last = completion.error
                self.stats.note(
                    f"model server {completion.server}: {completion.error} (seats re-ask, then "
                    "their simulated profiles answer; see model_called events)",
                    key=f"server:{completion.error[:40]}",
                )
                if "down" in completion.error:
                    break
                continue
            value, errors, record = self._check(prompt, view, request, part, completion)
            if not errors:
                self._record(call, completion, attempt, part, name, item_id, "valid", [], record)
                self.stats.count(self.stats.first if attempt == 1 else self.stats.reasked, name)
                return value
            self._record(call, completion, attempt, part, name, item_id, "invalid", errors)
            last = errors[0]
            messages += _reask(completion, errors)
        self._give_up(part, name, item_id, attempt, last)
        return None

    def _give_up(self, part: Part, name: str, item_id: str, calls: int, last: str) -> None:
        """Record that the part got no valid answer in `calls` calls (`last`: the last error)
        and note it once for the run's summary: the simulated profile answers instead."""
        who = f" for {part.label}" if part.label else ""
        reason = f"no valid answer{who} after {calls} call(s): {last}"
        self._write(
            SeatFellBack(delegation=self.delegation, request=name, item_id=item_id, reason=reason)
        )
        self.stats.count(self.stats.fallback, name)
        self.stats.note(
            f"{self.delegation}: the model gave no valid {name}{who}; its simulated profile "
            f"answered ({last}). Further fallbacks are recorded as seat_fell_back events.",
            key="fallback",
        )

    def _check(
        self, prompt: Any, view: SeatView, request: Request[Any], part: Part, completion: Completion
    ) -> tuple[Any, list[str], dict[str, Any]]:
        data, errors = parse_json(completion.raw, completion.finish)
        if errors:
            return None, errors, {}
        errors = check(data, part.schema)
        if errors:
            return None, errors, {}
        read = prompt.read(view, request, part, data)
        if read.errors:
            return None, list(read.errors), {}
        named = named_participants(read.texts, self._names)
        if named:
            return (
                None,
                [
                    f"the answer names participant(s) {', '.join(named)}: speak for the "
                    "delegation's national perspective and name no one"
                ],
                {},
            )
        return read.value, [], read.record

    def _record(
        self,
        call: Call,
        completion: Completion,
        attempt: int,
        part: Part,
        name: str,
        item_id: str,
        outcome: Literal["valid", "invalid", "error"],
        errors: list[str],
        answer: dict[str, Any] | None = None,
    ) -> None:
        parameters = {
            **completion.parameters,
            **part.extras,
            "finish": completion.finish,
            "reasks": self._reasks,
        }
        self._write(
            ModelCalled(
                delegation=self.delegation,
                request=name,
                item_id=item_id,
                attempt=attempt,
                model=completion.model,
                server=completion.server,
                parameters=parameters,
                prompt_hash=call.prompt_hash,
                raw=completion.raw,
                outcome=outcome,
                errors=errors,
                answer=answer,
                prompt_tokens=completion.prompt_tokens,
                completion_tokens=completion.completion_tokens,
                latency_ms=completion.latency_ms,
            )
        )


def _reask(completion: Completion, errors: list[str]) -> list[dict[str, str]]:
    """The messages that re-ask after an invalid answer, listing its first errors. A cut answer
    (length limit) is not repeated back: it would only fill the context."""
    numbered = "\n".join(f"{i + 1}. {e}" for i, e in enumerate(errors[:8]))
    if completion.finish == "length":
        return [
            {
                "role": "user",
                "content": f"Your answer was cut off at the length limit:\n{numbered}\n"
                "Answer again with complete JSON that follows the schema; keep every "
                "text short.",
            }
        ]
    return [
        {"role": "assistant", "content": completion.raw[:2000]},
        {
            "role": "user",
            "content": f"That answer is invalid:\n{numbered}\nAnswer again with JSON "
            "that follows the schema.",
        },
    ]
