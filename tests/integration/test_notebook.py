"""docs/python_api.ipynb runs top to bottom against the test server (nbclient, a real kernel).

The tiny reference of tests/integration/conftest.py is seeded; the notebook's parameters cell is
replaced with a patient of that reference and few samples. The kernel inherits this process's
``MEDTWIN_*`` environment, so it opens the test server as the notebook's own code says.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "docs" / "python_api.ipynb"

PARAMETERS = """PATIENT = "NB1"
CHANGES = {str(i): 2.0 for i in range(1, 15)}
MODULE_SAMPLES = 50
N_SAMPLES = 50"""


def test_the_python_api_notebook_runs_and_ends_with_a_frame_and_a_plot(
    tiny_reference, tmp_path, monkeypatch
):
    import nbclient
    import nbformat

    monkeypatch.setenv("MEDTWIN_CACHE_DIR", str(tmp_path / "cache"))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    (params,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    params.source = PARAMETERS
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    # runs clean: nothing on stderr (before: tqdm's "IProgress not found" under the twin build)
    assert not [o.text for o in outputs if o.get("name") == "stderr"]
    text = "\n".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "twin NB1@v1" in text
    assert re.search(r"\(z = (-?\d+\.\d\d|n/a)\)", text)  # was 15 digits (or None)
    frames = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert frames
    assert "DB0000" in frames[-1]  # the ranking as a DataFrame
    # z with 2 decimals, q to 3 significant digits, as `medtwin rank` prints them (before:
    # pandas' six decimals, "-2.391846")
    heads = re.findall(r'class="col_heading level0 col(\d+)" >([^<]*)<', frames[-1])
    column = {name: int(i) for i, name in heads}
    cells = dict(re.findall(r'class="data row(\d+ col\d+)" >([^<]*)<', frames[-1]))
    from medtwin.platform import rankings

    stored = rankings.full_ranking(tiny_reference[0], "NB1")
    for row, d in enumerate(sorted(stored.drugs, key=lambda d: d.rank)[:10]):
        assert cells[f"{row} col{column['drug_id']}"] == d.drug_id
        assert cells[f"{row} col{column['z']}"] == ("\u2014" if d.z is None else f"{d.z:.2f}")
        assert cells[f"{row} col{column['q']}"] == ("\u2014" if d.q is None else f"{d.q:.3g}")
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the plot
    store, _ = tiny_reference
    assert store.rankings.latest_ranking("NB1") is not None  # it really ranked, in this database
