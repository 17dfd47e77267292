"""A ranking request whose ``methods`` is not a list of names is a 422 naming it, never a 500.

Found by ``benchmarks/api_probe.py`` against ``medtwin serve``: ``POST …/rankings`` with
``{"methods": -1}`` (or ``1e308``, ``99999999999999999999``) was a 500: the validator that
derives the default ``order`` from ``methods`` ran before the field's own check and iterated
the number (TypeError). ``{"methods": [[1]]}`` also named an ``order`` the client never sent.
In-memory store; no Neo4j.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from medtwin.platform.models import RankParams
from tests.api.conftest import WRITE

JSON = {**WRITE, "Content-Type": "application/json"}


@pytest.mark.parametrize("value", [b"-1", b"1e308", b"99999999999999999999", b"true", b"{}"])
def test_methods_that_are_no_list_are_a_422_naming_methods(client, value):
    r = client.post("/v1/patients/P1/rankings", headers=JSON, content=b'{"methods": %s}' % value)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert detail.startswith("methods")
    assert "valid tuple" in detail


def test_methods_of_no_names_do_not_name_an_order_never_sent(client):
    r = client.post("/v1/patients/P1/rankings", headers=JSON, content=b'{"methods": [[1]]}')
    assert r.status_code == 422, r.text
    assert "order" not in r.json()["detail"]


def test_python_callers_get_a_validation_error_too():
    with pytest.raises(ValidationError, match="methods"):
        RankParams.model_validate({"methods": 5})
    # the derived order still follows the methods given
    assert RankParams(methods=("direction",)).order == ("direction",)
