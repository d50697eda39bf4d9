"""Render the CLI reference (`docs/cli.md`) from the commands' own `--help`.

The test suite compares the file with this rendering, so the reference cannot drift from the
code; `make docs` rewrites it.
"""

from __future__ import annotations

import os

import typer.main
from typer.testing import CliRunner

from detente.cli import app

HEADER = """# CLI reference

Generated from each command's `--help` by `make docs`; a test fails when this file and the code
disagree. Every command that reads a meeting's record takes the meeting folder and `--out DIR`
(default `out/<meeting folder name>/`), the place `detente run` writes to.
"""

WIDTH = 100


def command_paths() -> list[list[str]]:
    """Every command as its argument path (`["ttx", "sweep"]`), groups before their commands."""
    out: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        children = getattr(command, "commands", {})
        for name in sorted(children):
            out.append([*path, name])
            walk(children[name], [*path, name])

    walk(typer.main.get_command(app), [])
    return out


def _help(args: list[str]) -> str:
    runner = CliRunner()
    env = {"COLUMNS": str(WIDTH), "NO_COLOR": "1", "TERM": "dumb"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        result = runner.invoke(app, [*args, "--help"], prog_name="detente", env=env)
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return "\n".join(line.rstrip() for line in result.output.strip().splitlines())


def render() -> str:
    """The whole reference as Markdown."""
    parts = [HEADER, "```text", _help([]), "```", ""]
    for path in command_paths():
        level = "#" * (len(path) + 1)
        name = " ".join(path)
        parts += [f"{level} `detente {name}`", "", "```text", _help(path), "```", ""]
    return "\n".join(parts).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
