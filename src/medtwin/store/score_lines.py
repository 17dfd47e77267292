"""A ranking's rows beyond its stored top as compressed JSON lines: one drug read without pyarrow.

``explain`` of a drug beyond the top 100 needs that drug's row of the ranking. The Arrow table
(:mod:`medtwin.store.rankings`) holds it, but reading it imports pyarrow (~0.05 s, its C++
libraries) and decodes every row: ~0.09 s of CPU in a ~0.6 s command. The same rows are stored
beside it in the ``score_lines`` ``byte[]`` property of the ``Ranking`` node: zlib-compressed
JSON text, a first line with the column names, then one JSON array per drug, drug id first, so
one drug is found by a byte search in the decompressed text and only its line is parsed (~1 ms,
standard library only). Written with the node (so published, deleted and backed up with the
ranking); a ranking stored before it has no such property and is read from the table as before.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from typing import Any

__all__ = ["encode_lines", "find_line"]

_SEPARATORS = (",", ":")  # compact: no spaces


def encode_lines(rows: Sequence[dict[str, Any]]) -> bytes:
    r"""``rows`` (dicts, each with ``drug_id``; a missing key is null) as compressed JSON lines.

    Examples
    --------
    >>> blob = encode_lines([{"drug_id": "DB1", "rank": 101, "q": 0.5},
    ...                      {"drug_id": "DB2", "rank": 102}])
    >>> zlib.decompress(blob).decode()
    '["drug_id","rank","q"]\n["DB1",101,0.5]\n["DB2",102,null]'
    """
    keys = ["drug_id", *dict.fromkeys(k for r in rows for k in r if k != "drug_id")]
    lines = [json.dumps(keys, separators=_SEPARATORS)]
    lines += [json.dumps([r.get(k) for k in keys], separators=_SEPARATORS) for r in rows]
    return zlib.compress("\n".join(lines).encode(), 6)


def find_line(blob: bytes, drug_id: str) -> tuple[list[str], dict[str, Any] | None]:
    """The column names of :func:`encode_lines`'s output and the row of ``drug_id``.

    The row leaves null values out, as the table's rows do; it is ``None`` when the drug has none.

    Examples
    --------
    >>> blob = encode_lines([{"drug_id": "DB1", "rank": 101, "q": 0.5},
    ...                      {"drug_id": "DB2", "rank": 102}])
    >>> find_line(blob, "DB2")
    (['drug_id', 'rank', 'q'], {'drug_id': 'DB2', 'rank': 102})
    >>> find_line(blob, "DB3")[1], find_line(blob, "DB")[1]
    (None, None)
    """
    text = zlib.decompress(blob)
    head_end = text.find(b"\n")
    keys = json.loads(text[: head_end if head_end >= 0 else len(text)])
    # each line after the first starts with the drug's id as json.dumps wrote it, then a comma
    start = text.find(b"\n[" + json.dumps(drug_id).encode() + b",") if head_end >= 0 else -1
    if start < 0:
        return keys, None
    end = text.find(b"\n", start + 1)
    values = json.loads(text[start + 1 : end if end >= 0 else len(text)])
    return keys, {k: v for k, v in zip(keys, values, strict=True) if v is not None}
