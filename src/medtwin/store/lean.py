"""Import the Neo4j driver without its optional numpy/pandas/pyarrow support (short commands).

The driver (5.x, ``neo4j._optional_deps``) imports numpy, pandas and pyarrow when they are
installed, only to accept their values as query parameters and to offer ``Result.to_df``; that
import costs 1–3 s of the ≈ 3–6 s a data command took to start (``python -X importtime -c
"import neo4j"``). Commands that read or delete by id pass plain Python values, so they import
the driver as it behaves on a machine without those packages: :func:`import_driver_lean` marks
them unimportable while ``neo4j`` is imported (the driver suppresses the ``ImportError``) and
unmarks them straight after, so the process can still import numpy or pandas for its own use.

Why not a second, hand-written connection path: the driver, its error types and
:mod:`medtwin.store.connection` stay the only way to Neo4j, and this is the configuration the
driver supports officially (numpy, pandas and pyarrow are optional extras of the ``neo4j``
package). The cost: in such a process, numpy/pandas values given as query parameters are refused
with the driver's ``TypeError`` (never silently converted), so only commands that do not compute
(``patient list|delete``, ``twin show``, a stored ranking, ``cohort summary``) ask for it, and
only when the driver is not imported yet. ``tests/unit/cli/test_data_command_imports.py`` checks
which modules those commands import.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

__all__ = ["OPTIONAL_DRIVER_DEPS", "import_driver_lean", "import_pyarrow"]

OPTIONAL_DRIVER_DEPS = ("numpy", "pandas", "pyarrow")
"""What ``neo4j._optional_deps`` imports when installed."""

_without_numpy = False
"""Whether this process imported the driver without numpy (:func:`import_driver_lean`)."""


def import_driver_lean(*, numpy: bool = False) -> bool:
    """Import ``neo4j`` without numpy/pandas/pyarrow; ``False`` if it was imported already.

    A package the process has already imported is left alone (the driver then uses it as usual).
    ``numpy``: let the driver import numpy (it accepts numpy values as parameters); only pandas
    and pyarrow (~0.45 s) stay out. For commands that compute with numpy but never pass pandas
    values nor run the ``graphdatascience`` client (``explain``, ``report``, ``twin regulators``).
    """
    global _without_numpy
    if "neo4j" in sys.modules:
        return False
    _without_numpy = not numpy and "numpy" not in sys.modules
    skipped = ("numpy",) if numpy else ()
    blocked = [n for n in OPTIONAL_DRIVER_DEPS if n not in sys.modules and n not in skipped]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        import neo4j  # noqa: F401
    finally:
        for name in blocked:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
    return True


def import_pyarrow() -> ModuleType:
    """``pyarrow``, imported without numpy in a process whose driver is lean.

    A stored ranking's rows beyond its top are one Arrow table (``store/rankings.py``), which
    ``explain`` and ``rank --top`` read a row or a page of. pyarrow imports numpy when it is
    installed (~0.1 s, as much as the rest of ``explain``'s own work), only for conversions
    those reads never make: in a lean process (:func:`import_driver_lean` without numpy) it is
    imported as on a machine without numpy (pyarrow 25 supports that), so such a command
    imports no numpy at all. Elsewhere, or once numpy or pyarrow are imported, as usual.
    """
    if not _without_numpy or "numpy" in sys.modules or "pyarrow" in sys.modules:
        return importlib.import_module("pyarrow")
    sys.modules["numpy"] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        importlib.import_module("pyarrow.ipc")  # what the reads use, while numpy is kept out
        return importlib.import_module("pyarrow")
    finally:
        if sys.modules.get("numpy", 0) is None:
            del sys.modules["numpy"]
