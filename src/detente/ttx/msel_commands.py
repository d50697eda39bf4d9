"""`detente ttx msel export|import`: the MSEL between `scenario.yaml` and a spreadsheet.

The commands live in their own Typer group, `msel_app`, attached to the `ttx` group as
`detente ttx msel …`.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from detente.console import err_console, out_dir
from detente.diagnostics import Diagnostic, InputError
from detente.meeting.model import Meeting
from detente.sourcefile import load_model
from detente.text import match_language
from detente.ttx.commands import ttx_app
from detente.ttx.msel import (
    csv_text,
    msel_yaml,
    parse_mapping,
    read_msel,
    write_csv,
    write_xlsx,
)
from detente.ttx.scenario import InjectType, Scenario

msel_app = typer.Typer(
    name="msel",
    help="Master Scenario Events List: export to CSV/XLSX for the control cell, import back.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


class MselFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


def export_languages(folder: Path, declared: list[str]) -> list[str]:
    """The languages of an export: the scenario's, then the meeting's when `folder` is a meeting
    folder whose `meeting.yaml` declares more (unreadable meeting files are ignored here; `detente
    validate` reports them)."""
    languages = list(declared)
    meeting_file = folder / "meeting.yaml" if folder.is_dir() else folder.parent / "meeting.yaml"
    if meeting_file.is_file():
        try:
            meeting, _ = load_model(meeting_file, Meeting)
        except InputError:
            return languages
        languages += [c for c in meeting.meeting.languages if c not in languages]
    return languages


def _fail(diags: list[Diagnostic]) -> typer.Exit:
    for d in diags:
        err_console.print(str(d), style="red", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(1)


def _scenario_path(target: Path) -> Path:
    """`DIR/scenario.yaml`, or the file itself when a YAML file is given."""
    return target if target.suffix in (".yaml", ".yml") else target / "scenario.yaml"


@msel_app.command("export")
def export(
    folder: Annotated[
        Path,
        typer.Argument(help="The meeting folder (holds scenario.yaml), or a scenario file."),
    ],
    fmt: Annotated[
        MselFormat | None,
        typer.Option("--format", help="csv or xlsx [default: from -o's suffix, else csv]."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            "--out",
            help="Write to FILE [default: CSV to stdout; XLSX to out/<folder name>/msel.xlsx].",
        ),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            help="One-language sheet for a room, in one of the scenario's or meeting's languages "
            "(English where a text has no translation). Default: English plus a 'Title [xx]' "
            "column per language, which imports back without loss.",
        ),
    ] = None,
) -> None:
    """Write the scenario's MSEL as CSV or XLSX with the conventional column headings.

    The sheet includes facilitation rows (shaded in XLSX): it is for the control cell, not for
    players.
    """
    path = _scenario_path(folder)
    try:
        scenario, _ = load_model(path, Scenario)
    except InputError as exc:
        raise _fail(exc.diagnostics) from None
    chosen = fmt or (MselFormat.xlsx if output and output.suffix.lower() == ".xlsx" else None)
    chosen = chosen or MselFormat.csv
    languages = export_languages(folder, list(scenario.scenario.languages))
    lang = _sheet_language(language, languages)
    injects = scenario.msel
    if chosen is MselFormat.csv and output is None:
        sys.stdout.write(csv_text(injects, language=lang, languages=languages))
        return
    target = output or out_dir(folder if folder.is_dir() else folder.parent, None) / "msel.xlsx"
    target.parent.mkdir(parents=True, exist_ok=True)
    if chosen is MselFormat.xlsx:
        write_xlsx(injects, target, language=lang, languages=languages)
    else:
        write_csv(injects, target, language=lang, languages=languages)
    facilitation = sum(i.type is InjectType.FACILITATION for i in injects)
    err_console.print(
        f"{len(injects)} inject(s), {facilitation} facilitation row(s) → {target}",
        markup=False,
        highlight=False,
    )


def _sheet_language(asked: str | None, languages: list[str]) -> str | None:
    """The `--language` asked, as the export's language it matches (None when not asked: the
    sheet has every language); exit 1, located at `--language`, for a language the scenario
    and meeting do not have."""
    if asked is None:
        return None
    found = match_language(asked, languages)
    if found is None:
        raise _fail(
            [
                Diagnostic(
                    "--language",
                    0,
                    0,
                    (),
                    f"'{asked}' is not one of the languages of this scenario or meeting "
                    f"({', '.join(languages)})",
                )
            ]
        )
    return found


@msel_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="The MSEL spreadsheet (.csv or .xlsx).")],
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="'Heading=field' for a heading détente does not know (repeatable); "
            "field 'ignore' drops the column. See docs/formats/msel.md for the fields.",
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="XLSX sheet [default: 'MSEL', else the first sheet]."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write the YAML to FILE [default: stdout]."),
    ] = None,
) -> None:
    """Read an MSEL spreadsheet and write the `msel:` block to paste into scenario.yaml.

    Errors name the cell (CSV `FILE:LINE:C`, XLSX `FILE:SHEET!C12`) and its heading; nothing is
    written when there is any.
    """
    try:
        injects = read_msel(file, mapping=parse_mapping(mapping or []), sheet=sheet)
    except InputError as exc:
        raise _fail(exc.diagnostics) from None
    text = msel_yaml(injects)
    if output is None:
        sys.stdout.write(text)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    err_console.print(f"{len(injects)} inject(s) → {output}", markup=False, highlight=False)


ttx_app.add_typer(msel_app, name="msel")
