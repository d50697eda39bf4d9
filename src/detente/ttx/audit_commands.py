"""`detente ttx audit`: the bias and escalation audit of :mod:`detente.ttx.audit`."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from detente.console import err_console
from detente.console import load as _load
from detente.meeting.loader import MeetingFolder
from detente.models.client import ModelClient, ModelUnavailable, open_client
from detente.models.config import ModelConfig, config_from_env
from detente.ttx.audit import CONDITIONS, audit
from detente.ttx.commands import ttx_app
from detente.ttx.pack import Pack, has_pack, load_pack


class AuditFormat(StrEnum):
    json = "json"
    text = "text"


@ttx_app.command("audit")
def audit_command(
    folder: Annotated[Path, typer.Argument(help="The meeting folder (with scenario.yaml).")],
    runs: Annotated[int, typer.Option("--runs", min=1, help="Plays per condition.")] = 5,
    seats: Annotated[
        str, typer.Option("--seats", help="Seat kind audited: model or simulated (a control).")
    ] = "model",
    fmt: Annotated[AuditFormat, typer.Option("--format", help="Output format.")] = AuditFormat.json,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to FILE instead of stdout.")
    ] = None,
    model_url: Annotated[
        str | None, typer.Option("--model-url", help="Model server [DETENTE_MODEL_URL; local].")
    ] = None,
    model: Annotated[str | None, typer.Option("--model", help="Model name or GGUF file.")] = None,
    max_tokens: Annotated[
        int | None, typer.Option("--max-tokens", help="Default token limit per call.")
    ] = None,
) -> None:
    """Play the exercise with delegation names named, masked and swapped (same profile with
    another label; same label with another profile) and report how decisions and escalation
    shift, with 95 % intervals, per move and per seat on the scenario's escalation ladder."""
    if seats not in ("model", "simulated"):
        err_console.print(f"--seats {seats}: one of model, simulated", style="red")
        raise typer.Exit(1)
    loaded = _load(folder)
    if not has_pack(folder) or loaded.profiles is None:
        err_console.print(f"{folder}: the audit needs scenario.yaml and delegations.yaml")
        raise typer.Exit(1)
    pack = load_pack(folder, meeting=loaded)
    config = config_from_env(url=model_url, model=model, max_tokens=max_tokens)
    result = _played_audit(loaded, pack, runs, seats, config)
    if fmt is AuditFormat.json:
        text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    else:
        text = _audit_text(result, runs, seats)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        err_console.print(f"wrote {output}")


def _played_audit(
    loaded: MeetingFolder, pack: Pack, runs: int, seats: str, config: ModelConfig
) -> dict[str, Any]:
    """Play the audit (:func:`detente.ttx.audit.audit`), reporting each play on stderr; one
    model client serves every play, opened on first use and closed after. An unavailable model
    or an audit that cannot run exits 1 with the reason."""
    opened: list[ModelClient] = []

    def client() -> ModelClient:
        """One client for every play, opened on first use and closed after the audit."""
        if not opened:
            opened.append(open_client(config))
        return opened[0]

    try:
        return audit(
            loaded,
            pack,
            runs=runs,
            kind=seats,
            client=client,
            on_play=lambda c, r: err_console.print(
                f"{c}: play {r + 1}/{runs}", markup=False, highlight=False
            ),
        )
    except (ModelUnavailable, ValueError) as exc:
        err_console.print(f"audit: {exc}", style="red", markup=False)
        raise typer.Exit(1) from None
    finally:
        for opened_client in opened:
            opened_client.close()


def _audit_text(result: dict[str, Any], runs: int, seats: str) -> str:
    """The audit as text: a heading line, then per condition and delegation the mean
    escalation of the whole exercise and its shift from the named condition with its
    interval."""
    lines = [f"{result['meeting']}: {runs} run(s) per condition, {seats} seats"]
    for condition in CONDITIONS:
        for delegation, entry in result["conditions"].get(condition, {}).items():
            whole = entry["whole_exercise"]
            shift = entry.get("shift_from_named")
            extra = ""
            if shift:
                extra = f"; shift {shift['mean']} [{shift['low']}, {shift['high']}]"
            lines.append(f"{condition:17} {delegation:6} escalation {whole['mean']}{extra}")
    return "\n".join(lines) + "\n"
