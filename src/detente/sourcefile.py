"""YAML files with positions, validated by Pydantic models, errors mapped back to file:line:column.

YAML is read by :mod:`detente.yamlread`, which keeps the line and column of every key and value and
bounds size, nesting and aliases; the plain data is then validated by a Pydantic model, and each
validation error's field path is looked up in the position table. Unknown keys get a "did you mean"
from the model's field names, and that suggestion replaces the "is required" the misspelt field
would otherwise also produce.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from detente.diagnostics import Diagnostic, InputError, PathPart, Severity
from detente.positions import Spot, locate
from detente.yamlread import MAX_FILE_BYTES, parse

M = TypeVar("M", bound=BaseModel)
Path_ = tuple[PathPart, ...]


@dataclass
class SourceMap:
    """Positions (1-based line, column) of every value and every mapping key in a YAML file,
    kept as a compact tree (:class:`detente.positions.Spot`) and looked up by path."""

    file: str
    tree: Spot | None = None

    def locate(self, path: Sequence[PathPart], *, key: bool = False) -> tuple[int, int]:
        """Position of `path` (of its key when `key`), or of its nearest located ancestor."""
        return locate(self.tree, path, key=key)

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


def keyed(
    path: Sequence[PathPart], items: Iterable[Any], key: str = "id"
) -> Iterator[tuple[tuple[PathPart, ...], object]]:
    """The entries :func:`duplicates` takes for the list at `path`: each item's `key` field
    with its path (`path`, index, `key`)."""
    return (((*path, i, key), getattr(item, key)) for i, item in enumerate(items))


def read_yaml(path: Path, *, display: str | None = None) -> SourceFile:
    """Parse one YAML file, keeping positions, within the limits of :mod:`detente.yamlread`.

    Every problem (missing file, too large, not UTF-8, syntax, a crossed limit, a refused value)
    is an :class:`InputError` located `file:line:column`."""
    name = display or path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                [
                    Diagnostic(
                        name,
                        1,
                        1,
                        (),
                        f"the file is {size / 1_048_576:.1f} MiB; files are limited to "
                        f"{MAX_FILE_BYTES // 1_048_576} MiB (split it, or shorten it)",
                    )
                ]
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Diagnostic(name, 0, 0, (), f"file not found: {path}")]) from None
    except IsADirectoryError:
        raise InputError([Diagnostic(name, 0, 0, (), f"a folder, not a file: {path}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        before = raw[raw.rfind(b"\n", 0, exc.start) + 1 : exc.start]
        column = len(before.decode("utf-8", errors="replace")) + 1
        raise InputError(
            [
                Diagnostic(
                    name,
                    line,
                    column,
                    (),
                    f"not UTF-8 text: byte 0x{raw[exc.start]:02X} is {exc.reason} "
                    "(save the file as UTF-8)",
                )
            ]
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    parsed = parse(text, name)
    sm = SourceMap(name, parsed.positions)
    return SourceFile(path, parsed.data, sm)


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


MAX_REPORTED = 100
"""At most this many schema errors are listed per file (then one line says how many more):
a hostile or badly broken file can have hundreds of thousands, and building, sorting and
printing every one costs seconds and hundreds of MB for nothing a reader can use."""


def _pruned(data: Any, keep: int) -> Any:
    """`data` with every list cut to its first `keep` items (paths of what is kept unchanged)."""
    if isinstance(data, list):
        return [_pruned(v, keep) for v in data[:keep]]
    if isinstance(data, dict):
        return {k: _pruned(v, keep) for k, v in data.items()}
    return data


def validate(source: SourceFile, model: type[M]) -> M:
    """Validate a parsed file against `model`; every error is located in the file (the first
    :data:`MAX_REPORTED` of them, then a count of the others)."""
    if source.data is None:
        raise InputError([source.positions.diagnostic((), "the file is empty")])
    try:
        return model.model_validate(source.data)
    except ValidationError as exc:
        diags: list[Diagnostic] = []
        total = exc.error_count()
        if total > MAX_REPORTED:
            # the errors of the file's beginning, found again on a copy whose lists are cut
            # short: the same paths, without building every error of the whole file
            try:
                model.model_validate(_pruned(source.data, MAX_REPORTED))
                first = exc
            except ValidationError as fewer:
                first = fewer
            errors = first.errors(include_url=False)[:MAX_REPORTED]
        else:
            errors = exc.errors(include_url=False)
        suggested: set[tuple[PathPart, ...]] = set()
        for error in errors:
            path = tuple(p for p in error["loc"] if isinstance(p, str | int))
            if error["type"] == "extra_forbidden":
                unknown = str(path[-1]) if path else "?"
                names = _field_names(model, path)
                close = difflib.get_close_matches(unknown, names, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                if close:
                    suggested.add((*path[:-1], close[0]))
                diags.append(
                    source.positions.diagnostic(path, f"unknown key '{unknown}'{hint}", key=True)
                )
        for error in errors:
            path = tuple(p for p in error["loc"] if isinstance(p, str | int))
            if error["type"] == "extra_forbidden":
                continue
            if error["type"] == "missing" and path in suggested:
                continue  # the misspelt key's "did you mean" says it
            key = bool(path) and path[-1] == "[key]"
            if key:
                path = path[:-1]
            diags.append(source.positions.diagnostic(path, _message(error), key=key))
        diags.sort(key=lambda d: (d.line, d.column))
        if total > len(errors):
            last = diags[-1] if diags else source.positions.diagnostic((), "")
            diags.append(
                Diagnostic(
                    last.file,
                    last.line,
                    last.column,
                    (),
                    f"... and {total - len(errors)} more schema error(s) in this file; the "
                    f"first {len(errors)} are listed (fix them and validate again)",
                )
            )
        raise InputError(diags) from None


def load_model(path: Path, model: type[M]) -> tuple[M, SourceFile]:
    """Read and validate one YAML file. Raises :class:`InputError` with locations on bad input."""
    source = read_yaml(path)
    return validate(source, model), source
