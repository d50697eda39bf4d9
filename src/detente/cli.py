"""The `detente` command line: a thin layer over the packages, one command per job.

Every command that reads a meeting's record takes the meeting folder and `--out DIR`
(default `out/<meeting folder name>/`), where `detente run` writes the record.
"""

from __future__ import annotations

import difflib
import shutil
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
import typer.main
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from detente import __version__, plugins, registry, translations
from detente.console import (
    DbOption,
    MeetingDir,
    OutOption,
    err_console,
    out_console,
    out_dir,
)
from detente.console import load as _load
from detente.console import print_diagnostics as _print_diagnostics
from detente.diagnostics import Diagnostic, InputError, Severity
from detente.store.log import EventStore, Record, database_url, write_jsonl

if TYPE_CHECKING:
    from detente.meeting.loader import MeetingFolder
    from detente.seats.run_options import ChosenSeats, SeatOptions

__all__ = [
    "DbOption",
    "MeetingDir",
    "OutOption",
    "app",
    "err_console",
    "main",
    "out_console",
    "out_dir",
]

app = typer.Typer(
    name="detente",
    help="Prepare, run and report Track-2 dialogues that include a crisis tabletop exercise.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class LogFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"


class PluginFormat(StrEnum):
    text = "text"
    json = "json"


class AgendaFormat(StrEnum):
    md = "md"
    html = "html"
    ics = "ics"


def check_files(folder: MeetingFolder) -> list[Diagnostic]:
    """Every registered check of the folder's optional files (see
    :func:`detente.hooks.detente_file_checks`), in file-name order."""
    checks = registry.file_checks()
    return [d for name in sorted(checks) for d in checks[name](folder)]


def _store(folder: Path, out: Path | None, db: Path | None) -> EventStore:
    return EventStore.open(db or out_dir(folder, out) / "detente.db")


def _records(folder: MeetingFolder, out: Path | None, db: Path | None) -> list[Record]:
    store = _store(folder.root, out, db)
    try:
        records = store.read(folder.meeting.meeting.id)
    finally:
        store.close()
    if not records:
        err_console.print(
            f"No record for meeting '{folder.meeting.meeting.id}' in "
            f"{out_dir(folder.root, out)}; run `detente run {folder.root}` first.",
            style="red",
        )
        raise typer.Exit(1)
    return records


@app.callback(invoke_without_command=True)
def _main(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.")] = False,
) -> None:
    if version:
        out_console.print(f"detente {__version__}")
        raise typer.Exit(0)


@app.command()
def validate(
    folder: MeetingDir,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    languages: Annotated[
        bool,
        typer.Option(
            "--languages",
            help="Also report translation coverage: per file and field, how many texts lack "
            "each of the meeting's languages, and which languages have no catalog.",
        ),
    ] = False,
) -> None:
    """Check a meeting folder: schema, references and programme timing, and every optional file
    (scenario, statements, measures) it holds.

    Exit 0 when there are no errors, 1 when there are (with --strict, warnings count too).
    """
    from detente.meeting.checks import check_programme

    loaded = _load(folder)
    pauses = {
        item: spans
        for _, declared in plugins.results("detente_item_pauses", folder=loaded)
        for item, spans in declared.items()
    }
    findings = check_programme(loaded.meeting, loaded.source, pauses) + check_files(loaded)
    _print_diagnostics(findings)
    for _, note in plugins.results("detente_validate_notes", folder=loaded):
        if note is not None:
            err_console.print(note, markup=False, highlight=False, soft_wrap=True)
    errors = sum(d.severity is Severity.ERROR for d in findings)
    warnings = len(findings) - errors
    summary = f"{folder}: {errors} error(s), {warnings} warning(s)"
    err_console.print(summary, style="bold", markup=False, highlight=False)
    if languages:
        cov = translations.coverage(loaded)
        for line in translations.report(cov, loaded.meeting.meeting.languages):
            out_console.print(line, markup=False, highlight=False, soft_wrap=True)
    if errors or (strict and warnings):
        raise typer.Exit(1)


@app.command()
def agenda(
    folder: MeetingDir,
    fmt: Annotated[AgendaFormat, typer.Option("--format", help="Output format.")] = AgendaFormat.md,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to FILE instead of stdout.")
    ] = None,
) -> None:
    """Print the programme as Markdown, a self-contained HTML page or an iCalendar file."""
    from detente.meeting.agenda import render_agenda

    loaded = _load(folder)
    text = render_agenda(loaded, fmt.value)
    if output is None:
        sys.stdout.write(text)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8", newline="\n" if fmt != AgendaFormat.ics else "")
        err_console.print(f"wrote {output}")


@app.command()
def run(
    folder: MeetingDir,
    seed: Annotated[int, typer.Option("--seed", help="Simulation seed.")] = 0,
    out: OutOption = None,
    db: DbOption = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="Archive an existing SQLite record (as detente.db.prev) first."
        ),
    ] = False,
    seat: Annotated[
        list[str] | None,
        typer.Option(
            "--seat",
            help="Who holds a delegation's seat, DELEGATION=KIND (simulated or model); repeatable.",
        ),
    ] = None,
    seats: Annotated[
        str | None,
        typer.Option("--seats", help="The seat kind of every delegation not named by --seat."),
    ] = None,
    replay: Annotated[
        Path | None,
        typer.Option(
            "--replay",
            help="Replay a recorded meeting (its record.jsonl) without any model: same seats, "
            "same seed, byte-identical record.",
        ),
    ] = None,
    model_url: Annotated[
        str | None,
        typer.Option(
            "--model-url",
            help="OpenAI-compatible server for model seats, or `local` [env DETENTE_MODEL_URL; "
            "default: local].",
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model", help="Model name on the server, or a GGUF file for local [DETENTE_MODEL]."
        ),
    ] = None,
    temperature: Annotated[
        float | None, typer.Option("--temperature", help="Model sampling temperature [0.7].")
    ] = None,
    max_tokens: Annotated[
        int | None, typer.Option("--max-tokens", help="Default token limit per model call [300].")
    ] = None,
    timeout: Annotated[
        float | None, typer.Option("--timeout", help="Seconds per model server call [60].")
    ] = None,
) -> None:
    """Run the whole programme in simulation, recording every act in the event log.

    Writes the log, `record.jsonl` (same seed ⇒ byte-identical) and `summary.md` to --out.
    Seats are simulated profiles unless --seat/--seats give some to a language model (see
    docs/model-seats.md); then every seat's answers are also checked against its profile.
    """
    # Long only by its Typer option declarations; the body is 30 lines.
    from detente.seats.run_options import SeatOptions

    loaded = _load(folder)
    _refuse_file_errors(loaded)
    options = SeatOptions(
        seed=seed,
        specs=tuple(seat or ()),
        default=seats,
        replay=replay,
        model_url=model_url,
        model=model,
        temperature=temperature,
        max_tokens=max_tokens,
        timeout=timeout,
    )
    chosen = _choose_seats(loaded, options)
    target = out_dir(folder, out)
    target.mkdir(parents=True, exist_ok=True)
    store = _open_store(db or target / "detente.db", replace=replace)
    try:
        _run_with_progress(loaded, store, chosen, target)
        records = store.read(loaded.meeting.meeting.id)
    finally:
        store.close()
        chosen.close()
    _write_record(loaded, records, target)
    if chosen.summary():
        err_console.print(chosen.summary(), markup=False)


def _refuse_file_errors(loaded: MeetingFolder) -> None:
    """Exit 1, listing them, when the meeting's files have errors: nothing is recorded."""
    errors = [d for d in check_files(loaded) if d.severity is Severity.ERROR]
    if errors:
        _print_diagnostics(errors)
        err_console.print("nothing was recorded: fix these first (`detente validate`)", style="red")
        raise typer.Exit(1)


def _choose_seats(loaded: MeetingFolder, options: SeatOptions) -> ChosenSeats:
    """Who holds each seat for this run (exit 1 on a seat choice that cannot be met)."""
    from detente.seats.choose import SeatChoiceError
    from detente.seats.run_options import prepare_seats

    try:
        return prepare_seats(
            loaded,
            options,
            notify=lambda line: err_console.print(line, style="yellow", markup=False),
        )
    except SeatChoiceError as exc:
        err_console.print(str(exc), style="red", markup=False)
        raise typer.Exit(1) from None


def _open_store(db_path: Path, *, replace: bool) -> EventStore:
    """The event log at `db_path`; with `replace`, an existing SQLite file is first archived
    as `<name>.prev` (its WAL files removed), so the run starts a new record."""
    if replace and database_url(db_path).startswith("sqlite:///") and db_path.exists():
        archived = db_path.with_name(db_path.name + ".prev")
        shutil.move(db_path, archived)
        for suffix in ("-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        err_console.print(f"archived the previous record as {archived}")
    return EventStore.open(db_path)


def _run_with_progress(
    loaded: MeetingFolder, store: EventStore, chosen: ChosenSeats, target: Path
) -> None:
    """Run the programme into `store` with a progress bar of its items; exit 1 (the bar
    stopped) when a seat fails fatally, a record already exists, or the input is refused."""
    from detente.meeting.runner import RecordExistsError, run_meeting

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    ) as progress:
        items = loaded.meeting.items()
        task = progress.add_task("programme", total=len(items))

        def on_item(index: int, total: int, item: object) -> None:
            title = getattr(item, "title", "")
            progress.update(task, completed=index, description=f"{title[:40]:40}")

        try:
            run_meeting(
                loaded, store, seed=chosen.seed, seats=chosen.seats, on_item=on_item, out_dir=target
            )
        except chosen.fatal as exc:
            progress.stop()
            err_console.print(f"the run stopped: {exc}", style="red", markup=False)
            raise typer.Exit(1) from None
        except RecordExistsError as exc:
            progress.stop()
            err_console.print(f"{exc}. Use --replace to start a new record.", style="red")
            raise typer.Exit(1) from None
        except InputError as exc:
            progress.stop()
            _print_diagnostics(exc.diagnostics)
            raise typer.Exit(1) from None
        progress.update(task, completed=len(items), description="done")


def _write_record(loaded: MeetingFolder, records: list[Record], target: Path) -> None:
    """Write `record.jsonl` and `summary.md` into `target` and say so."""
    from detente.document.summary import render_summary
    from detente.meeting.state import meeting_state

    write_jsonl(records, target / "record.jsonl")
    (target / "summary.md").write_text(
        render_summary(loaded, meeting_state(records)), encoding="utf-8"
    )
    err_console.print(f"{len(records)} events → {target / 'record.jsonl'}, {target / 'summary.md'}")


def _item_for(folder: MeetingFolder, text: str) -> str:
    """The id of the programme item `text` names: an item id, or a session number."""
    items = [item for _, item in folder.meeting.items()]
    ids = [item.id for item in items if item.id is not None]
    if text in ids:
        return text
    if text.isdigit():
        for item in items:
            if item.session == int(text) and item.id is not None:
                return item.id
    close = difflib.get_close_matches(text, ids, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f"; items: {', '.join(ids)}"
    err_console.print(f"--session {text}: no programme item has this id or session number{hint}")
    raise typer.Exit(1)


@app.command("log")
def log_(
    folder: MeetingDir,
    out: OutOption = None,
    db: DbOption = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", help="Only these kinds.")] = None,
    actor: Annotated[list[str] | None, typer.Option("--actor", help="Only these actors.")] = None,
    session: Annotated[
        str | None,
        typer.Option(
            "--session",
            help="Only events of one programme item: its id (as in `detente agenda`) or its "
            "session number.",
        ),
    ] = None,
    fmt: Annotated[
        LogFormat, typer.Option("--format", help="A table, or JSON Lines as in record.jsonl.")
    ] = LogFormat.table,
) -> None:
    """List a meeting's events (filter by kind, actor, session)."""
    loaded = _load(folder)
    records = _records(loaded, out, db)
    zone = loaded.meeting.meeting.zone
    wanted_item = None if session is None else _item_for(loaded, session)
    current: str | None = None
    table = Table(show_lines=False, header_style="bold")
    for col in ("seq", "time", "actor", "kind", "visibility", "detail"):
        table.add_column(col, overflow="fold")
    shown = 0
    previous_ended = False
    for r in records:
        if r.kind == "item_started":
            current = str(r.payload.get("item_id"))
        elif previous_ended:
            current = None
        previous_ended = r.kind == "item_ended"
        if kind and r.kind not in kind:
            continue
        if actor and r.actor not in actor:
            continue
        if wanted_item is not None and current != wanted_item:
            continue
        shown += 1
        if fmt is LogFormat.jsonl:
            sys.stdout.write(r.to_json() + "\n")
            continue
        detail = ", ".join(
            f"{k}={v}" for k, v in r.payload.items() if isinstance(v, str | int) and k != "kind"
        )
        table.add_row(
            str(r.seq),
            f"{r.time.astimezone(zone):%Y-%m-%d %H:%M}",
            r.actor,
            r.kind,
            r.visibility,
            detail[:120],
        )
    if fmt is LogFormat.table:
        out_console.print(table)
    err_console.print(f"{shown} of {len(records)} events")


@app.command("plugins")
def plugins_(
    fmt: Annotated[
        PluginFormat, typer.Option("--format", help="A readable list, or JSON.")
    ] = PluginFormat.text,
) -> None:
    """List the loaded plugins (the built-in ones first, then those installed through the
    `detente.plugins` entry point group) and what each contributes: activities, event kinds,
    file checks, summary sections, commands, web forms, feed lines and report sections. A
    package whose plugin could not be loaded is listed with the reason."""
    from detente.plugin_list import describe, render_json, render_text

    found = describe(app)
    sys.stdout.write(render_json(found) if fmt is PluginFormat.json else render_text(found))


def command_names(group: typer.Typer) -> list[str]:
    """The names of the commands and groups added to `group` so far (a nameless group added
    with ``add_typer`` contributes its commands)."""
    names: list[str] = []
    for c in group.registered_commands:
        if c.name:
            names.append(c.name)
        elif c.callback is not None:
            names.append(typer.main.get_command_name(c.callback.__name__))
    for g in group.registered_groups:
        name = g.name or (g.typer_instance.info.name if g.typer_instance else None)
        if isinstance(name, str):
            names.append(name)
        elif g.typer_instance is not None:
            names += command_names(g.typer_instance)
    return names


plugins.load_once("detente_commands", lambda: command_names(app), app=app)
for _name, _reason in plugins.broken().items():
    err_console.print(f"plugin {_name} not loaded: {_reason}", style="yellow", markup=False)


def main() -> None:
    """Console-script entry point."""
    app()
