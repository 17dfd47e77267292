"""A ranking's rows beyond its stored top as compressed JSON lines: one drug read without pyarrow.

``explain`` of a drug beyond the top 100 needs that drug's row of the ranking. The Arrow table
(:mod:`medtwin.store.rankings`) holds it, but reading it imports pyarrow (~0.05 s, its C++
libraries) and decodes every row: ~0.09 s of CPU in a ~0.6 s command. The same rows are stored
beside it in the ``score_lines`` ``byte[]`` property of the ``Ranking`` node: compressed JSON
text, a first line naming the columns, then one JSON array per drug, drug id first, so one drug
is found by a byte search in the decompressed text and only its line is parsed (a few ms,
standard library only). Written with the node (so published, deleted and backed up with the
ranking); a ranking stored before it has no such property and is read from the table as before.

Since stop 53 the text is xz-compressed (LZMA2, preset 1) and a ranking's consecutive ranks are
not written: the first line is ``{"columns": [...], "first_rank": 101}`` and a row's rank is
``first_rank`` plus its line's place. A ranking of 4,706 drugs: 82.5 -> 54.7 kB (the Arrow table
of all its drugs is ~71 kB), for ~10 ms more CPU to write (~50 ms with the JSON) and ~2 ms more
to read one drug; ``lzma`` costs no import, ``shutil`` has it loaded already (docs/cohorts.md).
Stop 52's lines (zlib, a first line that is the list of columns, ranks written) are
still read.
"""

from __future__ import annotations

import json
import lzma
import zlib
from collections.abc import Sequence
from itertools import chain
from typing import Any

__all__ = ["encode_lines", "find_line"]

_SEPARATORS = (",", ":")  # compact: no spaces
# json.dumps with separators builds a new encoder per call: ~1/6 of the lines' JSON time
_ENCODE = json.JSONEncoder(separators=_SEPARATORS).encode
_XZ_MAGIC = b"\xfd7zXZ\x00"  # stop 52's lines are a zlib stream (first byte 0x78)
# Preset 1: on the rankings of 4,706 drugs, presets 2-3 saved ~1.5 kB more for ~1.5x the CPU,
# preset 6 ~8 kB more for ~9x (a cohort run writes one per patient). The window only has to
# hold the text (~0.5 MB), so the decoder needs ~1 MB, not the preset's default.
_FILTERS = [{"id": lzma.FILTER_LZMA2, "preset": 1, "dict_size": 1 << 20}]


def _first_if_consecutive(rows: Sequence[dict[str, Any]]) -> int | None:
    """The first row's rank when the ranks are ``first, first + 1, ...`` (ints), else ``None``."""
    first = rows[0].get("rank") if rows else None
    if type(first) is not int:  # a float or bool rank is written as it is
        return None
    ok = all(type(r.get("rank")) is int and r["rank"] == first + i for i, r in enumerate(rows))
    return first if ok else None


def encode_lines(rows: Sequence[dict[str, Any]]) -> bytes:
    r"""``rows`` (dicts, each with ``drug_id``; a missing key is null) as compressed JSON lines.

    Consecutive ranks are left out of the lines (the first is in the first line).

    Examples
    --------
    >>> blob = encode_lines([{"drug_id": "DB1", "rank": 101, "q": 0.5},
    ...                      {"drug_id": "DB2", "rank": 102}])
    >>> lzma.decompress(blob).decode()
    '{"columns":["drug_id","rank","q"],"first_rank":101}\n["DB1",0.5]\n["DB2",null]'
    """
    # union of the keys in first-seen order; chain iterates in C (a generator was ~1/8 of the time)
    columns = ["drug_id", *(k for k in dict.fromkeys(chain.from_iterable(rows)) if k != "drug_id")]
    first_rank = _first_if_consecutive(rows)
    head: dict[str, Any] = {"columns": columns}
    written = columns
    if first_rank is not None:
        head["first_rank"] = first_rank
        written = [k for k in columns if k != "rank"]
    lines = [_ENCODE(head)]
    lines += [_ENCODE([r.get(k) for k in written]) for r in rows]
    text = "\n".join(lines).encode()
    return lzma.compress(text, format=lzma.FORMAT_XZ, check=lzma.CHECK_NONE, filters=_FILTERS)


def _line_of(text: bytes, opening: bytes) -> int:
    """Where the line starting with ``opening`` (then ``,`` or ``]``) begins in ``text``, or -1."""
    at = text.find(opening + b",")
    return at if at >= 0 else text.find(opening + b"]")


def find_line(blob: bytes, drug_id: str) -> tuple[list[str], dict[str, Any] | None]:
    """The column names of :func:`encode_lines`'s output and the row of ``drug_id``.

    The row leaves null values out, as the table's rows do; it is ``None`` when the drug has none.
    Stop 52's lines (zlib, every rank written) are read too.

    Examples
    --------
    >>> blob = encode_lines([{"drug_id": "DB1", "rank": 101, "q": 0.5},
    ...                      {"drug_id": "DB2", "rank": 102}])
    >>> find_line(blob, "DB2")
    (['drug_id', 'rank', 'q'], {'drug_id': 'DB2', 'rank': 102})
    >>> find_line(blob, "DB3")[1], find_line(blob, "DB")[1]
    (None, None)
    """
    text = lzma.decompress(blob) if blob.startswith(_XZ_MAGIC) else zlib.decompress(blob)
    head_end = text.find(b"\n")
    head = json.loads(text[: head_end if head_end >= 0 else len(text)])
    columns: list[str] = head if isinstance(head, list) else head["columns"]  # list: stop 52's
    first_rank = None if isinstance(head, list) else head.get("first_rank")
    # each line after the first starts with the drug's id as json.dumps wrote it, then a comma
    # (or the line's end: a row of nothing but its id when the ranks are left out)
    start = _line_of(text, b"\n[" + json.dumps(drug_id).encode()) if head_end >= 0 else -1
    if start < 0:
        return columns, None
    end = text.find(b"\n", start + 1)
    values = json.loads(text[start + 1 : end if end >= 0 else len(text)])
    written = columns if first_rank is None else [k for k in columns if k != "rank"]
    row = dict(zip(written, values, strict=True))
    if first_rank is not None:  # a JSON string holds no raw newline: one per line before it
        row["rank"] = first_rank + text.count(b"\n", 0, start)
    return columns, {k: row[k] for k in columns if row[k] is not None}
