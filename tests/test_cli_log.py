"""`detente log --session` accepts an item id or a session number."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from detente.cli import app
from tests.ttx.test_split_exercise import split_folder


def test_session_filter_by_number_and_by_id(tmp_path: Path) -> None:
    folder = split_folder(tmp_path)
    path = folder / "meeting.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "        session: 2\n", "        session: 2\n        id: exercise-part-2\n", 1
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(app, ["run", str(folder), "--out", str(out)]).exit_code == 0

    def shown(*args: str) -> tuple[int, str]:
        result = runner.invoke(
            app, ["log", str(folder), "--out", str(out), "--format", "jsonl", *args]
        )
        return result.exit_code, result.stdout

    code, by_number = shown("--session", "2")
    assert code == 0 and by_number
    code, by_id = shown("--session", "exercise-part-2")
    assert code == 0 and by_id == by_number
    assert all('"item_id":"exercise-part-2"' in line for line in by_number.splitlines())
    code, break_only = shown("--session", "d1-0940-break")
    assert code == 0 and len(break_only.splitlines()) == 2
    result = runner.invoke(
        app, ["log", str(folder), "--out", str(out), "--session", "exercise-part2"]
    )
    assert result.exit_code == 1 and "did you mean 'exercise-part-2'" in " ".join(
        result.output.split()
    )
