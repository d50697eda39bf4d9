"""`detente ttx calibrate DIR --target OUTCOME=P …`: what drives each outcome, towards targets.

Runs :func:`detente.ttx.calibrate.calibrate` on the meeting folder's pack and writes
``<out>/ttx-calibrate/calibrate.json`` and one plot per outcome reported (a "tornado" chart:
for each driving factor, the outcome's probability with the factor low/off and high/on, the
baseline and the target), PNG and SVG.
"""

from __future__ import annotations

import sys
from typing import Annotated

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import typer
from matplotlib.figure import Figure
from rich.table import Table

from detente.console import MeetingDir, OutOption, err_console, out_console, out_dir
from detente.ttx.calibrate import Calibration, Kind, calibrate
from detente.ttx.command_options import (
    FormatOption,
    SeedOption,
    SweepFormat,
    load_meeting_and_pack,
    progress_bar,
    write_document,
)
from detente.ttx.commands import ttx_app
from detente.ttx.simulation_options import count, repeated
from detente.ttx.sweep_plots import save

CALIBRATE_DIR = "ttx-calibrate"
CALIBRATE_JSON = "calibrate.json"
KINDS: tuple[Kind, ...] = ("action", "chance", "reaction", "parameter")


def parse_target(text: str) -> tuple[str, float]:
    """`OUTCOME=P` with P a probability (0.15) or a percentage (15%)."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise typer.BadParameter(f"'{text}': write OUTCOME=P, e.g. armed-clash=0.15")
    value = value.strip()
    try:
        p = float(value[:-1]) / 100 if value.endswith("%") else float(value)
    except ValueError:
        raise typer.BadParameter(f"'{text}': {value!r} is not a probability") from None
    if not 0.0 <= p <= 1.0:
        raise typer.BadParameter(f"'{text}': a probability is between 0 and 1 (or 0% and 100%)")
    return name.strip(), p


def tornado_figure(result: Calibration, outcome: str, top: int) -> Figure | None:
    """The outcome's probability with each driving factor low/off (○) and high/on (●), the
    baseline (solid) and the target (dashed); None when no factor drives it."""
    drivers = result.drivers(outcome)[:top]
    if not drivers:
        return None
    fig, axes = plt.subplots(figsize=(8, 1.2 + 0.38 * len(drivers)))
    for y, f in enumerate(reversed(drivers)):
        s = f.outcomes[outcome]
        axes.plot([s.low.estimate, s.high.estimate], [y, y], color="0.6", lw=2, zorder=1)
        axes.errorbar(
            s.low.estimate,
            y,
            xerr=[[s.low.estimate - s.low.low], [s.low.high - s.low.estimate]],
            fmt="o",
            mfc="white",
            color="tab:blue",
            zorder=2,
        )
        axes.errorbar(
            s.high.estimate,
            y,
            xerr=[[s.high.estimate - s.high.low], [s.high.high - s.high.estimate]],
            fmt="o",
            color="tab:red",
            zorder=2,
        )
    labels = [f"{f.kind} {f.id} ({f.low_name} ○ / {f.high_name} ●)" for f in reversed(drivers)]
    axes.set_yticks(range(len(drivers)), labels, fontsize=8)
    axes.axvline(result.baseline[outcome].estimate, color="black", lw=1, label="baseline")
    target = next((t.target for t in result.targets if t.outcome == outcome), None)
    if target is not None:
        axes.axvline(target, color="tab:green", ls="--", lw=1.5, label="target")
    axes.set_xlim(0, 1)
    axes.set_xlabel("probability of the outcome (95% interval)")
    axes.set_title(f"What drives “{result.outcomes[outcome]}” ({result.runs} runs per arm)")
    axes.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def print_text(result: Calibration, top: int) -> None:
    base = Table(title="Baseline", header_style="bold")
    for col in ("outcome", "probability", "95% interval"):
        base.add_column(col)
    for o, label in result.outcomes.items():
        iv = result.baseline[o]
        base.add_row(label, _pct(iv.estimate), f"{_pct(iv.low)}–{_pct(iv.high)}")
    out_console.print(base)
    shown = [t.outcome for t in result.targets] or list(result.outcomes)
    for o in shown:
        table = Table(title=f"Drivers of “{result.outcomes[o]}”", header_style="bold")
        for col in ("factor", "low/off", "high/on", "effect (high − low)", "95% interval"):
            table.add_column(col)
        for f in result.drivers(o)[:top]:
            s = f.outcomes[o]
            table.add_row(
                f"{f.kind} {f.id}",
                f"{f.low_name}: {_pct(s.low.estimate)}",
                f"{f.high_name}: {_pct(s.high.estimate)}",
                f"{100 * s.effect.estimate:+.1f} pp",
                f"{100 * s.effect.low:+.1f} … {100 * s.effect.high:+.1f} pp",
            )
        out_console.print(table)
    for t in result.targets:
        b = t.baseline
        out_console.print(
            f"[bold]{t.label}[/bold]: target {_pct(t.target)}, baseline {_pct(b.estimate)} "
            f"({_pct(b.low)}–{_pct(b.high)}) — {t.status}."
        )
        if t.status == "on target":
            continue
        if not t.levers:
            out_console.print("  No single factor moves it towards the target.")
        for lever in t.levers[:top]:
            out_console.print(
                f"  {lever.factor.kind} {lever.factor.id} → {lever.setting}: "
                f"{_pct(lever.reaches.estimate)} ({_pct(lever.reaches.low)}–"
                f"{_pct(lever.reaches.high)})",
                markup=False,
                highlight=False,
            )


TargetOption = Annotated[
    list[str] | None,
    repeated(
        "--target",
        "OUTCOME=P",
        "An intended outcome probability (0.15 or 15%); repeat for several.",
    ),
]
RunsOption = Annotated[
    int, count("--runs", "N", "Runs per arm (baseline, each factor's two arms).", least=1)
]
KindOption = Annotated[
    list[str] | None,
    repeated(
        "--kind",
        "KIND",
        "Only factors of this kind: action, chance, reaction, parameter (repeatable).",
    ),
]
TopOption = Annotated[int, count("--top", "N", "Factors shown per outcome.", least=1)]


@ttx_app.command("calibrate")
def calibrate_command(
    folder: MeetingDir,
    target: TargetOption = None,
    runs: RunsOption = 1000,
    seed: SeedOption = 0,
    kind: KindOption = None,
    top: TopOption = 10,
    fmt: FormatOption = SweepFormat.text,
    out: OutOption = None,
) -> None:
    """Which actions, chance events, reactions and parameters drive each outcome.

    Every factor is played forced off/low and on/high over the same runs as the baseline
    (common random numbers); the effect on each outcome has a 95% interval for paired
    proportions. With --target the factors are ranked by how close they bring the outcome to
    the intended probability. Writes <out>/ttx-calibrate/calibrate.json and one plot per outcome
    (PNG and SVG).
    """
    targets = dict(parse_target(t) for t in target or [])
    kinds = list(kind or [])
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        err_console.print(f"--kind {unknown[0]}: one of {', '.join(KINDS)}", style="red")
        raise typer.Exit(1)
    meeting, pack = load_meeting_and_pack(folder)
    outcome_ids = [o.id for o in pack.compiled.outcomes]
    for name in targets:
        if name not in outcome_ids:
            err_console.print(
                f"--target {name}: no such outcome (outcomes: {', '.join(outcome_ids)})",
                style="red",
                markup=False,
            )
            raise typer.Exit(1)
    with progress_bar("calibrate", "runs") as advance:
        result = calibrate(
            pack,
            runs=runs,
            seed=seed,
            profiles=meeting.profiles,
            targets=targets,
            only=[k for k in KINDS if k in kinds] or None,
            progress=advance,
        )
    where = out_dir(folder, out) / CALIBRATE_DIR
    document = write_document(where / CALIBRATE_JSON, result.to_json())
    written = []
    for o in [t.outcome for t in result.targets] or list(result.outcomes):
        fig = tornado_figure(result, o, top)
        if fig is not None:
            written += save(fig, where / f"drivers-{o}")
            plt.close(fig)
    if fmt is SweepFormat.json:
        sys.stdout.write(document)
    else:
        print_text(result, top)
    names = ", ".join(p.name for p in written) or "no plot (no factor drives an outcome)"
    err_console.print(f"wrote {where / CALIBRATE_JSON} and {names} in {where}", markup=False)
