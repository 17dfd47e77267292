from __future__ import annotations

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
