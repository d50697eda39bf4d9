"""Schema errors of a file: located, the first ones listed, the rest counted."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from detente.diagnostics import InputError
from detente.sourcefile import MAX_REPORTED, load_model


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str


class File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    entries: list[Entry]


def test_a_file_with_very_many_errors_lists_the_first_and_counts_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    bad = 3 * MAX_REPORTED
    path.write_text("entries:\n" + "".join(f"  - oops{i}\n" for i in range(bad)), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_model(path, File)
    found = caught.value.diagnostics
    assert len(found) == MAX_REPORTED + 1
    listed = found[:-1]
    assert [d.line for d in listed] == list(range(2, MAX_REPORTED + 2))  # the file's first ones
    assert str(listed[0]).startswith("many.yaml:2:5 entries[0]: 'oops0': input should be")
    assert f"and {bad - MAX_REPORTED} more schema error(s)" in found[-1].message


def test_a_few_errors_are_all_listed_without_a_count(tmp_path: Path) -> None:
    path = tmp_path / "few.yaml"
    path.write_text("entries:\n  - id: a\n  - oops\n  - id: b\n    idd: c\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_model(path, File)
    messages = [str(d) for d in caught.value.diagnostics]
    assert len(messages) == 2 and not any("more schema error" in m for m in messages)
