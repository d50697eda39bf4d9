"""YAML files with positions, validated by Pydantic models, errors mapped back to file:line:column.

We read YAML with ruamel's round-trip loader because it keeps the line and column of every key and
value; the plain data is then validated by a Pydantic model, and each validation error's field path
is looked up in the position table. Unknown keys get a "did you mean" from the model's field names.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from detente.diagnostics import Diagnostic, InputError, PathPart, Severity

M = TypeVar("M", bound=BaseModel)
Path_ = tuple[PathPart, ...]


@dataclass
class SourceMap:
    """Positions (1-based line, column) of every value and every mapping key in a YAML file."""

    file: str
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Sequence[PathPart], *, key: bool = False) -> tuple[int, int]:
        """Position of `path`, or of its nearest located ancestor."""
        p = tuple(path)
        if key and p in self.keys:
            return self.keys[p]
        while p:
            if p in self.values:
                return self.values[p]
            if p in self.keys:
                return self.keys[p]
            p = p[:-1]
        return self.values.get((), (1, 1))

    def diagnostic(
        self,
        path: Sequence[PathPart],
        message: str,
        severity: Severity = Severity.ERROR,
        *,
        key: bool = False,
    ) -> Diagnostic:
        line, column = self.locate(path, key=key)
        return Diagnostic(self.file, line, column, tuple(path), message, severity)


@dataclass
class SourceFile:
    """A parsed YAML document: plain data plus its source map."""

    path: Path
    data: Any
    positions: SourceMap


def _plain(node: Any, path: Path_, sm: SourceMap) -> Any:
    if isinstance(node, CommentedMap):
        out: dict[Any, Any] = {}
        for k, v in node.items():
            child = (*path, str(k))
            kl, kc = node.lc.key(k)
            vl, vc = node.lc.value(k)
            sm.keys[child] = (kl + 1, kc + 1)
            sm.values[child] = (vl + 1, vc + 1)
            out[str(k)] = _plain(v, child, sm)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for i, v in enumerate(node):
            il, ic = node.lc.item(i)
            sm.values[(*path, i)] = (il + 1, ic + 1)
            items.append(_plain(v, (*path, i), sm))
        return items
    if node is not None and type(node).__module__.startswith("ruamel"):
        # ruamel scalar wrappers (ScalarFloat, LiteralScalarString, TimeStamp...) → plain values
        for plain_type in (bool, int, float, str):
            if isinstance(node, plain_type):
                return plain_type(node)
    return node


def duplicates(
    source: SourceFile, entries: Iterable[tuple[Sequence[PathPart], object]], what: str
) -> list[Diagnostic]:
    """An error at every repeated value of `entries` ((path, value) pairs), naming the line of
    its first occurrence: `duplicate person id 'ada-lind' (first defined at line 47)`."""
    seen: dict[object, Sequence[PathPart]] = {}
    out: list[Diagnostic] = []
    for path, ident in entries:
        if ident in seen:
            line = source.positions.locate(seen[ident])[0]
            out.append(
                source.positions.diagnostic(
                    path, f"duplicate {what} '{ident}' (first defined at line {line})"
                )
            )
        else:
            seen[ident] = path
    return out


def read_yaml(path: Path, *, display: str | None = None) -> SourceFile:
    """Parse one YAML file, keeping positions. Syntax errors become located diagnostics."""
    name = display or path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError([Diagnostic(name, 0, 0, (), f"file not found: {path}")]) from None
    except UnicodeDecodeError as exc:
        raise InputError([Diagnostic(name, 0, 0, (), f"not UTF-8 text: {exc.reason}")]) from None
    yaml = YAML(typ="rt")
    try:
        node = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError([Diagnostic(name, line, column, (), f"YAML syntax: {problem}")]) from None
    except (YAMLError, ValueError, TypeError) as exc:
        raise InputError([Diagnostic(name, 0, 0, (), f"YAML syntax: {exc}")]) from None
    sm = SourceMap(name)
    sm.values[()] = (1, 1)
    return SourceFile(path, _plain(node, (), sm), sm)


def _field_names(model: type[BaseModel], path: Sequence[PathPart]) -> list[str]:
    """Field names of the (sub)model that holds the unknown key at `path`, for suggestions."""
    current: Any = model
    for part in path[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    for arg in _walk_types(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _walk_types(annotation: Any) -> Iterator[Any]:
    yield annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _walk_types(arg)


def _message(error: Any) -> str:
    msg = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        return "is required"
    if kind in {"string_too_short", "too_short"} and value in ("", [], None):
        return "must not be empty"
    if kind.endswith("_type") or kind.endswith("_parsing") or kind in {"enum", "literal_error"}:
        shown = repr(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        return f"{shown}: {msg[0].lower()}{msg[1:]}"
    return msg


def validate(source: SourceFile, model: type[M]) -> M:
    """Validate a parsed file against `model`; every error is located in the file."""
    if source.data is None:
        raise InputError([source.positions.diagnostic((), "the file is empty")])
    try:
        return model.model_validate(source.data)
    except ValidationError as exc:
        diags: list[Diagnostic] = []
        for error in exc.errors():
            path = tuple(p for p in error["loc"] if isinstance(p, str | int))
            if error["type"] == "extra_forbidden":
                unknown = str(path[-1]) if path else "?"
                names = _field_names(model, path)
                close = difflib.get_close_matches(unknown, names, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                diags.append(
                    source.positions.diagnostic(path, f"unknown key '{unknown}'{hint}", key=True)
                )
                continue
            diags.append(source.positions.diagnostic(path, _message(error)))
        raise InputError(sorted(diags, key=lambda d: (d.line, d.column))) from None


def load_model(path: Path, model: type[M]) -> tuple[M, SourceFile]:
    """Read and validate one YAML file. Raises :class:`InputError` with locations on bad input."""
    source = read_yaml(path)
    return validate(source, model), source
