"""A live meeting: the same runner and activities as simulation, with people in the seats.

:class:`LiveController` runs :func:`~detente.meeting.runner.run_programme` in a background thread
with

- a :class:`WebSeat` per delegation: `answer()` records a `seat_requested` event (visible to that
  delegation), then blocks until a member submits through the app (an `answer_submitted` act), the
  facilitator hands the seat to a simulated seat (`seat_assigned`; the simulated answer is recorded
  as `answer_simulated`) or to a language model (answered in a worker thread within the request's
  deadline, else handed on to the simulated seat: see :mod:`detente.seats.live_models`), the
  facilitator closes the request, or its deadline passes (`answer_missed`, and the activity gets
  :class:`~detente.seats.base.SeatCannotAnswer`);
- a :class:`WebFacilitator`: every decision the runner or an activity asks for is recorded as
  `decision_requested` (facilitator only) and waits for the click (`decision_taken`); a decision
  type that has no form in the app is taken by the automatic facilitator and recorded as
  `decision_automatic`;
- a :class:`~detente.web.livelog.RunnerWriter` as the log writer and clock, so a restarted server
  replays its log and resumes where it stopped (see :mod:`detente.web.livelog`).

Request keys are deterministic (`<delegation>-<n>`, `decision-<n>`): a replay asks the same
questions in the same order and finds the answers recorded under the same keys. Simulated seats
keep the seeds of `meeting_opened`, and a replay re-runs their answers (verifying them), so their
generators are where they were.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from detente.meeting.context import ActivityContext
from detente.meeting.events import (
    AnswerMissed,
    AnswerSimulated,
    DecisionAutomatic,
    DecisionRequested,
    LiveResumed,
    MeetingOpened,
    ModelHandedOn,
    SeatRequested,
)
from detente.meeting.facilitator import AutomaticFacilitator, NoAutomaticDecision
from detente.meeting.loader import MeetingFolder
from detente.meeting.runner import programme_start, run_programme, runner_rng, simulated_seats
from detente.seats.base import Request, Seat, SeatCannotAnswer, T
from detente.store.events import SYSTEM
from detente.store.log import EventStore, Record
from detente.store.visibility import FACILITATOR, delegation_only
from detente.web import forms
from detente.web.codec import decode_answer, encode_answer, encode_request, type_name
from detente.web.livelog import LiveLog, ReplayDivergenceError, RunnerWriter

if TYPE_CHECKING:
    from detente.seats.live_models import LiveModels


class StoppedError(BaseException):
    """The server is shutting down; unwinds the runner thread (not an `Exception`, so no
    activity's error handling swallows it)."""


@dataclass
class RunnerStatus:
    """What the runner thread is doing, for the facilitator console and for tests."""

    waiting_for: dict[str, Callable[[], Any | None]] = field(default_factory=dict)
    """Keys the runner is blocked on, with the check that would wake it."""
    finished: bool = False
    error: str | None = None


class WebSeat:
    """A delegation's seat in a live meeting; see the module docstring."""

    kind = "web"

    def __init__(self, controller: LiveController, delegation: str, simulated: Seat | None) -> None:
        self._controller = controller
        self._delegation = delegation
        self._simulated = simulated
        self._count = 0
        self._published: dict[int, tuple[Request[Any], str]] = {}

    @property
    def delegation(self) -> str:
        return self._delegation

    @property
    def can_simulate(self) -> bool:
        return self._simulated is not None

    @property
    def stand_in(self) -> str:
        """What answers for the seat when its members do not: `model` while a language model
        holds it, else `simulated`."""
        return "model" if self._controller.holder(self._delegation) == "model" else "simulated"

    @property
    def model_option(self) -> str:
        """Why this seat cannot be handed to a language model ("" when it can)."""
        return self._controller.models.option(self.can_simulate)

    def publish(self, request: Request[Any]) -> str:
        """Record the request now (so people can answer it) and return its key; `answer` for the
        same request object later waits for it instead of publishing again."""
        found = self._published.get(id(request))
        if found is not None and found[0] is request:
            return found[1]
        self._count += 1
        key = f"{self._delegation}-{self._count}"
        self._published[id(request)] = (request, key)
        self._controller.ctx.emit(
            SeatRequested(
                key=key,
                delegation=self._delegation,
                request_type=type_name(type(request)),
                request=encode_request(request),
            ),
            actor=SYSTEM,
            visibility=delegation_only(self._delegation),
        )
        self._controller.start_model(self._delegation)
        return key

    def published(self) -> list[tuple[Request[Any], str]]:
        """The requests published and not yet awaited, with their keys."""
        return list(self._published.values())

    def answer(self, request: Request[T]) -> T:
        key = self.publish(request)
        del self._published[id(request)]
        return cast(T, self._controller.await_answer(self, key, request))

    @property
    def simulated(self) -> Seat:
        """The delegation's simulated seat (a model seat's fallback)."""
        if self._simulated is None:
            raise SeatCannotAnswer(f"no simulated seat for {self._delegation} (no profile)")
        return self._simulated

    @simulated.setter
    def simulated(self, seat: Seat) -> None:
        self._simulated = seat

    def simulate(self, request: Request[Any]) -> Any:
        if self._simulated is None:
            raise SeatCannotAnswer(f"no simulated seat for {self._delegation} (no profile)")
        return self._simulated.answer(request)


class WebFacilitator:
    """The facilitator's decisions in a live meeting; see the module docstring."""

    kind = "web"

    def __init__(self, controller: LiveController) -> None:
        self._controller = controller
        self._count = 0
        self._automatic = AutomaticFacilitator()

    def decide(self, request: Request[T]) -> T:
        self._count += 1
        key = f"decision-{self._count}"
        ctx = self._controller.ctx
        ctx.emit(
            DecisionRequested(
                key=key, request_type=type_name(type(request)), request=encode_request(request)
            ),
            actor=SYSTEM,
            visibility=FACILITATOR,
        )
        if forms.decision_form(type(request)) is None:
            try:
                answer = self._automatic.decide(request)
            except NoAutomaticDecision as exc:
                raise ReplayDivergenceError(
                    f"the app has no form for {type(request).__name__}: {exc}"
                ) from exc
            ctx.emit(
                DecisionAutomatic(key=key, answer=encode_answer(type(request), answer)),
                actor=SYSTEM,
                visibility=FACILITATOR,
            )
            return answer
        return cast(T, self._controller.await_decision(key, request))


class LiveController:
    """One live meeting: its log, its runner thread, its seats and its facilitator."""

    def __init__(
        self,
        folder: MeetingFolder,
        store: EventStore,
        *,
        seed: int = 0,
        deadline: dt.timedelta | None = None,
        now: Callable[[], dt.datetime] | None = None,
        minute: float = 60.0,
        models: LiveModels | None = None,
    ) -> None:
        self.folder = folder
        self.minute = minute
        """Seconds of the room's clock per scenario minute (60; less compresses the exercise's
        clock for rehearsals and tests)."""
        self.meeting_id = folder.meeting.meeting.id
        self.log = LiveLog(store, self.meeting_id)
        self.deadline = deadline
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        opened = next(
            (e.event for e in self.log.entries if isinstance(e.event, MeetingOpened)), None
        )
        self.seed = opened.seed if opened is not None and opened.seed is not None else seed
        self.status = RunnerStatus()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.writer = RunnerWriter(self.log)
        delegations = [d.id for d in folder.meeting.delegations]
        try:
            sims: Mapping[str, Seat] = simulated_seats(folder, self.seed)
        except Exception:
            sims = {}
        self.seats: dict[str, WebSeat] = {d: WebSeat(self, d, sims.get(d)) for d in delegations}
        self.facilitator = WebFacilitator(self)
        if models is None:
            from detente.seats.live_models import LiveModels  # a domain, at run time only

            models = LiveModels(None, "no language model is configured")
        self.models = models
        """The language model seats can be handed to (see :mod:`detente.seats.live_models`)."""
        self.models.attach(
            folder,
            self.seed,
            self.log.changed,
            lambda event: self.log.act(event, actor=SYSTEM, visibility=FACILITATOR),
        )
        self.ctx = ActivityContext(
            folder=folder,
            seats=self.seats,
            rng=runner_rng(self.seed, len(delegations)),
            append=self.writer,
            now=programme_start(folder),
            simulated=False,
            facilitator=self.facilitator,
            clock=self.writer.clock,
        )

    # --- the runner thread ------------------------------------------------------------------

    def start(self) -> None:
        """Record a restart (when the log is not empty) and start the runner thread."""
        if self.log.seq:
            self.log.act(LiveResumed(replayed=self.log.seq), actor=SYSTEM, visibility=FACILITATOR)
        self._thread = threading.Thread(target=self._run, name=f"live-{self.meeting_id}")
        self._thread.daemon = True
        self._thread.start()
        self.clock_thread.start()

    def offset(self, number: int) -> float:
        """The MSEL offset (scenario minutes from the move's start) of inject `number`."""
        pack = self.pack
        if pack is None:
            return 0.0
        row = next((r for r in pack.scenario.msel if r.number == number), None)
        return float(getattr(row, "offset", 0) or 0) if row is not None else 0.0

    def move_clock(self) -> Any:
        """The running move's :class:`~detente.web.clock.MoveClock` (None when no move runs)."""
        from detente.ttx.live import DECISION_SHARE
        from detente.web.clock import move_clock

        return move_clock(self.log, self.offset, self.minute, self._now(), DECISION_SHARE)

    @functools.cached_property
    def clock_thread(self) -> Any:
        from detente.ttx.live import DECISION_SHARE
        from detente.web.clock import ClockThread

        return ClockThread(
            self.log,
            self.offset,
            self.minute,
            self._now,
            lambda event, visibility: self.log.act(event, actor=FACILITATOR, visibility=visibility),
            DECISION_SHARE,
        )

    def _run(self) -> None:
        try:
            run_programme(self.ctx, mode="live", seed=self.seed)
        except StoppedError:
            return
        except Exception as exc:  # shown on the facilitator console; the server keeps serving
            with self.log.lock:
                self.status.error = f"{type(exc).__name__}: {exc}"
                self.log.changed.notify_all()
            return
        with self.log.lock:
            self.status.finished = True
            self.log.changed.notify_all()

    def stop(self, timeout: float = 5.0) -> None:
        """Unblock and end the runner thread (the log is left as it is: a restart resumes)."""
        with self.log.lock:
            self._stopping = True
            self.log.changed.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
        if "clock_thread" in self.__dict__:
            self.clock_thread.stop()
        self.models.close()

    @property
    def replaying(self) -> bool:
        return self.writer.replaying

    def idle(self) -> bool:
        """The runner is done, failed, or blocked on people with nothing to wake it (call with
        the log lock held)."""
        if self.status.finished or self.status.error is not None:
            return True
        waiting = self.status.waiting_for
        return (
            bool(waiting)
            and not self.writer.replaying
            and all(check() is None for check in waiting.values())
            and not self.models.busy()
        )

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until the runner is idle (see :meth:`idle`); True when it is."""
        with self.log.lock:
            return self.log.changed.wait_for(lambda: self.idle() and not self._clock_due(), timeout)

    def _clock_due(self) -> bool:
        """An inject is due and the clock thread has not delivered it yet."""
        clock = self.move_clock()
        return clock is not None and bool(clock.due_now(self._now()))

    def wait_settled(self, timeout: float = 2.0) -> None:
        """After an act: give the runner a moment to consume it, so the response shows the
        next step. Never required for correctness (views follow the log by SSE anyway)."""
        self.wait_idle(timeout)

    # --- waiting for people -----------------------------------------------------------------

    def _wait(
        self,
        key: str,
        check: Callable[[], Any | None],
        deadline: Callable[[], dt.datetime | None] | None,
    ) -> Any:
        """Block (holding nothing) until `check()` returns something; `check` runs under the log
        lock. Raises :class:`StoppedError` on shutdown."""
        with self.log.lock:
            self.status.waiting_for[key] = check
            self.log.changed.notify_all()
            try:
                while True:
                    if self._stopping:
                        raise StoppedError()
                    found = check()
                    if found is not None:
                        return found
                    timeout = None
                    until = deadline() if deadline is not None else None
                    if until is not None:
                        timeout = min(1.0, max(0.0, (until - self._now()).total_seconds()))
                        if until <= self._now():
                            return _DEADLINE
                    self.log.changed.wait(timeout)
            finally:
                self.status.waiting_for.pop(key, None)

    def holder(self, delegation: str) -> str:
        """Who holds a seat now: `people` (default), `simulated` or `model`."""
        return self.log.holders.get(delegation, "people")

    def now(self) -> dt.datetime:
        return self._now()

    @functools.cached_property
    def pack(self) -> Any | None:
        """The meeting folder's scenario pack (for the exercise's panels and checks), or None
        when there is none or it does not load (the `ttx` activity then says why)."""
        from detente.diagnostics import InputError
        from detente.ttx.pack import has_pack, load_pack

        if not has_pack(self.folder.root):
            return None
        try:
            return load_pack(self.folder.root, meeting=self.folder)
        except InputError:
            return None

    @functools.cached_property
    def measure_titles(self) -> dict[str, Any]:
        """Measure id → title (a content field, maybe translated) of the folder's measures
        catalog, for the ranking; empty when there is none or it does not load."""
        from detente.diagnostics import InputError
        from detente.roadmap.catalog import load_catalog

        try:
            loaded = load_catalog(self.folder)
        except (InputError, ValueError):
            return {}
        if loaded is None:
            return {}
        return {m.id: m.title for m in loaded.catalog.measures}

    def deadline_for(self, key: str) -> dt.datetime | None:
        """When seat request `key` closes: a move's decision closes two thirds into the move
        (:data:`detente.ttx.live.DECISION_SHARE`, counted from when the move opened); any other
        request `--deadline` minutes after it was asked; None when it has no deadline."""
        from detente.ttx.live import DECISION_SHARE
        from detente.ttx.requests import TtxDecisionRequest

        with self.log.lock:
            entries = self.log.by_key.get(key, [])
            asked = next((e.record for e in entries if e.record.kind == "seat_requested"), None)
            if asked is None:
                return None
            if asked.payload["request_type"] == type_name(TtxDecisionRequest):
                request = asked.payload["request"]
                clock = self.move_clock()
                if (
                    clock is not None
                    and clock.item_id == request["item_id"]
                    and clock.move == request["move"]
                ):
                    deadline: dt.datetime = clock.deadline(self._now())
                    return deadline
                for entry in reversed(self.log.by_kind.get("ttx_move_started", [])):
                    p = entry.record.payload
                    if p["item_id"] == request["item_id"] and p["move"] == request["move"]:
                        return entry.record.time + dt.timedelta(
                            seconds=float(p["minutes"]) * DECISION_SHARE * self.minute
                        )
            if self.deadline is not None:
                return asked.time + self.deadline
        return None

    def await_answer(self, seat: WebSeat, key: str, request: Request[Any]) -> Any:
        """The answer to `request` (open under `key`) from whoever holds the seat: a member's
        submitted answer, the model's, or the simulation's (when the seat is simulated, the
        model hands on, or a replay says so); raises :class:`SeatCannotAnswer` when it is
        missed (deadline passed, closed by the facilitator)."""

        def check() -> Any | None:
            recorded = self._recorded_outcome(key, type(request))
            if recorded is not None or self.writer.replaying:
                return recorded
            return self._holder_outcome(seat, key, request)

        outcome = self._wait(
            key, check, None if self.writer.replaying else (lambda: self.deadline_for(key))
        )
        if outcome is _DEADLINE:
            outcome = ("missed", "the deadline passed")
            if self.holder(seat.delegation) == "model" and key in self.models.jobs:
                outcome = ("handed_on", "the model had not answered by the request's deadline")
        what, value = outcome
        with self.log.lock:
            job = self.models.jobs.get(key)
            if job is not None and what != "model":
                self.models.hand_on(job, _HANDED_ON.get(what, str(value)))
        if what == "answer":
            return value
        if what == "handed_on":
            self._hand_on(seat, key, request, str(value))
            what = "simulate"
        if what == "model":
            return self._model_answer(seat, key, request)
        if what == "simulate":
            return self._simulated_answer(seat, key, request)
        self.ctx.emit(
            AnswerMissed(key=key, delegation=seat.delegation, reason=str(value)),
            actor=SYSTEM,
            visibility=delegation_only(seat.delegation),
        )
        raise SeatCannotAnswer(f"{seat.delegation}: {value}")

    def _recorded_outcome(
        self, key: str, request_type: type[Request[Any]]
    ) -> tuple[str, Any] | None:
        """How the request under `key` was settled, as the log records it (an answer, a
        simulated answer, a model handing on, a miss or a close), None while it is open."""
        for entry in self.log.by_key.get(key, []):
            kind = entry.record.kind
            if kind == "answer_submitted":
                return ("answer", decode_answer(request_type, entry.record.payload["answer"]))
            if kind == "answer_simulated":  # replaying: by the model or the simulation
                by_model = entry.record.actor.startswith("model:")
                return ("model" if by_model else "simulate", None)
            if kind == "model_handed_on":
                return ("handed_on", entry.record.payload["reason"])
            if kind == "answer_missed":
                return ("missed", entry.record.payload["reason"])
            if kind == "request_closed":
                return ("missed", "closed by the facilitator")
        return None

    def _holder_outcome(
        self, seat: WebSeat, key: str, request: Request[Any]
    ) -> tuple[str, Any] | None:
        """How the seat's holder settles the request now, when no member answers: simulated
        at once, or by the model once its job (started here if need be) is done."""
        holder = self.holder(seat.delegation)
        if holder == "simulated":
            return ("simulate", None)
        if holder == "model" and seat.can_simulate:
            job = self.models.jobs.get(key) or self.models.ensure(
                seat.delegation, key, request, seat.simulated, self._upto(key)
            )
            if job.done:
                if job.error:
                    return ("handed_on", f"the model gave no answer: {job.error}")
                return ("model", None)
        return None

    def _simulated_answer(self, seat: WebSeat, key: str, request: Request[Any]) -> Any:
        """The seat's simulated answer to `request`, recorded as `answer_simulated`."""
        with self.log.lock:  # a model job copies this seat under the lock (its fallback)
            answer = seat.simulate(request)
        self.ctx.emit(
            AnswerSimulated(
                key=key,
                delegation=seat.delegation,
                answer=encode_answer(type(request), answer),
            ),
            actor=f"simulated:{seat.delegation}",
            visibility=delegation_only(seat.delegation),
        )
        return answer

    def start_model(self, delegation: str) -> None:
        """Have the model start on every open request of `delegation` published but not yet
        awaited, when a model holds the seat: requests asked of all seats at once (a move's
        decisions, a ballot) get the model's work in parallel with the members of the other
        seats, not only once the runner reaches them."""
        with self.log.lock:
            seat = self.seats[delegation]
            if self.writer.replaying or self.holder(delegation) != "model":
                return
            if not seat.can_simulate:
                return
            for request, key in seat.published():
                kinds = {e.record.kind for e in self.log.by_key.get(key, [])}
                if key in self.models.jobs or kinds & _RESOLVED:
                    continue
                self.models.ensure(delegation, key, request, seat.simulated, self._upto(key))

    def _upto(self, key: str) -> list[Record]:
        """The record up to request `key`'s `seat_requested`: what a model seat's prompt
        recalls, the same live and replayed (call with the log lock held)."""
        asked = next(
            (e.record for e in self.log.by_key.get(key, []) if e.record.kind == "seat_requested"),
            None,
        )
        return self.log.records(0, asked.seq if asked is not None else self.log.seq)

    def _hand_on(self, seat: WebSeat, key: str, request: Request[Any], reason: str) -> None:
        """Record that the model seat's request `key` goes to the simulated profile."""
        from detente.seats.events import SeatFellBack  # a domain's event, at run time only

        name = request.request_kind
        item_id = str(getattr(request, "item_id", ""))
        replaying = self.writer.replaying
        self.ctx.emit(
            ModelHandedOn(
                key=key, delegation=seat.delegation, request=name, item_id=item_id, reason=reason
            ),
            actor=SYSTEM,
            visibility=FACILITATOR,
        )
        self.ctx.emit(
            SeatFellBack(delegation=seat.delegation, request=name, item_id=item_id, reason=reason),
            actor=seat.delegation,
            visibility=FACILITATOR,
        )
        if not replaying:
            self.models.notify(
                f"{seat.delegation}: {reason}; request {key} was handed on to the simulated "
                "profile (recorded as model_handed_on)"
            )

    def _model_answer(self, seat: WebSeat, key: str, request: Request[Any]) -> Any:
        """Record the model seat's calls and answer to request `key`: the finished job's
        live, the record's when replaying (see :mod:`detente.seats.live_models`)."""
        with self.log.lock:
            job = self.models.jobs.get(key)
            if job is not None and job.done and not job.error and not job.handed_on:
                answer, events = self.models.take(job)
                seat.simulated = job.fallback
            else:
                upto = self._upto(key)
                answer, events, seat.simulated = self.models.replay(
                    seat.delegation, request, seat.simulated, upto, self.log.records
                )
        for event in events:
            self.ctx.emit(event, actor=seat.delegation, visibility=FACILITATOR)
        self.ctx.emit(
            AnswerSimulated(
                key=key, delegation=seat.delegation, answer=encode_answer(type(request), answer)
            ),
            actor=f"model:{seat.delegation}",
            visibility=delegation_only(seat.delegation),
        )
        return answer

    def await_decision(self, key: str, request: Request[Any]) -> Any:
        def check() -> Any | None:
            for entry in self.log.by_key.get(key, []):
                if entry.record.kind == "decision_taken":
                    return decode_answer(type(request), entry.record.payload["answer"])
            return None

        return self._wait(key, check, None)

    # --- acts (called by the HTTP handlers) ---------------------------------------------------

    def append_act(self, event: Any, *, actor: str, visibility: str) -> Record:
        return self.log.act(event, actor=actor, visibility=visibility)


_DEADLINE = object()
_HANDED_ON = {
    "answer": "its members answered the request first",
    "simulate": "the seat was handed to the simulated profile",
}
"""Why a model job's work was not used, by how the request was resolved instead."""
_RESOLVED = frozenset(
    {"answer_submitted", "answer_simulated", "answer_missed", "request_closed", "model_handed_on"}
)
"""Kinds that settle a request: no model starts on it any more."""
