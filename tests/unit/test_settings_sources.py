"""Where settings come from (the precedence pydantic-settings had): arguments, environment, .env."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from medtwin.settings import Settings


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    import os

    for name in list(os.environ):
        if name.upper().startswith("MEDTWIN_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_defaults_without_environment(clean_env):
    s = Settings()
    assert s.bolt_port == 7687
    assert s.home == Path(".medtwin")
    assert s.neo4j_password is None
    # the project's ../shared/data when it exists (never a download), else no mirror
    from medtwin import settings as settings_module

    assert s.data_mirror == settings_module._shared_data()


def test_default_mirror_is_shared_data_beside_the_working_folder(tmp_path, monkeypatch):
    from medtwin import settings as settings_module

    (tmp_path / "shared" / "data").mkdir(parents=True)
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    assert settings_module._shared_data() == tmp_path / "shared" / "data"


def test_arguments_over_environment_over_env_file(clean_env, monkeypatch):
    (clean_env / ".env").write_text(
        "# a comment\n"
        "MEDTWIN_BOLT_PORT=7001\n"
        "MEDTWIN_HEAP_SIZE=1g   # inline comment\n"
        "MEDTWIN_NEO4J_PASSWORD='quoted secret'\n"
        "MEDTWIN_AUDIT_JOURNAL=false\n"
        "OTHER_VARIABLE=ignored\n"
    )
    monkeypatch.setenv("MEDTWIN_BOLT_PORT", "7002")
    monkeypatch.setenv("medtwin_http_port", "7003")  # any case
    s = Settings()
    assert s.bolt_port == 7002  # environment over .env
    assert s.http_port == 7003
    assert s.heap_size == "1g"
    assert s.neo4j_password is not None
    assert s.neo4j_password.get_secret_value() == "quoted secret"
    assert s.audit_journal is False
    assert Settings(bolt_port=7004).bolt_port == 7004  # arguments over both


def test_bad_value_names_the_field(clean_env, monkeypatch):
    monkeypatch.setenv("MEDTWIN_BATCH_SIZE", "5")
    with pytest.raises(ValidationError, match="batch_size"):
        Settings()
    monkeypatch.setenv("MEDTWIN_BATCH_SIZE", "many")
    with pytest.raises(ValidationError, match="batch_size"):
        Settings()
