"""`detente ttx …`: check a scenario pack, and play one simulated exercise as a readable timeline.

`detente ttx play DIR` runs the same `ttx` activity the programme runner runs in Session 4, with
simulated seats and the automatic facilitator, and records it as its own record so it never mixes
with the record of `detente run`:

- database: `<out>/ttx-play.db` (SQLite; a previous play is archived as `ttx-play.db.prev`), or
  the `DATABASE_URL` database when that is set;
- meeting id: `<meeting id>-ttx-play`, so it cannot collide with the meeting's own record even in
  a shared database;
- `<out>/ttx-play.jsonl`: the record as JSON Lines (same seed ⇒ byte-identical).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from detente.console import err_console, out_console, out_dir
from detente.diagnostics import InputError
from detente.meeting.context import ActivityContext, local_time
from detente.meeting.events import FacilitatorNote, ItemEnded, MeetingClosed, MeetingOpened
from detente.meeting.loader import MeetingFolder
from detente.meeting.model import Item, ItemKind
from detente.meeting.runner import item_started, runner_rng, simulated_seats
from detente.names import plural
from detente.store.events import SYSTEM, decode
from detente.store.log import Draft, EventStore, Record, database_url, write_jsonl
from detente.store.visibility import FACILITATOR
from detente.ttx.activity import ttx as ttx_activity
from detente.ttx.command_options import PackDir, fail, load_meeting_and_pack
from detente.ttx.events import (
    TtxAdjudicationOverridden,
    TtxAdjudicationProposed,
    TtxDecisionMade,
    TtxExerciseEnded,
    TtxExerciseStarted,
    TtxInjectReleased,
    TtxMechanicsAudit,
    TtxMoveStarted,
    TtxNarrative,
)
from detente.ttx.pack import Pack

ttx_app = typer.Typer(
    help="Tabletop exercise: check a scenario pack, play it.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

PLAY_DB = "ttx-play.db"
PLAY_JSONL = "ttx-play.jsonl"
PLAY_SUFFIX = "-ttx-play"


@ttx_app.command("validate")
def validate(folder: PackDir) -> None:
    """Check the scenario pack against its schema, its own references and the meeting."""
    _, pack = load_meeting_and_pack(folder)
    s = pack.scenario
    err_console.print(
        f"{folder}: scenario '{s.scenario.id}' is valid — {len(s.moves)} moves, "
        f"{len(s.actions)} actions, {len(s.msel)} injects, {len(s.reactions)} reactions, "
        f"{len(s.chance)} chance events, {len(s.outcomes)} outcomes",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


def _exercise_item(folder: MeetingFolder, title: str) -> tuple[Item, dt.datetime]:
    """The programme's `ttx` item and its start, or a stand-in item at 09:00 on the first day."""
    for day, item in folder.meeting.items():
        if item.activity == "ttx":
            return item, local_time(folder, day, item.start or dt.time(9, 0))
    day = folder.meeting.programme[0]
    item = Item(id="ttx-play", kind=ItemKind.SESSION, title=title, activity="ttx")
    return item, local_time(folder, day, dt.time(9, 0))


@ttx_app.command("play")
def play(
    folder: PackDir,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Simulation seed.")] = 0,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder [default: out/<meeting folder name>/]."),
    ] = None,
) -> None:
    """Play one simulated exercise and print it as a timeline (facilitator's view).

    Records it in <out>/ttx-play.db under the meeting id `<meeting>-ttx-play` (the previous play is
    archived as ttx-play.db.prev) and writes <out>/ttx-play.jsonl; `detente run`'s record is not
    touched.
    """
    meeting, pack = load_meeting_and_pack(folder)
    target = out_dir(folder, out)
    target.mkdir(parents=True, exist_ok=True)
    db_path = target / PLAY_DB
    _archive_previous_play(db_path)
    meeting_id = meeting.meeting.meeting.id + PLAY_SUFFIX
    store = EventStore.open(db_path)
    try:
        if store.last_seq(meeting_id):
            err_console.print(
                f"the database already holds a play record '{meeting_id}'; use another database",
                style="red",
            )
            raise typer.Exit(1)
        records = _record_play(store, meeting_id, meeting, pack, seed)
    finally:
        store.close()
    write_jsonl(records, target / PLAY_JSONL)
    print_timeline(records, pack, meeting, out_console)
    err_console.print(f"{len(records)} events → {db_path} ({meeting_id}), {target / PLAY_JSONL}")


def _archive_previous_play(db_path: Path) -> None:
    """Move a previous SQLite play record aside as `ttx-play.db.prev` (dropping its WAL and
    shared-memory files); nothing when there is none or `DATABASE_URL` names another database."""
    if database_url(db_path).startswith("sqlite:///") and db_path.exists():
        shutil.move(db_path, db_path.with_name(PLAY_DB + ".prev"))
        for suffix in ("-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)


def _record_play(
    store: EventStore, meeting_id: str, meeting: MeetingFolder, pack: Pack, seed: int
) -> list[Record]:
    """Play the exercise once with simulated seats into `store` under `meeting_id`, as a
    one-item meeting (opened, the `ttx` item, closed); returns the records. Seats that cannot
    be simulated exit with their located diagnostics."""
    try:
        seats = simulated_seats(meeting, seed)
    except InputError as exc:
        raise fail(exc.diagnostics) from None
    item, start = _exercise_item(meeting, pack.scenario.scenario.title.en)

    def append(draft: Draft) -> Record:
        return store.append(meeting_id, [draft])[0]

    ctx = ActivityContext(
        folder=meeting,
        seats=seats,
        rng=runner_rng(seed, len(seats)),
        append=append,
        now=start,
    )
    assert item.id is not None
    ctx.emit(
        MeetingOpened(
            meeting_id=meeting_id,
            title=f"{meeting.meeting.meeting.title} — exercise play",
            mode="ttx-play",
            seed=seed,
            timezone=meeting.meeting.meeting.timezone,
            seats={d: s.kind for d, s in seats.items()},
        ),
        actor=SYSTEM,
    )
    ctx.emit(item_started(item, activity="ttx"), actor=FACILITATOR)
    ttx_activity(ctx, item)
    ctx.emit(ItemEnded(item_id=item.id), actor=FACILITATOR)
    ctx.emit(MeetingClosed(items_held=1), actor=SYSTEM)
    return store.read(meeting_id)


def print_timeline(
    records: list[Record], pack: Pack, meeting: MeetingFolder, console: Console
) -> None:
    """The exercise as the facilitator sees it: every event, private ones marked."""
    zone = meeting.meeting.meeting.zone
    labels = {a.id: a.label.en for a in pack.scenario.actions}
    for record in records:
        if not record.kind.startswith("ttx_") and record.kind != "facilitator_note":
            continue
        e = decode(record)
        clock = f"{record.time.astimezone(zone):%H:%M}"
        if isinstance(e, TtxExerciseStarted):
            console.rule(f"[bold]{e.title}[/bold] — {e.moves} moves, seed {e.seed}")
            players = ", ".join(f"{d} plays {a}" for a, d in e.players.items())
            console.print(players, highlight=False)
        elif isinstance(e, TtxMoveStarted):
            console.print()
            console.rule(f"[bold]Move {e.move} — {e.title}[/bold] ({e.scenario_time})")
            console.print(f"[dim]{clock}[/dim] {e.brief}", highlight=False)
        elif isinstance(e, TtxInjectReleased):
            _print_inject(e, clock, console)
        elif isinstance(e, TtxDecisionMade):
            chosen = "; ".join(labels.get(a, a) for a in e.actions) or "no action"
            console.print(
                f"[dim]{clock}[/dim] [cyan]{e.delegation}[/cyan] decides: {chosen}",
                highlight=False,
            )
        elif isinstance(e, TtxAdjudicationProposed):
            _print_adjudication(e, console)
        elif isinstance(e, TtxAdjudicationOverridden):
            console.print(f"[magenta]override[/magenta]: {e.effects} — {e.rationale}")
        elif isinstance(e, TtxMechanicsAudit):
            for entry in e.entries:
                console.print(
                    f"  [dim]{entry.variable}: {entry.before:g} → {entry.after:g} "
                    f"({entry.reason})[/dim]",
                    highlight=False,
                )
        elif isinstance(e, TtxNarrative):
            for delegation, statement in e.statements.items():
                console.print(f"[cyan]{delegation}[/cyan] says: “{statement}”", highlight=False)
            console.print(f"[green]{e.text}[/green]", highlight=False)
        elif isinstance(e, FacilitatorNote):
            console.print(f"[yellow]note[/yellow]: {e.text}", highlight=False)
        elif isinstance(e, TtxExerciseEnded):
            _print_end(e, console)


def _print_inject(e: TtxInjectReleased, clock: str, console: Console) -> None:
    """One released inject: number, type, audience, trigger, contingency flag and title."""
    audience = "facilitator only" if e.inject_type == "facilitation" else ", ".join(e.to)
    flag = " [yellow]contingency[/yellow]" if e.contingency else ""
    console.print(
        f"[dim]{clock}[/dim] ▸ inject {e.number} ({e.inject_type} → {audience}, "
        f"{e.trigger}){flag}: [bold]{e.title}[/bold]",
        highlight=False,
    )


def _print_adjudication(e: TtxAdjudicationProposed, console: Console) -> None:
    """The engine's proposal: a table of actions (applied or blocked), then the chance events
    that occurred and the escalation score per actor."""
    table = Table(title=f"Adjudication, move {e.move}", show_header=True)
    for column in ("actor", "action", "by", "result"):
        table.add_column(column)
    for r in e.actions:
        result = "applied" if r.applied else "blocked"
        table.add_row(r.actor, r.label + (" (private)" if r.private else ""), r.by, result)
    console.print(table)
    if e.chance:
        console.print(f"chance: {', '.join(e.chance)}", highlight=False)
    scores = ", ".join(f"{a} {v:+g}" for a, v in e.escalation.items())
    console.print(f"escalation: {scores}", highlight=False)


def _print_end(e: TtxExerciseEnded, console: Console) -> None:
    """The closing rule (moves played, the terminal outcome if any) and every outcome."""
    console.print()
    ended = f", ended by {e.ended_by}" if e.ended_by else ""
    console.rule(f"[bold]End after {plural(e.moves_played, 'move')}{ended}[/bold]")
    for o in e.outcomes:
        console.print(f"outcome in move {o.move}: {o.label}", highlight=False)
