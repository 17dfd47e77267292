"""Compare two harness results row by row: do the declared rows' figures move?

``python -m benchmarks.declared_check BEFORE.json AFTER.json`` matches every table row of the two
``validate_twins_<parts>.json`` (rows with a ``ranker``, by table and ranker name) and counts the
fields that differ, apart for the rows of the declared families, the rows of later methods and
the rest (:mod:`benchmarks.declared_family`), and for the Holm fields (``*_adj``,
``*_family``) and the others. Prints each difference and a summary; exit status 1 when a
declared row's field differs. Written for §18 of regulators_dev.md: a later method's rows must
not move a declared row.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

from benchmarks.declared_family import declared, later_ranker

CLASSES = ("declared", "later", "outside")
"""Rows of a declared ranker, of a later method, and the rest (priors, controls, anchors)."""
SKIP = {"seconds"}
"""Fields that are timings, not figures."""


def table_rows(doc: object, path: str = "") -> Iterator[tuple[str, Mapping[str, object]]]:
    """(table path, row) of every list of rows with a ``ranker`` in a result."""
    if isinstance(doc, Mapping):
        for k, v in doc.items():
            yield from table_rows(v, f"{path}/{k}")
    elif isinstance(doc, list) and doc and all(isinstance(r, Mapping) for r in doc):
        if all("ranker" in r for r in doc):
            for r in doc:
                yield path, r
        else:
            for i, v in enumerate(doc):
                yield from table_rows(v, f"{path}[{i}]")


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def compare(before: object, after: object) -> dict[str, object]:
    """Per class (declared / later rows, Holm / other fields): values compared and differences.

    >>> old = {"t": [{"ranker": "default", "p_adj": 0.1, "p": 0.01}]}
    >>> new = {"t": [{"ranker": "default", "p_adj": 0.1, "p": 0.01},
    ...              {"ranker": "method: activity_reversal", "p_adj": 1.0, "p": 0.5}]}
    >>> c = compare(old, new)
    >>> c["declared"], c["only_after"]
    ({'holm': [1, 0], 'other': [2, 0]}, ['/t: method: activity_reversal'])
    """
    rows_a: dict[tuple[str, str, int], Mapping[str, object]] = {}
    rows_b: dict[tuple[str, str, int], Mapping[str, object]] = {}
    for rows, doc in ((rows_a, before), (rows_b, after)):
        seen: dict[tuple[str, str], int] = {}
        for path, row in table_rows(doc):
            name = str(row["ranker"])
            n = seen.get((path, name), 0)  # a per-treatment detail names a ranker many times
            seen[(path, name)] = n + 1
            rows[(path, name, n)] = row
    out: dict[str, object] = {c: {"holm": [0, 0], "other": [0, 0]} for c in CLASSES}
    differences: list[str] = []
    for key in sorted(set(rows_a) & set(rows_b)):
        a, b = rows_a[key], rows_b[key]
        cls = "declared" if declared(key[1]) else "later" if later_ranker(key[1]) else "outside"
        for field in sorted((set(a) | set(b)) - SKIP):
            kind = "holm" if field.endswith(("_adj", "_family")) else "other"
            counts = out[cls][kind]  # type: ignore[index]
            counts[0] += 1
            if field not in a or field not in b or not _same(a[field], b[field]):
                counts[1] += 1
                differences.append(
                    f"{cls} {key[0]}: {key[1]}: {field}: {a.get(field)!r} -> {b.get(field)!r}"
                )
    out["only_before"] = [f"{p}: {r}" for p, r, n in sorted(set(rows_a) - set(rows_b)) if n == 0]
    out["only_after"] = [f"{p}: {r}" for p, r, n in sorted(set(rows_b) - set(rows_a)) if n == 0]
    out["differences"] = differences
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--quiet", action="store_true", help="the summary only")
    args = ap.parse_args(argv)
    try:
        docs = [json.loads(p.read_text()) for p in (args.before, args.after)]
    except (OSError, ValueError) as e:
        raise SystemExit(f"{e}; give two validate_twins_<parts>.json results") from None
    c = compare(*docs)
    if not args.quiet:
        for line in c["differences"]:  # type: ignore[attr-defined]
            print(line)
    for cls in CLASSES:
        for kind in ("holm", "other"):
            n, d = c[cls][kind]  # type: ignore[index]
            print(f"{cls} rows, {kind} fields: {n} values compared, {d} differ")
    for side in ("only_before", "only_after"):
        print(f"rows {side.replace('_', ' ')}: {len(c[side])} {c[side]}")  # type: ignore[arg-type]
    declared_moved = c["declared"]["holm"][1] + c["declared"]["other"][1]  # type: ignore[index]
    return 1 if declared_moved else 0


if __name__ == "__main__":
    sys.exit(main())
