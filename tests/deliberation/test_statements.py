"""statements.yaml: the example files load, link to the programme, and bad input is located."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from detente.deliberation.statements import (
    RECOMMENDED_PER_ITEM,
    load_statements,
)
from detente.diagnostics import InputError, Severity
from detente.meeting.loader import load_meeting


def _copy(root: Path, tmp_path: Path, text: str) -> Path:
    target = tmp_path / root.name
    shutil.copytree(root, target)
    (target / "statements.yaml").write_text(text, encoding="utf-8")
    return target


@pytest.mark.parametrize(
    ("which", "items"),
    [("korea", ["session-2", "session-3", "session-5"]), ("harbour", ["session-2"])],
)
def test_examples_have_enough_linked_tagged_statements(
    which: str, items: list[str], request: pytest.FixtureRequest
) -> None:
    folder = load_meeting(request.getfixturevalue(which))
    loaded = load_statements(folder)
    assert loaded is not None and not loaded.warnings
    assert folder.profiles is not None
    dims = set(folder.profiles.dimension_ids)
    for item_id in items:
        statements = loaded.statements.for_item(item_id)
        assert len(statements) >= RECOMMENDED_PER_ITEM, item_id
        questions = {q.id for q in folder.meeting.item(item_id).questions}
        for st in statements:
            assert st.tags and set(st.tags) <= dims
            assert st.question is None or st.question in questions
            assert min(st.tags.values()) >= -1 and max(st.tags.values()) <= 1
        if questions:  # every discussion question gets statements
            assert questions == {st.question for st in statements}


def test_discussion_sessions_of_the_example_are_covered(korea: Path) -> None:
    folder = load_meeting(korea)
    loaded = load_statements(folder)
    assert loaded is not None
    discussion = [it.id for _, it in folder.meeting.items() if it.activity == "discussion"]
    assert discussion == ["session-2", "session-3"]
    assert all(loaded.statements.for_item(i) for i in discussion)


def test_folder_without_statements_file_gives_none(korea: Path, tmp_path: Path) -> None:
    target = tmp_path / "m"
    shutil.copytree(korea, target)
    (target / "statements.yaml").unlink()
    assert load_statements(load_meeting(target)) is None


BAD = """\
items:
  - item: session-9
    statements:
      - id: a
        text: One.
  - item: session-2
    statements:
      - id: a
        question: h-q7
        text: Two.
        tags: {harbour_safty: 0.5}
      - id: b
        text: Three.
        tags: {harbour_safety: 1.5}
"""


def test_cross_reference_errors_are_located(harbour: Path, tmp_path: Path) -> None:
    folder = load_meeting(_copy(harbour, tmp_path, BAD))
    with pytest.raises(InputError) as caught:
        load_statements(folder)
    text = str(caught.value)
    # the weight is a schema error, reported before cross-references
    assert "statements.yaml:14:" in text and "items[1].statements[1].tags.harbour_safety" in text


def test_reference_errors_name_item_question_dimension_and_duplicate(
    harbour: Path, tmp_path: Path
) -> None:
    folder = load_meeting(_copy(harbour, tmp_path, BAD.replace("1.5", "0.5")))
    with pytest.raises(InputError) as caught:
        load_statements(folder)
    messages = [str(d) for d in caught.value.diagnostics]
    assert any("statements.yaml:2:" in m and "unknown item 'session-9'" in m for m in messages)
    assert any("duplicate statement id 'a' (first defined at line 4)" in m for m in messages)
    assert any("unknown question of item 'session-2': 'h-q7'" in m for m in messages)
    assert any("unknown dimension 'harbour_safty'" in m and "harbour_safety" in m for m in messages)


def test_unknown_key_gets_a_suggestion(harbour: Path, tmp_path: Path) -> None:
    text = "items:\n  - item: session-2\n    statements:\n      - id: a\n        txt: One.\n"
    with pytest.raises(InputError) as caught:
        load_statements(load_meeting(_copy(harbour, tmp_path, text)))
    assert "unknown key 'txt' (did you mean 'text'?)" in str(caught.value)


def test_few_statements_for_a_discussion_is_a_warning(harbour: Path, tmp_path: Path) -> None:
    text = "items:\n  - item: session-2\n    statements:\n      - id: a\n        text: One.\n"
    loaded = load_statements(load_meeting(_copy(harbour, tmp_path, text)))
    assert loaded is not None
    (warning,) = loaded.warnings
    assert warning.severity is Severity.WARNING and "only 1 statement(s)" in warning.message
