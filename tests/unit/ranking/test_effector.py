"""Fc-receptor / complement targets are not used for ranking unless they are the known action."""

from __future__ import annotations

from medtwin.platform.effector import is_effector, keep_targets


def test_effector_genes() -> None:
    effector = [
        "FCGR1A",
        "FCGR2B",
        "FCGR3A",
        "FCGRT",
        "FCER1A",
        "FCER1G",
        "FCAR",
        "C1QA",
        "C1QB",
        "C1QC",
        "C1R",
        "C1S",
        "C2",
        "C3",
        "C4A",
        "C4B",
        "C5",
        "C6",
        "C7",
        "C8A",
        "C8G",
        "C9",
    ]
    assert all(is_effector(s) for s in effector)
    others = [
        "MS4A1",
        "CD3E",
        "C5AR1",
        "C3AR1",
        "CD19",
        "FCRL5",
        "C10orf90",
        "CTLA4",
        "C1QBP",
        "",
        None,
    ]
    assert not any(is_effector(s) for s in others)


def test_known_action_keeps_an_effector_target() -> None:
    # rituximab: MS4A1 (known action) + Fc receptors / C1q (known action unknown)
    assert keep_targets(
        ["MS4A1", "FCGR3A", "C1QA", "FCGR2B"], ["yes", "unknown", "unknown", None]
    ) == [
        True,
        False,
        False,
        False,
    ]
    # omalizumab: FCER1A is its known action -> kept
    assert keep_targets(["FCER1A", "MS4A2"], ["yes", "yes"]) == [True, True]
    assert keep_targets(["FCER1A"], ["YES"]) == [True]


def test_candidate_drugs_apply_the_filter() -> None:
    from medtwin.platform.treatment import candidate_drugs
    from medtwin.store.memory import MemoryStore

    store = MemoryStore()
    store.add_reference(
        genes={"1": "MS4A1", "2": "FCGR3A", "3": "C1QA", "4": "FCER1A"},
        ppi=[("1", "2"), ("2", "3"), ("3", "4")],
        lr_pairs=[],
        phenotypes={},
        drugs={
            "RITUX": ("rituximab-like", [("1", "inhibit"), ("2", "unknown"), ("3", "unknown")]),
            "FCONLY": ("Fc only", [("2", "unknown")]),
            "OMA": ("omalizumab-like", [("4", "inhibit")]),
        },
    )
    store.drugs["OMA"]["targets"][0]["known_action"] = "yes"
    kept = candidate_drugs(store, "drugbank_dhimmel", effector_filter=True)
    assert {d: t.targets for d, t in kept.items()} == {"OMA": ("4",), "RITUX": ("1",)}
    assert kept["RITUX"].directions == ("inhibit",)
    full = candidate_drugs(store, "drugbank_dhimmel", effector_filter=False)
    assert full["RITUX"].targets == ("1", "2", "3")
    assert "FCONLY" in full
