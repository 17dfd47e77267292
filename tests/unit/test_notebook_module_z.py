"""docs/python_api.ipynb prints the twin's module z to 2 decimals (``n/a`` when it has none).

It printed ``z = 1.8410293757392011``; the CLI's ``twin show`` says ``1.84`` and ``n/a``.
The cell that builds the twin runs here with a stand-in builder (the whole notebook runs on
the test server in ``tests/integration/test_notebook.py``).
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "python_api.ipynb"


def _twin_cell() -> str:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    (cell,) = [c for c in cells if "twins.build_twin(" in "".join(c["source"])]
    return "".join(cell["source"])


@pytest.mark.parametrize(
    ("module_z", "said"),
    [(1.8410293757392011, "(z = 1.84)"), (-0.5, "(z = -0.50)"), (None, "(z = n/a)")],
)
def test_the_twin_cell_prints_z_to_two_decimals(module_z: float | None, said: str) -> None:
    twin = SimpleNamespace(id="NB1@v1", n_genes=14, module_size=9, module_z=module_z)
    names = {
        "twins": SimpleNamespace(build_twin=lambda *a: twin),
        "TwinParams": lambda **kw: kw,
        "store": None,
        "PATIENT": "NB1",
        "MODULE_SAMPLES": 50,
    }
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(_twin_cell(), names)  # noqa: S102 - the repository's own notebook cell
    assert out.getvalue() == f"twin NB1@v1: 14 genes, module of 9 {said}\n"
