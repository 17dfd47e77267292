"""Both stores name a running ``patient add-cohort`` in ``running_writes`` (``db backup``'s check).

:func:`cohort_add_writes` drives the store verbs an add uses and reads ``running_writes`` at
each step; this file runs it on the memory store, ``tests/integration/test_memory_parity.py`` on
both stores and compares. Before, the memory store listed patient locks only: an add holding its
cohort's lock was not named, where the Neo4j store named it.
"""

from __future__ import annotations

import os
import re
import socket

from medtwin.store.base import GraphStore
from medtwin.store.memory import MemoryStore

FILES = ['{"trial.tsv": "' + "c" * 64 + '"}']


def cohort_add_writes(store: GraphStore) -> dict[str, list[str]]:
    """``running_writes`` before, during (lock + record, as an add) and after an add of 'trial'.

    Also while only a record is 'adding' (a live process began it without the lock: listed by
    its record). The minute of "since" is cut (the stores' clocks differ by a tick).
    """

    def now() -> list[str]:
        return [re.sub(r"since [^)]*", "since …", w) for w in store.running_writes()]

    out = {"before": now()}
    with store.cohorts.add_lock("trial"):
        store.cohorts.begin_load("trial", 2, "rerun", FILES)
        out["adding"] = now()
        store.cohorts.finish_load("trial", inputs=FILES)
    out["after"] = now()
    store.cohorts.begin_load("other", 1, None)
    out["record only"] = now()
    store.cohorts.finish_load("other")
    out["done"] = now()
    return out


def test_the_memory_store_names_a_running_cohort_add() -> None:
    me = f"(pid {os.getpid()} on {socket.gethostname()}, since …)"
    assert cohort_add_writes(MemoryStore()) == {
        "before": [],
        "adding": [f"patient add-cohort of cohort 'trial' {me}"],
        "after": [],
        "record only": [f"patient add-cohort of cohort 'other' {me}"],
        "done": [],
    }
