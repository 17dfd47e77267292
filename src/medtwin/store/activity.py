"""Writes in progress on the database: what stopping the server (``medtwin db backup``) interrupts.

Two kinds, both named to the user:

* **write transactions** running now (``SHOW TRANSACTIONS``, ``cypher/admin/running_transactions``):
  medtwin's own carry the metadata ``{medtwin: 'write', statement}`` (:class:`~medtwin.store.
  runner.CypherRunner`); another client's count when its running statement writes (a ``CREATE``,
  ``MERGE``, ``SET``, ``DELETE``, ``REMOVE``, ``FOREACH``, ``LOAD CSV`` or a procedure's
  ``.write``, outside comments and string literals), or when it sits between statements holding
  locks (reads take none once their statement is done). ``SHOW TRANSACTIONS`` has no read/write
  flag, so this is a classification, documented as one;
* **medtwin operations** that span many transactions and would be cut between two of them: a
  patient's lock held by a live process (a twin build, a ranking, an upload, a delete) and a
  ``patient add-cohort`` still adding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from medtwin.store.cohort_keys import running_add, since_text
from medtwin.store.locks import holder_alive, list_locks
from medtwin.store.runner import CypherRunner

__all__ = ["RunningWrite", "is_write_query", "running_writes"]

_WRITE = re.compile(
    r"\b(CREATE|MERGE|SET|DELETE|REMOVE|FOREACH|LOAD\s+CSV)\b|\.write(Estimate)?\s*\(", re.I
)
_NOT_CODE = re.compile(r"//[^\n]*|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`")


@dataclass(frozen=True)
class RunningWrite:
    """One write in progress, as the refusal names it."""

    what: str
    """``transaction neo4j-transaction-12 (MERGE (p:Patient …, 127.0.0.1:4711, 3.2 s)`` or
    ``twin build of patient P1 (pid 4711 on vm, since 2026-12-06 09:36 UTC)``."""


def is_write_query(text: str) -> bool:
    """Whether a running statement writes (comments and string literals ignored).

    >>> is_write_query("MATCH (p:Patient) RETURN p.id // then MERGE them")
    False
    >>> is_write_query("MATCH (p {name: 'SET'}) DETACH DELETE p")
    True
    >>> is_write_query("CALL gds.pageRank.write('g', {})")
    True
    """
    return bool(_WRITE.search(_NOT_CODE.sub(" ", text or "")))


def _transaction(row: dict[str, Any]) -> RunningWrite | None:
    meta = row.get("metadata") or {}
    query = str(row.get("query") or "")
    if meta.get("medtwin") == "write":
        statement = f"medtwin {meta.get('statement')}"
    elif is_write_query(query):
        code = " ".join(line for line in query.splitlines() if not line.lstrip().startswith("//"))
        statement = " ".join(code.split())[:60] + ("…" if len(code) > 60 else "")
    elif not query and int(row.get("locks") or 0) > 0:
        statement = f"between statements, holding {row.get('locks')} lock(s)"
    else:
        return None
    seconds = int(row.get("elapsed_ms") or 0) / 1000
    return RunningWrite(
        f"transaction {row.get('id')} ({statement}; {row.get('user')} at {row.get('client')}, "
        f"running {seconds:.1f} s)"
    )


def running_writes(store: CypherRunner) -> list[RunningWrite]:
    """Write transactions and medtwin operations in progress (module docstring); oldest first."""
    got = [
        _transaction(r) for r in store.read("admin/running_transactions", database=store.database)
    ]
    out = [w for w in got if w is not None]
    adding = set()  # cohorts whose add holds their lock (named once, not again by its record)
    for lock in list_locks(store):
        if holder_alive(lock):
            kind, _, name = str(lock.get("id")).partition(":")
            who = {k: lock.get(k) for k in ("operation", "pid", "host")}
            if kind == "cohort":
                adding.add(name)
                out.append(RunningWrite(running_add(name, **who, since=lock.get("acquired_at"))))
                continue
            out.append(
                RunningWrite(
                    f"{who['operation']} of {kind} {name} (pid {who['pid']} on {who['host']}, "
                    f"since {since_text(lock.get('acquired_at'))})"
                )
            )
    for row in store.read("cohort/running_cohort_loads"):
        load = row["load"]
        if load.get("cohort") in adding:
            continue
        held = {
            "host": load.get("host"),
            "pid": load.get("pid"),
            "acquired_at": load.get("started_at"),
        }
        if holder_alive(held):
            what = running_add(
                str(load.get("cohort")), operation="patient add-cohort", pid=load.get("pid"),
                host=load.get("host"), since=load.get("started_at"),
            )  # fmt: skip
            out.append(RunningWrite(what))
    return out
