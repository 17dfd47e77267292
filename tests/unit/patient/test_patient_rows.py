from __future__ import annotations

import logging

import pytest
from pydantic import ValidationError

from medtwin.errors import InputError
from medtwin.loaders.patient_rows import (
    GeneChange,
    PatientProfile,
    validate_patient_id,
    warn_unmapped,
)


@pytest.mark.parametrize("value", ["P001", "GSM389703", "a.b-c_d", "x" * 64])
def test_valid_patient_ids(value: str) -> None:
    assert validate_patient_id(value) == value
    assert PatientProfile(patient_id=value).patient_id == value


@pytest.mark.parametrize("value", ["", "a b", "p/1", "x" * 65, "é"])
def test_invalid_patient_id_is_input_error_naming_value_and_rule(value: str) -> None:
    with pytest.raises(InputError) as info:
        PatientProfile(patient_id=value)
    assert repr(value) in str(info.value)
    assert "[A-Za-z0-9_.-]{1,64}" in str(info.value)


def test_a_long_invalid_id_is_cut_in_its_error() -> None:
    """Round 5: an id of 10,000 characters was repeated whole by every command (10,134 bytes)."""
    with pytest.raises(InputError) as info:
        validate_patient_id("P" * 10_000)
    said = str(info.value)
    assert said.startswith("invalid patient id '" + "P" * 200 + "' (… 9800 more characters)")
    assert len(said) < 400


def test_models_are_frozen_and_checked() -> None:
    change = GeneChange(entrez="7124", symbol="TNF", log2fc=1.0, padj=0.01, layer="expression")
    with pytest.raises(ValidationError):
        change.log2fc = 2.0  # type: ignore[misc]
    with pytest.raises(ValidationError):
        GeneChange(entrez="TNF", log2fc=1.0)
    with pytest.raises(ValidationError):
        GeneChange(entrez="7124", log2fc=float("nan"))
    with pytest.raises(ValidationError):
        GeneChange(entrez="7124", log2fc=1.0, layer="methylation")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        GeneChange(entrez="7124", log2fc=1.0, padj=1.5)


def test_warn_unmapped_logs_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert warn_unmapped("f.tsv", ["B", "A", "B"]) == ("A", "B")
        assert warn_unmapped("f.tsv", []) == ()
    assert len(caplog.records) == 1
    assert "2 gene(s)" in caplog.records[0].getMessage()
