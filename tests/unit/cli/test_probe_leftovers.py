"""The four errors stop 60's CLI probe found and left, each refused before any work.

- ``cohort stratify --labels X`` of a key no patient carries said "fewer than 2 patients carry
  metadata 'X'" after the similarity graph was built (33 s on the demo), naming no key there is;
- ``cohort run --scheduler BAD`` exited 0 when every patient was done already (the address was
  read only when there was work);
- ``screen --targets nosuch`` was an ``InputError`` (exit 1) after opening the database, while
  ``rank --targets nosuch`` was a usage error whose "invalid value:" named no option;
- ``twin build --max-seeds 0`` said pydantic's "Input should be greater than or equal to 1".

In-memory store; where the command must not reach the store, opening it fails the test.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.cli import cli, treatment
from medtwin.cli import cohort as cohort_cli
from medtwin.platform import cohort_plan, patients
from medtwin.platform.cohort_plan import PatientPlan
from medtwin.settings import Settings
from medtwin.store.memory import MemoryStore
from tests.unit.cli.test_screen_and_rank_files import targets_command
from tests.unit.services.conftest import profile, reference_store


def _cohort(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, metadata: list[dict]) -> MemoryStore:
    """Patients P0, P1, ... of cohort ``toy`` with ``metadata`` (no twins), opened by the CLI."""
    store = reference_store()
    for i, meta in enumerate(metadata):
        patients.add_patient(store, profile(f"P{i}", metadata={"cohort": "toy", **meta}))
    monkeypatch.setattr(cohort_cli, "open_store", lambda **_: contextlib.nullcontext(store))
    monkeypatch.setattr(cohort_cli, "settings", lambda: Settings(home=tmp_path / "home"))
    return store


def _stratify(*labels: str) -> list[str]:
    return ["cohort", "stratify", "--cohort", "toy", "--labels", *labels]


def test_stratify_names_the_keys_when_no_patient_carries_the_label_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _cohort(tmp_path, monkeypatch, [{"pathotype": "lymphoid", "sex": "F"}, {"pathotype": "x"}])
    got = CliRunner().invoke(cli, _stratify("pathtype"))
    assert got.exit_code == 1, got.output
    # before: "stratification needs at least 2 patients with a twin" (the twins were read
    # first; with twins, the graph was built and stored, then "fewer than 2 patients carry")
    assert got.output == (
        "InputError: no metadata key 'pathtype'; the cohort's patients have: 'cohort', "
        "'pathotype', 'sex'\n"
        "hint: give --labels one of those keys (`medtwin patient show ID` lists a patient's)\n"
    )


def test_stratify_names_a_key_only_one_patient_carries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _cohort(tmp_path, monkeypatch, [{"sex": "F", "site": "a"}, {"site": "b"}, {}])
    got = CliRunner().invoke(cli, [*_stratify("sex"), "--json"])
    assert got.exit_code == 1
    assert "metadata key 'sex' on 1 patient only (the comparison needs 2); the cohort's " in (
        got.output
    )
    # a key two carry passes: the command reads the twins' genes next (which the in-memory
    # store cannot), so the check refuses only what the comparison cannot use
    went_on = CliRunner().invoke(cli, _stratify("site"))
    assert "does not implement cohort twin modules" in went_on.output


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("BAD", "missing port number in address 'BAD'"),
        ("tcp://host:99999", "port 99999 is not from 1 to 65535"),
        ("foo://host:8786", "unknown address scheme 'foo'"),
    ],
)
def test_cohort_run_refuses_a_bad_scheduler_when_every_patient_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, address: str, why: str
) -> None:
    _cohort(tmp_path, monkeypatch, [{}, {}])
    monkeypatch.setattr(  # every patient built and ranked with these parameters already
        cohort_plan,
        "plan_patients",
        lambda _store, ids, *_: [
            PatientPlan(patient_id=pid, build=False, rank=False, reason="current") for pid in ids
        ],
    )
    got = CliRunner().invoke(cli, ["cohort", "run", "--cohort", "toy", "--scheduler", address])
    # before: exit 0, "2 patients on BAD: 0 done, 2 already done (skipped), 0 failed"
    assert got.exit_code == 1, got.output
    first, hint = got.stderr.splitlines()  # no NOTE of the cohort's reads above it: none made
    assert first.startswith(f"InputError: --scheduler {address!r} is no scheduler address: {why}")
    assert hint.startswith("hint: give the scheduler's address, e.g. tcp://10.0.0.5:8786")
    assert got.stdout == ""


@pytest.mark.parametrize("command", ["rank", "cohort run", "screen"])
def test_an_unknown_target_source_is_a_usage_error_naming_the_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """Exit 2, the usage error of every refused option value (docs/api.md: "an unknown source
    (usage error, exit 2)"), before the database is opened."""

    def no_store(**_: object) -> None:
        raise AssertionError("the database was opened")

    monkeypatch.setattr(treatment, "open_store", no_store)
    monkeypatch.setattr(cohort_cli, "open_store", no_store)
    words = targets_command(tmp_path, command)
    got = CliRunner().invoke(cli, [*words, "--targets", "nosuch"], prog_name="medtwin")
    assert got.exit_code == 2, got.output
    assert got.output == (
        f"medtwin {command}: invalid value for '--targets': unknown target source 'nosuch'; "
        "valid: drugbank, drugcentral, guney2016 (or their dataset ids), or a drug-target file "
        f"— run `medtwin {command} --help`\n"
    )


def test_a_known_source_a_dataset_id_and_a_file_pass_the_targets_check(tmp_path: Path) -> None:
    table = tmp_path / "drugs.tsv"
    table.write_text("drug_id\tgene\nD1\tTP53\n")
    for value in ("drugbank", "guney2016_network_medicine", str(table), str(tmp_path / "no.tsv")):
        # a missing file passes here: the readers say it when the command reads it (exit 1)
        assert treatment.TARGETS.convert(value, None, None) == value
