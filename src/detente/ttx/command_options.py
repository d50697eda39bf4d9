"""What the `ttx` commands share: the meeting-folder argument, the options `ttx sweep` and
`ttx calibrate` both take, loading the folder's pack with located errors, the progress bar and
writing a JSON document. Declared once so the commands cannot drift apart."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from detente.console import err_console, print_diagnostics
from detente.diagnostics import Diagnostic, InputError

if TYPE_CHECKING:
    from detente.meeting.loader import MeetingFolder
    from detente.ttx.pack import Pack


class SweepFormat(StrEnum):
    """How a simulation command reports: tables, or its JSON document on stdout."""

    text = "text"
    json = "json"


PackDir = Annotated[
    Path, typer.Argument(help="The meeting folder (holds meeting.yaml and scenario.yaml).")
]
SeedOption = Annotated[int, typer.Option("--seed", min=0, metavar="N", help="Simulation seed.")]
FormatOption = Annotated[
    SweepFormat, typer.Option("--format", help="Tables, or the JSON document on stdout.")
]


def fail(diagnostics: list[Diagnostic]) -> typer.Exit:
    """Print the located diagnostics; the exit (code 1) for the caller to raise."""
    print_diagnostics(diagnostics)
    return typer.Exit(1)


def load_meeting_and_pack(folder: Path) -> tuple[MeetingFolder, Pack]:
    """The meeting folder and its scenario pack, or exit 1 after printing their located
    errors."""
    from detente.meeting.loader import load_meeting
    from detente.ttx.pack import load_pack

    try:
        meeting = load_meeting(folder)
        return meeting, load_pack(meeting.root, meeting=meeting)
    except InputError as exc:
        raise fail(exc.diagnostics) from None


@contextmanager
def progress_bar(
    label: str, unit: str, *, remaining: bool = False
) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr while the block runs; yields the `progress(done, total)`
    callback the simulations take. `remaining` adds an estimate of the time left."""
    columns: list[ProgressColumn] = [
        TextColumn(f"[bold]{label}[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit),
        TimeElapsedColumn(),
    ]
    if remaining:
        columns.append(TimeRemainingColumn())
    with Progress(*columns, console=err_console) as progress:
        task = progress.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield advance


def write_document(path: Path, data: Any) -> str:
    """Write `data` as indented UTF-8 JSON to `path` (its folder is made); returns the text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    path.write_text(document, encoding="utf-8")
    return document


__all__ = [
    "FormatOption",
    "PackDir",
    "SeedOption",
    "SweepFormat",
    "fail",
    "load_meeting_and_pack",
    "progress_bar",
    "write_document",
]
