"""The garbage collector during a command's start-up (``medtwin.cli.main``).

Off while a command starts (its imports make objects that all live to the end); back on, with
start-up's objects frozen, once a command opens its store to compute or write; still off at the
end of a data command (``open_store(lean=True)``). Each run is a fresh interpreter calling the
console-script entry point, on an in-memory store.
"""

from __future__ import annotations

import pytest

from tests.fresh_interpreter import fresh_json

_RUN = """
import gc, json, sys
import medtwin.cli.common as common
from medtwin.store.memory import MemoryStore

store = MemoryStore()
common.store_factory = lambda: (lambda settings: store)
sys.argv = ["medtwin", *{args!r}]
seen = {{}}
try:
    from medtwin.cli import main
    main()
except SystemExit as e:
    seen["exit"] = e.code
seen["enabled"] = gc.isenabled()
seen["frozen"] = gc.get_freeze_count() > 0
print(json.dumps(seen))
"""


@pytest.mark.parametrize(
    "args",
    [["patient", "list", "--json"], ["patient", "show", "P1", "--json"], ["--help"]],
)
def test_a_data_command_runs_without_the_collector(args):
    seen = fresh_json(_RUN.format(args=args))
    assert seen["enabled"] is False
    assert seen["frozen"] is False


def test_a_command_that_writes_turns_it_back_on_with_start_up_frozen():
    seen = fresh_json(_RUN.format(args=["patient", "add", "P1", "--symptoms", "HP:0001370"]))
    assert seen["enabled"] is True
    assert seen["frozen"] is True
