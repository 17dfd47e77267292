"""Every query of the library runs on the real server with its example parameters.

`medtwin query NAME` passed the statement's text where the runner takes a catalog name, so every
library query failed with "no Cypher file …" (found in stop 39); nothing ran them end to end.
"""

from __future__ import annotations

import pytest

from medtwin.errors import NotFoundError
from medtwin.platform import patients
from medtwin.platform.library import LIBRARY, run_library_query
from tests.integration.conftest import up_in_first_clique

pytestmark = pytest.mark.neo4j


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_every_library_query_runs_with_its_example(tiny_reference, name):
    store, _ = tiny_reference
    params = dict(LIBRARY[name].params)
    if "patient_id" in params:  # an unknown patient is refused (below): the example's exists
        patients.add_patient(store, up_in_first_clique(params["patient_id"]))
    rows = run_library_query(store, name, params)
    assert isinstance(rows, list)  # the tiny graph may hold no match; the statement ran


@pytest.mark.parametrize("name", sorted(n for n, q in LIBRARY.items() if "patient_id" in q.params))
def test_a_patient_query_of_an_unknown_patient_says_so(tiny_reference, name):
    """It printed "0 rows", as for a patient whose twin holds no match."""
    store, _ = tiny_reference
    params = {**LIBRARY[name].params, "patient_id": "NOPE"}
    with pytest.raises(NotFoundError, match=r"^no patient NOPE\n"):
        run_library_query(store, name, params)


def test_a_query_returns_rendered_rows(tiny_reference):
    store, _ = tiny_reference
    rows = run_library_query(store, "targets_and_interactors", {"drug": "drug1"})
    assert rows  # the tiny graph's drug1 targets interactome genes
    values = [v for r in rows for v in r.values()]
    assert all(isinstance(v, str | int | float | bool | list | type(None)) for v in values)


def test_a_query_over_its_time_is_stopped_with_a_clear_error(tiny_reference, monkeypatch):
    from medtwin.errors import InputError, QueryFailed
    from medtwin.store import neo4j as store_neo4j

    store, _ = tiny_reference
    seen: dict[str, object] = {}

    def timed_out(name, *, timeout_s=None, **params):
        seen["timeout_s"] = timeout_s
        raise QueryFailed(
            "query failed: Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration: "
            "The transaction has been terminated."
        )

    monkeypatch.setattr(store, "read_raw", timed_out)
    with pytest.raises(InputError, match="ran for 60 s and was stopped") as e:
        run_library_query(store, "regulon_of_tf", {"tf": "G1"})
    assert "--show" in (e.value.hint or "")
    assert seen["timeout_s"] == store_neo4j.LIBRARY_TIMEOUT_S


def _operators(plan) -> set[str]:
    ops = {plan["operatorType"].split("@")[0]}
    for child in plan.get("children", []):
        ops |= _operators(child)
    return ops


def test_the_paths_query_has_no_exhaustive_shortest_path_fallback(tiny_reference):
    # A WHERE on the shortestPath's own path adds an exhaustive fallback search (minutes on the
    # real interactome: the query hung); filtering after WITH keeps the breadth-first search.
    from medtwin.store.library import library_statement

    store, _ = tiny_reference
    text = library_statement("paths_drug_to_twin")
    params = {"drug_id": "x", "twin_id": "y", "source": "z", "max_hops": 3}
    with store.driver.session(database=store.database) as session:
        plan = session.run("EXPLAIN " + text, params).consume().plan
    ops = _operators(plan)
    assert "ShortestPath" in ops
    assert "AntiConditionalApply" not in ops  # the fallback's operator
    assert not any(op.startswith("VarLengthExpand") for op in ops)
