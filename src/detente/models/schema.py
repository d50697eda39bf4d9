"""Parse and check a model's JSON output against the small JSON-schema subset the prompts use.

Servers may ignore a schema or fall back to generic JSON silently, so every output is checked
here after the model: `type` (object, array, string, integer, number, boolean), `enum`,
`required`, `additionalProperties: false`, `properties`, `items`, `minItems`/`maxItems`,
`minLength`/`maxLength`, `minimum`/`maximum`. Errors name the JSON path, e.g.
`actions[2]: 'ssbn' is not on the menu (…)`.
"""

from __future__ import annotations

import json
from typing import Any


def parse_json(raw: str, finish: str = "") -> tuple[Any, list[str]]:
    """The JSON value in `raw` (raw newlines inside strings allowed, as llama.cpp grammars emit
    them), or the error. A cut answer (`finish == "length"`) says so."""
    text = raw.strip()
    if not text:
        return None, ["the answer is empty"]
    try:
        return json.loads(text, strict=False), []
    except json.JSONDecodeError as exc:
        hint = " (the answer was cut at max_tokens)" if finish == "length" else ""
        return None, [f"the answer is not valid JSON{hint}: {exc.msg} at character {exc.pos}"]


_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}


def check(value: Any, schema: dict[str, Any], path: str = "") -> list[str]:
    """Every way `value` breaks `schema` (empty when it conforms)."""
    where = path or "the answer"
    kind = schema.get("type")
    if kind is not None:
        expected = _TYPES[kind]
        wrong_bool = isinstance(value, bool) and kind in ("integer", "number")
        if not isinstance(value, expected) or wrong_bool:
            return [f"{where}: expected {kind}, got {type(value).__name__}"]
    errors: list[str] = []
    if "enum" in schema and value not in schema["enum"]:
        shown = ", ".join(map(str, schema["enum"][:12]))
        errors.append(f"{where}: {value!r} is not one of the allowed values ({shown})")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            errors.append(f"{where}: empty or too short")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append(f"{where}: longer than {schema['maxLength']} characters")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{where}: {value} is below {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{where}: {value} is above {schema['maximum']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{where}: {len(value)} item(s), at least {schema['minItems']} needed")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errors.append(f"{where}: {len(value)} item(s), at most {schema['maxItems']} allowed")
        items = schema.get("items")
        if items is not None:
            for i, item in enumerate(value):
                errors += check(item, items, f"{path}[{i}]")
    if isinstance(value, dict):
        properties: dict[str, Any] = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                errors.append(f"{where}: missing {name!r}")
        if schema.get("additionalProperties") is False:
            for name in value:
                if name not in properties:
                    errors.append(f"{where}: unexpected field {name!r}")
        for name, sub in properties.items():
            if name in value:
                errors += check(value[name], sub, f"{path}.{name}" if path else name)
    return errors
