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
