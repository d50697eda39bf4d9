"""`detente ttx sweep DIR`: the Monte Carlo sweep of a meeting's scenario pack, with measures.

Measures named with ``--measure ID`` are looked up in the meeting folder's catalog
(`measures.yaml`, :class:`~detente.roadmap.measures.Catalog`, each measure's `modifier`) and in an
optional `modifiers.yaml` (a mapping ``id: Modifier`` in the scenario's modifier format, for
measures not in a catalog). Problems are reported with their file, line and column; an id found
in neither file is reported with the ids that exist.

Outputs go to ``<out>/ttx-sweep/``: `sweep.json` (the :meth:`SweepResult.to_json` document) and
the plots of :mod:`detente.ttx.sweep_plots`. ``--format json`` prints the same JSON on stdout.
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from pydantic import RootModel
from rich.table import Table

from detente.console import OutOption, err_console, out_console, out_dir
from detente.diagnostics import Diagnostic, InputError, PathPart
from detente.roadmap.measures import Catalog
from detente.schema_types import Id
from detente.sourcefile import SourceFile, read_yaml, validate
from detente.ttx.command_options import (
    FormatOption,
    PackDir,
    SeedOption,
    SweepFormat,
    fail,
    load_meeting_and_pack,
    progress_bar,
    write_document,
)
from detente.ttx.commands import ttx_app
from detente.ttx.modifiers import CompiledModifier, compile_modifier
from detente.ttx.pack import Pack
from detente.ttx.scenario import Modifier
from detente.ttx.simulation_options import count, repeated
from detente.ttx.sweep import DEFAULT_CHUNK, Interval, Quantiles, SweepResult, sweep
from detente.ttx.sweep_dask import SchedulerUnavailable
from detente.ttx.sweep_plots import write_plots

MEASURES_FILE = "measures.yaml"
MODIFIERS_FILE = "modifiers.yaml"
SWEEP_DIR = "ttx-sweep"
SWEEP_JSON = "sweep.json"


class ModifierFile(RootModel[dict[Id, Modifier]]):
    """`modifiers.yaml`: measure id → scenario modifier."""


def load_measures(
    root: Path, pack: Pack, ids: list[str]
) -> tuple[dict[str, CompiledModifier], dict[str, str]]:
    """Compile the modifiers of the measures `ids` from `root`'s measures.yaml / modifiers.yaml.

    Returns (measure id → compiled modifier, measure id → display title), in the order asked.
    Raises :class:`InputError` with located diagnostics for a file that does not validate, a
    measure without a modifier, a modifier naming something the pack lacks, or an unknown id.
    """
    files = _MeasureFiles.read(root)
    compiled: dict[str, CompiledModifier] = {}
    titles: dict[str, str] = {}
    diags: list[Diagnostic] = []
    for measure_id in dict.fromkeys(ids):
        try:
            compiled[measure_id], titles[measure_id] = files.modifier(measure_id, pack)
        except InputError as exc:
            diags += exc.diagnostics
    if diags:
        raise InputError(diags)
    return compiled, titles


@dataclass(frozen=True)
class _MeasureFiles:
    """A meeting folder's `measures.yaml` catalog and `modifiers.yaml`, validated, each with its
    source for locating problems (None for a file the folder does not have)."""

    root: Path
    catalog: Catalog | None
    catalog_source: SourceFile | None
    modifiers: dict[str, Modifier] | None
    modifiers_source: SourceFile | None

    @classmethod
    def read(cls, root: Path) -> _MeasureFiles:
        """Read and validate the files of `root` (:class:`InputError` for one that does not
        validate)."""
        catalog = modifiers = None
        catalog_source = modifiers_source = None
        if (root / MEASURES_FILE).is_file():
            catalog_source = read_yaml(root / MEASURES_FILE)
            catalog = validate(catalog_source, Catalog)
        if (root / MODIFIERS_FILE).is_file():
            modifiers_source = read_yaml(root / MODIFIERS_FILE)
            modifiers = validate(modifiers_source, ModifierFile).root
        return cls(root, catalog, catalog_source, modifiers, modifiers_source)

    def modifier(self, measure_id: str, pack: Pack) -> tuple[CompiledModifier, str]:
        """The measure's modifier compiled for `pack`, and its display title (the catalog's
        English title; the id for a measure of modifiers.yaml). :class:`InputError`, located,
        for an id defined in both files, a catalog measure without a modifier, a modifier the
        pack cannot take, or an id in neither file."""
        positions = {m.id: i for i, m in enumerate(self.catalog.measures)} if self.catalog else {}
        in_catalog = measure_id in positions
        in_modifiers = self.modifiers is not None and measure_id in self.modifiers
        if in_catalog and in_modifiers and self.modifiers_source is not None:
            raise InputError(
                [
                    self.modifiers_source.positions.diagnostic(
                        (measure_id,),
                        f"measure '{measure_id}' is also defined in {MEASURES_FILE}; "
                        "rename one of them",
                        key=True,
                    )
                ]
            )
        if in_catalog and self.catalog is not None and self.catalog_source is not None:
            i = positions[measure_id]
            measure = self.catalog.measures[i]
            if measure.modifier is None:
                raise InputError(
                    [
                        self.catalog_source.positions.diagnostic(
                            ("measures", i, "id"),
                            f"measure '{measure_id}' has no `modifier`: it does not change the "
                            "exercise, so it cannot be swept",
                        )
                    ]
                )
            path: tuple[PathPart, ...] = ("measures", i, "modifier")
            modifier, source, title = measure.modifier, self.catalog_source, measure.title.en
        elif in_modifiers and self.modifiers is not None and self.modifiers_source is not None:
            path = (measure_id,)
            modifier, source, title = self.modifiers[measure_id], self.modifiers_source, measure_id
        else:
            known = list(self.modifiers or {})
            raise InputError([_unknown(measure_id, self.root, list(positions), known)])
        return (
            compile_modifier(modifier, pack.compiled, source=source, path=path, name=measure_id),
            title,
        )


def _unknown(measure_id: str, root: Path, catalog: list[str], modifiers: list[str]) -> Diagnostic:
    known = catalog + modifiers
    if not known:
        message = (
            f"unknown measure '{measure_id}': {root} has no {MEASURES_FILE} or {MODIFIERS_FILE}"
        )
    else:
        close = difflib.get_close_matches(measure_id, known, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        shown = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
        message = (
            f"unknown measure '{measure_id}'{hint}: not in {MEASURES_FILE} or {MODIFIERS_FILE} "
            f"of {root}; known: {shown}"
        )
    return Diagnostic("--measure", 0, 0, (), message)


def _q(q: Quantiles | None) -> tuple[str, str, str, str]:
    if q is None:
        return "—", "—", "—", "—"
    return f"{q.q50:g}", f"{q.q25:g} to {q.q75:g}", f"{q.q05:g} to {q.q95:g}", f"{q.mean:.1f}"


def _pct(iv: Interval) -> str:
    return f"{100 * iv.estimate:.2f}% ({100 * iv.low:.2f}–{100 * iv.high:.2f})"


def _pp(iv: Interval) -> str:
    return f"{100 * iv.estimate:+.2f} ({100 * iv.low:+.2f} to {100 * iv.high:+.2f})"


def print_text(result: SweepResult, titles: dict[str, str]) -> None:
    """The sweep as tables: outcomes, escalation of all actors, each measure's effects."""
    table = Table(
        title=f"Outcomes — {result.runs:,} runs, seed {result.seed} (95% Wilson intervals)",
        header_style="bold",
    )
    for column in ("outcome", "runs", "probability (95% interval)"):
        table.add_column(column, overflow="fold")
    for o, iv in result.outcomes.items():
        table.add_row(
            result.outcome_labels.get(o, o), f"{result.outcome_counts.get(o, 0):,}", _pct(iv)
        )
    out_console.print(table)
    for cumulative in (False, True):
        title = (
            "Cumulative escalation score, all actors together (all runs)"
            if cumulative
            else "Escalation score in the move, all actors together (runs in play)"
        )
        table = Table(title=title, header_style="bold")
        columns = ["move", "median", "25–75%", "5–95%", "mean"]
        for column in columns if cumulative else [*columns[:1], "in play", *columns[1:]]:
            table.add_column(column, justify="right")
        for m in result.escalation:
            if cumulative:
                table.add_row(str(m.move), *_q(m.total_cumulative))
            else:
                table.add_row(str(m.move), f"{m.playing / result.runs:.1%}", *_q(m.total))
        out_console.print(table)
    for measure, by_outcome in result.effects.items():
        table = Table(
            title=f"Measure '{titles.get(measure, measure)}' ({measure}) against the baseline",
            caption="difference in percentage points, paired 95% interval (common random numbers)",
            header_style="bold",
        )
        for column in ("outcome", "baseline", "with the measure", "difference (pp)"):
            table.add_column(column, overflow="fold")
        for o, effect in by_outcome.items():
            table.add_row(
                result.outcome_labels.get(o, o),
                _pct(effect.baseline),
                _pct(effect.with_measure),
                _pp(effect.difference),
            )
        out_console.print(table)


RunsOption = Annotated[int, count("--runs", "N", "Runs per arm (baseline, measure).", least=1)]
MeasureOption = Annotated[
    list[str] | None,
    repeated(
        "--measure", "ID", "A measure id from measures.yaml or modifiers.yaml; repeat for several."
    ),
]
WorkersOption = Annotated[
    int, count("--workers", "K", "Run on a local Dask cluster of K processes.", least=0)
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        metavar="ADDRESS",
        help="Run on an existing Dask cluster (scheduler address).",
    ),
]
ChunkOption = Annotated[
    int, count("--chunk", "N", "Runs per chunk: the unit of work handed to a worker.", least=1)
]


@ttx_app.command("sweep")
def sweep_command(
    folder: PackDir,
    runs: RunsOption,
    measure: MeasureOption = None,
    workers: WorkersOption = 0,
    scheduler: SchedulerOption = None,
    seed: SeedOption = 0,
    chunk: ChunkOption = DEFAULT_CHUNK,
    fmt: FormatOption = SweepFormat.text,
    out: OutOption = None,
) -> None:
    """Play the scenario pack many times: outcome probabilities, escalation, measures' effects.

    Each --measure is played over the same runs as the baseline (same seed: common random
    numbers). Writes <out>/ttx-sweep/sweep.json and plots (PNG and SVG). The result does not
    depend on --chunk, --workers or --scheduler.
    """
    if workers and scheduler:
        err_console.print("--workers and --scheduler exclude each other", style="red")
        raise typer.Exit(1)
    meeting, pack = load_meeting_and_pack(folder)
    try:
        measures, titles = load_measures(meeting.root, pack, list(measure or []))
    except InputError as exc:
        raise fail(exc.diagnostics) from None
    try:
        with progress_bar("sweep", f"runs × {1 + len(measures)} arm(s)", remaining=True) as advance:
            result = sweep(
                pack,
                runs=runs,
                seed=seed,
                measures=measures,
                profiles=meeting.profiles,
                workers=workers,
                scheduler=scheduler,
                chunk=chunk,
                progress=advance,
            )
    except SchedulerUnavailable as exc:
        err_console.print(str(exc), style="red", markup=False, highlight=False)
        raise typer.Exit(1) from None
    target = out_dir(folder, out) / SWEEP_DIR
    document = write_document(target / SWEEP_JSON, result.to_json())
    files = write_plots(result, target, titles=titles)
    if fmt is SweepFormat.json:
        sys.stdout.write(document)
    else:
        print_text(result, titles)
    shown = ", ".join(p.name for p in files)
    err_console.print(f"wrote {target / SWEEP_JSON} and {shown} in {target}", markup=False)
