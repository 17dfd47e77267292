"""twin list, twin diff and the cohort views say when a twin predates the patient's inputs.

`twin show`, `rank`, the report and the API's twin and ranking responses gave the stale note
(:mod:`medtwin.platform.twin_currency`); `twin list`, `twin diff` (text, --json, API models) and
the cohort views (summary, activities, stratify) listed old twins silently (stop 45's sweep).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.cli import twins as twins_cli
from medtwin.domain import TWIN_RULES
from medtwin.platform import patients, twins
from medtwin.platform.context import ReferenceContext
from medtwin.platform.twin_currency import cohort_currency, stale_patients
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import CHANGES, profile
from tests.unit.services.test_rankings_memory import FAST_TWIN, _store

PY_STEP = 'call `twins.build_twin(store, "PS")`'
CLI_STEP = "run `medtwin twin build PS`"
WANT = f"twin v2 predates the patient's inputs: 1 input added since (p2_de.tsv); {PY_STEP}"
"""The note of a call from Python: the use case to call."""
CLI_WANT = WANT.replace(PY_STEP, CLI_STEP)
"""The same note from a command: the command to run."""


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> MemoryStore:
    """PS with twins v1, v2 of its first input, then a second input; PT current (one twin)."""
    got = _store()
    patients.add_patient(got, profile("PS"))
    twins.build_twin(got, "PS", FAST_TWIN, ctx=ReferenceContext())
    twins.build_twin(got, "PS", FAST_TWIN, ctx=ReferenceContext())
    more = profile("PS", changes=CHANGES[:2], input_checksums={"p2_de.tsv": "1" * 64})
    patients.add_patient(got, more)
    patients.add_patient(got, profile("PT"))
    twins.build_twin(got, "PT", FAST_TWIN, ctx=ReferenceContext())

    @contextlib.contextmanager
    def memory(**_: object) -> Iterator[MemoryStore]:
        yield got

    monkeypatch.setattr(twins_cli, "open_store", memory)
    return got


def test_twin_list_gives_each_version_the_note_of_twin_show(store):
    versions = twins.twin_versions(store, "PS")
    assert [v.version for v in versions] == [2, 1]
    assert versions[0].stale_note == twins.show_twin(store, "PS").stale_note == WANT
    assert versions[1].stale_note == twins.show_twin(store, "PS", 1).stale_note
    assert versions[1].stale_note is not None
    assert versions[1].stale_note.startswith("twin v1 ")
    assert twins.show_twin(store, "PS").twin.stale_note == WANT  # the summary inside show
    assert [v.stale_note for v in twins.twin_versions(store, "PT")] == [None]

    text = CliRunner().invoke(cli, ["twin", "list", "PS"])
    assert text.exit_code == 0, text.output
    assert text.output.splitlines()[-1] == f"NOTE {CLI_WANT}"  # once, under the list
    assert text.output.count("NOTE") == 1
    body = json.loads(CliRunner().invoke(cli, ["twin", "list", "PS", "--json"]).output)
    assert [v["stale_note"] for v in body] == [
        CLI_WANT,
        versions[1].stale_note.replace(PY_STEP, CLI_STEP),
    ]
    current = CliRunner().invoke(cli, ["twin", "list", "PT"])
    assert "NOTE" not in current.output


def test_twin_diff_notes_a_newer_version_that_predates_the_inputs(store):
    d = twins.diff_twins(store, "PS", 1, 2)
    assert d.stale_note == WANT
    text = CliRunner().invoke(cli, ["twin", "diff", "PS", "--from", "1", "--to", "2"])
    assert text.exit_code == 0, text.output
    assert text.output.splitlines()[1] == f"NOTE {CLI_WANT}"
    body = json.loads(
        CliRunner().invoke(cli, ["twin", "diff", "PS", "--from", "1", "--to", "2", "--json"]).output
    )
    assert body["stale_note"] == CLI_WANT
    twins.build_twin(store, "PS", FAST_TWIN, ctx=ReferenceContext())  # v3: current
    assert twins.diff_twins(store, "PS", 2, 3).stale_note is None


def test_cohort_views_count_the_stale_twins_and_say_how_to_refresh(store):
    patients.add_patient(store, profile("PU"))  # no twin: not stale, not counted as current
    assert stale_patients(store, ["PS", "PT", "PU"]) == (["PS"], [])
    got = cohort_currency(store, ["PS", "PT", "PU"], cohort="trial 7")
    assert got.stale == ("PS",)
    assert got.note == (
        "the twin of 1 of 3 patients predates the patient's inputs (PS); call "
        '`cohort.run_cohort(store, None, cohort.cohort_patients(store, cohort="trial 7"))`'
    )
    assert cohort_currency(store, ["PT", "PU"]).note is None
    store.twin_of(store.twins.twin("PT")["id"]).props["rules"] = (
        TWIN_RULES - 1
    )  # an earlier medtwin's
    assert stale_patients(store, ["PS", "PT", "PU"]) == (["PS", "PT"], ["PT"])
    assert cohort_currency(store, ["PT", "PU"]).note == (
        "the twin of 1 of 2 patients was made under older twin rules (PT); call "
        '`cohort.run_cohort(store, None, ["PT"])`'
    )


def test_cohort_activities_json_carries_the_count_and_the_note():
    import io
    from types import SimpleNamespace

    from medtwin.platform.cohort_activities import write_activity_table
    from medtwin.platform.twin_currency import CohortCurrency

    rows = [
        {"patient_id": "PS", "twin_id": "PS@v2", "kind": "tf", "names": ["STAT1"], "scores": [2.0]}
    ]
    fake: Any = SimpleNamespace(cohorts=SimpleNamespace(activities=lambda ids: iter(rows)))
    note = "the twin of 1 of 2 patients predates the patient's inputs (PS); run `medtwin …`"
    out = io.StringIO()
    write_activity_table(
        fake, ["PS", "PT"], out, as_json=True, currency=CohortCurrency(("PS",), note)
    )
    body = json.loads(out.getvalue())
    assert (body["stale_twins"], body["stale_note"]) == (1, note)
    assert body["rows"] == [{"patient_id": "PS", "twin_id": "PS@v2", "z": [2.0]}]
    out = io.StringIO()
    write_activity_table(fake, ["PS"], out, as_json=True)
    assert (
        json.loads(out.getvalue())["stale_twins"],
        json.loads(out.getvalue())["stale_note"],
    ) == (
        0,
        None,
    )
