"""Functions stay under ~60 lines of code, or say why they are longer: a comment opening the body
explains it, so a reader knows the length was chosen, not grown into.

A function's length here is its body after the docstring: a docstring that specifies a contract
in full, or a signature made long by a command's option declarations, is not code to read."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "detente"
LIMIT = 60


def _code(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.stmt]:
    """The body's statements after its docstring."""
    first = node.body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return node.body[1:]
    return node.body


def long_functions(source: str, name: str) -> Iterator[str]:
    """`name:line function (N lines)` for every function whose code (its body after the
    docstring) is longer than LIMIT lines and does not open with a comment saying why."""
    lines = source.splitlines()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        code = _code(node)
        if not code:
            continue
        length = (code[-1].end_lineno or code[-1].lineno) - code[0].lineno + 1
        if length <= LIMIT:
            continue
        if not _opens_with_comment(lines, code[0].lineno):
            yield f"{name}:{node.lineno} {node.name} ({length} lines)"


def _opens_with_comment(lines: list[str], first: int) -> bool:
    """Whether a comment line sits right above line `first` (1-based; blank lines between are
    allowed): a comment elsewhere, e.g. on an option in the signature, does not say why."""
    above = first - 2
    while above >= 0 and not lines[above].strip():
        above -= 1
    return above >= 0 and lines[above].strip().startswith("#")


def test_the_check_sees_long_code_and_accepts_a_function_that_says_why() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(LIMIT + 1))
    grown = f'def grown() -> None:\n    """Doc."""\n{body}'
    chosen = f'def chosen() -> None:\n    """Doc."""\n    # One flat table of cases.\n{body}'
    bare = f"def bare(\n    a: int,\n) -> None:\n    # Long only by its options.\n{body}"
    undocumented = f"def undocumented(\n    a: int,  # an option\n) -> None:\n{body}"
    documented = 'def documented() -> None:\n    """' + "Doc.\n" * 80 + '"""\n    return None\n'
    source = grown + chosen + bare + undocumented + documented
    found = list(long_functions(source, "probe.py"))
    top = LIMIT + 3 + (LIMIT + 4) + (LIMIT + 5) + 1
    assert found == [
        f"probe.py:1 grown ({LIMIT + 1} lines)",
        f"probe.py:{top} undocumented ({LIMIT + 1} lines)",
    ]


def test_functions_are_short_or_say_why() -> None:
    assert (PACKAGE / "__init__.py").is_file(), PACKAGE
    where = [
        found
        for path in sorted(PACKAGE.rglob("*.py"))
        for found in long_functions(
            path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE))
        )
    ]
    assert not where, "\n".join(where)
