"""A patient's metadata as what its inputs gave: the rule both stores (Neo4j, memory) follow.

Each input records the key/values it gave (``metadata_json`` on its node: a FHIR bundle's
gender, a cohort sample's cohort and thresholds, an h5ad's keys), so the input that goes
(``patient remove-input``, ``--replace``) takes them along. The patient's metadata is derived
from what remains, in this order, a later source winning per key:

1. ``legacy``: the metadata a patient had before its inputs recorded theirs (stored whole,
   merged over its adds by an earlier medtwin: kept, as it cannot be told apart per input);
2. each remaining input's, oldest first (a re-added input keeps its place);
3. ``edits``: the key/values given explicitly with an add (``patient add --note``, Python
   ``InputOptions.metadata``), which are of the patient, not of a file, and stay whatever inputs
   come and go until an add gives the key again.

The derived metadata is stored on the patient too (``metadata_json``), so every read stays one
property. Which earlier inputs an add replaces is decided here too (:func:`replaced_ids`), so
that the metadata derived and the inputs removed come from one rule.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

__all__ = ["MetadataSources", "derived_metadata", "replaced_ids", "sources_after"]


def _loads(raw: str | None) -> dict[str, str]:
    return {str(k): str(v) for k, v in json.loads(raw).items()} if raw else {}


class MetadataSources:
    """What a patient's metadata is derived from, as read from a store (see the module).

    ``row``: ``metadata_json`` (the derived metadata now), ``legacy_json`` (null: the patient
    predates per-input metadata, and its ``metadata_json`` is its legacy), ``edits_json`` and
    ``inputs`` (each ``id``, ``name``, ``slot``, ``metadata_json``, oldest first); None for a
    patient not stored yet.
    """

    def __init__(self, row: Mapping[str, Any] | None) -> None:
        row = row or {}
        legacy = row.get("legacy_json")
        # a patient of an earlier medtwin: what it has becomes one legacy contribution
        self.legacy = _loads(row.get("metadata_json") if legacy is None else legacy)
        self.edits = _loads(row.get("edits_json"))
        self.inputs: list[dict[str, Any]] = [dict(i) for i in row.get("inputs") or ()]

    def derived(self) -> dict[str, str]:
        """The patient's metadata from these sources."""
        return derived_metadata(
            self.legacy, (_loads(i.get("metadata_json")) for i in self.inputs), self.edits
        )

    def as_params(self) -> dict[str, str]:
        """The patient's stored properties: ``metadata_json``, ``legacy_json``, ``edits_json``."""
        dumps = json.dumps
        return {
            "metadata_json": dumps(self.derived(), sort_keys=True),
            "legacy_json": dumps(self.legacy, sort_keys=True),
            "edits_json": dumps(self.edits, sort_keys=True),
        }


def derived_metadata(
    legacy: Mapping[str, str], inputs: Iterable[Mapping[str, str]], edits: Mapping[str, str]
) -> dict[str, str]:
    """Legacy, then each input's key/values oldest first, then the explicit edits; later wins.

    >>> derived_metadata({"a": "old", "b": "1"}, [{"a": "fhir"}, {"a": "new"}], {"note": "n"})
    {'a': 'new', 'b': '1', 'note': 'n'}
    """
    out = dict(legacy)
    for given in inputs:
        out.update(given)
    out.update(edits)
    return out


def replaced_ids(
    inputs: Iterable[Mapping[str, Any]],
    keep: Collection[str],
    *,
    names: Collection[str] = (),
    slots: Collection[str] = (),
    ids: Collection[str] = (),
) -> list[str]:
    """Ids of the earlier ``inputs`` an add replaces: of a name, slot or id given, not in ``keep``.

    ``keep``: the ids of the inputs being added (the same content is the same input: kept).

    >>> rows = [{"id": "a", "name": "x.tsv", "slot": "de"}, {"id": "b", "name": "y", "slot": None}]
    >>> replaced_ids(rows, {"c"}, slots={"de"}), replaced_ids(rows, {"a"}, names={"x.tsv"})
    (['a'], [])
    """
    return [
        str(i["id"])
        for i in inputs
        if (i.get("name") in names or i.get("slot") in slots or i["id"] in ids)
        and i["id"] not in keep
    ]


def sources_after(
    before: MetadataSources,
    added: Sequence[tuple[str, Mapping[str, Any]]],
    gone: Collection[str],
    edits: Mapping[str, str],
) -> MetadataSources:
    """The sources once ``gone`` are removed, ``added`` ``(id, props)`` attached, ``edits`` merged.

    An input added again keeps its place (its ``added_at`` stays) but records what it gives now;
    new inputs come last, in the order given. Props without ``metadata_json`` keep the stored one.
    """
    given = dict(added)
    after = MetadataSources(None)
    after.legacy, after.edits = dict(before.legacy), {**before.edits, **edits}
    kept = [dict(i) for i in before.inputs if i["id"] not in gone]
    for row in kept:
        if row["id"] in given:
            row["metadata_json"] = given[row["id"]].get("metadata_json", row.get("metadata_json"))
    known = {row["id"] for row in kept}
    new = [
        {"id": i, **{k: p.get(k) for k in ("name", "slot", "metadata_json")}}
        for i, p in added
        if i not in known
    ]
    after.inputs = kept + list({r["id"]: r for r in new}.values())
    return after
