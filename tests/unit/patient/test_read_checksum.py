"""The sha256 recorded with an input is of the bytes the reader parsed (hash while reading).

Each test replaces the file (a new file renamed over it, as an editor saves) right after the
reader has read it and before the profile is made, the window in which the checksum used to be
taken in a pass of its own: the recorded sha256 must still be that of the bytes read.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import anndata
import numpy as np
import pandas as pd
import pytest

from medtwin.errors import SourceFormatError
from medtwin.loaders import patient_fhir, patient_io, patient_singlecell, patient_vcf
from medtwin.loaders.patient_cohort import read_cohort_matrix
from medtwin.loaders.patient_fhir import read_fhir_bundle
from medtwin.loaders.patient_mutations import read_mutations
from medtwin.loaders.patient_tables import read_de_table
from medtwin.loaders.patient_vcf import read_vcf
from medtwin.platform.custom_targets import custom_candidates
from medtwin.platform.singlecell import read_h5ad
from tests.unit.patient.conftest import DATA


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _replace(path: Path) -> None:
    """Put other bytes under ``path`` as an editor saves: a new file renamed over it."""
    other = path.with_name(path.name + ".new")
    other.write_bytes(path.read_bytes().replace(b"TNF", b"IL6") + b"\n# edited\n")
    os.replace(other, path)


def _replacing_after(read: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    """``read`` (a line reader), replacing its file once every line was yielded."""

    def wrapped(path: Path, *args: Any, **kwargs: Any) -> Iterator[Any]:
        yield from read(path, *args, **kwargs)
        _replace(path)

    return wrapped


@pytest.mark.parametrize("gz", [False, True])
def test_a_de_table_replaced_after_its_read_records_the_bytes_read(
    tmp_path, monkeypatch, genes, gz
):
    text = (DATA / "de_P001.tsv").read_bytes()
    data = gzip.compress(text, mtime=0) if gz else text
    path = tmp_path / ("de.tsv.gz" if gz else "de.tsv")
    path.write_bytes(data)
    monkeypatch.setattr(patient_io, "bounded_lines", _replacing_after(patient_io.bounded_lines))
    profile = read_de_table(path, "P1", genes)
    assert path.read_bytes() != data  # the file was replaced before the profile was made
    assert profile.input_checksums == {path.name: _sha256(data)}


def test_a_mutation_table_replaced_after_its_read_records_the_bytes_read(
    tmp_path, monkeypatch, genes
):
    data = b"gene\tcategory\nTNF\tMutKnownFunctional\nTP53\tDel0.8\n"
    path = tmp_path / "mutations.tsv"
    path.write_bytes(data)
    monkeypatch.setattr(patient_io, "bounded_lines", _replacing_after(patient_io.bounded_lines))
    profile = read_mutations(path, "P1", genes)
    assert profile.input_checksums == {path.name: _sha256(data)}


def test_a_vcf_replaced_after_its_read_records_the_bytes_read(tmp_path, monkeypatch, genes):
    data = (DATA / "variants_P001.vcf").read_bytes()
    path = tmp_path / "calls.vcf"
    path.write_bytes(data)
    monkeypatch.setattr(patient_vcf, "bounded_lines", _replacing_after(patient_vcf.bounded_lines))
    profile = read_vcf(path, "P001", genes)
    assert path.read_bytes() != data
    assert profile.input_checksums == {path.name: _sha256(data)}


def test_a_fhir_bundle_replaced_after_its_read_records_the_bytes_read(tmp_path, monkeypatch, genes):
    data = (DATA / "fhir_bundle_P001.json").read_bytes()
    path = tmp_path / "bundle.json"
    path.write_bytes(data)
    read = patient_fhir._read_entries

    def replacing(p: Path, *args: Any) -> Any:
        got = read(p, *args)  # every entry parsed
        p.write_bytes(data + b"\n")  # in place this time: same file, other bytes
        return got

    monkeypatch.setattr(patient_fhir, "_read_entries", replacing)
    profile = read_fhir_bundle(path, genes)
    assert profile.input_checksums == {path.name: _sha256(data)}


def test_cohort_files_replaced_after_their_read_record_the_bytes_read(tmp_path, monkeypatch, genes):
    matrix, samples = tmp_path / "expr.tsv", tmp_path / "samples.tsv"
    matrix.write_bytes((DATA / "cohort_expression.tsv").read_bytes())
    samples.write_bytes((DATA / "cohort_samples.tsv").read_bytes())
    read = {p.name: _sha256(p.read_bytes()) for p in (matrix, samples)}
    monkeypatch.setattr(patient_io, "bounded_lines", _replacing_after(patient_io.bounded_lines))
    cohort = read_cohort_matrix(matrix, samples, genes)
    assert _sha256(matrix.read_bytes()) != read[matrix.name]
    assert cohort.checksums == read


def test_an_h5ad_replaced_while_read_is_refused(tmp_path, monkeypatch, genes):
    # HDF5 reads by path, so the bytes hashed and the bytes read can only be told the same by
    # the file being the same; one replaced in between must not be recorded under either's sha
    adata = anndata.AnnData(
        X=np.log1p(np.arange(40, dtype=np.float32).reshape(10, 4)),
        obs=pd.DataFrame({"ct": ["a", "b"] * 5}, index=[f"c{i}" for i in range(10)]),
        var=pd.DataFrame(index=["TNF", "IL6", "CD4", "TP53"]),
    )
    path = tmp_path / "cells.h5ad"
    adata.write_h5ad(path)
    read = anndata.read_h5ad

    def replacing(p: Any, *args: Any, **kwargs: Any) -> Any:
        got = read(p, *args, **kwargs)
        other = path.with_name("other.h5ad")
        adata[:8].copy().write_h5ad(other)
        os.replace(other, path)
        return got

    monkeypatch.setattr(anndata, "read_h5ad", replacing)
    with pytest.raises(SourceFormatError, match="changed while it was read") as e:
        read_h5ad(path, genes, patient_id="P1", cell_type_key="ct")
    assert "cells.h5ad" in str(e.value)


def _rewrite_in_place_keeping_size_and_mtime(path: Path) -> None:
    """Other bytes in the same file (inode), same size, its modification time set back."""
    st = path.stat()
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    with path.open("r+b") as handle:
        handle.write(data)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)


def _cells(path: Path) -> None:
    anndata.AnnData(
        X=np.log1p(np.arange(40, dtype=np.float32).reshape(10, 4)),
        obs=pd.DataFrame({"ct": ["a", "b"] * 5}, index=[f"c{i}" for i in range(10)]),
        var=pd.DataFrame(index=["TNF", "IL6", "CD4", "TP53"]),
    ).write_h5ad(path)


@pytest.mark.parametrize("change_time", ["kept by the file system", "not kept"])
def test_an_h5ad_rewritten_in_place_with_its_size_and_mtime_while_read_is_refused(
    tmp_path, monkeypatch, genes, change_time
):
    # before, the identity was device, inode, size and mtime: this rewrite kept all four and
    # the read recorded the sha256 of bytes it had not read. Now the change time says it, and
    # where a file system keeps none (simulated: left out of the identity), the sha256 again
    path = tmp_path / "cells.h5ad"
    _cells(path)
    read = anndata.read_h5ad

    def rewriting(p: Any, *args: Any, **kwargs: Any) -> Any:
        got = read(p, *args, **kwargs)
        _rewrite_in_place_keeping_size_and_mtime(path)
        return got

    monkeypatch.setattr(anndata, "read_h5ad", rewriting)
    if change_time == "not kept":
        monkeypatch.setattr(
            patient_singlecell,
            "_identity",
            lambda st: (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns),
        )
    with pytest.raises(SourceFormatError, match="changed while it was read") as e:
        read_h5ad(path, genes, patient_id="P1", cell_type_key="ct")
    assert "cells.h5ad" in str(e.value)


def test_an_unchanged_h5ad_is_read_and_recorded_by_its_sha256(tmp_path, genes):
    path = tmp_path / "cells.h5ad"
    _cells(path)
    profile = read_h5ad(path, genes, patient_id="P1", cell_type_key="ct")
    assert profile.input_checksums == {"cells.h5ad": _sha256(path.read_bytes())}


def test_a_targets_file_replaced_after_its_read_is_recorded_by_the_bytes_read(
    tmp_path, monkeypatch, genes
):
    data = b"drug_id\tgene\taction\nTRIAL-1\tTNF\tinhibitor\n"
    path = tmp_path / "trial.tsv"
    path.write_bytes(data)
    monkeypatch.setattr(patient_io, "bounded_lines", _replacing_after(patient_io.bounded_lines))
    got = custom_candidates(path, genes)
    assert path.read_bytes() != data
    assert got.label == f"trial.tsv sha256:{_sha256(data)}"
