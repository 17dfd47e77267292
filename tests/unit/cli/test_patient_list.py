"""`medtwin patient list` on the in-memory store: all patients, or a page by id."""

from __future__ import annotations

import json

from click.testing import CliRunner

from medtwin.cli import patients
from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.platform import patients as use_cases
from medtwin.store.memory import MemoryStore


def _store(memory_cli) -> MemoryStore:
    store: MemoryStore = memory_cli({"1": "GA"})
    for pid in ("P3", "P1", "P2"):
        use_cases.add_patient(
            store,
            PatientProfile(
                patient_id=pid,
                changes=(GeneChange(entrez="1", log2fc=1.0),),
                symptoms=(),
                exposures=(),
                metadata={},
                input_checksums={},
                unmapped=(),
            ),  # fmt: skip
        )
    return store


def test_all_patients_by_id(memory_cli) -> None:
    _store(memory_cli)
    got = CliRunner().invoke(patients.patient, ["list"])
    assert got.exit_code == 0, got.output
    lines = got.output.splitlines()
    assert [x.split()[0] for x in lines[:-1]] == ["P1", "P2", "P3"]
    assert lines[-1] == "3 patients"


def test_a_page_says_where_it_is(memory_cli) -> None:
    _store(memory_cli)
    got = CliRunner().invoke(patients.patient, ["list", "--limit", "1", "--offset", "1"])
    assert got.exit_code == 0, got.output
    lines = got.output.splitlines()
    assert lines[0].split()[0] == "P2"
    assert lines[-1] == "1 of 3 patients (from number 2 by id)"
    rows = json.loads(
        CliRunner().invoke(patients.patient, ["list", "--offset", "2", "--json"]).output
    )
    assert [r["id"] for r in rows] == ["P3"]
    bad = CliRunner().invoke(patients.patient, ["list", "--limit", "0"])
    assert bad.exit_code == 2
    assert "--limit" in bad.output
