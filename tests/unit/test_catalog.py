"""Every shipped Cypher file loads, has a header comment and is used by the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtwin.cypher import catalog
from medtwin.errors import NotFoundError

SRC = Path(__file__).resolve().parents[2] / "src" / "medtwin"


def test_catalog_lists_files():
    names = catalog.all_names()
    assert "health/gds_version" in names
    assert all("/" in n for n in names)


@pytest.mark.parametrize("name", catalog.all_names())
def test_each_file_has_header_and_is_used(name):
    text = catalog.query(name)
    assert text.startswith("//"), (
        f"{name}.cypher must open with a comment (purpose, params, returns)"
    )
    users = [
        p
        for p in SRC.rglob("*.py")
        if "cypher" not in p.parts[-2:] and f'"{name}"' in p.read_text(encoding="utf-8")
    ]
    assert users, f"{name}.cypher has no accessor in medtwin (nothing calls query({name!r}))"


def test_unknown_name_is_a_clear_error():
    with pytest.raises(NotFoundError, match="no Cypher file nope/nothing.cypher"):
        catalog.query("nope/nothing")


def test_statements_split_on_semicolons():
    for name in catalog.all_names():
        if name.startswith("schema/"):
            parts = catalog.statements(name)
            assert parts
            assert all(";" not in p for p in parts)
