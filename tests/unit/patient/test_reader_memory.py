"""Readers hold what they keep, not their file: peak memory (tracemalloc) of reads at scale.

``make bench-readers`` measures the process's peak RSS on files at the limits; these tests take
the Python heap's peak of a smaller read, so a reader that holds its whole file again fails here
(each test failed before its reader streamed: the figures in the comments are those reads').
"""

from __future__ import annotations

import hashlib
import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from medtwin.errors import SourceFormatError
from medtwin.loaders.patient_cohort import read_cohort_matrix
from medtwin.loaders.patient_fhir import read_fhir_bundle
from medtwin.loaders.patient_mutations import read_mutations
from medtwin.loaders.patient_tables import read_de_table
from medtwin.loaders.patient_vcf import read_vcf
from medtwin.platform.custom_targets import custom_candidates
from tests.unit.patient.conftest import FakeGenes

MIB = 2**20
GENES = FakeGenes({"TNF": "7124"})


def _peak(read: Callable[[], Any]) -> tuple[Any, float]:
    """What ``read()`` returned and the peak of the Python heap during it, in MiB."""
    read()  # first: lazy imports and model classes are not the read's
    tracemalloc.start()
    try:
        got = read()
        return got, tracemalloc.get_traced_memory()[1] / MIB
    finally:
        tracemalloc.stop()


def test_a_fhir_bundle_is_read_in_the_memory_of_one_entry(tmp_path: Path) -> None:
    # 200 resources of 20 KB that the mapping does not keep (Basic): before, the bundle was
    # parsed whole (its bytes, then its JSON document): a peak of 7.8 MiB for this 3.8 MiB
    # file, 0.4 MiB streamed
    entries = [{"resource": {"resourceType": "Patient", "id": "P1"}}] + [
        {"resource": {"resourceType": "Basic", "id": f"b{i}", "code": {"text": "x" * 20_000}}}
        for i in range(200)
    ]
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries}))
    assert path.stat().st_size > 3.8 * MIB
    profile, peak = _peak(lambda: read_fhir_bundle(path, GENES))
    assert profile.patient_id == "P1"
    assert peak < 1.5, f"peak {peak:.1f} MiB"


def test_a_targets_file_is_grouped_by_drug_as_it_is_read(tmp_path: Path) -> None:
    # 40,000 rows of 1,000 drugs: before, every line, its fields and its row model were held
    # until the file's end (a peak of 56 MiB here; 0.6 MiB grouped as read)
    path = tmp_path / "trial.tsv"
    rows = "".join(f"D{i % 1000}\tTNF\tinhibitor\n" for i in range(40_000))
    path.write_text("drug_id\tgene\taction\n" + rows)
    got, peak = _peak(lambda: custom_candidates(path, GENES))
    assert len(got.drugs) == 1000
    assert got.drugs["D7"].targets == ("7124",)
    assert got.label.endswith(hashlib.sha256(path.read_bytes()).hexdigest())
    assert peak < 4, f"peak {peak:.1f} MiB"


def test_a_sample_sheet_holds_no_more_rows_than_the_matrix_has_columns(tmp_path: Path) -> None:
    # a sheet of 100,000 samples beside a matrix of 3: before, the sheet was read whole (its
    # lines, fields and rows: a peak of 64 MiB, now 0.4) before its samples were checked against the
    # matrix; now the rows of other samples are counted out as they are read
    matrix, sheet = tmp_path / "expr.tsv", tmp_path / "samples.tsv"
    matrix.write_text("gene\tS0\tS1\tS2\nTNF\t1\t2\t3\n")
    sheet.write_text(
        "sample\tgroup\tsite\n" + "".join(f"S{i}\tcase\tsite {i}\n" for i in range(100_000))
    )

    def read() -> SourceFormatError:
        with pytest.raises(SourceFormatError) as e:
            read_cohort_matrix(matrix, sheet, GENES)
        return e.value

    error, peak = _peak(read)
    assert str(error).endswith(
        "samples.tsv:5: sample 'S3' is not a column of expr.tsv; fix the id or drop it"
    )
    assert peak < 4, f"peak {peak:.1f} MiB"


def test_a_vcf_keeps_its_first_unresolved_names_and_counts_the_rest(tmp_path: Path) -> None:
    # 100,000 records of genes the index does not know (and one it knows): before, every
    # name was held until the file's end (a peak of 10.5 MiB here, 2.7 MiB now)
    path = tmp_path / "calls.vcf"
    head = (
        "##fileformat=VCFv4.2\n"
        '##INFO=<ID=ANN,Number=.,Type=String,Description="Functional annotations: '
        "'Allele | Annotation | Annotation_Impact | Gene_Name' \">\n"
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tP1\n"
    )
    records = "".join(
        f"1\t{i + 1}\t.\tA\tT\t50\tPASS\tANN=T|missense_variant|MODERATE|"
        f"{'TNF' if i == 0 else f'X{i % 60_000:05d}'}\tGT\t0/1\n"
        for i in range(100_000)
    )
    path.write_text(head + records)
    profile, peak = _peak(lambda: read_vcf(path, "P1", GENES))
    assert [c.symbol for c in profile.changes] == ["TNF"]
    assert profile.unmapped_count == 60_000  # distinct names
    assert profile.unmapped == tuple(f"X{i:05d}" for i in range(1000))
    assert peak < 4, f"peak {peak:.1f} MiB"


def test_a_de_table_and_mutation_calls_keep_their_first_unresolved_names(tmp_path: Path) -> None:
    # 100,000 rows of genes the index does not know: before, the DE and mutation readers held
    # every name until the file's end, as the VCF did (a peak of 8.7 MiB each here, 2.1 MiB now)
    de = tmp_path / "de.tsv"
    rows = "".join(f"X{i % 60_000:05d}\t1.5\t0.001\n" for i in range(100_000))
    de.write_text("gene\tlog2fc\tpadj\nTNF\t2.0\t0.001\n" + rows)
    profile, peak = _peak(lambda: read_de_table(de, "P1", GENES))
    assert [c.symbol for c in profile.changes] == ["TNF"]
    assert (profile.unmapped_count, profile.unmapped[:2]) == (60_000, ("X00000", "X00001"))
    assert len(profile.unmapped) == 1000
    assert peak < 4, f"DE table: peak {peak:.1f} MiB"
    calls = tmp_path / "calls.tsv"
    rows = "".join(f"X{i % 60_000:05d}\tAmp8\n" for i in range(100_000))
    calls.write_text("gene\tcategory\nTNF\tAmp8\n" + rows)
    profile, peak = _peak(lambda: read_mutations(calls, "P1", GENES))
    assert [c.symbol for c in profile.changes] == ["TNF"]
    assert (profile.unmapped_count, len(profile.unmapped)) == (60_000, 1000)
    assert peak < 4, f"mutation calls: peak {peak:.1f} MiB"


@pytest.mark.parametrize(
    "text",
    [
        "[" * 5_000,  # a document of nested arrays
        '{"resourceType": "Bundle", "type": "collection", "entry": [' + '{"a": [' * 2_500,
    ],
    ids=["top level", "in an entry"],
)
def test_deeply_nested_json_is_refused_without_building_its_paths(
    tmp_path: Path, text: str
) -> None:
    # Before, the parser kept the path of every open container ("item.item..."): O(depth^2)
    # bytes, 60 MiB at 5,000 deep here, ~22 GB at the 100,000 of tests/api/test_bounded_input
    # (which took a CI worker down with it); now a nesting past 64 is refused as it is read
    path = tmp_path / "deep.json"
    path.write_text(text)

    def read() -> str:
        with pytest.raises(SourceFormatError) as e:
            read_fhir_bundle(path, GENES)
        return str(e.value)

    message, peak = _peak(read)
    assert "nested more than 64 deep" in message
    assert peak < 2, f"peak {peak:.1f} MiB"
