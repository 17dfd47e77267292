"""DrugBank pairs without an action take DrugCentral's direction for the same pair (memory store).

The Neo4j side runs the same case: tests/integration/test_direction_fallback.py.
"""

from __future__ import annotations

from typing import Any

from medtwin.platform.target_sets import DIRECTION_FALLBACK, drug_target_sets
from medtwin.store.memory import MemoryStore

# (drug, entrez) -> (DrugBank direction, DrugCentral direction or None)
PAIRS: dict[tuple[str, str], tuple[str, str | None]] = {
    ("DB00001", "2"): ("unknown", "inhibit"),  # filled
    ("DB00001", "3"): ("inhibit", "activate"),  # sources disagree: DrugBank kept
    ("DB00002", "45"): ("unknown", "unknown"),  # DrugCentral has no direction either
    ("DB00002", "50"): ("unknown", None),  # no DrugCentral edge
    ("DB00003", "21"): ("activate", None),
}
# DrugCentral edge of a gene DrugBank does not list for that drug: never added as a target
EXTRA = ("DB00003", "30", "inhibit")
EXPECTED = {
    "DB00001": (("2", "3"), ("inhibit", "inhibit")),
    "DB00002": (("45", "50"), ("unknown", "unknown")),
    "DB00003": (("21",), ("activate",)),
}
# which source gave each direction (DB00001/2 filled in by DrugCentral)
SOURCES = {
    "DB00001": ("drugcentral_2016", "drugbank_dhimmel"),
    "DB00002": ("drugbank_dhimmel", "drugbank_dhimmel"),
    "DB00003": ("drugbank_dhimmel",),
}
WITHOUT = {
    "DB00001": (("2", "3"), ("unknown", "inhibit")),
    "DB00002": (("45", "50"), ("unknown", "unknown")),
    "DB00003": (("21",), ("activate",)),
}


def memory_store() -> MemoryStore:
    """The case above in a MemoryStore."""
    store = MemoryStore()
    genes = {str(i): f"G{i}" for i in range(1, 61)}
    drugs: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for (drug, entrez), (db, _) in PAIRS.items():
        drugs.setdefault(drug, (drug.lower(), []))[1].append((entrez, db))
    store.add_reference(genes=genes, ppi=[("1", "2")], drugs=drugs)
    dc = [(d, e, c) for (d, e), (_, c) in PAIRS.items() if c is not None] + [EXTRA]
    for drug, entrez, direction in dc:
        store.drugs[drug]["targets"].append(
            {"entrez": entrez, "source": "drugcentral_2016", "direction": direction}
        )
    return store


def as_pairs(store: Any) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Drug -> (targets, directions) as a ranking on DrugBank targets uses them."""
    return {
        d: (s.targets, s.directions) for d, s in drug_target_sets(store, "drugbank_dhimmel").items()
    }


def direction_sources(store: Any) -> dict[str, tuple[str, ...]]:
    """Drug -> the source of each direction, as explain and the biomarker chains credit them."""
    rows = store.reference.drug_targets(
        "drugbank_dhimmel",
        categories=None,
        approved_only=False,
        direction_fallback="drugcentral_2016",
    )
    return {r["drug_id"]: tuple(r["direction_sources"]) for r in rows}


def test_direction_sources_name_the_fallback_where_it_filled_in() -> None:
    assert direction_sources(memory_store()) == SOURCES


def test_drugbank_falls_back_to_drugcentral() -> None:
    assert DIRECTION_FALLBACK == {"drugbank_dhimmel": "drugcentral_2016"}
    assert as_pairs(memory_store()) == EXPECTED


def test_no_fallback_keeps_the_source_alone() -> None:
    rows = memory_store().reference.drug_targets(
        "drugbank_dhimmel", categories=None, approved_only=False
    )
    got = {r["drug_id"]: (tuple(r["targets"]), tuple(r["directions"])) for r in rows}
    assert got == WITHOUT


def test_drug_ids_read_only_those_drugs_with_the_same_rows() -> None:
    """`screen_of` reads the page's drugs only; their rows equal those of the full read."""
    store = memory_store()
    full = as_pairs(store)
    some = drug_target_sets(store, "drugbank_dhimmel", drug_ids=["DB00003", "DB00001", "DB09999"])
    assert {d: (s.targets, s.directions) for d, s in some.items()} == {
        d: full[d] for d in ("DB00001", "DB00003")
    }
    assert drug_target_sets(store, "drugbank_dhimmel", drug_ids=[]) == {}  # no error: a filter
