"""A patient with symptoms and no gene data is told what a twin needs, at add and at build.

Before stop 45, ``patient add P --symptoms …`` said "build the twin with `medtwin twin build`",
and the build refused with "add these again with looser thresholds", which cannot help a patient
whose inputs hold no gene at all.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from medtwin.cli import patients as patients_cli
from medtwin.errors import InputError
from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.platform import patients, twins
from medtwin.platform.context import ReferenceContext
from medtwin.platform.gene_data import needs_gene_data
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import RING


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> MemoryStore:
    s = MemoryStore()
    s.add_reference(
        genes={str(i): f"G{i}" for i in range(1, 9)},
        ppi=RING,
        phenotypes={"HP:0001370": ("Rheumatoid arthritis", ["1", "2"])},
    )

    @contextlib.contextmanager
    def memory(**_: object) -> Iterator[MemoryStore]:
        yield s

    monkeypatch.setattr(patients_cli, "open_store", memory)
    return s


def test_add_and_build_say_that_a_twin_needs_gene_data(store: MemoryStore) -> None:
    out = CliRunner().invoke(patients_cli.patient, ["add", "SYM", "--symptoms", "HP:0001370"])
    assert out.exit_code == 0, out.output
    assert "gene changes 0, symptoms 1; no twin can be built yet: a twin is built from " \
        "gene-level data" in out.output  # fmt: skip
    assert "twin build" not in out.output
    with pytest.raises(InputError) as e:
        twins.build_twin(store, "SYM", ctx=ReferenceContext())
    assert "has no gene-level data to build a twin from" in str(e.value)
    assert "1 symptom(s) and no gene change" in str(e.value)
    assert e.value.hint == needs_gene_data("SYM")
    assert "looser thresholds" not in (e.value.hint or "")


def test_a_patient_with_genes_is_told_to_build(store: MemoryStore, tmp_path) -> None:
    de = tmp_path / "de.tsv"
    de.write_text("gene\tlog2fc\tpadj\nG1\t2.0\t0.001\nG2\t-1.5\t0.001\n")
    out = CliRunner().invoke(patients_cli.patient, ["add", "P", "--de", str(de)])
    assert out.exit_code == 0, out.output
    assert "build the twin with `medtwin twin build P`" in out.output


def test_a_cohort_sample_that_kept_no_gene_keeps_the_threshold_hint(store: MemoryStore) -> None:
    """add-cohort stores such a sample with its symptoms only: looser thresholds can help it."""
    profile = PatientProfile(patient_id="C1", symptoms=("HP:0001370",))
    patients.add_patient(store, profile, kind="cohort")
    with pytest.raises(InputError) as e:
        twins.build_twin(store, "C1", ctx=ReferenceContext())
    assert "looser thresholds" in (e.value.hint or "")
    # and a gene input beside the symptoms builds as before
    changes = (
        GeneChange(entrez="1", log2fc=2.0, padj=1e-4),
        GeneChange(entrez="2", log2fc=1.0, padj=1e-4),
    )
    patients.add_patient(
        store, PatientProfile(patient_id="SYM2", changes=changes, symptoms=("HP:0001370",))
    )
    assert twins.build_twin(store, "SYM2", ctx=ReferenceContext()).n_seeds > 0


def test_a_note_given_at_add_is_kept_as_the_patients_caveat(store: MemoryStore, tmp_path) -> None:
    """`patient add --note` sets the metadata `note` that rankings and reports show."""
    de = tmp_path / "de.tsv"
    de.write_text("gene\tlog2fc\tpadj\nG1\t2.0\t0.001\nG2\t1.5\t0.002\n")
    got = CliRunner().invoke(
        patients_cli.patient, ["add", "PN", "--de", str(de), "--note", "two donors"]
    )
    assert got.exit_code == 0, got.output
    assert patients.get_patient(store, "PN").metadata["note"] == "two donors"
