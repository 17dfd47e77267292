"""API key format, hashing and the `medtwin api-key new` command."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from medtwin.api.security import authenticate, hash_key, new_key, parse_api_keys
from medtwin.errors import ConfigError


def test_new_key_round_trip():
    secret, key = new_key("lab", "write")
    assert secret.startswith("mtk_")
    assert len(secret) > 40
    assert key.sha256 == hash_key(secret)
    assert secret not in key.settings_entry()
    keys = parse_api_keys(f" {key.settings_entry()} ,")
    assert authenticate(keys, secret) == key
    assert authenticate(keys, secret + "x") is None
    assert authenticate(keys, None) is None
    assert key.allows("read")
    assert key.allows("write")
    _, ro = new_key("ro", "read")
    assert ro.allows("read")
    assert not ro.allows("write")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("lab:read", "expected name:scope:sha256hex"),
        ("lab:admin:" + "a" * 64, "scope must be read or write"),
        ("lab:read:mtk_plainkey", "64 hex characters"),
        ("bad name:read:" + "a" * 64, "invalid name"),
        (f"a:read:{'a' * 64},a:write:{'b' * 64}", "appears twice"),
    ],
)
def test_bad_key_settings_are_config_errors(text, message):
    with pytest.raises(ConfigError, match=message):
        parse_api_keys(text)


def test_cli_prints_the_key_once_and_the_settings_line(monkeypatch):
    from medtwin.cli.interfaces import api_key
    from medtwin.settings import get_settings

    _, old = new_key("old", "read")
    _, same = new_key("lab", "read")
    monkeypatch.setenv("MEDTWIN_API_KEYS", f"{old.settings_entry()},{same.settings_entry()}")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(api_key, ["new", "lab", "--scope", "write"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    secret = re.search(r"(mtk_\S+)", result.output).group(1)
    line = re.search(r"MEDTWIN_API_KEYS=(\S+)", result.output).group(1)
    keys = parse_api_keys(line)
    assert [k.name for k in keys] == ["old", "lab"]  # the old "lab" entry is replaced
    assert authenticate(keys, secret).scope == "write"


def _invoke_with_keys(monkeypatch, keys: str, args: list[str]):
    from medtwin.cli import cli
    from medtwin.settings import get_settings

    monkeypatch.setenv("MEDTWIN_API_KEYS", keys)
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(cli, ["api-key", *args])
    finally:
        get_settings.cache_clear()


def test_cli_lists_names_and_scopes_never_a_full_hash(monkeypatch):
    _, a = new_key("alice", "read")
    _, b = new_key("lab", "write")
    result = _invoke_with_keys(monkeypatch, f"{a.settings_entry()},{b.settings_entry()}", ["list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:2] == ["alice", "read"]
    assert lines[1].split()[:2] == ["lab", "write"]
    assert lines[-1] == "keys in MEDTWIN_API_KEYS: 2"
    assert a.sha256 not in result.output  # a prefix tells keys apart
    assert a.sha256[:12] in result.output
    empty = _invoke_with_keys(monkeypatch, "", ["list"])
    assert empty.output == (  # and where keys come from (stop 54: the README's order misled)
        "no key configured; `medtwin api-key new NAME` prints the MEDTWIN_API_KEYS=… line to put "
        "in .env or the environment (the keys are read from there)\n"
    )


def test_cli_revoke_prints_the_line_without_the_key(monkeypatch):
    secret_a, a = new_key("alice", "read")
    secret_b, b = new_key("lab", "write")
    keys = f"{a.settings_entry()},{b.settings_entry()}"
    result = _invoke_with_keys(monkeypatch, keys, ["revoke", "alice"])
    assert result.exit_code == 0, result.output
    line = re.search(r"MEDTWIN_API_KEYS=(\S+)", result.output).group(1)
    left = parse_api_keys(line)
    assert [k.name for k in left] == ["lab"]
    assert authenticate(left, secret_a) is None
    assert authenticate(left, secret_b) == b
    unknown = _invoke_with_keys(monkeypatch, keys, ["revoke", "bob"])
    assert unknown.exit_code == 1
    assert "InputError: no API key named 'bob'" in unknown.output
    assert "configured keys: alice, lab" in unknown.output
    assert "Traceback" not in unknown.output
