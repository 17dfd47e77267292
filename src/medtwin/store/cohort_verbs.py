"""The store's cohort reads and writes (:class:`CohortVerbs`, ``store.cohorts``).

One of the protocols :class:`medtwin.store.base.GraphStore` is made of, with the batch size of
its streamed read (:data:`ACTIVITY_BATCH`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

__all__ = ["ACTIVITY_BATCH", "CohortVerbs"]

ACTIVITY_BATCH = 200
"""Patients per read of :meth:`CohortVerbs.activities`: what a caller that streams holds at once
(``cohort activities`` keeps a cohort of at most this many read once, for both its passes). Here,
not in ``store/cohorts.py``, so ``platform/`` reads it without importing the driver."""


class CohortVerbs(Protocol):
    """Cohort reads and writes (see :class:`~medtwin.store.cohorts.CohortStore`)."""

    def patient_states(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        """Inputs, latest twin and its rankings per patient."""
        ...

    def top_lists(self, ids: Sequence[str], top: int) -> list[dict[str, Any]]:
        """Ranks ``1..top`` of each patient's latest ranking: one item (``drugs``) per patient."""
        ...

    def twin_modules(self, ids: Sequence[str], *, module_only: bool = True) -> list[dict[str, Any]]:
        """Module genes (or all genes) and their log2fc of each patient's latest twin."""
        ...

    def activities(self, ids: Sequence[str]) -> Iterator[dict[str, Any]]:
        """Patient-level activities of each latest twin, streamed in batches of patients."""
        ...

    def replace_similarities(
        self, ids: Sequence[str], method: str, rows: Sequence[dict[str, Any]]
    ) -> int:
        """Replace the ``method`` similarities touching ``ids``; return the count stored."""
        ...

    def communities(self, ids: Sequence[str], method: str) -> dict[str, int]:
        """Louvain communities of the ``method`` similarity graph of ``ids``."""
        ...

    def set_endotypes(
        self, method: str, communities: dict[str, int], *, run: str, refresh: str
    ) -> None:
        """Write each patient's community, the run's id and the command that computes it again."""
        ...

    def similar_patients(self, patient_id: str, limit: int) -> list[dict[str, Any]]:
        """Patients joined to ``patient_id`` by similarity, best score first."""
        ...

    def begin_load(
        self,
        cohort: str,
        samples: int,
        command: str | None,
        inputs: Sequence[str] = (),
        options: str | None = None,
        *,
        superseded: Sequence[str] = (),
    ) -> None:
        """Record that an add-cohort of ``inputs`` (file checksums) to ``cohort`` starts.

        Status ``'adding'``, ``samples`` it stores; one record per cohort, set of files and
        ``options`` (JSON of the add's options, or None); with options, it takes over the
        record of the same files without. ``superseded``: ids of records removed in the same
        write (an add with ``replace`` replaces what they added).
        """
        ...

    def finish_load(
        self,
        cohort: str,
        *,
        complete: bool = True,
        inputs: Sequence[str] = (),
        options: str | None = None,
    ) -> None:
        """Mark that add-cohort complete (after its last sample), or failed."""
        ...

    def load_states(self, cohort: str) -> list[dict[str, Any]]:
        """The records of the add-cohorts of ``cohort``, oldest first; empty if there is none."""
        ...

    def add_lock(
        self, cohort: str, *, wait: float = 0.0, waiting: Callable[[str], None] | None = None
    ) -> AbstractContextManager[str]:
        """Hold ``cohort``'s lock while adding it; ConflictError if another process has it.

        With ``wait`` > 0, wait up to that many seconds for it first, calling ``waiting(status)``
        (the add waited for, the seconds left) at each look.
        """
        ...
