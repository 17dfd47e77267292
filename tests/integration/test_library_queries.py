"""Every query of the library runs on the real server with its example parameters.

`medtwin query NAME` passed the statement's text where the runner takes a catalog name, so every
library query failed with "no Cypher file …" (found in stop 39); nothing ran them end to end.
"""

from __future__ import annotations

import pytest

from medtwin.platform.library import LIBRARY, run_library_query

pytestmark = pytest.mark.neo4j


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_every_library_query_runs_with_its_example(tiny_reference, name):
    store, _ = tiny_reference
    rows = run_library_query(store, name, dict(LIBRARY[name].params))
    assert isinstance(rows, list)  # the tiny graph may hold no match; the statement ran


def test_a_query_returns_rendered_rows(tiny_reference):
    store, _ = tiny_reference
    rows = run_library_query(store, "targets_and_interactors", {"drug": "drug1"})
    assert rows  # the tiny graph's drug1 targets interactome genes
    values = [v for r in rows for v in r.values()]
    assert all(isinstance(v, str | int | float | bool | list | type(None)) for v in values)
