"""The statements file (`statements.yaml`): candidate statements the room votes on.

A facilitator prepares, for each discussion item of the programme, short statements that each
carry one idea ("Preventing a military clash on the Peninsula is a shared priority of the three
powers."). Every participant votes agree / disagree / pass on each; the votes are analysed per
delegation (:mod:`detente.deliberation.consensus`) and, with enough participants, as Pol.is
opinion groups (:mod:`detente.deliberation.polis`).

Each statement names the programme item it belongs to, optionally the discussion question it
speaks to, and `tags`: for each interest dimension of `delegations.yaml`, how agreeing with the
statement serves that interest (-1 … 1). Simulated seats vote from these tags; people ignore them.

The file is optional: a discussion item without statements is recorded as such, never invented.
Cross-references (item ids, question ids, dimension ids, unique statement ids) are checked here
with file positions, as the meeting loader does for `meeting.yaml`.
"""

from __future__ import annotations

import difflib
import weakref
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import Field

from detente.diagnostics import Diagnostic, InputError, PathPart, Severity
from detente.meeting.loader import MeetingFolder
from detente.schema_types import Id, Strict, Weight
from detente.sourcefile import SourceFile, SourceMap, load_model
from detente.text import LocalText, language_keys, unknown_language

STATEMENTS_FILE = "statements.yaml"


RECOMMENDED_PER_ITEM = 8
"""Fewer statements than this per discussion item gives too little to find common ground on; the
check warns (it is not an error: a short session may only need a few)."""


class Statement(Strict):
    """One candidate statement: one idea, phrased so a participant can agree or disagree."""

    id: Id
    text: LocalText
    question: Id | None = Field(
        default=None, description="the id of the item's discussion question it speaks to"
    )
    tags: dict[Id, Weight] = Field(
        default_factory=dict,
        description="interest dimension -> how agreeing with the statement serves it (-1..1)",
    )


class ItemStatements(Strict):
    """The statements prepared for one programme item (a discussion or reflection session)."""

    item: Id = Field(description="the programme item id, e.g. session-2")
    statements: list[Statement] = Field(min_length=1)


class StatementsFile(Strict):
    """The whole `statements.yaml`."""

    items: list[ItemStatements] = Field(min_length=1)

    def for_item(self, item_id: str) -> list[Statement]:
        """The statements of one item, in file order (empty when the item has none)."""
        return [s for block in self.items if block.item == item_id for s in block.statements]


@dataclass(frozen=True)
class LoadedStatements:
    """A validated statements file with its source (for located messages)."""

    statements: StatementsFile
    source: SourceFile
    warnings: tuple[Diagnostic, ...] = ()


def _unknown(what: str, value: str, known: Iterable[str]) -> str:
    options = sorted(set(known))
    close = difflib.get_close_matches(value, options, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(options) or '—'})"
    return f"unknown {what} '{value}'{hint}"


def check_statements(
    folder: MeetingFolder, statements: StatementsFile, source: SourceFile
) -> list[Diagnostic]:
    """Cross-checks the schema cannot see: the item exists, the question belongs to that item,
    tags name declared dimensions, statement ids are unique in the file, and each item appears
    once. Discussion items with fewer than :data:`RECOMMENDED_PER_ITEM` statements get a warning.
    """
    pos = source.positions
    meeting = folder.meeting
    items = {it.id: it for _, it in meeting.items() if it.id is not None}
    dims = set(folder.profiles.dimension_ids) if folder.profiles is not None else None
    diags: list[Diagnostic] = [
        pos.diagnostic(path, unknown_language(code, meeting.meeting.languages), key=True)
        for path, code in language_keys(statements, meeting.meeting.languages)
    ]
    seen_items: dict[str, int] = {}
    seen_ids: dict[str, tuple[PathPart, ...]] = {}
    for bi, block in enumerate(statements.items):
        base: tuple[PathPart, ...] = ("items", bi)
        item = items.get(block.item)
        if item is None:
            diags.append(pos.diagnostic((*base, "item"), _unknown("item", block.item, items)))
        if block.item in seen_items:
            diags.append(
                pos.diagnostic(
                    (*base, "item"),
                    f"item '{block.item}' is listed twice "
                    f"(first at items[{seen_items[block.item]}])",
                )
            )
        seen_items.setdefault(block.item, bi)
        questions = {q.id for q in item.questions} if item is not None else set()
        for si, st in enumerate(block.statements):
            path: tuple[PathPart, ...] = (*base, "statements", si)
            if st.id in seen_ids:
                first = pos.locate(seen_ids[st.id])
                diags.append(
                    pos.diagnostic(
                        (*path, "id"),
                        f"duplicate statement id '{st.id}' (first defined at line {first[0]})",
                    )
                )
            else:
                seen_ids[st.id] = (*path, "id")
            if item is not None:
                diags += _question_check(pos, path, st, block.item, questions)
            diags += _tag_checks(pos, path, st, dims)
        if item is not None and item.activity == "discussion":
            diags += _too_few(pos, base, block)
    return diags


def _question_check(
    pos: SourceMap, path: tuple[PathPart, ...], st: Statement, item_id: str, questions: set[str]
) -> list[Diagnostic]:
    """An error when the statement names a question its item does not have."""
    if st.question is None or st.question in questions:
        return []
    return [
        pos.diagnostic(
            (*path, "question"),
            _unknown(f"question of item '{item_id}':", st.question, questions),
        )
    ]


def _tag_checks(
    pos: SourceMap, path: tuple[PathPart, ...], st: Statement, dims: set[str] | None
) -> list[Diagnostic]:
    """An error at every tag that is not a dimension of the profiles (none without profiles)."""
    if dims is None:
        return []
    return [
        pos.diagnostic((*path, "tags", dim), _unknown("dimension", dim, dims), key=True)
        for dim in st.tags
        if dim not in dims
    ]


def _too_few(pos: SourceMap, base: tuple[PathPart, ...], block: ItemStatements) -> list[Diagnostic]:
    """A warning when a discussion item has fewer than :data:`RECOMMENDED_PER_ITEM`
    statements."""
    if len(block.statements) >= RECOMMENDED_PER_ITEM:
        return []
    return [
        pos.diagnostic(
            (*base, "statements"),
            f"only {len(block.statements)} statement(s) for discussion item "
            f"'{block.item}'; {RECOMMENDED_PER_ITEM} or more give the room enough to "
            "find common ground on",
            Severity.WARNING,
        )
    ]


_LOADED: dict[
    int,
    tuple[weakref.ref[MeetingFolder], tuple[int, int], LoadedStatements | None, list[Diagnostic]],
] = {}
"""Results of :func:`load_statements` by folder object (see there); a few entries at most."""
_LOADED_MAX = 8


def load_statements(folder: MeetingFolder) -> LoadedStatements | None:
    """Read and check `statements.yaml` of a meeting folder; None when the folder has none.

    Raises :class:`~detente.diagnostics.InputError` listing every located error; warnings are
    returned on the result.

    The result is kept for the same `folder` object while the file's size and modification time
    stay the same: validation asks for the statements from several checks, and a large file (a
    5 MB file is ~17,000 statements) must be read and checked once, not once per check. A new
    folder object (a reloaded meeting) reads the file again.
    """
    path = folder.root / STATEMENTS_FILE
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    stamp = (info.st_mtime_ns, info.st_size)
    kept = _LOADED.get(id(folder))
    if kept is not None and kept[0]() is folder and kept[1] == stamp:
        if kept[3]:
            raise InputError(list(kept[3]))
        return kept[2]
    loaded: LoadedStatements | None = None
    errors: list[Diagnostic] = []
    try:
        statements, source = load_model(path, StatementsFile)
    except InputError as exc:
        errors = list(exc.diagnostics)
    else:
        found = check_statements(folder, statements, source)
        errors = [d for d in found if d.severity is Severity.ERROR]
        if not errors:
            loaded = LoadedStatements(statements, source, tuple(found))
    if len(_LOADED) >= _LOADED_MAX:
        _LOADED.pop(next(iter(_LOADED)))
    _LOADED[id(folder)] = (weakref.ref(folder), stamp, loaded, errors)
    if errors:
        raise InputError(list(errors))
    return loaded


__all__ = [
    "RECOMMENDED_PER_ITEM",
    "STATEMENTS_FILE",
    "ItemStatements",
    "LoadedStatements",
    "Statement",
    "StatementsFile",
    "check_statements",
    "load_statements",
]
