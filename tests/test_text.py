"""Translatable text: any BCP-47 language, English as fallback, one type for every file."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from detente.diagnostics import InputError
from detente.meeting.loader import load_meeting
from detente.text import LocalText, Text, field_pattern, is_language_code, text_fields

Edit = Callable[[Path, Callable[[str], str]], Path]


class _Doc(BaseModel):
    title: LocalText
    notes: list[Text] = []


def test_plain_string_is_english_and_mapping_takes_any_language() -> None:
    doc = _Doc.model_validate({"title": {"en": "Opening", "vi": "Khai mạc", "zh-Hans": "开幕"}})
    assert doc.title == Text("Opening", {"vi": "Khai mạc", "zh-Hans": "开幕"})
    assert doc.title.get("vi") == "Khai mạc"
    assert doc.title.get("zh") == "开幕"  # the closest written variant
    assert doc.title.get("de") == "Opening"  # English when there is no translation
    assert doc.title.translation("de") is None
    assert _Doc.model_validate({"title": " Plain "}).title.translations == {}
    assert str(_Doc.model_validate({"title": " Plain "}).title) == "Plain"


def test_text_keeps_its_translations_through_dump_and_pickle() -> None:
    doc = _Doc.model_validate({"title": {"en": "A", "ru": "Б"}, "notes": ["x"]})
    assert doc.model_dump() == {"title": {"en": "A", "ru": "Б"}, "notes": ["x"]}
    assert pickle.loads(pickle.dumps(doc.title)) == doc.title
    assert Text("A", {"ru": "Б"}) != Text("A", {"ru": "В"})


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"en": "A", "vi_VN": "x"}, "'vi_VN' is not a BCP-47 language code"),
        ({"zh": "开幕"}, "needs the English text ('en')"),
        ({"en": ""}, "must not be empty"),
        (["a"], "should be a string or a mapping"),
    ],
)
def test_bad_text_is_explained(value: object, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        _Doc.model_validate({"title": value})
    assert message in str(info.value)


@pytest.mark.parametrize("code", ["en", "vi", "zh-Hans", "pt-BR", "es-419", "sr-Latn-RS", "fil"])
def test_bcp47_codes(code: str) -> None:
    assert is_language_code(code)


@pytest.mark.parametrize("code", ["", "e", "en_GB", "english-", "zh--Hans", "toolonglanguage"])
def test_not_bcp47_codes(code: str) -> None:
    assert not is_language_code(code)


def test_text_fields_name_fields_as_the_file_does() -> None:
    doc = _Doc.model_validate({"title": "T", "notes": ["a", "b"]})
    assert [field_pattern(p) for p, _ in text_fields(doc)] == ["title", "notes[]", "notes[]"]


def test_meeting_text_is_translatable(harbour: Path, edited_meeting: Edit) -> None:
    folder = edited_meeting(
        harbour,
        lambda t: t.replace(
            "title: Baltic Harbour Safety Dialogue",
            "title: {en: Baltic Harbour Safety Dialogue, pl: Bałtycki dialog portowy}",
            1,
        ),
    )
    title = load_meeting(folder).meeting.meeting.title
    assert title.get("pl").startswith("Bałtycki") and title.get("en").startswith("Baltic")


def test_a_language_the_meeting_does_not_declare_is_a_located_error(
    harbour: Path, edited_meeting: Edit
) -> None:
    folder = edited_meeting(
        harbour,
        lambda t: t.replace(
            "title: Baltic Harbour Safety Dialogue",
            "title: {en: Baltic Harbour Safety Dialogue, vi: Đối thoại}",
            1,
        ),
    )
    with pytest.raises(InputError) as info:
        load_meeting(folder)
    messages = [str(d) for d in info.value.diagnostics]
    assert len(messages) == 1
    assert messages[0].startswith("meeting.yaml:6:")
    assert (
        "meeting.title.vi: 'vi' is not one of the meeting's languages (en, pl, de)" in messages[0]
    )


def test_a_delegation_language_outside_the_meeting_is_an_error(
    harbour: Path, edited_meeting: Edit
) -> None:
    folder = edited_meeting(harbour, lambda t: t.replace("language: pl", "language: vi", 1))
    with pytest.raises(InputError) as info:
        load_meeting(folder)
    (message,) = [str(d) for d in info.value.diagnostics]
    assert "language: 'vi' is not one of the meeting's languages" not in message
    assert ".language: language 'vi' is not one of the meeting's languages" in message


def test_declared_language_is_accepted_everywhere(harbour: Path, edited_meeting: Edit) -> None:
    folder = edited_meeting(
        harbour,
        lambda t: (
            t.replace("languages: [en, pl, de]", "languages: [en, pl, de, vi]", 1)
            .replace("language: pl", "language: vi", 1)
            .replace(
                "title: Baltic Harbour Safety Dialogue",
                "title: {en: Baltic Harbour Safety Dialogue, vi: Đối thoại}",
                1,
            )
        ),
    )
    assert load_meeting(folder).meeting.meeting.title.get("vi") == "Đối thoại"
