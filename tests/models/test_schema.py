"""Checking model output after the model: JSON parsing and the schema subset."""

from __future__ import annotations

from detente.models.config import LOCAL, config_from_env
from detente.models.schema import check, parse_json

SCHEMA = {
    "type": "object",
    "properties": {
        "actions": {
            "type": "array",
            "maxItems": 2,
            "items": {"type": "string", "enum": ["a", "b"]},
        },
        "n": {"type": "integer", "minimum": 1, "maximum": 5},
        "text": {"type": "string", "minLength": 1, "maxLength": 5},
    },
    "required": ["actions", "n", "text"],
    "additionalProperties": False,
}


def test_a_conforming_answer_has_no_errors() -> None:
    assert check({"actions": ["a"], "n": 3, "text": "hi"}, SCHEMA) == []


def test_every_violation_is_named_with_its_path() -> None:
    errors = check({"actions": ["a", "z", "b"], "n": True, "text": "", "x": 1}, SCHEMA)
    joined = "\n".join(errors)
    assert "actions: 3 item(s), at most 2" in joined
    assert "actions[1]: 'z' is not one of" in joined
    assert "n: expected integer, got bool" in joined
    assert "text: empty" in joined and "unexpected field 'x'" in joined


def test_parse_json_allows_raw_newlines_and_reports_cuts() -> None:
    assert parse_json('{"t": "a\nb"}')[0] == {"t": "a\nb"}
    _, errors = parse_json('{"t": "ab', finish="length")
    assert "cut at max_tokens" in errors[0]
    assert parse_json("  ")[1] == ["the answer is empty"]


def test_config_from_env_and_overrides() -> None:
    env = {"DETENTE_MODEL_URL": "http://h/v1", "DETENTE_MODEL": "m", "DETENTE_MODEL_KEY": "k"}
    config = config_from_env(env, temperature=0.1, model=None)
    assert (config.url, config.model, config.key, config.temperature) == (
        "http://h/v1",
        "m",
        "k",
        0.1,
    )
    assert config_from_env({}).url == LOCAL and config_from_env({}).local
