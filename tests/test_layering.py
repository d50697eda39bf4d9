"""The layering, checked on the source: hosts import no domain at module level; no domain imports
the CLI or the document host, and of the live app only its plugin API (:mod:`detente.web.api`);
the document toolkit imports no domain; no single domain imports the meeting report; a plugin
module imports only the hooks until a hook is called.

The layers (see docs/architecture.md):

- hosts: ``cli.py`` (or a ``cli/`` package), ``web/``, ``report/`` (rendering and writing
  documents), ``store/``;
- the kernel every host serves: ``meeting/`` (the folder, programme, runner and state) except its
  activity module, ``seats/base.py`` (the seat protocol: requests and answers) and ``document/``
  (the document toolkit: model, section registry, context, text helpers);
- domains: ``ttx/``, ``deliberation/``, ``roadmap/``, ``paper/``, the rest of ``seats/``,
  ``models/`` and ``meeting/presentations.py``. Hosts reach them through the hooks
  (:mod:`detente.hooks`), whose implementations live in each domain's ``plugin.py``;
- ``meeting_report/``: the one document that reads every domain, above them (any domain may be
  imported by it, it by none) and, like them, reached by the hosts only through its plugin.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "detente"

HOSTS = ("cli", "web", "report", "store")
DOMAIN_PACKAGES = ("ttx", "deliberation", "roadmap", "paper", "seats", "models", "ballots")
ABOVE_DOMAINS = ("meeting_report",)
TOOLKIT = ("document",)
KERNEL_IN_DOMAINS = ("detente.seats.base",)
DOMAIN_IN_KERNEL = ("detente.meeting.presentations", "detente.meeting.plugin")

TOOLKIT_MODULES = tuple(sorted(p.stem for p in (PACKAGE / "document").glob("[a-z]*.py")))

HOST_ADAPTERS: dict[str, set[str]] = {
    # Per-domain adapters still living in host packages (forms, feed lines, document sections of
    # one domain). Each should move behind its domain's plugin; remove a line when it does (the
    # test fails while a listed module no longer imports what it lists, so the list only shrinks).
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules_under(*names: str) -> list[Path]:
    found: list[Path] = []
    for name in names:
        package, module = PACKAGE / name, PACKAGE / f"{name}.py"
        if package.is_dir():
            found += sorted(package.rglob("*.py"))
        if module.is_file():
            found.append(module)
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _resolve(node: ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    if node.level:
        base = module.split(".")
        base = base if is_package else base[:-1]
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join([*base, node.module] if node.module else base)
    else:
        prefix = node.module or ""
    return [prefix, *(f"{prefix}.{a.name}" for a in node.names)]


def imports(
    path: Path, *, module_level: bool, module: str | None = None
) -> Iterator[tuple[int, str]]:
    """`(line, imported name)` of every import in the file (of module `module`, by default the
    one at `path` under src/). With `module_level`, only those run when the module is imported:
    function bodies and `if TYPE_CHECKING:` blocks are skipped, class bodies and other compound
    statements are not."""
    module = module or module_name(path)
    is_package = path.name == "__init__.py"

    def walk(body: list[ast.stmt]) -> Iterator[tuple[int, str]]:
        for node in body:
            if isinstance(node, ast.Import):
                yield from ((node.lineno, a.name) for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                yield from ((node.lineno, n) for n in _resolve(node, module, is_package))
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if not module_level:
                    yield from walk(node.body)
            elif isinstance(node, ast.If) and module_level and _is_type_checking(node.test):
                yield from walk(node.orelse)
            else:
                for field in ("body", "orelse", "finalbody", "handlers"):
                    children = getattr(node, field, None)
                    if isinstance(children, list):
                        stmts = [c for c in children if isinstance(c, ast.stmt)]
                        stmts += [
                            s for h in children if isinstance(h, ast.ExceptHandler) for s in h.body
                        ]
                        yield from walk(stmts)
            if isinstance(node, ast.Expr | ast.Assign) and isinstance(node.value, ast.Call):
                yield from _import_module_call(node.value)

    return walk(ast.parse(path.read_text(encoding="utf-8")).body)


def _import_module_call(call: ast.Call) -> Iterator[tuple[int, str]]:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name == "import_module" and call.args and isinstance(call.args[0], ast.Constant):
        yield call.lineno, str(call.args[0].value)


def domain_of(name: str) -> str | None:
    """The domain package an imported name belongs to, or None for hosts and the kernel."""
    parts = name.split(".")
    if len(parts) < 2 or parts[0] != "detente":
        return None
    if any(name == k or name.startswith(k + ".") for k in KERNEL_IN_DOMAINS):
        return None
    if any(name == d or name.startswith(d + ".") for d in DOMAIN_IN_KERNEL):
        return "meeting"
    return parts[1] if parts[1] in DOMAIN_PACKAGES + ABOVE_DOMAINS else None


def test_the_walk_sees_module_level_imports_and_skips_lazy_and_type_only_ones(
    tmp_path: Path,
) -> None:
    source = tmp_path / "probe.py"
    probe = "detente.web.probe"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "from detente.ttx import pack\n"
        "from . import forms\n"
        "if TYPE_CHECKING:\n"
        "    from detente.roadmap.catalog import Catalog\n"
        "try:\n"
        "    import detente.paper.codes\n"
        "except ImportError:\n"
        "    pass\n"
        "def lazy():\n"
        "    from detente.deliberation import votes\n",
        encoding="utf-8",
    )
    eager = {n for _, n in imports(source, module_level=True, module=probe)}
    every = {n for _, n in imports(source, module_level=False, module=probe)}
    assert {domain_of(n) for n in eager} - {None} == {"ttx", "paper"}
    assert {domain_of(n) for n in every} - {None} == {"ttx", "paper", "roadmap", "deliberation"}
    assert "detente.web.forms" in eager


def test_hosts_import_no_domain_at_module_level() -> None:
    found: dict[str, set[str]] = {}
    where: list[str] = []
    for path in modules_under(*HOSTS):
        for line, name in imports(path, module_level=True):
            domain = domain_of(name)
            if domain is not None:
                found.setdefault(module_name(path), set()).add(domain)
                if module_name(path) not in HOST_ADAPTERS:
                    where.append(f"{path.relative_to(SRC)}:{line}: imports {name}")
    assert not where, "\n".join(where)
    assert found == HOST_ADAPTERS


FORBIDDEN_IN_DOMAINS = (["detente", "cli"], ["detente", "report"])
"""What no domain module (nor the meeting report) imports, even inside a function or a hook."""


def domain_violations(path: Path, module: str | None = None) -> list[str]:
    """Imports of the CLI or the document host anywhere in a domain module, and of the meeting
    report in a module of a single domain."""
    module = module or module_name(path)
    above = module.split(".")[1] in ABOVE_DOMAINS
    where: list[str] = []
    for line, name in imports(path, module_level=False, module=module):
        parts = name.split(".")
        if parts[:2] in FORBIDDEN_IN_DOMAINS or (not above and parts[1:2] == ["meeting_report"]):
            where.append(f"{module}:{line}: imports {name}")
    return where


def test_the_domain_check_sees_the_document_host_the_cli_and_the_meeting_report(
    tmp_path: Path,
) -> None:
    source = tmp_path / "probe.py"
    source.write_text(
        "from detente.document import report_section\n"
        "def hook():\n"
        "    from detente.report import render\n"
        "    import detente.cli\n"
        "    from detente.meeting_report.sections import acts\n",
        encoding="utf-8",
    )
    found = domain_violations(source, "detente.ttx.plugin")
    assert [f.split(": imports ")[1] for f in found] == [
        "detente.report",
        "detente.report.render",
        "detente.cli",
        "detente.meeting_report.sections",
        "detente.meeting_report.sections.acts",
    ]
    above = domain_violations(source, "detente.meeting_report.plugin")
    assert not any("meeting_report" in f.split(": imports ")[1] for f in above)
    assert len(above) == 3


def test_no_domain_imports_the_cli_or_the_document_host() -> None:
    """Anywhere in a domain module, function bodies and plugin hooks included: a domain builds
    its documents with the toolkit (:mod:`detente.document`) and registers them from its plugin;
    only the meeting report (above the domains) may import it."""
    where: list[str] = []
    for path in modules_under(*DOMAIN_PACKAGES, *ABOVE_DOMAINS, "meeting"):
        where += domain_violations(path)
    assert not where, "\n".join(where)


def test_the_document_toolkit_imports_no_domain_and_no_host_at_module_level() -> None:
    where: list[str] = []
    for path in modules_under(*TOOLKIT):
        for line, name in imports(path, module_level=True):
            parts = name.split(".")
            if domain_of(name) is not None or parts[1:2] in (["cli"], ["report"], ["web"]):
                where.append(f"{path.relative_to(SRC)}:{line}: imports {name}")
    assert not where, "\n".join(where)


def test_plugin_modules_import_only_the_hooks_until_a_hook_runs() -> None:
    plugin_files = sorted(PACKAGE.rglob("plugin.py"))
    assert len(plugin_files) >= 7
    for path in plugin_files:
        eager = {n for _, n in imports(path, module_level=True) if n.startswith("detente")}
        assert eager <= {"detente.hooks"} | {f"detente.hooks.{n}" for n in dir_hooks()}, path


def dir_hooks() -> set[str]:
    from detente import hooks

    return set(vars(hooks))


WEB_API = "detente.web.api"
"""The live app's plugin API: the one module of web/ a domain may import (see its docstring)."""


def web_internals(path: Path, module: str | None = None) -> Iterator[str]:
    """`path:line: imports name` for every import of a web/ module other than the plugin API,
    anywhere in the file (function bodies included)."""
    for line, name in imports(path, module_level=False, module=module):
        if (
            name.startswith("detente.web.")
            and name != WEB_API
            and not name.startswith(WEB_API + ".")
        ):
            yield f"{path.name}:{line}: imports {name}"


def test_the_web_check_sees_internals_anywhere_and_lets_the_api_through(tmp_path: Path) -> None:
    source = tmp_path / "probe.py"
    source.write_text(
        "from detente.web.api import Form, seat_form\n"
        "from detente.web import api\n"
        "from detente.web import views\n"
        "def later():\n"
        "    from detente.web.common import render\n",
        encoding="utf-8",
    )
    found = list(web_internals(source, module="detente.ttx.probe"))
    assert found == [
        "probe.py:3: imports detente.web.views",
        "probe.py:5: imports detente.web.common",
        "probe.py:5: imports detente.web.common.render",
    ]


def test_domains_reach_the_live_app_only_through_its_plugin_api() -> None:
    """A domain's forms, panels, feed lines and pages import :mod:`detente.web.api` and nothing
    else of web/, so the host's own modules stay private to it. (The kernel's `meeting/` is a
    host's peer, not a domain: its programme forms and feed lines live in web/.)"""
    where = [w for path in modules_under(*DOMAIN_PACKAGES) for w in web_internals(path)]
    assert not where, "\n".join(where)


@pytest.mark.parametrize(
    ("before", "imported"),
    [
        ("", "detente.store.log, detente.store.events, detente.store.visibility"),
        (
            "detente.meeting.loader, detente.meeting.state",
            ", ".join(["detente.document", *(f"detente.document.{m}" for m in TOOLKIT_MODULES)]),
        ),
    ],
)
def test_importing_the_store_or_the_toolkit_loads_no_domain(before: str, imported: str) -> None:
    """The store loads no domain and not the meeting kernel either; the toolkit loads the meeting
    kernel it builds on (`before`) and nothing of a domain or the meeting report beyond what
    that kernel itself loads."""
    code = (
        "import sys\n"
        + (f"import {before}\n" if before else "")
        + "kernel = set(sys.modules)\n"
        + f"import {imported}\n"
        + f"domains = {(*DOMAIN_PACKAGES, *ABOVE_DOMAINS, 'meeting')!r}\n"
        + "print(sorted(m for m in set(sys.modules) - kernel "
        + "if m.split('.')[:2][-1] in domains and m.startswith('detente.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def face(package: Path) -> tuple[str, ...]:
    """The names a package's `__init__.py` lists in `__all__` (read from the source): what other
    packages may import from it, modules or names."""
    tree = ast.parse((package / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if isinstance(target, ast.Name) and target.id == "__all__":
            value = node.value
            assert isinstance(value, ast.List | ast.Tuple), f"{package}: __all__ is not a list"
            return tuple(ast.literal_eval(value))
    return ()


def behind_the_face(name: str, importer: str) -> str | None:
    """Why importing `name` from the package `importer` reaches past a package's face (None when
    it does not): each step below a package must be in that package's `__all__`."""
    parts = name.split(".")
    if len(parts) < 3 or parts[0] != "detente" or parts[1] == importer:
        return None
    here = PACKAGE
    for depth, part in enumerate(parts[1:-1], start=1):
        here = here / part
        if not (here / "__init__.py").is_file():
            return None
        if parts[depth + 1] not in face(here):
            return f"{parts[depth + 1]} is not in the face of {'.'.join(parts[: depth + 1])}"
    return None


def packages() -> list[Path]:
    return sorted(p.parent for p in PACKAGE.rglob("__init__.py") if p.parent != PACKAGE)


def test_the_face_check_sees_a_private_module_and_lets_the_face_through() -> None:
    assert behind_the_face("detente.ttx.pack.load_pack", "web") is None
    assert behind_the_face("detente.ttx.documents.run_of_show", "cli") is None
    assert behind_the_face("detente.ttx.engine.adjudicate", "web") == (
        "engine is not in the face of detente.ttx"
    )
    assert behind_the_face("detente.ttx.documents.aar", "cli") == (
        "aar is not in the face of detente.ttx.documents"
    )
    assert behind_the_face("detente.ttx.engine", "ttx") is None  # a package's own module


def test_every_package_has_a_face_naming_what_exists() -> None:
    """Each package's `__init__.py` says, in `__all__`, what other packages may use; every entry
    is a module of the package or a name its `__init__.py` defines or imports."""
    for package in packages():
        entries = face(package)
        assert "__all__" in (package / "__init__.py").read_text(encoding="utf-8"), package
        source = (package / "__init__.py").read_text(encoding="utf-8")
        for entry in entries:
            assert (
                (package / f"{entry}.py").is_file()
                or (package / entry / "__init__.py").is_file()
                or entry
                in {
                    n.split(".")[-1] for _, n in imports(package / "__init__.py", module_level=True)
                }
                or f"def {entry}" in source
            ), f"{package.relative_to(SRC)}: __all__ names {entry!r}, which it does not hold"


def test_other_packages_import_only_what_a_package_exposes() -> None:
    """An import from another package goes through that package's face (its `__all__`), so what a
    package keeps to itself can change without reading the rest of the code base."""
    where: list[str] = []
    for path in PACKAGE.rglob("*.py"):
        importer = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        for line, name in imports(path, module_level=False):
            why = behind_the_face(name, importer)
            if why:
                where.append(f"{path.relative_to(SRC)}:{line}: imports {name}: {why}")
    assert not where, "\n".join(sorted(set(where)))
