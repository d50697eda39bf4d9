"""Language-model seats in a live meeting: the facilitator hands a seat to a model and back.

A seat held by `model` (a `seat_assigned` act) answers each request through a
:class:`~detente.seats.model.ModelSeat` (the same prompts, validator, re-asks and fallback as in
`detente run`) run in a worker thread, a :class:`ModelJob`: neither the server's event loop nor the
runner's other waits are blocked by the model. The runner waits for the job as it waits for
people (:meth:`detente.web.live.LiveController.await_answer`):

- the job finishes first: the runner, in its own thread, records the job's model calls
  (`model_called`, `seat_fell_back`, as in `detente run`) and then the answer (`answer_simulated`
  by `model:<delegation>`);
- the request's deadline passes first, or the model cannot be called: the request is handed on to
  the delegation's simulated profile (`model_handed_on` and `seat_fell_back`, a line on the
  server's console, then the profile's `answer_simulated` by `simulated:<delegation>`);
- whenever a job's answer is not used (handed on, answered by the members, handed to another
  holder, closed), the job is told to stop before its next call, and when it ends its work is
  recorded as the act `model_answer_dropped`, never as an answer: a request is answered once.

Replay (crash recovery) needs no model: the job's prompt recalls the record only up to the
request's `seat_requested`, so it is the same when replayed, and its fallback is a copy of the
delegation's simulated seat, which replaces the live one only when the job's answer is used (a
dropped job leaves the simulated seat's generator where it was). A replayed model answer is
answered again by a :class:`~detente.seats.model.ModelSeat` over a
:class:`~detente.models.replay.ReplayClient` of the recorded `model_called` events, whose prompt
hashes it checks; the runner's writer then verifies every event against the record.
"""

from __future__ import annotations

import copy
import importlib.util
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detente.meeting.events import ModelAnswerDropped
from detente.meeting.loader import MeetingFolder
from detente.models.client import Call, Completion, ModelClient, ModelUnavailable, open_client
from detente.models.config import ModelConfig, config_from_env
from detente.models.replay import ReplayClient
from detente.seats.base import Request, Seat
from detente.seats.events import ModelCalled
from detente.seats.history import history
from detente.seats.model import ModelSeat, ModelStats, participant_names
from detente.seats.model_prompts import SeatView
from detente.store.events import Event
from detente.store.log import Record

Notify = Callable[[str], None]


def _stderr(line: str) -> None:
    print(f"detente serve: {line}", file=sys.stderr, flush=True)


def local_model_missing(config: ModelConfig) -> str:
    """Why the in-process default cannot run here ("" when it can), without loading it."""
    if importlib.util.find_spec("llama_cpp") is None:
        return "the local default model needs llama-cpp-python: pip install -e '.[model]'"
    if config.model:
        return "" if Path(config.model).is_file() else f"{config.model}: no such model file"
    from detente.models.local import smollm2_path

    try:
        smollm2_path()
    except ModelUnavailable as exc:
        return str(exc)
    return ""


class HandedOn(Exception):
    """Raised into a job's model seat at its next call once the job's answer will not be used."""


@dataclass
class ModelJob:
    """A model seat answering one request in a worker thread. Its state is read and changed
    under the meeting log's lock."""

    key: str
    delegation: str
    request: Request[Any]
    fallback: Seat
    """A copy of the delegation's simulated seat: the model seat's fallback for this job."""
    seat: ModelSeat | None = None
    done: bool = False
    answer: Any = None
    error: str = ""
    handed_on: str = ""
    """Why the job's answer will not be used ("" while it may be)."""
    taken: bool = False


class _JobClient:
    """The live meeting's one model client as seen by one job: calls are serialised (an
    in-process model is not thread-safe) and refused once the job is handed on."""

    def __init__(self, models: LiveModels, job: ModelJob) -> None:
        self._models = models
        self._job = job

    @property
    def server(self) -> str:
        return self._models.server

    def complete(self, call: Call) -> Completion:
        with self._models.calling:
            if self._job.handed_on:
                raise HandedOn(self._job.handed_on)
            return self._models.client().complete(call)

    def close(self) -> None:
        """The client is the meeting's, closed by :meth:`LiveModels.close`."""


@dataclass
class LiveModels:
    """The language model of a live meeting and its jobs.

    `opener` opens the model client (called once, by the first job, in its worker thread);
    `unavailable` says why no model can be used ("" when one can). `lock` is the meeting log's
    lock and `changed` its condition, given by :meth:`attach`."""

    opener: Callable[[], ModelClient] | None
    unavailable: str = ""
    server: str = ""
    reasks: int = 2
    notify: Notify = _stderr
    jobs: dict[str, ModelJob] = field(default_factory=dict)
    calling: threading.Lock = field(default_factory=threading.Lock)
    _client: ModelClient | None = None
    _replay: ReplayClient | None = None
    _changed: threading.Condition | None = None
    _act: Callable[[Event], Record] | None = None
    _folder: MeetingFolder | None = None
    _seed: int = 0
    stats: ModelStats = field(default_factory=ModelStats)

    @classmethod
    def from_config(cls, config: ModelConfig, *, notify: Notify = _stderr) -> LiveModels:
        """The model `config` names; unavailable (with the reason) when it is the local default
        and that is not installed. A server is not contacted here: a server that is down makes
        each request fall back, recorded."""
        if config.local:
            missing = local_model_missing(config)
        elif importlib.util.find_spec("openai") is None:
            missing = "model seats need the `openai` package: pip install -e '.[model]'"
        else:
            missing = ""
        return cls(
            None if missing else (lambda: open_client(config)),
            missing,
            server="local" if config.local else config.url,
            reasks=config.reasks,
            notify=notify,
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> LiveModels:
        """The model of `DETENTE_MODEL_URL` / `DETENTE_MODEL` / `DETENTE_MODEL_KEY` (see
        :func:`~detente.models.config.config_from_env`)."""
        return cls.from_config(config_from_env(env, **overrides))

    def attach(
        self,
        folder: MeetingFolder,
        seed: int,
        changed: threading.Condition,
        act: Callable[[Event], Record],
    ) -> None:
        """Bind to a meeting: its folder and seed (for the model seats' prompts), its log's
        condition (to wake the runner) and a way to append an act."""
        self._folder, self._seed, self._changed, self._act = folder, seed, changed, act
        self.stats.notify = self.notify

    def option(self, can_simulate: bool) -> str:
        """Why a seat cannot be handed to a model ("" when it can)."""
        if self.opener is None:
            return self.unavailable or "no language model is configured"
        if not can_simulate:
            return "the delegation has no profile to fall back on"
        return ""

    # --- the model client ------------------------------------------------------------------

    def client(self) -> ModelClient:
        """The meeting's model client, opened on first use (call with :attr:`calling` held)."""
        if self._client is None:
            if self.opener is None:
                raise ModelUnavailable(self.unavailable or "no language model is configured")
            self._client = self.opener()
        return self._client

    def close(self, timeout: float = 10.0) -> None:
        """Stop every job at its next call and close the client (waiting up to `timeout` s for
        a call in flight: an in-process model must not be freed while it computes)."""
        for job in list(self.jobs.values()):
            job.handed_on = job.handed_on or "the server is shutting down"
        if self.calling.acquire(timeout=timeout):
            try:
                if self._client is not None:
                    self._client.close()
                    self._client = None
            finally:
                self.calling.release()

    # --- jobs (every method below is called with the log lock held) ---------------------------

    def busy(self) -> bool:
        """A job is working whose answer may still be used."""
        return any(not j.done and not j.handed_on for j in self.jobs.values())

    def ensure(
        self, delegation: str, key: str, request: Request[Any], simulated: Seat, upto: list[Record]
    ) -> ModelJob:
        """The job answering request `key`, started now if there is none; `upto` is the record
        up to the request (what the prompt recalls)."""
        job = self.jobs.get(key)
        if job is not None:
            return job
        job = ModelJob(key, delegation, request, copy.deepcopy(simulated))
        job.seat = self._seat(delegation, _JobClient(self, job), job.fallback, upto, self.reasks)
        self.jobs[key] = job
        thread = threading.Thread(target=self._work, args=(job,), name=f"model-{key}")
        thread.daemon = True
        thread.start()
        return job

    def _seat(
        self,
        delegation: str,
        client: ModelClient,
        fallback: Seat,
        upto: Sequence[Record],
        reasks: int,
        stats: ModelStats | None = None,
    ) -> ModelSeat:
        folder = self._folder
        assert folder is not None and folder.profiles is not None, "attach() first"
        meeting = folder.meeting
        entry = next(d for d in meeting.delegations if d.id == delegation)
        labels = {d.id: d.label for d in folder.profiles.dimensions}
        view = SeatView(
            entry.id,
            entry.name,
            entry.country,
            folder.profiles.profile(delegation),
            labels,
            self._seed,
        )
        recalled = list(upto)
        return ModelSeat(
            view,
            client,
            fallback,
            reasks=reasks,
            participants=participant_names(meeting),
            stats=stats or self.stats,
            history=lambda d: history(recalled, d),
        )

    def _work(self, job: ModelJob) -> None:
        assert job.seat is not None
        answer: Any = None
        error = ""
        try:
            answer = job.seat.answer(job.request)
        except HandedOn:
            error = "stopped before its next call"
        except ModelUnavailable as exc:
            error = f"the model could not be opened: {exc}"
        except Exception as exc:  # recorded and handed on; never a traceback in the meeting
            error = f"{type(exc).__name__}: {exc}"
        assert self._changed is not None
        with self._changed:
            job.answer, job.error, job.done = answer, error, True
            if job.handed_on:
                self._drop(job)
            self._changed.notify_all()

    def take(self, job: ModelJob) -> tuple[Any, list[Event]]:
        """The finished job's answer and the events its model seat wrote; the job's copy of
        the simulated seat becomes the delegation's (its generator moved on in the job)."""
        assert job.seat is not None and job.done and not job.error and not job.handed_on
        job.taken = True
        del self.jobs[job.key]
        return job.answer, list(job.seat.events)

    def hand_on(self, job: ModelJob, reason: str) -> None:
        """The request was resolved otherwise: stop the job; its work is recorded as dropped
        when it ends (now, if it has ended)."""
        if job.taken or job.handed_on:
            return
        job.handed_on = reason
        self.jobs.pop(job.key, None)
        if job.done:
            self._drop(job)

    def _drop(self, job: ModelJob) -> None:
        assert job.seat is not None and self._act is not None
        calls = [e.payload() for e in job.seat.events if isinstance(e, ModelCalled)]
        valid = job.answer is not None and not job.error
        reason = job.handed_on + (f" ({job.error})" if job.error else "")
        self._act(
            ModelAnswerDropped(
                key=job.key,
                delegation=job.delegation,
                request=job.request.request_kind,
                reason=reason,
                answer=_encoded(job.request, job.answer) if valid else None,
                calls=calls,
            )
        )

    # --- replay ------------------------------------------------------------------------------

    def replay(
        self,
        delegation: str,
        request: Request[Any],
        simulated: Seat,
        upto: Sequence[Record],
        records: Callable[[], list[Record]],
    ) -> tuple[Any, list[Event], Seat]:
        """Answer a recorded model answer again from the record's `model_called` events
        (:class:`~detente.models.replay.ReplayClient`; `records` gives the whole log, read
        once). Returns the answer, the model seat's events and its advanced fallback."""
        if self._replay is None:
            self._replay = ReplayClient(records())
        reasks = self._replay.reasks
        fallback = copy.deepcopy(simulated)
        seat = self._seat(
            delegation,
            self._replay,
            fallback,
            upto,
            self.reasks if reasks is None else reasks,
            stats=ModelStats(),
        )
        return seat.answer(request), list(seat.events), fallback


def _encoded(request: Request[Any], answer: Any) -> dict[str, Any]:
    from detente.web.api import encode_answer

    return encode_answer(type(request), answer)
