"""`detente report`: write the participant packs, facilitator handbook, after-action report and
meeting report into `<out>/reports/`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from detente.access import AccessError
from detente.console import DbOption, MeetingDir, OutOption, out_dir
from detente.console import err_console as console
from detente.diagnostics import Diagnostic, InputError
from detente.document.context import DEFAULT_BASE_URL
from detente.document.inputs import Made
from detente.document.sections import KINDS
from detente.meeting.loader import load_meeting
from detente.public_url import decide_public_url
from detente.report.render import EXTRA_KINDS, FORMATS, ReportInputs, make_documents

app = typer.Typer()
"""This module's commands; its plugin adds them to the CLI (`hooks.detente_commands`)."""


class Kind(StrEnum):
    pack = "pack"
    handbook = "handbook"
    aar = "aar"
    meeting = "meeting"
    handouts = "handouts"
    paper = "paper"
    all = "all"


class Format(StrEnum):
    html = "html"
    pdf = "pdf"
    md = "md"
    all = "all"


def _fail(diagnostics: list[Diagnostic]) -> typer.Exit:
    for d in diagnostics:
        console.print(str(d), style="red", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(1)


@app.command()
def report(
    folder: MeetingDir,
    out: OutOption = None,
    db: DbOption = None,
    kind: Annotated[
        list[Kind] | None,
        typer.Option("--kind", help="Which documents (repeatable) [default: all]."),
    ] = None,
    fmt: Annotated[
        list[Format] | None,
        typer.Option("--format", help="Output formats (repeatable) [default: pdf]."),
    ] = None,
    no_annex: Annotated[
        bool, typer.Option("--no-annex", help="Leave the participants annex out of the report.")
    ] = False,
    language: Annotated[
        list[str] | None,
        typer.Option(
            "--language",
            help="Language of the meeting report (repeatable: one edition each, "
            "meeting-report-<language> beside English's meeting-report); en, zh and ru have "
            "catalogs, another language is written in English with a warning [default: en]. "
            "Packs and handouts are in their delegation's language.",
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="Address of the live meeting app printed in the packs' join links (saved in "
            "<out> for `serve`) [default: $DETENTE_BASE_URL, else the address saved in <out>, "
            f"else {DEFAULT_BASE_URL}].",
        ),
    ] = None,
) -> None:
    """Write the meeting's documents into <out>/reports/.

    pack: one participant pack per delegation (in its language) and one for observers, each
    with join codes and QR codes for the live app; handbook: the facilitator handbook
    (confidential); aar: the tabletop exercise's after-action report; meeting: the meeting
    report under the Chatham House Rule; handouts: per delegation and move, the sheet handed out
    when the move opens (brief, injects, questions, options, decision form); paper: ballots and
    rating sheets per participant and the list of measures, for a room without devices. A
    document whose data does not exist yet is skipped
    with the reason (which session has not run); asking for it alone exits 1.
    """
    # Long only by its Typer option declarations; the body is 30 lines.
    try:
        loaded = load_meeting(folder)
    except InputError as exc:
        raise _fail(exc.diagnostics) from None
    target_out = out_dir(folder, out)
    kinds = [k.value for k in (kind or [Kind.all])]
    kinds = list(KINDS) + list(EXTRA_KINDS) if "all" in kinds else list(dict.fromkeys(kinds))
    formats = [f.value for f in (fmt or [Format.pdf])]
    formats = list(FORMATS) if "all" in formats else list(dict.fromkeys(formats))
    url = _base_url(target_out, base_url, packs="pack" in kinds)
    try:
        inputs = ReportInputs.load(
            loaded,
            target_out,
            db=db,
            base_url=url,
            annex=not no_annex,
            languages=language or ["en"],
        )
    except InputError as exc:
        raise _fail(exc.diagnostics) from None
    except AccessError as exc:
        console.print(str(exc), style="red", markup=False, highlight=False)
        raise typer.Exit(1) from None
    target = target_out / "reports"
    results = make_documents(inputs, kinds, formats, target)
    written, unavailable = _tell(results, alone=len(kinds) == 1)
    console.print(f"{written} file(s) in {target}", markup=False, highlight=False)
    if unavailable and (len(kinds) == 1 or written == 0):
        raise typer.Exit(1)


def _base_url(out: Path, given: str | None, *, packs: bool) -> str:
    """The live app's address for the join links (:func:`decide_public_url`), with a note when
    `packs` are printed with the rehearsal default and a warning when it replaces the address
    earlier documents in `out` carry."""
    decided = decide_public_url(out, given)
    url = decided.url
    if decided.source == "default" and packs:
        console.print(
            f"note: the packs' join links and QR codes use {url}, the rehearsal address on this "
            "laptop, which participants' phones cannot reach; for the venue print them with "
            "--base-url (the address the room's devices will use)",
            style="yellow",
            markup=False,
            highlight=False,
        )
    if decided.replaced is not None:
        console.print(
            f"warning: the live app's address is now {url}; documents and the join sheet made "
            f"earlier in {out} carry {decided.replaced}",
            style="yellow",
            markup=False,
            highlight=False,
        )
    return url


def _tell(results: list[Made], *, alone: bool) -> tuple[int, int]:
    """Print each document's warnings, why it was not made (in red when it was asked for
    `alone`) and the files written; return how many files were written and how many documents
    were not made."""
    written = 0
    unavailable = 0
    for made in results:
        for warning in made.warnings:
            console.print(
                f"warning: {made.request.slug}: {warning}",
                style="yellow",
                markup=False,
                highlight=False,
            )
        if made.unavailable:
            unavailable += 1
            console.print(
                f"{made.request.slug}: not made — {made.unavailable}",
                style="red" if alone else "yellow",
                markup=False,
                highlight=False,
            )
        for path in made.files:
            written += 1
            console.print(f"wrote {path}", markup=False, highlight=False)
    return written, unavailable
