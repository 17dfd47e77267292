from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from medtwin.errors import MedtwinError, SourceFormatError
from medtwin.settings import Settings


def test_settings_from_env(monkeypatch):
    monkeypatch.setenv("MEDTWIN_NEO4J_URI", "neo4j+s://example.databases.neo4j.io")
    monkeypatch.setenv("MEDTWIN_NEO4J_PASSWORD", "s3cret-value")
    s = Settings()
    assert s.neo4j_uri == "neo4j+s://example.databases.neo4j.io"
    assert not s.is_local
    assert "s3cret" not in repr(s)


def test_local_uri_detection():
    s = Settings(neo4j_uri="bolt://127.0.0.1:7690", bolt_port=7690)
    assert s.is_local


def test_source_format_error_names_file_and_line():
    e = SourceFormatError(Path("omics/P001.tsv"), 42, "log2fc must be numeric, got 'NA'")
    assert str(e) == "omics/P001.tsv:42: log2fc must be numeric, got 'NA'"
    assert isinstance(e, MedtwinError)


def test_error_hint_kept():
    e = MedtwinError("boom", hint="do this")
    assert e.hint == "do this"
    with pytest.raises(MedtwinError, match="boom"):
        raise e


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("MEDTWIN_BOLT_PORT", "abc", "MEDTWIN_BOLT_PORT='abc': Input should be a valid integer"),
        ("MEDTWIN_MAX_INPUT_MB", "-3", "MEDTWIN_MAX_INPUT_MB='-3': Input should be greater"),
        ("MEDTWIN_NEO4J_URI", "http://127.0.0.1:7474", "not a Neo4j URI: give bolt://"),
        ("MEDTWIN_NEO4J_URI", "foo://x", "MEDTWIN_NEO4J_URI='foo://x'"),
    ],
)
def test_a_bad_setting_is_a_config_error_naming_the_variable(monkeypatch, variable, value, said):
    """Every command printed pydantic's (or the driver's) traceback for a bad MEDTWIN_* value."""
    from medtwin.errors import ConfigError
    from medtwin.settings import get_settings

    monkeypatch.setenv(variable, value)
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError) as got:
            get_settings()
    finally:
        get_settings.cache_clear()
    assert said in got.value.message
    assert got.value.hint is not None


def test_a_bad_secret_is_named_without_its_value(monkeypatch):
    from medtwin.errors import ConfigError
    from medtwin.settings import setting_problem

    value = secrets.token_hex(8)  # no literal secret in the tree
    err = {"loc": ("neo4j_password",), "input": value, "msg": "too short"}
    assert setting_problem(err) == "MEDTWIN_NEO4J_PASSWORD: too short"
    assert issubclass(ConfigError, MedtwinError)
