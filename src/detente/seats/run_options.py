"""The seats of a `detente run`: from `--seat`, `--seats`, `--replay` and the model options.

Kept apart from the command line so the CLI stays a thin layer: :func:`prepare_seats` returns the
seats (None: the default simulated seats, unchecked, exactly as before model seats existed), the
seed to run with, the exceptions that must stop the run (a replay that no longer matches its
record), and the one-line summary of the model calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from detente.meeting.loader import MeetingFolder
from detente.models.client import ModelClient, ModelUnavailable, open_client
from detente.models.config import config_from_env
from detente.models.replay import ReplayMismatch
from detente.seats.base import Seat
from detente.seats.choose import SeatChoiceError, build_seats, replay_seats, seat_kinds
from detente.seats.model import ModelStats
from detente.store.log import read_jsonl


@dataclass(frozen=True)
class SeatOptions:
    """The `run` command's seat and model options (None: not given)."""

    seed: int = 0
    specs: tuple[str, ...] = ()
    default: str | None = None
    replay: Path | None = None
    model_url: str | None = None
    model: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    timeout: float | None = None


@dataclass
class ChosenSeats:
    """What the run needs: `seats` (None: default), the seed, the fatal exception types, and
    the model clients opened for the seats, which :meth:`close` frees when the run is over."""

    seats: dict[str, Seat] | None
    seed: int
    stats: ModelStats = field(default_factory=ModelStats)
    fatal: tuple[type[Exception], ...] = (ReplayMismatch,)
    clients: list[ModelClient] = field(default_factory=list)

    def close(self) -> None:
        """Close every model client opened for this run (a local model is freed now, not by a
        finalizer at interpreter exit)."""
        while self.clients:
            self.clients.pop().close()

    def __enter__(self) -> ChosenSeats:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def summary(self) -> str:
        """One line on the model calls, or "" when no model seat took part."""
        if not self.stats.latency:
            return ""
        return self.stats.summary()


def prepare_seats(
    folder: MeetingFolder, options: SeatOptions, *, notify: Callable[[str], None] | None = None
) -> ChosenSeats:
    """The seats for a run; raises :class:`SeatChoiceError` with a one-line reason for a bad
    choice, an unreadable record or a model that cannot be opened."""
    stats = ModelStats(notify=notify)
    if options.replay is not None:
        try:
            records = read_jsonl(options.replay, folder.meeting.meeting.id)
        except (OSError, ValueError, KeyError) as exc:
            raise SeatChoiceError(f"{options.replay}: cannot read the record: {exc}") from None
        if not records:
            raise SeatChoiceError(
                f"{options.replay}: no record of meeting '{folder.meeting.meeting.id}'"
            )
        seats, seed = replay_seats(folder, records, stats=stats)
        return ChosenSeats(seats, seed, stats)
    if not options.specs and options.default is None:
        return ChosenSeats(None, options.seed, stats)
    delegations = [d.id for d in folder.meeting.delegations]
    kinds = seat_kinds(delegations, options.specs, options.default)
    config = config_from_env(
        url=options.model_url,
        model=options.model,
        temperature=options.temperature,
        max_tokens=options.max_tokens,
        timeout=options.timeout,
        seed=options.seed,
    )

    opened: list[ModelClient] = []

    def client() -> ModelClient:
        try:
            opened.append(open_client(config))
        except ModelUnavailable as exc:
            raise SeatChoiceError(f"model seats: {exc}") from None
        return opened[-1]

    seats = build_seats(folder, options.seed, kinds, client, reasks=config.reasks, stats=stats)
    return ChosenSeats(seats, options.seed, stats, clients=opened)
