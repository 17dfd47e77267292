"""The lean driver import: neo4j without numpy/pandas/pyarrow, which stay importable after.

Each check runs in a fresh interpreter (this test process has long imported everything).
"""

from __future__ import annotations

from tests.fresh_interpreter import fresh_json


def test_lean_import_leaves_the_optional_packages_out_and_importable():
    got = fresh_json(
        """
        import json, sys
        from medtwin.store.lean import import_driver_lean
        first = import_driver_lean()
        loaded = sorted(m for m in ("numpy", "pandas", "pyarrow") if m in sys.modules)
        import neo4j._optional_deps as deps
        driver_sees = [deps.np is None, deps.pd is None, deps.pa is None]
        import numpy, pandas  # the process may still use them itself
        print(json.dumps({"first": first, "again": import_driver_lean(), "loaded": loaded,
                          "none": driver_sees, "pandas": pandas.__name__}))
        """
    )
    assert got == {
        "first": True,
        "again": False,
        "loaded": [],
        "none": [True, True, True],
        "pandas": "pandas",
    }


def test_lean_import_keeps_a_package_that_is_already_imported():
    got = fresh_json(
        """
        import json, sys
        import numpy
        from medtwin.store.lean import import_driver_lean
        import_driver_lean()
        import neo4j._optional_deps as deps
        print(json.dumps([deps.np is numpy, deps.pd is None, "pandas" in sys.modules]))
        """
    )
    assert got == [True, True, False]


def test_lean_import_with_numpy_leaves_only_pandas_and_pyarrow_out():
    got = fresh_json(
        """
        import json, sys
        from medtwin.store.lean import import_driver_lean
        import_driver_lean(numpy=True)
        import neo4j._optional_deps as deps
        print(json.dumps([deps.np is sys.modules.get("numpy"), deps.np is None, deps.pd is None,
                          deps.pa is None, "pandas" in sys.modules]))
        """
    )
    assert got == [True, False, True, True, False]


def test_the_cohort_read_modules_leave_the_driver_to_the_lean_store():
    """``cohort activities`` imported the store's cohort module (for its batch size) at import:
    neo4j came in before the lean store, with numpy and pandas (0.53 -> 0.96 s of CPU)."""
    got = fresh_json(
        """
        import json, sys
        import medtwin.platform.cohort_activities, medtwin.platform.cohort_summary
        import medtwin.platform.kept_reads
        print(json.dumps(sorted(m for m in ("neo4j", "numpy", "pandas") if m in sys.modules)))
        """
    )
    assert got == []
