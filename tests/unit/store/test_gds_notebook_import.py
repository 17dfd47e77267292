"""Importing the GDS client in a Jupyter kernel without ipywidgets gives no tqdm warning.

Before, the notebook's first twin build printed on stderr ``TqdmWarning: IProgress not found.
Please update jupyter and ipywidgets`` (``graphdatascience`` imports ``tqdm.auto``); its bars are
off (``show_progress=False``). A fresh process stands in for the kernel: tqdm's own notebook
check (``ipykernel.zmqshell`` imported) with ipywidgets missing.
"""

from __future__ import annotations

import subprocess
import sys

KERNEL_WITHOUT_IPYWIDGETS = """
import sys, types, warnings
sys.modules["ipywidgets"] = None
sys.modules["ipykernel.zmqshell"] = types.ModuleType("ipykernel.zmqshell")
ip = types.ModuleType("IPython")
ip.get_ipython = lambda: types.SimpleNamespace(config={"IPKernelApp": {}})
sys.modules["IPython"] = ip
with warnings.catch_warnings(record=True) as seen:
    warnings.simplefilter("always")
    {load}
print([str(w.message) for w in seen])
"""


def _warnings_of(load: str) -> str:
    code = KERNEL_WITHOUT_IPYWIDGETS.replace("{load}", load)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.strip()


def test_the_gds_client_loads_without_the_iprogress_warning():
    got = _warnings_of("from medtwin.store.gds import client_class; client_class()")
    assert got == "[]"


def test_the_stand_in_kernel_does_show_it_for_a_plain_import():
    # the stand-in is a notebook as tqdm sees one: the raw import warns there
    got = _warnings_of("import graphdatascience")
    assert "IProgress not found" in got
