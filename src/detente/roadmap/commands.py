"""`detente roadmap`: a held meeting's roadmap, from its record, with precise effects on demand.

DIR is a meeting folder; the record is read from `--out` (default `out/<folder name>/`), as every
command that reads a record. The command checks the measures catalog (and compiles its modifiers
against the scenario pack, so a modifier naming something the pack lacks is a located error
whatever the other options), folds the roadmap session's ratings from the record, and rebuilds
the analysis and the phased roadmap with the same code as the runner's Session 6.

Simulated effects: without `--runs`, those recorded by the run (a cheap sweep, see
:data:`detente.roadmap.activity.SWEEP_RUNS`); with `--runs N`, a new sweep of N runs per arm
(seed: `--seed`, else the recorded one) for precise estimates.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from detente.console import out_dir
from detente.diagnostics import Diagnostic, InputError, Severity
from detente.meeting.loader import MeetingFolder, load_meeting
from detente.roadmap.analysis import (
    RoadmapAnalysis,
    analyse_ratings,
    analysis_from_json,
    simulate_effects,
)
from detente.roadmap.catalog import (
    MEASURES_FILE,
    LoadedCatalog,
    compile_modifiers,
    load_catalog,
    no_scenario_warning,
)
from detente.roadmap.events import RoadmapAnalysed
from detente.roadmap.plots import write_plots
from detente.roadmap.ratings import RatingError, RatingSheet, sheets_from_records
from detente.roadmap.sequence import Roadmap, build_roadmap
from detente.store.events import decode
from detente.store.log import EventStore, Record
from detente.ttx.pack import has_pack, load_pack
from detente.ttx.sweep import MeasureEffect

app = typer.Typer()
"""This module's commands; its plugin adds them to the CLI (`hooks.detente_commands`)."""


out_console = Console()
err_console = Console(stderr=True)


class RoadmapFormat(StrEnum):
    text = "text"
    json = "json"


class RoadmapCommandError(Exception):
    """Bad input or a missing record; the message says what and where."""


def _print(diags: list[Diagnostic]) -> None:
    for d in diags:
        style = "red" if d.severity is Severity.ERROR else "yellow"
        err_console.print(str(d), style=style, markup=False, highlight=False, soft_wrap=True)


def _checked(folder: Path) -> tuple[MeetingFolder, LoadedCatalog]:
    """The meeting and its catalog, modifiers compiled against the pack; InputError otherwise."""
    loaded_meeting = load_meeting(folder)
    catalog = load_catalog(loaded_meeting)
    if catalog is None:
        raise RoadmapCommandError(f"{folder}: no measures catalog ({MEASURES_FILE})")
    _print(list(catalog.warnings))
    if catalog.has_modifiers:
        if has_pack(folder):
            compile_modifiers(catalog, load_pack(folder, meeting=loaded_meeting))
        else:
            warning = no_scenario_warning(catalog)
            _print([warning] if warning is not None else [])
    return loaded_meeting, catalog


def _records(meeting: MeetingFolder, folder: Path, out: Path | None) -> list[Record]:
    target = out_dir(folder, out)
    store = EventStore.open(target / "detente.db")
    try:
        records = store.read(meeting.meeting.meeting.id)
    finally:
        store.close()
    if not records:
        raise RoadmapCommandError(
            f"No record for meeting '{meeting.meeting.meeting.id}' in {target}; "
            f"run `detente run {folder}` first."
        )
    return records


def _recorded(records: list[Record], item_id: str) -> RoadmapAnalysis | None:
    """The last roadmap analysis the record holds for `item_id`."""
    found = None
    for r in records:
        if r.kind == RoadmapAnalysed.kind:
            event = decode(r)
            assert isinstance(event, RoadmapAnalysed)
            if event.item_id == item_id:
                found = event.result
    return analysis_from_json(found) if found is not None else None


def build(
    folder: Path, out: Path | None, runs: int | None, seed: int | None
) -> tuple[MeetingFolder, LoadedCatalog, RoadmapAnalysis, Roadmap]:
    """Everything the command shows; raises InputError, RatingError or RoadmapCommandError."""
    meeting, catalog = _checked(folder)
    records = _records(meeting, folder, out)
    item_id = catalog.item.id
    assert item_id is not None
    sheet: RatingSheet | None = sheets_from_records(records).get(item_id)
    if sheet is None or not sheet.final:
        raise RoadmapCommandError(
            f"the record holds no ratings for the roadmap session '{item_id}'; it has not run"
        )
    recorded = _recorded(records, item_id)
    effects: Mapping[str, Mapping[str, MeasureEffect]]
    if runs is None and recorded is None:
        effects, outcomes, used_runs, used_seed = {}, {}, None, None
        note = "no effects were recorded"
    elif runs is None and recorded is not None:
        effects = {m.measure_id: m.effects for m in recorded.measures if m.effects}
        outcomes = dict(recorded.outcomes)
        used_runs, used_seed, note = recorded.runs, recorded.seed, recorded.effects_note
    else:
        assert runs is not None
        recorded_seed = recorded.seed if recorded is not None else None
        used_seed = seed if seed is not None else int(recorded_seed or 0)
        with Progress(
            TextColumn("[bold]sweep"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        ) as bar:
            task = bar.add_task("sweep", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            simulated = simulate_effects(
                meeting, catalog, runs=runs, seed=used_seed, progress=progress
            )
        effects, outcomes = simulated.effects, dict(simulated.outcomes)
        used_runs, used_seed, note = simulated.runs, simulated.seed, simulated.note
    analysis = analyse_ratings(
        sheet,
        [(m.id, m.category) for m in catalog.measures],
        [d.id for d in meeting.meeting.delegations],
        effects=effects,
        outcomes=outcomes,
        runs=used_runs,
        seed=used_seed,
        effects_note=note,
    )
    roadmap = build_roadmap(analysis, catalog.catalog, [c.id for c in catalog.categories])
    return meeting, catalog, analysis, roadmap


def document(
    meeting: MeetingFolder, catalog: LoadedCatalog, analysis: RoadmapAnalysis, roadmap: Roadmap
) -> dict[str, Any]:
    """The JSON document: every measure with id, title, category, tier, per-delegation support
    counts, phase (null when for further dialogue, with the reason), feasibility, horizon and
    effect estimates with intervals; then the phases, the outcomes and the notes."""
    dialogue = {d.measure_id: d for d in roadmap.further_dialogue}
    titles = {m.id: m.title.en for m in catalog.measures}
    measures = []
    for m in analysis.measures:
        doc = m.to_json()
        doc["title"] = titles.get(m.measure_id, m.measure_id)
        doc["phase"] = roadmap.phase_of(m.measure_id)
        entry = dialogue.get(m.measure_id)
        doc["further_dialogue"] = entry.reason if entry is not None else None
        measures.append(doc)
    return {
        "meeting": meeting.meeting.meeting.id,
        "item": catalog.item.id,
        "status": analysis.status,
        "rule": "support > 0 agree, < 0 disagree, 0 pass",
        "delegations": list(analysis.delegations),
        "participants": analysis.participants,
        "observers": analysis.observers,
        "runs": analysis.runs,
        "seed": analysis.seed,
        "effects_note": analysis.effects_note,
        "outcomes": dict(analysis.outcomes),
        "measures": measures,
        "phases": roadmap.to_json()["phases"],
        "further_dialogue": [d.to_json() for d in roadmap.further_dialogue],
        "notes": list(analysis.notes),
    }


def _render_text(doc: dict[str, Any]) -> None:
    out_console.print(f"[bold]Roadmap[/bold] — {doc['meeting']} ({doc['item']})")
    out_console.print(
        f"{doc['participants']} participants rated {len(doc['measures'])} measures "
        f"({doc['rule']}); effects: {doc['effects_note']}",
        markup=False,
        highlight=False,
    )
    table = Table(header_style="bold")
    for col in ("measure", "category", "tier", "support by delegation", "phase", "feasibility"):
        table.add_column(col, overflow="fold")
    for m in sorted(doc["measures"], key=lambda m: (m["phase"] is None, m["phase"] or 0)):
        feas = m["mean_feasibility"]
        table.add_row(
            m["id"],
            m["category"],
            m["tier"],
            m["label"],
            str(m["phase"]) if m["phase"] is not None else "dialogue",
            f"{feas:.1f}" if feas is not None else "—",
        )
    out_console.print(table)
    for d in doc["further_dialogue"]:
        out_console.print(
            f"for further dialogue: {d['id']} — {d['reason']}; supports: "
            f"{', '.join(d['supports']) or 'none'}; objects: {', '.join(d['objects']) or 'none'}",
            markup=False,
            highlight=False,
        )
    if not doc["outcomes"]:
        return
    effects = Table(title=f"Simulated effects ({doc['runs']} runs per arm)", header_style="bold")
    effects.add_column("measure", overflow="fold")
    for label in doc["outcomes"].values():
        effects.add_column(label[:24], justify="right", overflow="fold")
    for m in doc["measures"]:
        if not m["effects"]:
            continue
        cells = []
        for outcome in doc["outcomes"]:
            e = m["effects"].get(outcome)
            if e is None:
                cells.append("—")
                continue
            d = e["difference"]
            cells.append(
                f"{d['estimate'] * 100:+.1f} [{d['low'] * 100:+.1f}, {d['high'] * 100:+.1f}]"
            )
        effects.add_row(m["id"], *cells)
    out_console.print(effects)


@app.command("roadmap")
def roadmap_command(
    folder: Annotated[
        Path, typer.Argument(help="The meeting folder (holds meeting.yaml).", show_default=False)
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder [default: out/<meeting folder name>/]."),
    ] = None,
    fmt: Annotated[
        RoadmapFormat, typer.Option("--format", help="Readable text or JSON.")
    ] = RoadmapFormat.text,
    runs: Annotated[
        int | None,
        typer.Option(
            "--runs",
            min=1,
            help="Recompute the simulated effects with N runs per arm [default: those recorded].",
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="Seed of a new sweep [default: the recorded one]."),
    ] = None,
    plots: Annotated[
        Path | None,
        typer.Option("--plots", help="Also write the roadmap chart and forest plot here."),
    ] = None,
) -> None:
    """The roadmap of cooperative measures of a held meeting, from its record.

    The JSON lists every measure with id, category, tier, per-delegation support counts, phase
    and effect estimates with 95% intervals, then the phases and the measures for further
    dialogue (with supporting and objecting delegations).
    """
    try:
        meeting, catalog, analysis, built = build(folder, out, runs, seed)
    except InputError as exc:
        _print(exc.diagnostics)
        raise typer.Exit(1) from None
    except (RatingError, RoadmapCommandError) as exc:
        err_console.print(str(exc), style="red", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    doc = document(meeting, catalog, analysis, built)
    if plots is not None:
        written = write_plots(analysis, built, catalog, plots, prefix=str(catalog.item.id))
        err_console.print(f"wrote {len(written)} plot files to {plots}", highlight=False)
    if fmt is RoadmapFormat.json:
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, allow_nan=False, indent=1) + "\n")
    else:
        _render_text(doc)


__all__ = ["build", "document", "roadmap_command"]
