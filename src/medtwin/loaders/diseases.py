"""Merge Disease rows coming from several sources into one row per id."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from medtwin.loaders.rows import DiseaseRow

__all__ = ["merge_diseases"]


def merge_diseases(
    *sources: Iterable[DiseaseRow], mesh_ids: Mapping[str, str] | None = None
) -> Iterator[DiseaseRow]:
    """Yield one :class:`DiseaseRow` per id across several readers (first seen wins).

    Menche Data S2 and Guney's ``disease_genes.tsv`` share 299 terms (same ``mesh:<term>`` id);
    the first row keeps its name and provenance, and a missing ``mesh_id`` is taken from a later
    row with the same id or else from ``mesh_ids``.

    Parameters
    ----------
    *sources
        Iterables of disease rows, in priority order.
    mesh_ids
        Optional disease id → MeSH descriptor id (e.g. from
        :func:`medtwin.loaders.symptoms_hsdn.read_disease_mesh_ids`).

    Yields
    ------
    DiseaseRow
        In first-seen order.

    Examples
    --------
    >>> a = DiseaseRow(id="mesh:asthma", name="asthma", mesh_id=None, source="m",
    ...                source_version="1")
    >>> b = DiseaseRow(id="mesh:asthma", name="Asthma", mesh_id="D001249", source="h",
    ...                source_version="2")
    >>> [(r.name, r.mesh_id, r.source) for r in merge_diseases([a], [b])]
    [('asthma', 'D001249', 'm')]
    """
    merged: dict[str, DiseaseRow] = {}
    for rows in sources:
        for row in rows:
            first = merged.get(row.id)
            if first is None:
                merged[row.id] = row
            elif first.mesh_id is None and row.mesh_id is not None:
                merged[row.id] = first.model_copy(update={"mesh_id": row.mesh_id})
    lookup = mesh_ids or {}
    for row in merged.values():
        if row.mesh_id is None and row.id in lookup:
            yield row.model_copy(update={"mesh_id": lookup[row.id]})
        else:
            yield row
