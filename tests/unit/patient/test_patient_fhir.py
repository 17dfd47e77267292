from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medtwin.errors import InputError, SourceFormatError
from medtwin.loaders.json_position import JsonPosition
from medtwin.loaders.patient_fhir import read_fhir_bundle
from medtwin.loaders.patient_fhir_json import bundle_parts


def test_bundle_mapping(data, genes, hpo) -> None:
    profile = read_fhir_bundle(data / "fhir_bundle_P001.json", genes, hpo=hpo)
    assert profile.patient_id == "P001"
    assert [
        (c.entrez, c.symbol, c.layer, c.log2fc, c.variant_id, c.consequence)
        for c in profile.changes
    ] == [
        ("7157", "TP53", "variant", 0.0, "rs28934578", "missense_variant"),
        ("7124", "TNF", "expression", 2.25, None, None),
    ]
    assert profile.symptoms == ("HP:0001945", "D005221")
    assert profile.exposures == ("http://www.nlm.nih.gov/research/umls/rxnorm|6851",)
    assert profile.metadata == {
        "source_format": "FHIR R4 Bundle",
        "gender": "female",
        "birth_date": "1970-05-01",
        "conditions_snomed": "69896004",
    }
    assert profile.unmapped == ("NOTAGENE",)


def test_bundle_invalid_resource(data, genes, hpo) -> None:
    with pytest.raises(SourceFormatError, match="birthDate"):
        read_fhir_bundle(data / "fhir_bundle_malformed.json", genes, hpo=hpo)


def test_bundle_not_json(tmp_path: Path, genes, hpo) -> None:
    path = tmp_path / "b.json"
    path.write_text("{not json")
    with pytest.raises(SourceFormatError, match="not a valid FHIR R4 Bundle"):
        read_fhir_bundle(path, genes, hpo=hpo)


def test_bundle_unknown_hpo_and_missing_patient(tmp_path: Path, genes, hpo) -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "resource": {
                    "resourceType": "Condition",
                    "id": "c",
                    "subject": {"reference": "Patient/X"},
                    "code": {
                        "coding": [
                            {"system": "http://human-phenotype-ontology.org", "code": "HP:9999999"}
                        ]
                    },
                }
            }
        ],
    }
    path = tmp_path / "b.json"
    path.write_text(json.dumps(bundle))
    with pytest.raises(InputError, match="no Patient resource"):
        read_fhir_bundle(path, genes, hpo=hpo)
    with pytest.raises(SourceFormatError, match="HP:9999999"):
        read_fhir_bundle(path, genes, hpo=hpo, patient_id="X")


def _gene_obs(oid: str, gene: str, quantity: dict, *, code: dict | None = None) -> dict:
    """A gene Observation (LOINC 48018-6) with one numeric component."""
    return {
        "resource": {
            "resourceType": "Observation",
            "id": oid,
            "status": "final",
            "subject": {"reference": "Patient/FH1"},
            "code": {"coding": [{"system": "http://loinc.org", "code": "48018-6"}]},
            "valueCodeableConcept": {
                "coding": [{"system": "http://www.genenames.org", "code": "x", "display": gene}]
            },
            "component": [{"code": code or {"text": "expression"}, "valueQuantity": quantity}],
        }
    }


def _bundle(tmp_path: Path, *entries: dict, patient: str | None = "FH1") -> Path:
    head = [{"resource": {"resourceType": "Patient", "id": patient}}] if patient else []
    path = tmp_path / "b.json"
    path.write_text(
        json.dumps({"resourceType": "Bundle", "type": "collection", "entry": head + list(entries)})
    )
    return path


def test_tpm_values_are_refused_not_read_as_fold_changes(tmp_path: Path, genes, hpo) -> None:
    # sweep reproducer fhir_tpm.json: TPM 250 / 1200 were stored as log2fc 250 / 1200
    path = _bundle(
        tmp_path,
        _gene_obs("o1", "TNF", {"value": 250.0, "unit": "TPM"}),
        _gene_obs("o2", "IL6", {"value": 1200.0, "unit": "TPM"}),
    )
    with pytest.raises(SourceFormatError, match="not a log2 fold change") as e:
        read_fhir_bundle(path, genes, hpo=hpo)
    assert "entry[1] Observation 'o1' (TNF): 250 'TPM', code 'expression'" in str(e.value)
    assert "'o2' (IL6): 1200 'TPM'" in str(e.value)
    assert "valueQuantity.unit 'log2'" in str(e.value)  # the fix


@pytest.mark.parametrize(
    ("quantity", "code"),
    [
        ({"value": 1.5}, None),  # a bare number: could be anything
        ({"value": 1.5, "unit": "log2(TPM+1)"}, None),  # log expression, not a fold change
        ({"value": 1.5, "unit": "FPKM"}, {"text": "log2 fold change"}),  # unit contradicts
        ({"value": 0.45, "unit": "relative frequency"}, None),
    ],
)
def test_numbers_that_do_not_say_log2_fold_change_are_refused(
    tmp_path: Path, genes, hpo, quantity, code
) -> None:
    path = _bundle(tmp_path, _gene_obs("o1", "TNF", quantity, code=code))
    with pytest.raises(SourceFormatError, match="'o1' \\(TNF\\)"):
        read_fhir_bundle(path, genes, hpo=hpo)


@pytest.mark.parametrize(
    ("quantity", "code"),
    [
        ({"value": 1.5, "unit": "log2"}, None),
        ({"value": 1.5, "unit": "Log2 Fold-Change"}, None),
        ({"value": 1.5, "code": "log2FC"}, None),
        ({"value": 1.5}, {"text": "log2 fold change vs healthy"}),
        ({"value": 1.5, "unit": "1"}, {"coding": [{"code": "avg_log2FC"}]}),
        ({"value": 1.5}, {"coding": [{"code": "x", "display": "logFC"}]}),
    ],
)
def test_numbers_that_say_log2_fold_change_are_read(
    tmp_path: Path, genes, hpo, quantity, code
) -> None:
    path = _bundle(tmp_path, _gene_obs("o1", "TNF", quantity, code=code))
    profile = read_fhir_bundle(path, genes, hpo=hpo)
    assert [(c.symbol, c.layer, c.log2fc) for c in profile.changes] == [("TNF", "expression", 1.5)]


def _variant_obs(components: list[dict]) -> dict:
    gene = {
        "code": {"coding": [{"system": "http://loinc.org", "code": "48018-6"}]},
        "valueCodeableConcept": {
            "coding": [{"system": "http://www.genenames.org", "code": "x", "display": "TP53"}]
        },
    }
    return {
        "resource": {
            "resourceType": "Observation",
            "id": "v1",
            "status": "final",
            "subject": {"reference": "Patient/FH1"},
            "code": {"coding": [{"system": "http://loinc.org", "code": "69548-6"}]},
            "component": [gene, *components],
        }
    }


_VAF = {
    "code": {"coding": [{"system": "http://loinc.org", "code": "81258-6"}]},
    "valueQuantity": {"value": 0.45, "unit": "relative frequency"},
}


def test_genomic_hgvs_variant_with_allele_frequency_is_a_variant(tmp_path: Path, genes, hpo):
    # sweep reproducer fhir_vaf.json: stored as an expression change log2fc 0.45
    ghgvs = {
        "code": {"coding": [{"system": "http://loinc.org", "code": "81290-9"}]},
        "valueCodeableConcept": {
            "coding": [{"system": "http://varnomen.hgvs.org", "code": "NC_000017.10:g.7577120C>T"}]
        },
    }
    consequence = {
        "code": {"coding": [{"system": "http://loinc.org", "code": "48006-1"}]},
        "valueCodeableConcept": {"coding": [{"code": "SO:0001583", "display": "missense_variant"}]},
    }
    path = _bundle(tmp_path, _variant_obs([ghgvs, _VAF, consequence]))
    profile = read_fhir_bundle(path, genes, hpo=hpo)
    got = [(c.symbol, c.layer, c.log2fc, c.variant_id, c.consequence) for c in profile.changes]
    assert got == [("TP53", "variant", 0.0, "NC_000017.10:g.7577120C>T", "missense_variant")]


def test_variant_assessment_without_variant_id_is_skipped_with_a_warning(
    tmp_path: Path, genes, hpo, caplog
) -> None:
    path = _bundle(
        tmp_path, _variant_obs([_VAF]), _gene_obs("o2", "IL6", {"value": 1.0, "unit": "log2"})
    )
    profile = read_fhir_bundle(path, genes, hpo=hpo)
    assert [(c.symbol, c.layer) for c in profile.changes] == [("IL6", "expression")]
    assert "1 genomic variant Observation(s) skipped" in caplog.text
    assert "v1 (TP53)" in caplog.text


def _with_subject(entry: dict, reference: str) -> dict:
    entry["resource"]["subject"] = {"reference": reference}
    return entry


def _condition(cid: str, reference: str, code: str = "HP:0001945") -> dict:
    return {
        "resource": {
            "resourceType": "Condition",
            "id": cid,
            "subject": {"reference": reference},
            "code": {"coding": [{"system": "http://human-phenotype-ontology.org", "code": code}]},
        }
    }


_LOG2 = {"value": 2.0, "unit": "log2"}


def test_bundle_without_patient_of_two_subjects_is_refused(tmp_path: Path, genes, hpo) -> None:
    # sweep reproducer fhir_nopatient_two_subjects.json: A's TNF and B's IL6 became one patient
    path = _bundle(
        tmp_path,
        _with_subject(_gene_obs("o1", "TNF", _LOG2), "Patient/A"),
        _with_subject(_gene_obs("o2", "IL6", _LOG2), "Patient/B"),
        _condition("c1", "Patient/B"),
        patient=None,
    )
    with pytest.raises(SourceFormatError, match="2 subjects") as e:
        read_fhir_bundle(path, genes, hpo=hpo, patient_id="A")
    assert "'Patient/A' (1 Observation); 'Patient/B' (1 Condition, 1 Observation)" in str(e.value)


def test_bundle_without_patient_of_one_subject_is_read(tmp_path: Path, genes, hpo, caplog):
    path = _bundle(
        tmp_path,
        _with_subject(_gene_obs("o1", "TNF", _LOG2), "Patient/A"),
        _with_subject(_gene_obs("o2", "IL6", _LOG2), "https://ehr.example/fhir/Patient/A"),
        patient=None,
    )
    assert len(read_fhir_bundle(path, genes, hpo=hpo, patient_id="A").changes) == 2
    assert "WARNING" not in caplog.text
    read_fhir_bundle(path, genes, hpo=hpo, patient_id="P7")
    assert "the bundle's patient is 'A'; its data is added to patient 'P7'" in caplog.text


def test_a_patient_id_other_than_the_bundles_is_used_with_a_warning(
    tmp_path: Path, genes, hpo, caplog
) -> None:
    path = _bundle(tmp_path, _gene_obs("o1", "TNF", _LOG2))  # Patient FH1
    profile = read_fhir_bundle(path, genes, hpo=hpo, patient_id="P9")
    assert profile.patient_id == "P9"
    assert [c.symbol for c in profile.changes] == ["TNF"]
    assert "the bundle's patient is 'FH1'; its data is added to patient 'P9'" in caplog.text
    caplog.clear()
    read_fhir_bundle(path, genes, hpo=hpo, patient_id="FH1")
    assert "the bundle's patient is" not in caplog.text


def test_transaction_bundle_references_by_full_url(tmp_path: Path, genes, hpo, caplog) -> None:
    # sweep reproducer fhir_transaction_urn.json: everything skipped as another patient's
    urn = "urn:uuid:11111111-1111-1111-1111-111111111111"
    entries = [
        {"fullUrl": urn, "resource": {"resourceType": "Patient", "id": "FH9"}},
        {"fullUrl": "urn:uuid:2", **_with_subject(_gene_obs("o1", "TNF", _LOG2), urn)},
        {"fullUrl": "urn:uuid:3", **_condition("c1", urn)},
        _condition("c2", "urn:uuid:99999999-0000-0000-0000-000000000000", "HP:0002829"),
        _with_subject(_gene_obs("o2", "IL6", _LOG2), "Patient/OTHER"),
    ]
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "transaction", "entry": entries}))
    profile = read_fhir_bundle(path, genes, hpo=hpo)
    assert profile.patient_id == "FH9"
    assert [c.symbol for c in profile.changes] == ["TNF"]
    assert profile.symptoms == ("HP:0001945",)
    assert "skipped 1 Condition(s), 1 Observation(s) of another subject" in caplog.text


@pytest.mark.parametrize(("kind", "near"), [("Observaton", "Observation"), ("patient", "Patient")])
def test_unknown_resource_type_names_the_entry_and_the_nearest_type(
    tmp_path: Path, genes, hpo, kind, near
) -> None:
    # sweep reproducer fhir_unknown_resource.json: KeyError 'R4.ObservatonType'
    path = _bundle(tmp_path, {"resource": {"resourceType": kind, "id": "o", "status": "final"}})
    with pytest.raises(SourceFormatError) as e:
        read_fhir_bundle(path, genes, hpo=hpo)
    assert f"entry[1] has resourceType {kind!r}, not an R4 resource type" in str(e.value)
    assert f"did you mean {near!r}?" in str(e.value)


def test_duplicate_gene_observations_keep_the_largest_change_with_a_warning(
    tmp_path: Path, genes, hpo, caplog
) -> None:
    # sweep reproducer fhir_dupgenes.json: TNF +2, -3, +1 were all kept, without a word
    path = _bundle(
        tmp_path,
        _gene_obs("o1", "TNF", {"value": 2.0, "unit": "log2"}),
        _gene_obs("o2", "TNF", {"value": -3.0, "unit": "log2"}),
        _gene_obs("o3", "IL6", {"value": 0.5, "unit": "log2"}),
        _gene_obs("o4", "tnf", {"value": 1.0, "unit": "log2"}),
    )
    profile = read_fhir_bundle(path, genes, hpo=hpo)
    assert [(c.entrez, c.log2fc) for c in profile.changes] == [("7124", -3.0), ("3569", 0.5)]
    assert "2 duplicate gene Observation(s) dropped" in caplog.text
    assert "TNF: +2, -3, +1 -> -3" in caplog.text


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(1 - 2**63, 2**63 - 1)  # yajl refuses more
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(entries=st.lists(_JSON, max_size=5), rest=st.dictionaries(st.text(), _JSON, max_size=3))
def test_each_entry_and_the_rest_are_streamed_as_json_loads_reads_them(
    tmp_path_factory: pytest.TempPathFactory, entries: list, rest: dict
) -> None:
    # the entries are built from the parser's events by patient_fhir_json._built since
    # ijson's ObjectBuilder was dropped for speed: what it builds is what json.loads reads
    document = {**rest, "resourceType": "Bundle", "entry": entries}
    path = tmp_path_factory.mktemp("bundle") / "b.json"
    path.write_text(json.dumps(document, indent=1))
    with path.open("rb") as stream:
        parts = list(bundle_parts(path, JsonPosition(stream)))
    expected = json.loads(path.read_text())
    assert parts[:-1] == list(enumerate(expected.pop("entry")))
    assert parts[-1] == (None, expected)


def test_resources_of_types_not_mapped_are_checked_for_their_type_only(
    tmp_path: Path, data: Path, genes, hpo
) -> None:
    # their validation was most of a bundle's read (an Encounter, a Claim ...): nothing of them
    # is read, so an Encounter fhir.resources would refuse (no status, a field R4 lacks) stops
    # no read, and the profile is that of the bundle without them
    bundle = json.loads((data / "fhir_bundle_P001.json").read_text())
    ignored = [
        {"resource": {"resourceType": "Encounter", "id": "e1", "class": "not a Coding"}},
        {"fullUrl": "urn:uuid:p1", "resource": {"resourceType": "Procedure", "made_up": 1}},
    ]
    plain, mixed = tmp_path / "plain.json", tmp_path / "mixed.json"
    plain.write_text(json.dumps(bundle))
    bundle["entry"] = ignored[:1] + bundle["entry"] + ignored[1:]
    mixed.write_text(json.dumps(bundle))
    expected = read_fhir_bundle(plain, genes, hpo=hpo).model_dump()
    got = read_fhir_bundle(mixed, genes, hpo=hpo).model_dump()
    assert got.pop("input_checksums") != expected.pop("input_checksums")
    assert got == expected
    # the type is still checked, and an entry's own elements are still validated
    bundle["entry"][0]["resource"]["resourceType"] = "Encountr"
    mixed.write_text(json.dumps(bundle))
    with pytest.raises(SourceFormatError, match=r"entry\[0\] has resourceType 'Encountr'"):
        read_fhir_bundle(mixed, genes, hpo=hpo)
    bundle["entry"][0]["resource"]["resourceType"] = "Encounter"
    bundle["entry"][0]["fullUrl"] = 7
    mixed.write_text(json.dumps(bundle))
    with pytest.raises(SourceFormatError, match=r"first at 'entry\.0\.fullUrl'"):
        read_fhir_bundle(mixed, genes, hpo=hpo)


def test_a_mapped_resource_validated_apart_is_named_as_in_the_whole_entry(
    tmp_path: Path, genes, hpo
) -> None:
    # a resource is validated apart from its entry, by its type's model: the error still says
    # entry.<n>.resource..., as BundleEntry's validation of the whole entry said
    path = _bundle(
        tmp_path,
        {"fullUrl": "urn:uuid:o1", "resource": {"resourceType": "Observation", "status": "final"}},
    )
    with pytest.raises(SourceFormatError) as e:
        read_fhir_bundle(path, genes, hpo=hpo)
    assert "(1 error(s); first at 'entry.1.resource.code': Field required)" in str(e.value)
