"""What every command shares, whichever plugin adds it: the consoles, the common options, loading
a meeting folder with located errors, and where a meeting's outputs go.

Command modules of domains import these from here, never from :mod:`detente.cli`: the CLI host
hands its app to :func:`detente.hooks.detente_commands`, so no domain depends on the CLI.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from detente.diagnostics import Diagnostic, InputError, Severity

if TYPE_CHECKING:
    from detente.meeting.loader import MeetingFolder

out_console = Console()
err_console = Console(stderr=True)

MeetingDir = Annotated[
    Path, typer.Argument(help="The meeting folder (holds meeting.yaml).", show_default=False)
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", help="Output folder [default: out/<meeting folder name>/]."),
]
DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="SQLite file of the event log [default: <out>/detente.db]; DATABASE_URL overrides.",
    ),
]


def print_diagnostics(diags: list[Diagnostic]) -> None:
    """Every diagnostic on stderr, errors red and warnings yellow, one per line."""
    for d in diags:
        style = "red" if d.severity is Severity.ERROR else "yellow"
        err_console.print(str(d), style=style, markup=False, highlight=False, soft_wrap=True)


def load(folder: Path) -> MeetingFolder:
    """The meeting folder, or exit 1 after printing its located errors."""
    from detente.meeting.loader import load_meeting

    try:
        return load_meeting(folder)
    except InputError as exc:
        print_diagnostics(exc.diagnostics)
        raise typer.Exit(1) from None


def out_dir(folder: Path, out: Path | None) -> Path:
    """Where a meeting's outputs live: `--out`, else `out/<meeting folder name>/`."""
    return out if out is not None else Path("out") / folder.resolve().name
