"""The CSV files of Neo4j's offline importer: tables, column types, quoting, files written.

:class:`~medtwin.store.bulk_graph.BulkGraph` hands its nodes and relationships over as
:class:`Table` objects; :func:`write_table` writes one as the importer reads it (typed header,
every value quoted, arrays joined by :data:`ARRAY_DELIMITER`), and :class:`BulkFiles` lists what
a bulk import passes to ``neo4j-admin database import full`` (:class:`AsideResult`: what a
dataset built in another process hands over). No database driver is imported
(the aside process of a bulk import writes files too).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from medtwin.errors import InputError

__all__ = [
    "ARRAY_DELIMITER",
    "AsideResult",
    "BulkFiles",
    "Table",
    "add_counts",
    "graph_sources",
    "node_table",
    "write_node_file",
    "write_table",
]

# Unit separator: no source text contains it, so array values need no escaping.
ARRAY_DELIMITER = "\x1f"


@dataclass
class BulkFiles:
    """CSV files written for ``neo4j-admin database import full``: ``(label or type, path)``."""

    nodes: list[tuple[str, Path]] = field(default_factory=list)
    relationships: list[tuple[str, Path]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    multiline: bool = False
    # per label or type: {source: n} as `describe` counts them, "" for none (graph_sources)
    sources: dict[str, dict[str, int]] = field(default_factory=dict)


def graph_sources(table: Table) -> dict[str, int]:
    """``{source: n}`` of a table's nodes or relationships, as ``describe`` counts them.

    A node counts under each name in its ``sources`` (``""``: none); a relationship likewise, or
    under its ``source`` when it names its dataset there only (``PERTURBS``). The same rule as
    ``query/count_labels`` and ``query/count_relationships``; an empty list is no property, in the
    database as here.

    Examples
    --------
    >>> t = Table("T", "f", [], [((), {"sources": ["a", "b"]}), ((), {"source": "c"}), ((), {})],
    ...           node=False)
    >>> graph_sources(t)
    {'a': 1, 'b': 1, 'c': 1, '': 1}
    """
    got: dict[str, int] = {}
    for _, props in table.rows:
        names = props.get("sources") or (
            [props["source"]] if not table.node and props.get("source") is not None else [""]
        )
        for name in names:
            got[name] = got.get(name, 0) + 1
    return got


def add_counts(into: dict[str, int], more: dict[str, int]) -> None:
    """Add the counts of ``more`` to ``into``, key by key."""
    for k, n in more.items():
        into[k] = into.get(k, 0) + n


@dataclass
class Table:
    """One importer CSV: its label or type, file name, id columns and ``(ids, properties)`` rows."""

    name: str
    file: str
    id_header: list[str]
    rows: list[tuple[tuple[str, ...], dict[str, Any]]]
    node: bool
    skip: frozenset[str] = frozenset()
    key: tuple[str, ...] = ()  # a relationship table's (type, start label, end label): its order


def node_table(label: str, nodes: Iterable[dict[str, Any]]) -> Table:
    """The importer table of ``label``'s nodes (each node's ``id``: importer id and property)."""
    return Table(
        label,
        f"nodes_{label}.csv",
        [f"id:ID({label})"],
        [((props["id"],), props) for props in nodes],
        node=True,
        skip=frozenset({"id"}),
    )


def _kind(types: set[type], inner: set[type], key: str) -> str:
    """The importer type of a column from the Python types seen in it."""
    if types <= {list, tuple}:
        return f"{_kind(inner, set(), key) if inner else 'string'}[]"
    if bool in types:
        if types != {bool}:
            raise InputError(f"bulk import: property {key!r} mixes booleans with {types}")
        return "boolean"
    if types <= {int}:
        return "long"
    if types <= {datetime}:  # timezone-aware (Dataset nodes' times): an ISO 8601 cell
        return "datetime"
    if types <= {int, float}:
        return "double"
    if types <= {str}:
        return "string"
    raise InputError(
        f"bulk import: property {key!r} mixes types {sorted(t.__name__ for t in types)}",
        hint="a loader yields one type per row field; check its row model",
    )


def _quoted(v: str) -> str:
    return '"' + v.replace('"', '""') + '"'


def _converter(kind: str, flags: list[bool]) -> Callable[[Any], str]:
    """``value -> quoted CSV cell`` for one column; results cached (most values repeat).

    A null and an empty list give an empty unquoted cell: no property, as the MERGE path stores
    for both (:func:`medtwin.store.row_queries.row_params`), pre-seeded in the cache so the row loop
    of :func:`write_table` makes one call per cell and no test.
    """
    cache: dict[Any, str] = {None: ""}

    def scalar(v: Any) -> str:
        if kind.startswith("boolean"):
            return "true" if v else "false"
        if kind.startswith("double"):
            return repr(float(v))
        if kind.startswith("datetime"):
            return str(v.isoformat())
        text = str(v)
        if "\n" in text or "\r" in text:
            flags[0] = True
        return text

    if kind.endswith("[]"):
        cache[()] = ""

        def convert(v: Any) -> str:
            key = v if v is None or type(v) is tuple else tuple(v)
            got = cache.get(key)
            if got is None:
                got = cache[key] = _quoted(ARRAY_DELIMITER.join(scalar(x) for x in v))
            return got

    else:
        get = cache.get

        def convert(v: Any) -> str:
            got = get(v)
            if got is None:
                got = cache[v] = _quoted(scalar(v))
                if len(cache) > 200_000:  # mostly unique values (e.g. z-scores): bound the memory
                    cache.clear()
                    cache[None] = ""
            return got

    return convert


def write_table(path: Path, table: Table) -> bool:
    """Write ``table``; returns whether a value spans lines.

    Every value is quoted; a null is an empty unquoted field, which the importer stores as no
    property, while ``""`` is an empty string, as ``SET x = ''`` would store. An empty list is an
    empty field too: the importer cannot store one, and the MERGE path stores none either.
    """
    # the types seen per column, column by column (comprehensions: ~2x the row-by-row loop at
    # ten million rows); a column that is never set stays out (all null: no property)
    dicts = [props for _, props in table.rows]
    types: dict[str, set[type]] = {}
    inner: dict[str, set[type]] = {}
    for k in sorted(set().union(*dicts)):
        values = [v for props in dicts if (v := props.get(k)) is not None]
        if not values:
            continue
        seen = types[k] = set(map(type, values))
        if seen <= {list, tuple}:  # a column mixing lists and scalars is refused by _kind
            inner[k] = {type(x) for v in values for x in v}
    keys = sorted(set(types) - table.skip)
    kinds = {k: _kind(types[k], inner.get(k, set()), k) for k in keys}
    flags = [False]
    convert = [_converter(kinds[k], flags) for k in keys]
    header = table.id_header + [f"{k}:{kinds[k]}" for k in keys]
    # ids repeat (a relationship table names each node many times): quoted once each
    ids_cache: dict[str, str] = {}

    def quoted_id(i: str) -> str:
        got = ids_cache.get(i)
        if got is None:
            got = ids_cache[i] = _quoted(i)
        return got

    columns = list(zip(keys, convert, strict=True))
    n_ids = len(table.id_header)
    rows = table.rows
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        # Column by column within blocks of 50,000 rows: one map() per column and block instead
        # of a list per row (1.1-1.4x on the reference's tables, same bytes); one write per
        # block, so memory stays bounded.
        for start in range(0, len(rows), 50_000):
            block = rows[start : start + 50_000]
            cells = [list(map(quoted_id, [ids[j] for ids, _ in block])) for j in range(n_ids)]
            cells += [list(map(conv, [props.get(k) for _, props in block])) for k, conv in columns]
            f.write("\n".join(map(",".join, zip(*cells, strict=True))) + "\n")
    # every id written is in ids_cache once: no second pass over the rows
    return flags[0] or any("\n" in i or "\r" in i for i in ids_cache)


def write_node_file(folder: Path, label: str, nodes: Sequence[dict[str, Any]]) -> tuple[Path, bool]:
    """One importer node file of ``label`` (each node's ``id`` is its importer id and property).

    Returns its path and whether a value spans lines (the import's ``--multiline-fields``).
    """
    table = node_table(label, nodes)
    path = folder / table.file
    return path, write_table(path, table)


@dataclass(frozen=True)
class AsideResult:
    """One dataset built aside (:mod:`~medtwin.store.bulk_aside`): what joins the graph, figures."""

    nodes: dict[str, list[dict[str, Any]]]  # label -> ON CREATE properties, first named first
    files: BulkFiles  # its relationship files
    keys: list[tuple[str, ...]]  # (type, start label, end label) of each relationship file
    counts: dict[str, int]  # rows per kind, from the dataset's parser
    parse_seconds: float
    graph_seconds: float
    csv_seconds: float
