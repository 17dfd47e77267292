"""`api-key list` and `api-key revoke` with no key configured say where keys are read from.

Following the README's lines in order (`api-key new alice`, `api-key list`, `api-key revoke
alice`) without setting the printed MEDTWIN_API_KEYS line gave "no key configured" and "no API
key named 'alice'" (hint "configured keys: none"), neither naming the step that was missed.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from medtwin.cli import cli


@pytest.fixture
def no_keys(monkeypatch: pytest.MonkeyPatch, tmp_path):
    from medtwin.settings import get_settings

    monkeypatch.chdir(tmp_path)  # no .env of the working tree
    monkeypatch.setenv("MEDTWIN_API_KEYS", "")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_list_says_where_keys_come_from(no_keys) -> None:
    got = CliRunner().invoke(cli, ["api-key", "list"])
    assert got.exit_code == 0
    assert got.stdout == (
        "no key configured; `medtwin api-key new NAME` prints the MEDTWIN_API_KEYS=… line to put "
        "in .env or the environment (the keys are read from there)\n"
    )


def test_revoke_of_a_key_never_enabled_says_how_to_enable(no_keys) -> None:
    got = CliRunner().invoke(cli, ["api-key", "revoke", "alice"])
    assert got.exit_code == 1
    assert got.output.splitlines() == [
        "InputError: no API key named 'alice'",
        "hint: no key is configured; `medtwin api-key new NAME` prints the MEDTWIN_API_KEYS=… "
        "line to put in .env or the environment (the keys are read from there)",
    ]
