"""Every CLI command that names a patient is audited with the action it really performs.

Before this table, ``twin regulators`` (computes without storing), ``patient similar`` and
``cohort activities`` (read stored results) were recorded as writes. A new command naming a
patient fails here until it is classified on purpose.
"""

from __future__ import annotations

import click

from medtwin.cli.common import audit_action
from tests.cli_tree import command_tree

EXPECTED = {
    "biomarkers": "read",  # a write when it computes and stores: test_insight_audit.py
    "cohort activities": "read",
    "cohort run": "write",  # stores each patient's twin and ranking
    "explain": "read",
    "export": "read",
    "patient add": "write",
    "patient audit": "read",
    "patient delete": "delete",
    "patient remove-input": "delete",
    "patient show": "read",
    "patient similar": "read",
    "rank": "write",  # stores the ranking
    "report": "read",
    "twin build": "write",
    "twin diff": "read",
    "twin diseases": "read",  # likewise
    "twin list": "read",
    "twin regulators": "read",
    "twin show": "read",
    "twin trajectory": "write",  # builds and ranks missing time points unless told not to
}


def _commands_naming_patients() -> dict[str, str]:
    return {
        " ".join(path): audit_action(cmd.name or "")
        for path, cmd in command_tree().items()
        if not isinstance(cmd, click.Group)
        and {"patient_id", "patient_ids"} & {p.name for p in cmd.params}
    }


def test_each_command_naming_a_patient_has_its_real_action() -> None:
    assert _commands_naming_patients() == EXPECTED


LISTING = {
    # commands that name no patient but work on patients they read from the store
    # (`audit_patients`): each patient gets an event with this action
    "cohort stratify": "write",  # stores similarities and endotypes
    "cohort summary": "read",
    "patient add-cohort": "write",
}


def test_commands_listing_patients_have_their_real_action() -> None:
    assert {path: audit_action(path.split()[-1]) for path in LISTING} == LISTING


def test_unknown_commands_are_writes_and_delete_is_delete() -> None:
    assert audit_action("something-new") == "write"
    assert audit_action("delete") == "delete"
    assert audit_action("regulators") == "read"
