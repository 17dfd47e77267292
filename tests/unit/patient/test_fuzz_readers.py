"""Property-based fuzzing of every patient reader (issue 10, item 2).

Whatever the bytes, a reader returns a result or raises :class:`~medtwin.errors.InputError`
(a clear message for the client), never another exception (a 500 in the API). Inputs mix
near-valid tables (realistic headers, hostile fields: quotes, NUL, huge numbers, unicode) with
raw bytes, gzip-wrapped and truncated gzip.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medtwin.errors import InputError
from medtwin.loaders import (
    drug_targets_custom,
    gmt,
    patient_fhir,
    patient_mutations,
    patient_tables,
    patient_vcf,
)
from medtwin.loaders.limits import InputLimits, input_limits
from medtwin.platform import cohort_profiles, singlecell
from tests.unit.patient.conftest import FakeGenes

GENES = FakeGenes({"TNF": "7124", "IL6": "3569", "CD4": "920", "STAT3": "6774", "TP53": "7157"})
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Small limits, so the fuzzer also reaches the size refusals.
LIMITS = InputLimits(max_bytes=200_000, max_line=4_096, max_rows=500)

_FIELD = st.one_of(
    st.sampled_from(
        [
            "TNF",
            "il6",
            "7124",
            "NA",
            "nan",
            "inf",
            "-1e308",
            "1e999",
            "0.01",
            "",
            ".",
            '"',
            "\x00",
            "Amp8",
            "mutnovel",
        ]
    ),
    st.text(max_size=30),
    st.from_regex(r"-?[0-9]{1,4}(\.[0-9]{1,4})?([eE]-?[0-9]{1,3})?", fullmatch=True),
)
_HEADERS = [
    ["gene", "log2fc", "padj"],
    ["symbol", "logFC", "adj.P.Val", "time_point"],
    ["", "log2FoldChange", "padj"],
    ["gene", "log2ratio"],
    ["gene", "variant_id", "consequence"],
    ["gene", "category"],
    ["model", "gene", "category"],
    ["gene"],
]


@st.composite
def _table(draw: st.DrawFn) -> bytes:
    header = draw(st.sampled_from(_HEADERS + [draw(st.lists(_FIELD, max_size=5))]))
    delim = draw(st.sampled_from(["\t", ",", ";"]))
    width = len(header) + draw(st.integers(-1, 1))
    rows = draw(
        st.lists(st.lists(_FIELD, min_size=max(width, 0), max_size=max(width, 0)), max_size=8)
    )
    lines = [delim.join(header)] + [delim.join(r) for r in rows]
    return ("\n".join(lines) + draw(st.sampled_from(["", "\n", "\r\n"]))).encode(
        "utf-8", "surrogatepass"
    )


def _wrap(draw: st.DrawFn, body: bytes) -> tuple[bytes, str]:
    how = draw(st.sampled_from(["plain", "plain", "gz", "truncated-gz", "fake-gz"]))
    if how == "gz":
        return gzip.compress(body), ".gz"
    if how == "truncated-gz":
        packed = gzip.compress(body)
        return packed[: draw(st.integers(0, max(len(packed) - 1, 0)))], ".gz"
    if how == "fake-gz":
        return body, ".gz"
    return body, ""


@st.composite
def _table_file(draw: st.DrawFn) -> tuple[bytes, str]:
    body = draw(st.one_of(_table(), st.binary(max_size=300)))
    data, gz = _wrap(draw, body)
    return data, draw(st.sampled_from([".tsv", ".csv", ".txt"])) + gz


@st.composite
def _vcf_file(draw: st.DrawFn) -> tuple[bytes, str]:
    meta = draw(
        st.sampled_from(
            [
                '##INFO=<ID=ANN,Number=.,Type=String,Description="Functional annotations: '
                "'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID'\">",
                '##INFO=<ID=CSQ,Number=.,Type=String,Description="Format: '
                'Allele|Consequence|IMPACT|SYMBOL|Gene">',
                "##INFO=<ID=ANN,Description=\"Functional annotations: 'x'\">",
                "",
            ]
        )
    )
    header = draw(
        st.sampled_from(
            [
                "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO",
                "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1",
                "",
            ]
        )
    )
    record = st.lists(
        st.one_of(
            _FIELD,
            st.sampled_from(
                ["ANN=T|missense_variant|HIGH|TNF|7124", "CSQ=T|stop_gained|HIGH|IL6|3569", "0/1"]
            ),
        ),
        max_size=11,
    ).map("\t".join)
    records = draw(st.lists(record, max_size=6))
    body = "\n".join(["##fileformat=VCFv4.2", meta, header, *records]).encode(
        "utf-8", "surrogatepass"
    )
    if draw(st.booleans()):
        body = draw(st.binary(max_size=200)) + body
    data, gz = _wrap(draw, body)
    return data, ".vcf" + gz


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def _fhir_file(draw: st.DrawFn) -> tuple[bytes, str]:
    entry = st.fixed_dictionaries(
        {
            "resource": st.one_of(
                _JSON,
                st.fixed_dictionaries(
                    {
                        "resourceType": st.sampled_from(
                            [
                                "Patient",
                                "Condition",
                                "Observation",
                                "MedicationStatement",
                                "Observaton",
                            ]
                        ),
                        "id": st.text(max_size=10),
                    },
                    optional={"code": _JSON, "subject": _JSON, "valueQuantity": _JSON},
                ),
            )
        }
    )
    doc = draw(
        st.one_of(
            _JSON,
            st.fixed_dictionaries(
                {"resourceType": st.just("Bundle"), "type": st.sampled_from(["collection", "x"])},
                optional={"entry": st.lists(entry, max_size=4)},
            ),
        )
    )
    text = json.dumps(doc).encode()
    if draw(st.booleans()):
        text = draw(st.binary(max_size=100)) + text
    return text, ".json"


def _check(read: Callable[[Path], Any], files: list[tuple[bytes, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp, input_limits(LIMITS):
        paths = []
        for i, (data, suffix) in enumerate(files):
            p = Path(tmp) / f"input{i}{suffix}"
            p.write_bytes(data)
            paths.append(p)
        with contextlib.suppress(InputError):  # a clear error is fine; anything else fails
            read(*paths)


@FUZZ
@given(_table_file())
def test_de_table_reader(f):
    _check(lambda p: patient_tables.read_de_table(p, "P1", GENES), [f])


@FUZZ
@given(_table_file())
def test_protein_reader(f):
    _check(lambda p: patient_tables.read_proteins(p, "P1", GENES), [f])


@FUZZ
@given(_table_file())
def test_variant_table_reader(f):
    _check(lambda p: patient_tables.read_variants(p, "P1", GENES), [f])


@FUZZ
@given(_table_file())
def test_mutation_reader(f):
    _check(lambda p: patient_mutations.read_mutations(p, "P1", GENES), [f])


@FUZZ
@given(_table_file())
def test_symptom_reader(f):
    _check(lambda p: patient_tables.read_symptoms(p), [f])


@FUZZ
@given(_table_file())
def test_custom_targets_reader(f):
    def read(p: Path) -> Any:
        rows = drug_targets_custom.read_custom_targets(p)
        return drug_targets_custom.resolve_custom_targets(rows, GENES)

    _check(read, [f])


@FUZZ
@given(_vcf_file())
def test_vcf_reader(f):
    _check(lambda p: patient_vcf.read_vcf(p, "P1", GENES), [f])


@FUZZ
@given(_fhir_file())
def test_fhir_reader(f):
    _check(lambda p: patient_fhir.read_fhir_bundle(p, GENES, patient_id="P1"), [f])


@FUZZ
@given(_table_file(), _table_file())
def test_cohort_reader(matrix, samples):
    _check(lambda m, s: list(cohort_profiles.read_cohort(m, s, GENES)), [matrix, samples])


@FUZZ
@given(st.one_of(_table_file(), _vcf_file()))
def test_gmt_reader(f):
    data, suffix = f
    _check(lambda p: gmt.read_gmt(p, GENES), [(data.replace(b",", b"\t"), ".gmt" + suffix[-3:])])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_obs=st.integers(0, 12),
    n_vars=st.integers(0, 6),
    values=st.sampled_from(["normal", "nan", "inf", "zero", "negative"]),
    types=st.lists(st.sampled_from(["T", "B", "NK", ""]), min_size=12, max_size=12),
    names=st.lists(
        st.sampled_from(["TNF", "IL6", "CD4", "NOPE", "7124", "x\x01"]), min_size=6, max_size=6
    ),
)
def test_h5ad_reader(n_obs, n_vars, values, types, names):
    import anndata
    import pandas as pd

    rng = np.random.default_rng(0)
    x = {
        "normal": rng.random((n_obs, n_vars)),
        "nan": np.full((n_obs, n_vars), np.nan),
        "inf": np.full((n_obs, n_vars), np.inf),
        "zero": np.zeros((n_obs, n_vars)),
        "negative": -rng.random((n_obs, n_vars)),
    }[values].astype(np.float32)
    obs = pd.DataFrame({"cell_type": types[:n_obs]}, index=[f"c{i}" for i in range(n_obs)])
    var = pd.DataFrame(index=pd.Index(list(dict.fromkeys(names[:n_vars]))))
    x = x[:, : len(var)]
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "a.h5ad"
        anndata.AnnData(X=x, obs=obs, var=var).write_h5ad(p)
        _check(
            lambda q: singlecell.read_h5ad(q, GENES, patient_id="P1", cell_type_key="cell_type"),
            [(p.read_bytes(), ".h5ad")],
        )


@FUZZ
@given(st.binary(max_size=2000))
def test_h5ad_reader_on_raw_bytes(data):
    _check(
        lambda p: singlecell.read_h5ad(p, GENES, patient_id="P1", cell_type_key="cell_type"),
        [(b"\x89HDF\r\n\x1a\n" + data, ".h5ad")],
    )


@pytest.mark.parametrize("pid", [".", "..", "...", ""])
def test_dot_ids_are_refused(pid, tmp_path):
    p = tmp_path / "de.tsv"
    p.write_text("gene\tlog2fc\tpadj\nTNF\t1\t0.01\n")
    with pytest.raises(InputError, match="invalid patient id"):
        patient_tables.read_de_table(p, pid, GENES)


@pytest.mark.parametrize(("n_vars", "types"), [(1, "TTTBBB"), (3, "TB   "), (4, "TB   TB   ")])
def test_h5ad_reader_edge_cases_found_by_a_grid(n_vars, types):
    """One gene, and blank cell-type labels, made scanpy raise AttributeError (a 500)."""
    import anndata
    import pandas as pd

    labels = [t.strip() for t in types]
    x = np.random.default_rng(0).random((len(labels), n_vars)).astype(np.float32)
    obs = pd.DataFrame({"cell_type": labels}, index=[f"c{i}" for i in range(len(labels))])
    var = pd.DataFrame(index=["TNF", "IL6", "CD4", "STAT3"][:n_vars])
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "a.h5ad"
        anndata.AnnData(X=x, obs=obs, var=var).write_h5ad(p)
        _check(
            lambda q: singlecell.read_h5ad(q, GENES, patient_id="P1", cell_type_key="cell_type"),
            [(p.read_bytes(), ".h5ad")],
        )
