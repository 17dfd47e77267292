"""`medtwin patient add P --fhir FILE` on the in-memory store: bad bundles are one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.cli import cli

GENES = {"7124": "TNF", "3569": "IL6"}

UNKNOWN_TYPE = {
    "resourceType": "Bundle",
    "type": "collection",
    "entry": [
        {"resource": {"resourceType": "Patient", "id": "FH1"}},
        {"resource": {"resourceType": "Observaton", "id": "o", "status": "final"}},
    ],
}


@pytest.mark.parametrize("as_json", [[], ["--json"]])
def test_unknown_resource_type_is_a_one_line_error(memory_cli, tmp_path: Path, as_json) -> None:
    # before: KeyError: 'R4.ObservatonType' with a full traceback (also under --json)
    store = memory_cli(GENES)
    path = tmp_path / "b.json"
    path.write_text(json.dumps(UNKNOWN_TYPE))
    result = CliRunner().invoke(cli, ["patient", "add", "FH1", "--fhir", str(path), *as_json])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "SourceFormatError" in result.output
    assert "entry[1] has resourceType 'Observaton'" in result.output
    assert "did you mean 'Observation'?" in result.output
    assert store.twins.inputs("FH1") == []
