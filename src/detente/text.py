"""Translatable text: the one type of every text field a participant may read, in any language.

In a file, such a field is either a plain string (English) or a mapping of BCP-47 language codes
to strings::

    title: Opening remarks
    title: {en: Opening remarks, zh: 开幕致辞, ru: Вступительное слово, vi: Phát biểu khai mạc}

English (`en`) is required: it is the fallback wherever a translation is missing. A language code
is checked for BCP-47 syntax here; whether the meeting declares it is checked where the meeting is
known (:func:`language_keys`, called by the loaders with file positions).

:class:`Text` is a `str` whose value is the English text, carrying its translations; code that
only needs English keeps treating it as a string, code that prints for a reader calls
:meth:`Text.get` with the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from detente.diagnostics import PathPart

BCP47 = re.compile(
    r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"  # language, extended language
    r"(?:-[A-Za-z]{4})?"  # script: zh-Hans
    r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"  # region: pt-BR, es-419
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"  # variants
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"  # extensions
    r"(?:-x(?:-[A-Za-z0-9]{1,8})+)?$"  # private use
)
"""The syntax of a BCP-47 language tag (RFC 5646, without the grandfathered irregular tags)."""

FALLBACK = "en"


def is_language_code(code: str) -> bool:
    """Whether `code` is a syntactically valid BCP-47 tag (`en`, `zh-Hans`, `pt-BR`, `vi`)."""
    return bool(BCP47.match(code))


def _language_code(value: str) -> str:
    if not is_language_code(value):
        raise ValueError(f"'{value}' is not a BCP-47 language code (e.g. en, zh-Hans, pt-BR, vi)")
    return value


LanguageCode = Annotated[str, AfterValidator(_language_code)]
"""A field holding one language code, checked for BCP-47 syntax."""


def primary(code: str) -> str:
    """The primary language subtag, lower case: `zh-Hans` → `zh`."""
    return code.split("-", 1)[0].lower()


def match_language(wanted: str, available: Iterable[str]) -> str | None:
    """The best of `available` codes for a reader of `wanted`: the same tag (any case), else the
    same primary language (`zh-Hans` reads `zh`, `zh` reads `zh-Hans`), else None."""
    options = list(available)
    for code in options:
        if code.lower() == wanted.lower():
            return code
    for code in options:
        if primary(code) == primary(wanted):
            return code
    return None


class Text(str):
    """English text (the `str` value) with translations keyed by BCP-47 code.

    Equal to another :class:`Text` only when the translations are equal too; hashes as its
    English text."""

    translations: Mapping[str, str]

    def __new__(
        cls, en: str = "", translations: Mapping[str, str] | None = None, **more: str
    ) -> Text:
        self = super().__new__(cls, en)
        merged = {**(translations or {}), **more}
        self.translations = {k: v for k, v in merged.items() if k != FALLBACK and v}
        return self

    @property
    def en(self) -> str:
        return str(self)

    @property
    def languages(self) -> tuple[str, ...]:
        """English, then every language with a translation, in file order."""
        return (FALLBACK, *self.translations)

    def translation(self, language: str) -> str | None:
        """The text written for `language` (or its closest written variant), None when it has
        none; English for English."""
        if primary(language) == FALLBACK:
            return str(self)
        code = match_language(language, self.translations)
        return self.translations[code] if code is not None else None

    def get(self, language: str) -> str:
        """The text in `language`, or English when there is no translation."""
        return self.translation(language) or str(self)

    def as_data(self) -> str | dict[str, str]:
        """The form a file would hold: a string, or the mapping when there are translations."""
        if not self.translations:
            return str(self)
        return {FALLBACK: str(self), **self.translations}

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Text):
            return str.__eq__(self, other) and dict(self.translations) == dict(other.translations)
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = str.__hash__

    def __repr__(self) -> str:
        if not self.translations:
            return f"Text({str(self)!r})"
        return f"Text({str(self)!r}, {dict(self.translations)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Text, (str(self), dict(self.translations)))

    @classmethod
    def parse(cls, value: object) -> Text:
        """A :class:`Text` from a file's value (a string or a language mapping)."""
        if isinstance(value, Text):
            return value
        if isinstance(value, str):
            return cls(value.strip())
        if isinstance(value, Mapping):
            texts: dict[str, str] = {}
            for key, text in value.items():
                code = str(key)
                if not is_language_code(code):
                    raise PydanticCustomError(
                        "language_code",
                        "'{code}' is not a BCP-47 language code (e.g. en, zh-Hans, pt-BR, vi)",
                        {"code": code},
                    )
                if text is None:
                    continue
                if not isinstance(text, str):
                    raise PydanticCustomError(
                        "text_type", "the '{code}' text should be a string", {"code": code}
                    )
                texts[code] = text.strip()
            english = texts.pop(FALLBACK, None)
            if english is None:
                english = next((texts.pop(c) for c in list(texts) if primary(c) == "en"), None)
            if english is None:
                raise PydanticCustomError(
                    "text_english",
                    "needs the English text ('en'): it is shown wherever a translation is missing",
                )
            return cls(english, texts)
        raise PydanticCustomError(
            "text_type", "should be a string or a mapping of language code to string"
        )

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse,
            serialization=core_schema.plain_serializer_function_ser_schema(lambda v: v.as_data()),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "anyOf": [
                {"type": "string"},
                {"type": "object", "additionalProperties": {"type": "string"}},
            ],
            "description": "a string (English) or {en: …, <BCP-47 code>: …}",
        }


def _non_empty(value: Text) -> Text:
    if not str(value):
        raise PydanticCustomError("text_empty", "must not be empty")
    return value


LocalText = Annotated[Text, AfterValidator(_non_empty)]
"""A required translatable text: its English must not be empty."""

OptionalText = Text
"""A translatable text that may be empty (fields whose default is `Text()`)."""


def text_fields(
    value: object, path: tuple[PathPart, ...] = ()
) -> Iterator[tuple[tuple[PathPart, ...], Text]]:
    """Every :class:`Text` inside a validated model, with its path as the file spells it (field
    aliases included)."""
    if isinstance(value, Text):
        yield path, value
    elif isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            yield from text_fields(getattr(value, name), (*path, info.alias or name))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from text_fields(item, (*path, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from text_fields(item, (*path, str(key)))


def field_pattern(path: tuple[PathPart, ...]) -> str:
    """A path with its list positions erased, naming the field for all entries:
    `programme[].items[].title`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += "[]"
        else:
            out += f".{part}" if out else part
    return out


def unknown_language(code: str, languages: Iterable[str]) -> str:
    """The message for a translation in a language the meeting does not declare."""
    return (
        f"'{code}' is not one of the meeting's languages ({', '.join(languages)}); add it to "
        "meeting.languages in meeting.yaml, or remove this translation"
    )


def language_keys(
    value: object, languages: Iterable[str]
) -> Iterator[tuple[tuple[PathPart, ...], str]]:
    """(path of the key, code) for every translation written in a language outside `languages`."""
    allowed = {code.lower() for code in languages}
    for path, text in text_fields(value):
        for code in text.translations:
            if code.lower() not in allowed:
                yield (*path, code), code
