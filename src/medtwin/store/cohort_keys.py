"""The id of a ``(:CohortLoad)`` record, and how a running add is named, for both stores.

The Neo4j and the in-memory store must agree on both: ``db backup`` and the tests compare what
each lists as a running ``patient add-cohort`` (``GraphStore.running_writes``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

__all__ = ["load_key", "running_add", "since_text"]


def load_key(cohort: str, inputs: Sequence[str], options: str | None = None) -> str:
    """The id of the record of adding ``inputs`` (file checksums) to ``cohort`` with ``options``.

    ``options`` (canonical JSON of the add's options that change what is stored: thresholds,
    controls, symptoms) are part of the key: the same files added with other thresholds are
    another add. None (the demo, records made before options were kept) keys by the files
    alone, as before.

    >>> load_key("trial", [])
    'cohort:trial'
    >>> load_key("trial", ['{"a.tsv": "ab"}'])
    'cohort:trial:48ecbb3bcf20430c'
    >>> load_key("trial", ['{"a.tsv": "ab"}'], '{"p_max": "0.05"}')
    'cohort:trial:948cc677e20f3752'
    """
    if not inputs:
        return f"cohort:{cohort}"
    text = "\n".join(sorted(set(inputs))) + ("" if options is None else f"\n{options}")
    return f"cohort:{cohort}:{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def since_text(when: Any) -> str:
    """A lock's or record's start, to the minute (a driver DateTime or a native datetime).

    >>> from datetime import UTC, datetime
    >>> since_text(datetime(2026, 12, 6, 9, 36, 12, tzinfo=UTC))
    '2026-12-06 09:36 UTC'
    """
    when = when.to_native() if hasattr(when, "to_native") else when
    return f"{when:%Y-%m-%d %H:%M} UTC" if isinstance(when, datetime) else str(when)


def running_add(cohort: str, *, operation: Any, pid: Any, host: Any, since: Any) -> str:
    """How ``running_writes`` names an add of ``cohort`` in progress.

    >>> running_add("trial", operation="patient add-cohort", pid=4711, host="vm", since="now")
    "patient add-cohort of cohort 'trial' (pid 4711 on vm, since now)"
    """
    return f"{operation} of cohort {cohort!r} (pid {pid} on {host}, since {since_text(since)})"
