"""`detente common-ground`: common ground, opinion groups and divisions from a meeting's record or
from a Pol.is export.

PATH is a meeting folder (holds `meeting.yaml`; the record is read from `--out`, default
`out/<folder name>/`, like every command that reads a record) or a Pol.is open-data export folder
(`comments.csv` with `votes.csv` or `participants-votes.csv`). For a meeting, every statement
voted on in the meeting is analysed together (one row per seat position, delegations as known
groups), and each voted item is also analysed on its own under `items`. For a Pol.is export,
`--groups COLUMN` names a column of `participants-votes.csv` (e.g. `group-id`) whose values are
the known groups.
"""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from detente.console import out_dir
from detente.deliberation.analysis import RoomAnalysis, analyse_polis, analyse_votes
from detente.deliberation.plots import write_plots
from detente.deliberation.polis import PolisInputError, load_polis_export
from detente.deliberation.votes import ItemBallot, VoteRecordError, ballots_from_records
from detente.diagnostics import InputError
from detente.meeting.loader import MEETING_FILE, load_meeting
from detente.store.log import EventStore

app = typer.Typer()
"""This module's commands; its plugin adds them to the CLI (`hooks.detente_commands`)."""


out_console = Console()
err_console = Console(stderr=True)


class CommonGroundFormat(StrEnum):
    text = "text"
    json = "json"


class CommonGroundError(Exception):
    """Bad input for the command; the message says what and where."""


def _fail(message: str) -> typer.Exit:
    err_console.print(message, style="red", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(1)


def read_group_column(folder: Path, column: str) -> dict[str, str | None]:
    """Participant id -> value of `column` in `participants-votes.csv` (None when empty)."""
    path = folder / "participants-votes.csv"
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
    except (OSError, csv.Error, UnicodeDecodeError) as exc:
        raise CommonGroundError(f"{path}: cannot read ({exc})") from None
    if not rows or column not in rows[0]:
        found = ", ".join(h for h in (rows[0] if rows else []) if not h.strip().isdigit())
        raise CommonGroundError(f"{path}:1: no column '{column}' (columns: {found or 'none'})")
    ci = rows[0].index(column)
    out: dict[str, str | None] = {}
    for line, row in enumerate(rows[1:], start=2):
        if len(row) <= ci or not row:
            raise CommonGroundError(f"{path}:{line}: row has no '{column}' field")
        value = row[ci].strip()
        out[row[0].strip()] = value or None
    return out


def _polis_analysis(folder: Path, groups: str | None) -> tuple[RoomAnalysis, dict[str, str]]:
    try:
        inp = load_polis_export(folder)
    except PolisInputError as exc:
        raise CommonGroundError(str(exc)) from None
    known = read_group_column(folder, groups) if groups else None
    texts: dict[str, str] = {}
    try:
        with (folder / "comments.csv").open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                texts[str(row.get("comment-id", ""))] = str(row.get("comment-body", ""))
    except (OSError, csv.Error, UnicodeDecodeError):
        texts = {}
    return analyse_polis(inp, known=known), texts


def _meeting_ballots(folder: Path, out: Path | None) -> tuple[list[str], dict[str, ItemBallot]]:
    try:
        loaded = load_meeting(folder)
    except InputError as exc:
        raise CommonGroundError(str(exc)) from None
    meeting_id = loaded.meeting.meeting.id
    store = EventStore.open(out_dir(folder, out) / "detente.db")
    try:
        records = store.read(meeting_id)
    finally:
        store.close()
    if not records:
        raise CommonGroundError(
            f"No record for meeting '{meeting_id}' in {out_dir(folder, out)}; "
            f"run `detente run {folder}` first."
        )
    try:
        ballots = ballots_from_records(records)
    except VoteRecordError as exc:
        raise CommonGroundError(f"{out_dir(folder, out) / 'detente.db'}: {exc}") from None
    return [d.id for d in loaded.meeting.delegations], ballots


def _ballot_analysis(ballots: list[ItemBallot], delegations: list[str]) -> RoomAnalysis:
    statements = [s for b in ballots for s in b.statements]
    votes = [t for b in ballots for t in b.triples()]
    known: dict[str, str | None] = {}
    for b in ballots:
        known.update(b.groups())
    return analyse_votes(statements, votes, known=known, delegations=delegations)


def _render_text(doc: dict[str, Any], source: str) -> None:
    out_console.print(f"[bold]Common ground[/bold] — {source}")
    out_console.print(
        f"status: {doc['status']}; {doc['participants']} participants, "
        f"{len(doc['statements'])} statements"
    )
    for note in doc.get("notes", []):
        out_console.print(f"note: {note}", markup=False, highlight=False)
    if "tiers" in doc:
        rows = {r["statement_id"]: r for r in doc["common_ground"]["per_statement"]}
        table = Table(title="Statements by tier (known groups)", header_style="bold")
        for col in ("tier", "statement", "counts by group"):
            table.add_column(col, overflow="fold")
        for tier, ids in doc["tiers"].items():
            for sid in ids:
                table.add_row(tier, sid, rows[sid]["label"])
        out_console.print(table)
        out_console.print("Common ground, best first: " + ", ".join(doc["consensus"][:10]))
    else:
        out_console.print("Pol.is consensus (agree): " + (", ".join(doc["consensus"]) or "none"))
    sizes: dict[str, int] = {}
    for g in doc["groups"].values():
        if g is not None:
            sizes[g] = sizes.get(g, 0) + 1
    if sizes:
        table = Table(title=f"Opinion groups ({doc['emergent']['status']})", header_style="bold")
        for col in ("group", "members", "representative statements"):
            table.add_column(col, overflow="fold")
        for g in sorted(sizes, key=lambda x: (len(x), x)):
            table.add_row(g, str(sizes[g]), ", ".join(doc["repness"].get(g, [])))
        out_console.print(table)
    _render_diagnostics(doc["emergent"].get("diagnostics") or {})
    comparison = doc.get("comparison")
    if comparison:
        table = Table(
            title=f"Opinion groups × known groups (ARI {comparison['ari']:.3f})",
            header_style="bold",
        )
        table.add_column("group")
        for k in comparison["known"]:
            table.add_column(k, justify="right")
        for g, row in zip(comparison["groups"], comparison["table"], strict=True):
            table.add_row(g, *(str(x) for x in row))
        out_console.print(table)
        for c in comparison["coalitions"]:
            out_console.print(
                f"coalition: group {c['group']} spans {', '.join(c['delegations'])}; "
                f"bridges: {', '.join(c['bridges'][:5]) or 'none'}",
                markup=False,
                highlight=False,
            )


def _render_diagnostics(diag: dict[str, Any]) -> None:
    """Pol.is clustering diagnostics: k, silhouettes, who is in and why others are not."""
    if not diag:
        return
    sil = ", ".join(
        f"k={k}: {'n/a' if v is None else f'{v:.3f}'}" for k, v in diag["silhouettes"].items()
    )
    out_console.print(
        f"clustering ({diag['method']}): k = {diag['k']}; silhouette {sil or 'n/a'}; "
        f"{diag['in_conversation']} of {diag['participants']} participants in the conversation "
        f"(at least {diag['min_votes']} votes)",
        markup=False,
        highlight=False,
    )
    reasons: dict[str, list[str]] = {}
    for pid, reason in diag["ungrouped"].items():
        reasons.setdefault(reason, []).append(pid)
    for reason, pids in sorted(reasons.items(), key=lambda r: -len(r[1])):
        shown = ", ".join(pids[:8]) + (f" and {len(pids) - 8} more" if len(pids) > 8 else "")
        out_console.print(f"ungrouped: {shown}: {reason}", markup=False, highlight=False)


@app.command("common-ground")
def common_ground(
    path: Annotated[
        Path,
        typer.Argument(
            help="A meeting folder (meeting.yaml) or a Pol.is export folder "
            "(comments.csv + votes.csv or participants-votes.csv).",
            show_default=False,
        ),
    ],
    groups: Annotated[
        str | None,
        typer.Option(
            "--groups",
            help="Pol.is export only: the participants-votes.csv column holding known groups "
            "(e.g. group-id).",
        ),
    ] = None,
    fmt: Annotated[
        CommonGroundFormat, typer.Option("--format", help="Readable text or JSON.")
    ] = CommonGroundFormat.text,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Meeting only: output folder [default: out/<folder name>/]."),
    ] = None,
    plots: Annotated[
        Path | None,
        typer.Option("--plots", help="Also write the opinion map and agreement chart here."),
    ] = None,
) -> None:
    """Common ground, divisions and opinion groups from a meeting's votes or a Pol.is export.

    The JSON has `groups` (participant → opinion group), `consensus` (statement ids, best
    first), `repness` (group → statement ids), `gic` (statement → group-informed consensus),
    `projection` (participant → x, y), `emergent.diagnostics` (k chosen, silhouette per k,
    participants in the conversation, why each ungrouped participant is) and, with known
    groups (delegations; --groups for an export), `tiers` (tier → statement ids).
    """
    # Long only by its Typer option declarations; the body is 35 lines.
    try:
        if (path / MEETING_FILE).exists():
            if groups is not None:
                raise CommonGroundError(
                    "--groups applies to a Pol.is export; a meeting's known "
                    "groups are its delegations"
                )
            delegations, ballots = _meeting_ballots(path, out)
            voted = [b for b in ballots.values() if b.final]
            if not voted:
                raise CommonGroundError(f"the record of {path} holds no votes")
            analysis = _ballot_analysis(voted, delegations)
            doc = analysis.to_json()
            doc["items"] = {b.item_id: _ballot_analysis([b], delegations).to_json() for b in voted}
            texts = {s: e.text for b in voted for s, e in b.statements.items()}
        elif (path / "participants-votes.csv").exists() or (path / "votes.csv").exists():
            analysis, texts = _polis_analysis(path, groups)
            doc = analysis.to_json()
        else:
            raise CommonGroundError(
                f"{path}: neither a meeting folder ({MEETING_FILE}) nor a Pol.is export "
                "(comments.csv + votes.csv or participants-votes.csv)"
            )
    except CommonGroundError as exc:
        raise _fail(str(exc)) from None
    if plots is not None:
        written, skipped = write_plots(analysis, plots, texts=texts)
        for reason in skipped:
            err_console.print(f"plot skipped: {reason}", markup=False, highlight=False)
        if written:
            err_console.print(f"wrote {len(written)} plot files to {plots}", highlight=False)
    if fmt is CommonGroundFormat.json:
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, allow_nan=False, indent=1) + "\n")
    else:
        _render_text(doc, str(path))
