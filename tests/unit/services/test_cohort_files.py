"""``cohort.add_cohort_files``: a cohort's matrix and sample sheet added in one call.

Before, a notebook had to take the gene index from the reference context, read the profiles
with ``cohort_profiles.read_cohort`` and pass them to ``patients.add_cohort`` (the CLI did it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from medtwin.errors import InputError
from medtwin.platform import cohort, patients
from medtwin.platform.context import ReferenceContext
from medtwin.store.memory import MemoryStore

EXPRESSION = """gene_symbol\tS1\tS2\tC1\tC2\tC3
G1\t9.0\t5.1\t5.0\t5.2\t4.9
G2\t1.0\t5.0\t5.1\t4.9\t5.0
G3\t5.0\t5.0\t5.0\t5.1\t4.9
"""
SAMPLES = "sample\tgroup\nS1\tRA\nS2\tRA\nC1\thealthy\nC2\thealthy\nC3\thealthy\n"


def _files(tmp_path: Path) -> tuple[str, Path]:
    (tmp_path / "expr.tsv").write_text(EXPRESSION)
    (tmp_path / "samples.tsv").write_text(SAMPLES)
    return str(tmp_path / "expr.tsv"), tmp_path / "samples.tsv"  # a str and a Path


def _store() -> MemoryStore:
    store = MemoryStore()
    store.add_reference(genes={"1": "G1", "2": "G2", "3": "G3"}, ppi=[("1", "2"), ("2", "3")])
    return store


def test_one_call_adds_a_patient_per_case_sample(tmp_path: Path) -> None:
    store = _store()
    expression, samples = _files(tmp_path)
    seen: list[tuple[int, int]] = []
    got = cohort.add_cohort_files(
        store,
        expression,
        samples,
        cohort="trial7",
        symptoms="HP:0001370",
        progress=lambda i, n: seen.append((i, n)),
        ctx=ReferenceContext(),
    )
    # S2 is within the controls' spread: added with the symptoms only, and named
    assert [p.id for p in got.added] == ["S1", "S2"]
    assert got.no_gene_kept == ("S2",)
    assert seen == [(1, 2), (2, 2)]
    s1 = patients.get_patient(store, "S1")
    assert s1.metadata["cohort"] == "trial7"
    assert s1.symptoms == ("HP:0001370",)
    assert s1.genes == 2  # G1 up, G2 down; G3 unchanged


def test_a_missing_file_and_bad_thresholds_are_input_errors(tmp_path: Path) -> None:
    expression, samples = _files(tmp_path)
    with pytest.raises(InputError, match="nope.tsv"):
        cohort.add_cohort_files(_store(), tmp_path / "nope.tsv", samples, ctx=ReferenceContext())
    with pytest.raises(InputError, match="p_max must be in"):
        cohort.add_cohort_files(_store(), expression, samples, p_max=2, ctx=ReferenceContext())
