"""The known grouping a stratification is compared with (``cohort stratify --labels KEY``).

Read from the patients' metadata, and checked before the similarity graph is built: a key that
fewer than 2 of the patients carry was refused only after that work (33 s on the demo's PEAC
cohort, stop 60's CLI probe), naming no key one could give instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from medtwin.errors import InputError
from medtwin.loaders.limits import shown_list

if TYPE_CHECKING:
    from medtwin.store.base import GraphStore

__all__ = ["known_labels"]


def known_labels(
    store: GraphStore, ids: Sequence[str], key: str, *, who: str = "the cohort's patients"
) -> dict[str, str]:
    """``{patient: label}`` of the ``ids`` whose metadata carries ``key``, in ``ids``' order.

    Raises
    ------
    InputError
        Fewer than 2 of them carry ``key`` (the ARI compares two groupings of 2 or more
        patients); the message names ``key`` and the metadata keys ``who`` (the ``ids``) have.
    """
    meta = {row["id"]: row["metadata"] for row in store.twins.patient_metadata()}
    labels = {i: str(meta[i][key]) for i in ids if key in meta.get(i, {})}
    if len(labels) >= 2:
        return labels
    keys = sorted({k for i in ids for k in meta.get(i, {})})
    what = (
        f"no metadata key {key!r}"
        if not labels
        else f"metadata key {key!r} on 1 patient only (the comparison needs 2)"
    )
    raise InputError(
        f"{what}; {who} have: {shown_list(keys, first=20) if keys else 'no metadata'}",
        hint="give --labels one of those keys (`medtwin patient show ID` lists a patient's)",
    )
