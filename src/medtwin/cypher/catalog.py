"""Load the project's Cypher statements by name from the ``.cypher`` files beside this module.

Names are paths without the suffix (``"load/merge_proteins"``). The return type is
``LiteralString`` because the files are part of the package, never built from input: values
always travel as parameters. A unit test checks that every file is used by ``medtwin.store`` and
an integration test runs ``EXPLAIN`` on every one.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import LiteralString, cast

from medtwin.errors import NotFoundError

__all__ = ["all_names", "query", "statements"]


def _root() -> resources.abc.Traversable:
    return resources.files("medtwin.cypher")


@functools.cache
def query(name: str) -> LiteralString:
    """Return the text of ``<name>.cypher``.

    Raises
    ------
    NotFoundError
        When no such file ships with the package.
    """
    node = _root()
    for part in f"{name}.cypher".split("/"):
        node = node / part
    if not node.is_file():
        raise NotFoundError(f"no Cypher file {name}.cypher in medtwin.cypher")
    return cast(LiteralString, node.read_text(encoding="utf-8").strip())


def statements(name: str) -> list[LiteralString]:
    """Split a multi-statement file (only ``schema/*``) on ``;`` lines, dropping comments."""
    parts = []
    for chunk in query(name).split(";"):
        body = "\n".join(
            line for line in chunk.splitlines() if not line.lstrip().startswith("//")
        ).strip()
        if body:
            parts.append(cast(LiteralString, body))
    return parts


def all_names() -> list[str]:
    """Every shipped statement name, sorted."""
    names: list[str] = []

    def walk(node: resources.abc.Traversable, prefix: str) -> None:
        for child in node.iterdir():
            if child.is_dir() and not child.name.startswith("__"):
                walk(child, f"{prefix}{child.name}/")
            elif child.name.endswith(".cypher"):
                names.append(prefix + child.name.removesuffix(".cypher"))

    walk(_root(), "")
    return sorted(names)
