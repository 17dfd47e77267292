"""A lone surrogate stored by an older medtwin is printed escaped by the CLI, text and ``--json``.

Adds have refused text that is not UTF-8 since stop 52 (``platform.arguments.utf8_only``), but a
note or a file name stored before (``patient add --note $'n\\xff'`` stored ``'n\\udcff'``) is still
in such databases. The API sends it as its JSON escape (``api/json_response.Utf8JSONResponse``);
the CLI raised ``UnicodeEncodeError`` with a traceback on every output naming it (under a UTF-8
locale whose stdout is strict, as click's test runner's is, or for a surrogate such as
``\\ud800`` that no error handler of Python's C-locale stdout can write).
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.platform import patients as use_cases


@pytest.fixture(params=["n\udcff", "n\ud800"], ids=["undecodable byte", "JSON escape"])
def note(request: pytest.FixtureRequest, memory_cli, monkeypatch: pytest.MonkeyPatch) -> str:
    store = memory_cli({"1": "GA"})
    monkeypatch.setattr(use_cases, "utf8_only", lambda *_: None)  # the add of an older medtwin
    use_cases.add_patient(
        store,
        PatientProfile(
            patient_id="P1", changes=(GeneChange(entrez="1", log2fc=1.0),), symptoms=(),
            exposures=(), metadata={"note": request.param},
            input_checksums={f"de{request.param[1:]}.tsv": "0" * 64}, unmapped=(),
        ),
    )  # fmt: skip
    return str(request.param)


def test_text_output_writes_the_surrogate_as_its_escape(note: str) -> None:
    got = CliRunner().invoke(cli, ["patient", "show", "P1"])
    assert got.exit_code == 0, got.output
    assert got.exception is None
    escaped = note.encode("utf-8", "backslashreplace").decode()  # n\udcff
    assert escaped in got.stdout


@pytest.mark.parametrize("command", [["patient", "show", "P1"], ["patient", "list"]])
def test_json_output_escapes_it_and_reads_back_as_stored(note: str, command: list[str]) -> None:
    got = CliRunner().invoke(cli, [*command, "--json"])
    assert got.exit_code == 0, got.output
    read = json.loads(got.stdout)
    shown = read if isinstance(read, dict) else read[0]
    assert shown["metadata"]["note"] == note  # the JSON escape decodes to the string stored
