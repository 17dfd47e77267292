"""Stored drug rankings: the top as relationships, the full ranking as one compact table.

A ranking of ~5,000 drugs is stored in three forms, written by the same publish:

* the best :data:`TOP_N` drugs as ``(:Ranking)-[:SCORES {rank, z, q, ...}]->(:Drug)``
  relationships (``CustomDrug`` for a user's targets file), so Cypher, Bloom and the Browser see
  the drugs that matter and the default pages (50 drugs) and cohort summaries (top 20) read a few
  relationships;
* every drug as one Arrow IPC stream (zstd-compressed, columnar) in the ``score_table``
  ``byte[]`` property of the ``Ranking`` node itself, with ``table_rows`` its row count;
* the drugs beyond the top once more as compressed JSON lines in ``score_lines``
  (:mod:`medtwin.store.score_lines`), so that one drug's row (``explain``) is read without
  pyarrow, whose import alone costs ~0.05 s of a command that should answer in 0.5 s.

The table and the lines live on the node, so they are written in the transaction that creates
the ranking, become visible with the ``status: 'complete'`` publish, are deleted with the ranking
or patient (``DETACH DELETE``), and are included in ``db backup``; no file is left beside the
database. Storing every drug as a relationship (the earlier format) cost ~5,000 relationships and
~75,000 properties per ranking; the table costs one property (tens of KB, see docs/cohorts.md),
the lines three quarters as much again (4,706 drugs: 71 and 55 kB). Rankings
written before this format (no ``table_rows``) are still read from their relationships; those
written before the lines (no ``score_lines``) read one drug beyond the top from the table.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any

from medtwin.store.analysis_verbs import RANKING_TOP_N
from medtwin.store.lean import import_pyarrow
from medtwin.store.runner import CypherRunner
from medtwin.store.score_lines import encode_lines, find_line

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "TABLE_FORMAT",
    "SUMMARY_N",
    "TOP_N",
    "RankingStore",
    "decode_table",
    "encode_table",
    "top_summary",
]

TOP_N = RANKING_TOP_N  # read at call time (tests lower it to exercise the table)
TABLE_FORMAT = "arrow-ipc-zstd/1"
_TABLE_BATCH = 200


SUMMARY_N = 20
"""Rows in a ranking's ``top_summary`` (the default cohort summary's top k; deeper reads use the
``SCORES`` relationships). Read at call time (tests lower it)."""


def top_summary(top: Sequence[dict[str, Any]], *, named: bool) -> str:
    """The ``top_summary`` property of a ranking: its best rows as one compact JSON string.

    ``[[rank, drug_id, q, direction, combined], ...]`` best first (the ``Drug`` nodes hold the
    names); a targets file's rows (``named``) add a sixth item, the drug's name or null. A cohort
    summary reads one string per patient instead of ``top`` relationships
    (``cohort/top_summaries``); it lives on the ``Ranking`` node, so it is written, published and
    deleted with the ranking.
    """
    rows = [
        [int(r["rank"]), r["drug_id"], r.get("q"), r.get("direction"), r.get("combined")]
        + ([r.get("drug_name")] if named else [])
        for r in top
    ]
    return json.dumps(rows, separators=(",", ":"))


def encode_table(rows: Sequence[dict[str, Any]]) -> bytes:
    """Rows (dicts; a missing key is null) as one zstd-compressed Arrow IPC stream."""
    import pyarrow as pa

    keys = list(dict.fromkeys(chain.from_iterable(rows)))  # union, first-seen order (in C)
    table = pa.table({k: [r.get(k) for r in rows] for k in keys})
    sink = pa.BufferOutputStream()
    options = pa.ipc.IpcWriteOptions(compression="zstd")
    with pa.ipc.new_stream(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def _read_table(blob: bytes) -> pa.Table:
    pa = import_pyarrow()  # without numpy in a lean data command (store/lean.py)
    with pa.ipc.open_stream(pa.py_buffer(blob)) as reader:
        return reader.read_all()


_SUMMARY_COLUMNS = ("rank", "drug_id", "drug_name", "q", "direction", "combined")
"""The columns of a table that a deep cohort summary reads (:meth:`RankingStore.top_tables`)."""


def _read_columns(blob: bytes, names: Collection[str]) -> pa.Table:
    """Only the columns of the table among ``names``: the others are not decompressed.

    A deep cohort summary reads 5 of a ranking's ~15 columns (the lists of target genes are the
    largest); at 4,706 drugs that is ~0.3 instead of ~0.9 ms of CPU a table, 1,000 tables a
    summary of 1,000 patients.
    """
    pa = import_pyarrow()
    buf = pa.py_buffer(blob)
    with pa.ipc.open_stream(buf) as reader:  # reads the schema message only
        fields = [i for i, f in enumerate(reader.schema) if f.name in names]
    options = pa.ipc.IpcReadOptions(included_fields=fields)
    with pa.ipc.open_stream(buf, options=options) as reader:
        return reader.read_all()


def _rows(table: pa.Table) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if v is not None} for row in table.to_pylist()]


def decode_table(blob: bytes) -> list[dict[str, Any]]:
    """The rows of :func:`encode_table` (null values left out, as on a relationship)."""
    return _rows(_read_table(blob))


def _ranking_props(r: dict[str, Any] | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {k: v for k, v in r.items() if v is not None}


class RankingStore:
    """Ranking persistence on a :class:`~medtwin.store.runner.CypherRunner`."""

    def __init__(self, store: CypherRunner) -> None:
        self.store = store

    # -- writes ------------------------------------------------------------------------------
    def save_ranking(
        self,
        twin_id: str,
        ranking_id: str,
        meta: dict[str, Any],
        rows: Sequence[dict[str, Any]],
        *,
        custom: bool = False,
    ) -> dict[str, Any]:
        """Store a ranking (``rows`` best first, each with ``rank`` and ``drug_id``) and publish it.

        Written under a temporary id as 'building' (the node with its table and its top
        relationships, in one transaction), then published in another that replaces the previous
        ranking of the same id: readers never see a partial or doubled ranking. ``custom`` rows
        carry their own ``drug_name`` and get ``CustomDrug`` nodes. Returns ``meta`` with ``id``,
        ``twin_id`` and ``created_at`` of the published ranking.
        """
        top_n = TOP_N
        ordered = sorted(rows, key=lambda r: int(r["rank"]))
        table_rows = [{k: v for k, v in r.items() if custom or k != "drug_name"} for r in ordered]
        props = dict(meta)
        props.update(
            id=f"{ranking_id}#building",
            score_table=encode_table(table_rows),
            table_format=TABLE_FORMAT,
            table_rows=len(ordered),
            top_n=min(top_n, len(ordered)),
            top_summary=top_summary(ordered[:SUMMARY_N], named=custom),
            top_summary_n=min(SUMMARY_N, len(ordered)),
        )
        if len(ordered) > top_n:  # a drug beyond the top, read without pyarrow (score_lines.py)
            props["score_lines"] = encode_lines(table_rows[top_n:])
        building = props["id"]
        top = [dict(r) for r in ordered[:top_n]]
        if not custom:
            for r in top:
                r.pop("drug_name", None)
        # the hidden ranking in one transaction (a leftover of a failed attempt removed first)
        self.store.write_together(
            ("ranking/delete_ranking", {"id": building}),
            ("ranking/create_ranking", {"twin_id": twin_id, "props": props}),
            (
                "ranking/create_custom_scores" if custom else "ranking/create_scores",
                {"ranking_id": building, "rows": top},
            ),
        )
        got = self.store.write("ranking/publish_ranking", building_id=building, id=ranking_id)
        return {**meta, "id": ranking_id, "twin_id": twin_id, "created_at": got[0]["created_at"]}

    # -- reads -------------------------------------------------------------------------------
    def latest_ranking(
        self,
        patient_id: str,
        version: int | None = None,
        targets: Sequence[str] | None = None,
    ) -> tuple[dict[str, Any], dict[str, Any] | None] | None:
        """``(twin, ranking)`` of the patient's latest (or given) complete twin, or ``None``.

        ``twin`` has ``id``, ``patient_id``, ``module_z``, ``module_p``, ``version``,
        ``input_checksums_json`` and ``inputs`` (the patient's now: ``id``, ``sha256``,
        ``name``); ``ranking`` the ranking's properties without its table (``None`` when the
        twin has no complete ranking). ``targets``: only rankings made with one of these target
        sources.
        """
        got = self.store.read_once(
            "ranking/latest_ranking",
            patient_id=patient_id,
            version=version,
            targets=None if targets is None else list(targets),
        )
        if not got:
            return None
        return got[0]["twin"], _ranking_props(got[0]["ranking"])

    def ranking_page(
        self,
        ranking: dict[str, Any],
        offset: int = 0,
        limit: int = 50,
        drug_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Drugs ``offset .. offset+limit`` (or the one ``drug_id``) of a complete ranking.

        ``ranking`` is the map :meth:`latest_ranking` returns. Each item is
        ``{drug_name, score}`` with ``score`` the drug's stored scores. Pages inside the top, and
        ``drug_id`` look-ups of a drug in the top, are read from the relationships; others from
        the table.
        """
        rid = ranking["id"]
        top_n = ranking.get("top_n")
        # A page inside the stored top, or any page when the top holds every drug (a small
        # reference): the relationships have it, and pyarrow is not imported for it.
        rows = ranking.get("table_rows")
        whole = top_n is not None and rows is not None and int(top_n) >= int(rows)
        in_top = top_n is not None and (offset + limit <= int(top_n) or whole)
        if rows is None or (drug_id is None and in_top):
            return self.store.read(
                "ranking/scores_page", ranking_id=rid, offset=offset, limit=limit, drug_id=drug_id
            )
        if drug_id is not None and top_n is not None:
            # one drug (`explain`): its relationship when it is in the top, so that explaining
            # a top drug does not import pyarrow (~0.05 s of CPU) to decode the whole table
            top = self.store.read(
                "ranking/scores_page", ranking_id=rid, offset=0, limit=1, drug_id=drug_id
            )
            if top or whole:
                return top
            got = self.store.read_raw("ranking/score_lines", ranking_id=rid)
            if got and got[0]["lines"] is not None:  # absent from rankings stored before it
                columns, row = find_line(bytes(got[0]["lines"]), drug_id)
                return [] if row is None else self._items_of([row], "drug_name" in columns)
        table = self._table(rid)
        if table is None:
            return []
        if drug_id is not None:
            # one row per drug; a Python scan of ~5k ids, because pyarrow.compute's filter
            # imports pandas (~0.4 s of `explain`), which reading and slicing the table do not
            ids = table.column("drug_id").to_pylist()
            table = table.slice(ids.index(drug_id), 1) if drug_id in ids else table.slice(0, 0)
        else:
            table = table.slice(max(offset, 0), max(limit, 0))
        return self._items(table)

    def top_tables(self, ids: Sequence[str], top: int) -> list[dict[str, Any]]:
        """Ranks ``1..top`` of each patient's latest ranking read from its table (any ``top``).

        Rows as ``cohort/top_drugs``; rankings without a table are read from relationships.
        """
        out: list[dict[str, Any]] = []
        got_all: list[dict[str, Any]] = []
        tables: dict[str, dict[str, list[Any]]] = {}  # id -> the top's columns
        for i in range(0, len(ids), _TABLE_BATCH):  # tables are tens of KB each: keep the top
            # read_raw: Record.data() would turn the bytes into a list of ints (~50x slower)
            for got in self.store.read_raw(
                "cohort/top_tables", ids=list(ids[i : i + _TABLE_BATCH]), top=top
            ):
                blob = got.pop("table")
                if blob is not None:  # decoded now: a slice would keep the whole table alive
                    table = _read_columns(bytes(blob), _SUMMARY_COLUMNS)
                    # column-wise: a dict per row of 200 x 1,000 patients was ~1/3 of the CPU
                    tables[got["ranking_id"]] = table.slice(0, top).to_pydict()
                got_all.append(got)
        names = self._names(
            {d for cols in tables.values() if "drug_name" not in cols for d in cols["drug_id"]}
        )
        for got in got_all:
            base = {k: got[k] for k in ("patient_id", "twin_id", "ranking_id", "targets", "rules")}
            cols = tables.get(got["ranking_id"])
            if cols is not None:  # a targets file's table names its drugs; else the Drug nodes
                drug_ids = cols["drug_id"]
                none = [None] * len(drug_ids)
                drug_names = cols.get("drug_name") or [names.get(d) for d in drug_ids]
                for drug_id, name, rank, q, direction, combined in zip(
                    drug_ids,
                    drug_names,
                    cols["rank"],
                    cols.get("q", none),
                    cols.get("direction", none),
                    cols.get("combined", none),
                    strict=True,
                ):
                    out.append(
                        base
                        | {
                            "drug_id": drug_id,
                            "drug_name": name,
                            "rank": rank,
                            "q": q,
                            "direction": direction,
                            "combined": combined,
                        }
                    )
                continue
            for s in got["rows"]:
                score = s["score"]
                out.append(
                    base
                    | {
                        "drug_id": score["drug_id"],
                        "drug_name": s.get("drug_name"),
                        "rank": score["rank"],
                        "q": score.get("q"),
                        "direction": score.get("direction"),
                        "combined": score.get("combined"),
                    }
                )
        return out

    # -- helpers -----------------------------------------------------------------------------
    def drug_names(self, ids: set[str]) -> dict[str, str | None]:
        """Drug id -> name of the ``Drug`` nodes among ``ids``."""
        return self._names(ids)

    def _table(self, ranking_id: str) -> pa.Table | None:
        """The ranking's decoded score table, read on each call.

        Not cached here: the platform caches the pages cut from it (one cache per ranking).
        """
        # read_raw: Record.data() would turn the bytes into a list of ints (~50x slower)
        got = self.store.read_raw("ranking/score_table", ranking_id=ranking_id)
        if not got or got[0]["table"] is None:
            return None
        return _read_table(bytes(got[0]["table"]))

    def _names(self, ids: set[str]) -> dict[str, str | None]:
        if not ids:
            return {}
        got = self.store.read("ranking/drug_names", ids=sorted(ids))
        return {g["id"]: g["name"] for g in got}

    def _items(self, table: pa.Table) -> list[dict[str, Any]]:
        """``{drug_name, score}`` items of table rows.

        A targets file's table carries its drugs' names; otherwise they come from the Drug nodes.
        """
        return self._items_of(_rows(table), "drug_name" in table.column_names)

    def _items_of(self, rows: list[dict[str, Any]], named: bool) -> list[dict[str, Any]]:
        """``{drug_name, score}`` items of rows; ``named``: they carry their drugs' names."""
        if named:
            return [{"drug_name": r.pop("drug_name", None), "score": r} for r in rows]
        names = self._names({r["drug_id"] for r in rows})
        return [{"drug_name": names.get(r["drug_id"]), "score": r} for r in rows]
