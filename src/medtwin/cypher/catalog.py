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
    # The files ship with the package, so their text is a literal in all but syntax; mypy treats
    # LiteralString as str, type checkers that do not see the cast as narrowing it.
    text: LiteralString = cast(LiteralString, node.read_text(encoding="utf-8").strip())  # type: ignore[redundant-cast,unused-ignore]
    return text


def statements(name: str) -> list[LiteralString]:
    """Split a multi-statement file (only ``schema/*``) on ``;`` lines, dropping comments."""
    body: LiteralString = "\n".join(
        line for line in query(name).splitlines() if not line.lstrip().startswith("//")
    )
    parts = []
    for chunk in body.split(";"):
        if chunk.strip():
            parts.append(chunk.strip())
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
