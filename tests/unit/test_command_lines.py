"""A hint's command in the API's and Python's words keeps what the command says.

Before, a route dropped the command's options (``medtwin patient add P1 --h5ad FILE --tissue
NAME`` became ``POST /v1/patients with patient_id=P1``: which file, which tissue?), and a command
naming a cohort in quotes (``cohort stratify --cohort 'RA PBMC' …``, as ``shlex.quote`` writes
it) got no Python call at all.
"""

from __future__ import annotations

import ast
import shlex

import pytest

from medtwin.api_routes import api_route
from medtwin.command_lines import in_callers_words, patient_command
from medtwin.platform.endotypes import endotype_note
from medtwin.platform.rank_params import TARGET_SOURCES
from medtwin.python_calls import PYTHON_CALLS, python_calls, translated


@pytest.mark.parametrize(
    ("command", "route"),
    [
        (
            "patient add P1 --h5ad FILE --tissue NAME",
            "POST /v1/patients with patient_id=P1, h5ad=@FILE, tissue=NAME",
        ),
        (
            "patient add --h5ad FILE --tissue NAME -- -P1",  # an id after `--`
            "POST /v1/patients with patient_id=-P1, h5ad=@FILE, tissue=NAME",
        ),
        (
            "patient add P1 --symptoms HP:0001370 --replace",
            "POST /v1/patients with patient_id=P1, symptoms=HP:0001370, replace=true",
        ),
        ("patient add P1 --de FILE", "POST /v1/patients with patient_id=P1, de=@FILE"),
        ("patient add P1 ...", "POST /v1/patients with patient_id=P1"),
        (
            "patient add P1 --h5ad 'my file.h5ad' --tissue 'bone marrow'",  # as shlex.quote writes
            "POST /v1/patients with patient_id=P1, h5ad=@my file.h5ad, tissue=bone marrow",
        ),
        (
            "twin build P1 --time-point w0 --module-samples 200",
            'POST /v1/patients/P1/twins with {"time_point": "w0", "module_samples": 200}',
        ),
        (
            "twin build --time-point 'week 12' -- -P1",
            'POST /v1/patients/-P1/twins with {"time_point": "week 12"}',
        ),
        (
            "rank P1 --targets drugbank --approved-only",
            'POST /v1/patients/P1/rankings with {"targets": "drugbank", "approved_only": true}',
        ),
        (
            "rank P1 --targets trial_drugs.tsv",
            "POST /v1/patients/P1/rankings/custom with targets=@trial_drugs.tsv",
        ),
        ("rank P1 --rerank", "POST /v1/patients/P1/rankings"),  # no counterpart: POST reranks
        (
            "biomarkers P1 --top 10 --top-drugs 20",
            "POST /v1/patients/P1/twins/latest/biomarkers?top=10&top_drugs=20",
        ),
        ("twin diseases P1 --top 5", "POST /v1/patients/P1/twins/latest/diseases?top=5"),
        (
            "twin regulators P1 --by cell-type",
            "GET /v1/patients/P1/twins/latest/regulators?by=cell_type",
        ),
        ("cohort summary --cohort 'RA PBMC'", "GET /v1/cohorts/RA%20PBMC/summary"),
    ],
)
def test_a_route_carries_the_commands_options(command, route):
    assert api_route(command) == route


@pytest.mark.parametrize(
    ("options", "requests"),
    [
        (
            "--h5ad blood.h5ad --tissue blood --h5ad joint.h5ad --tissue synovium",
            ["h5ad=@blood.h5ad, tissue=blood", "h5ad=@joint.h5ad, tissue=synovium"],
        ),
        (  # the CLI pairs them by order, not by place; a setting goes with each, data once
            "--de de.tsv --h5ad A --h5ad B --tissue blood --tissue synovium --cell-type-key ct "
            "--symptoms HP:0001370",
            [
                "de=@de.tsv, h5ad=@A, tissue=blood, cell_type_key=ct, symptoms=HP:0001370",
                "h5ad=@B, tissue=synovium, cell_type_key=ct",
            ],
        ),
    ],
)
def test_several_files_of_one_kind_are_one_request_each(options, requests):
    # before: one POST listing h5ad and tissue twice, which the form refuses (each field once)
    hint = f"add them (`{patient_command('patient add', 'MT1', options)}`)"
    each = [f"POST /v1/patients with patient_id=MT1, {fields}" for fields in requests]
    assert in_callers_words(hint, "api") == f"add them ({', then '.join(each)})"


def test_the_tissue_hint_names_the_form_fields_to_an_api_client():
    command = patient_command("patient add", "P1", "--h5ad FILE --tissue NAME")
    hint = f"add single-cell inputs (`{command}`)"
    assert in_callers_words(hint, "api") == (
        "add single-cell inputs (POST /v1/patients with patient_id=P1, h5ad=@FILE, tissue=NAME)"
    )  # before: (POST /v1/patients with patient_id=P1)


STRATIFY = "medtwin cohort stratify --cohort 'RA PBMC' --similarity jaccard --genes twin -k 10"


def test_a_quoted_cohort_name_is_a_string_literal_in_the_python_call():
    call = translated(STRATIFY.removeprefix("medtwin "), PYTHON_CALLS)
    assert call == (
        'stratify.stratify_cohort(store, cohort.cohort_patients(store, cohort="RA PBMC"), '
        'cohort="RA PBMC", method="jaccard", genes="twin", k=10)'
    )  # before: None
    ast.parse(call)  # a call Python reads
    assert python_calls("run `medtwin cohort run --cohort 'RA PBMC'`") == [
        'cohort.run_cohort(store, None, cohort.cohort_patients(store, cohort="RA PBMC"))'
    ]


@pytest.mark.parametrize("name", ["it's", 'say "x"', "a\\b", "naïve"])
def test_any_cohort_name_reads_back_as_written(name):
    command = f"cohort stratify --cohort {shlex.quote(name)}"
    call = translated(command, PYTHON_CALLS)
    assert call is not None
    tree = ast.parse(call).body[0].value  # type: ignore[attr-defined]
    assert [k.value.value for k in tree.keywords if k.arg == "cohort"] == [name]


def test_the_endotype_note_gives_python_the_call():
    row = {"endotype": 2, "endotype_method": "jaccard:twin", "endotype_deleted": 1}
    note = endotype_note({**row, "endotype_refresh": STRATIFY})
    assert note is not None
    assert note.endswith(
        "refresh it with `stratify.stratify_cohort(store, cohort.cohort_patients(store, "
        'cohort="RA PBMC"), cohort="RA PBMC", method="jaccard", genes="twin", k=10)`'
    )  # before: refresh it with `medtwin cohort stratify --cohort 'RA PBMC' …`


def test_a_loaded_target_source_is_no_targets_file():
    for name in [*TARGET_SOURCES, *TARGET_SOURCES.values()]:
        assert api_route(f"rank P1 --targets {name}") == (
            f'POST /v1/patients/P1/rankings with {{"targets": "{name}"}}'
        )
