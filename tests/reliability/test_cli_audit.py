"""CLI actions on a patient are audited with the OS user as actor (issue 10, item 5)."""

from __future__ import annotations

import getpass

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.store.audit import list_events

pytestmark = pytest.mark.neo4j


def test_cli_commands_naming_a_patient_are_audited(seeded):
    store, client = seeded
    assert client.app.state.audit_writer.flush()
    runner = CliRunner()
    got = runner.invoke(cli, ["twin", "list", "PA"], catch_exceptions=False)
    assert got.exit_code == 0, got.output
    got = runner.invoke(cli, ["twin", "list", "NOBODY"])
    assert got.exit_code == 1
    events = list_events(store, None, limit=1000)
    cli_events = [e for e in events if e.route.startswith("cli: ")]
    assert [(e.actor, e.action, e.patient_id, e.status) for e in cli_events] == [
        (f"os:{getpass.getuser()}", "read", "PA", 0)
    ]  # the unknown patient wrote nothing
    assert cli_events[0].route.endswith(" twin list")
