"""An upload past an input limit is 413 before its rows are parsed (stop 60), on a memory store.

Before, the rows were parsed until the limit was crossed: a table whose second line is bad and
which is past the row limit was a 422 for that line, the limit never said.
"""

from __future__ import annotations

import gzip

import pytest

from medtwin.store.memory import MemoryStore
from tests.api.conftest import WRITE, memory_client
from tests.api.memory.test_read_warnings import GENES

TABLE = b"gene\tlog2fc\tpadj\nTNF\tabc\t0.01\n" + b"TNF\t1.5\t0.01\n" * 20


# mtime=0: the gzip header's time is in the test's id, which both xdist workers must collect alike
@pytest.mark.parametrize(
    ("name", "data"), [("de.tsv", TABLE), ("de.tsv.gz", gzip.compress(TABLE, mtime=0))]
)
def test_a_table_past_the_row_limit_is_413_naming_the_setting(name: str, data: bytes) -> None:
    store = MemoryStore()
    store.add_reference(genes=GENES)
    for client in memory_client(store, max_input_rows=10):
        r = client.post(
            "/v1/patients",
            headers=WRITE,
            data={"patient_id": "P1"},
            files={"de": (name, data, "application/octet-stream")},
        )
        assert r.status_code == 413, r.text
        assert r.json() == {
            "error": "InputTooLarge",
            "detail": f"{name}: more than 10 lines, the input limit (MEDTWIN_MAX_INPUT_ROWS)",
        }
        assert store.twins.inputs("P1") == []
