"""`medtwin patient add P --de FILE --replace` and the API's ``replace`` field (memory store)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from medtwin.api import create_app
from medtwin.api.deps import get_store
from medtwin.cli import patients
from medtwin.settings import Settings
from tests.api.conftest import WRITE, TestClient, api_settings
from tests.unit.services.conftest import reference_store

DE = "gene\tlog2fc\tpadj\nG1\t{}\t0.0001\nG2\t-1.0\t0.001\nG5\t1.5\t0.01\n"


def test_patient_add_replace_replaces_the_file_added_before(memory_cli, tmp_path: Path) -> None:
    """Before, the option did not exist, and the edited file was the patient's second input."""
    store = memory_cli({"1": "G1", "2": "G2", "5": "G5"})
    de = tmp_path / "p1_de.tsv"
    for fc, more in (("2.0", []), ("3.0", []), ("4.0", ["--replace"])):
        de.write_text(DE.format(fc))
        got = CliRunner().invoke(patients.patient, ["add", "P1", "--de", str(de), *more])
        assert got.exit_code == 0, got.output
    # 2 inputs before --replace (both of p1_de.tsv), which it replaced
    assert got.stdout.startswith(
        "patient P1: 1 input added, 0 unchanged, 2 replaced; inputs 1, gene changes 3"
    )
    assert [i["name"] for i in store.twins.inputs("P1")] == ["p1_de.tsv"]


def test_the_api_replace_field_replaces_the_upload_of_the_same_name() -> None:
    store = reference_store()
    app = create_app(api_settings(Settings()), store=store)
    app.dependency_overrides[get_store] = lambda: store

    def add(fc: str, **data: str) -> int:
        r = client.post(
            "/v1/patients",
            headers=WRITE,
            data={"patient_id": "P1", **data},
            files={"de": ("p_de.tsv", DE.format(fc).encode(), "text/tab-separated-values")},
        )
        assert r.status_code == 201, r.text
        return int(r.json()["inputs"])

    with TestClient(app, raise_server_exceptions=False) as client:
        assert add("2.0") == 1
        assert add("3.0") == 2  # without replace: kept beside
        assert add("4.0", replace="true") == 1
    assert [i["name"] for i in store.twins.inputs("P1")] == ["p_de.tsv"]


def test_replace_by_kind_names_the_earlier_de_table_it_replaced(memory_cli, tmp_path: Path) -> None:
    """Before, `--de new_name.tsv --replace` matched file names only: the earlier DE table
    stayed beside the new one (inputs 2) and nothing said what was replaced."""
    store = memory_cli({"1": "G1", "2": "G2", "5": "G5"})
    old, new = tmp_path / "p1_de.tsv", tmp_path / "p1_de_v2.tsv"
    old.write_text(DE.format("2.0"))
    new.write_text(DE.format("3.0"))
    assert CliRunner().invoke(patients.patient, ["add", "P1", "--de", str(old)]).exit_code == 0
    old_id = store.twins.inputs("P1")[0]["id"].split("/")[1]
    got = CliRunner().invoke(patients.patient, ["add", "P1", "--de", str(new), "--replace"])
    assert got.exit_code == 0, got.output
    assert got.stdout.startswith(
        "patient P1: 1 input added, 0 unchanged, 1 replaced; inputs 1, gene changes 3"
    )
    assert f"replaced 1 earlier input: {old_id} (de p1_de.tsv: 3 genes, added " in got.stdout
    assert [i["name"] for i in store.twins.inputs("P1")] == ["p1_de_v2.tsv"]
    again = CliRunner().invoke(
        patients.patient, ["add", "P1", "--de", str(new), "--replace", "--json"]
    )
    assert again.exit_code == 0, again.output
    assert '"replaced": []' in again.stdout  # a rerun is a no-op


def test_the_api_replace_field_replaces_the_same_kind_and_says_which() -> None:
    store = reference_store()
    app = create_app(api_settings(Settings()), store=store)
    app.dependency_overrides[get_store] = lambda: store
    with TestClient(app, raise_server_exceptions=False) as client:
        bodies = [
            client.post(
                "/v1/patients",
                headers=WRITE,
                data={"patient_id": "P1", **more},
                files={"de": (name, DE.format(fc).encode(), "text/tab-separated-values")},
            )
            for name, fc, more in (("a.tsv", "2.0", {}), ("b.tsv", "3.0", {"replace": "true"}))
        ]
    assert [r.status_code for r in bodies] == [201, 201], bodies[1].text
    first, second = (r.json() for r in bodies)
    assert first["replaced"] == []
    assert [(r["id"], r["name"], r["slot"]) for r in second["replaced"]] == [
        (first["input_list"][0]["id"], "a.tsv", "de")
    ]
    assert [i["name"] for i in second["input_list"]] == ["b.tsv"]
