"""The house, drawn from the source: which package may import which, and who talks to Neo4j.

- ``store/`` never imports ``platform/``, ``api/`` or ``cli/`` (arrows run cli/api → platform →
  store; both platform and store import the shared ``domain`` module, which imports neither);
- nothing outside ``store/`` calls ``.read(``/``.write(``/``.read_raw(`` on a store (domain verbs
  of :class:`medtwin.store.base.GraphStore` instead), except the allow-list below.

Both checks parse the source with :mod:`ast` (imports inside functions and ``TYPE_CHECKING``
blocks count too), and each is shown to fail on a synthetic violation.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "medtwin"

UPWARD = ("medtwin.platform", "medtwin.api", "medtwin.cli")


def imported_modules(source: str, module: str) -> set[str]:
    """Absolute names of every module ``source`` (the text of ``module``) imports."""
    package = module.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            out.add(base)
            out.update(f"{base}.{alias.name}" for alias in node.names)
    return out


def upward_imports(source: str, module: str) -> list[str]:
    """Imports of ``module`` that point from store/ (or domain) up to platform, api or cli."""
    return sorted(
        name
        for name in imported_modules(source, module)
        if any(name == up or name.startswith(up + ".") for up in UPWARD)
    )


def raw_store_calls(source: str) -> list[str]:
    """``<store>.read(``/``.write(``/``.read_raw(`` calls (a receiver named like a store)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in {"read", "write", "read_raw"}:
            continue
        receiver = ast.unparse(node.func.value)
        if "store" in receiver.lower():
            found.append(f"line {node.lineno}: {receiver}.{node.func.attr}(")
    return found


def _modules(under: str = "") -> list[tuple[str, str, str]]:
    """(path relative to src/medtwin, dotted module name, source) of every module."""
    out = []
    for path in sorted((SRC / under).rglob("*.py")):
        rel = path.relative_to(SRC)
        dotted = "medtwin." + ".".join(rel.with_suffix("").parts)
        out.append((rel.as_posix(), dotted.removesuffix(".__init__"), path.read_text()))
    return out


def test_store_and_domain_never_import_upward():
    modules = [*_modules("store"), *[m for m in _modules() if m[0] == "domain.py"]]
    assert len(modules) > 10
    bad = {rel: up for rel, name, text in modules if (up := upward_imports(text, name))}
    assert bad == {}


def test_no_raw_store_calls_outside_store():
    bad = {
        rel: calls
        for rel, _, text in _modules()
        if not rel.startswith("store/") and (calls := raw_store_calls(text))
    }
    assert bad == {}


@pytest.mark.parametrize(
    ("source", "module", "first"),
    [
        (
            "from medtwin.platform.twin import TwinSpec",
            "medtwin.store.twins",
            "medtwin.platform.twin",
        ),
        ("import medtwin.api.app", "medtwin.store.x", "medtwin.api.app"),
        ("def f():\n    from ..cli import main\n", "medtwin.store.x", "medtwin.cli"),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from medtwin.platform.models import TwinParams\n",
            "medtwin.store.x",
            "medtwin.platform.models",
        ),
        ("from medtwin.domain import TwinSpec\nfrom . import gds", "medtwin.store.twins", None),
        ("import medtwin.platformer", "medtwin.store.x", None),  # a prefix is not a package
    ],
)
def test_upward_import_detector(source, module, first):
    got = upward_imports(source, module)
    assert (got[0] if got else None) == first


@pytest.mark.parametrize(
    ("source", "n"),
    [
        ('rows = store.read("query/x", id=1)', 1),
        ('self.store.write("ranking/delete_ranking", id=b)', 1),
        ('got = neo_store.read_raw("q")', 1),
        ('store.twins.genes("P@v1")', 0),
        ('fh.read()\npath.write("x")', 0),  # not a store
        ('ReferenceStore(s).read("q")', 1),
    ],
)
def test_raw_call_detector(source, n):
    assert len(raw_store_calls(source)) == n
