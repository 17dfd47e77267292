"""The Python API's modules export only what a user calls, each with a docstring.

``__all__`` of each module in the Python table (docs/python.md) names use cases and result types, no
internals (before: ``twins.__all__`` held ``twin_detail``, ``confirm_read_whole`` and
``twin_analysis``, ``patients.__all__`` the constant ``SYMPTOM_KINDS``, ``stratify.__all__`` the
matrix helpers…); the Python examples of README.md and the guide and the notebook use only
exported names.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import re
from pathlib import Path
from types import ModuleType

import pytest

from tests.docs_pages import guide_pages, page

ROOT = Path(__file__).resolve().parents[2]


def _table_modules() -> dict[str, list[str]]:
    readme = page("docs/python.md")
    table = readme[readme.index("| module | functions |") :].split("\n\n", 1)[0]
    out = {}
    for row in table.splitlines()[2:]:
        module, functions = (cell.strip() for cell in row.strip("|").split("|"))
        names = [n for n in re.findall(r"`(\w+)`", functions) if n != "skip_current"]
        out[module.strip("`")] = names
    return out


def _module(name: str) -> ModuleType:
    return importlib.import_module(name if name == "medtwin" else f"medtwin.platform.{name}")


TABLE = _table_modules()


@pytest.mark.parametrize("name", sorted(TABLE))
def test_every_exported_name_is_public_and_documented(name: str) -> None:
    mod = _module(name)
    for exported in mod.__all__:
        if exported == "__version__":
            continue
        obj = getattr(mod, exported)
        assert not exported.startswith("_"), f"{name}.{exported}"
        assert inspect.isclass(obj) or inspect.isfunction(obj), f"{name}.{exported} is a constant"
        own = vars(obj).get("__doc__") if inspect.isclass(obj) else obj.__doc__
        assert (own or "").strip(), f"{name}.{exported} has no docstring"


@pytest.mark.parametrize("name", sorted(TABLE))
def test_the_readme_table_names_only_exported_functions(name: str) -> None:
    mod = _module(name)
    assert set(TABLE[name]) <= set(mod.__all__), f"{name}: {set(TABLE[name]) - set(mod.__all__)}"


def _python_examples() -> list[tuple[str, str]]:
    blocks = [
        (name, b)
        for name in guide_pages()
        for b in re.findall(r"```python\n(.*?)```", page(name), flags=re.S)
    ]
    notebook = json.loads((ROOT / "docs" / "python_api.ipynb").read_text())
    cells = [("".join(c["source"])) for c in notebook["cells"] if c["cell_type"] == "code"]
    return [*blocks, ("docs/python_api.ipynb", "\n".join(cells))]


def _used_names(code: str) -> list[tuple[str, str]]:
    """(module, name) of each medtwin name the code uses: imported or read as module.name."""
    tree = ast.parse(code)
    bound: dict[str, str] = {}  # local name -> medtwin module
    used = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bound.update({a.asname or a.name: a.name for a in node.names if a.name == "medtwin"})
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("medtwin"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if node.module == "medtwin.platform":
                    bound[alias.asname or alias.name] = full
                else:
                    used.append((node.module or "", alias.name))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in bound
        ):
            used.append((bound[node.value.id], node.attr))
    return used


def test_the_python_examples_use_only_exported_names() -> None:
    checked = 0
    for where, code in _python_examples():
        for module, name in _used_names(code):
            exported = importlib.import_module(module).__all__
            assert name in exported, f"{where}: {module}.{name} is not in its __all__"
            checked += 1
    assert checked >= 10


def test_the_models_module_exports_only_models() -> None:
    """``platform.models`` re-exports the result types; constants belong with their definer.

    Before, its ``__all__`` held ``DEFAULT_METHODS`` and ``DEFAULT_ORDER`` (a star import of the
    models took them too); they are exported by ``ranking_models``, and still importable here.
    """
    models = importlib.import_module("medtwin.platform.models")
    ranking_models = importlib.import_module("medtwin.platform.ranking_models")
    constants = [n for n in models.__all__ if not inspect.isclass(getattr(models, n))]
    assert constants == []
    for name in ("DEFAULT_METHODS", "DEFAULT_ORDER"):
        assert name in ranking_models.__all__
        assert getattr(models, name) is getattr(ranking_models, name)  # old imports keep working
