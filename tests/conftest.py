"""Shared fixtures.

Integration tests (marker ``neo4j``) talk to a real Neo4j + GDS. They default to the test server
that ``make test`` starts (own folder ``.medtwin/test``, Bolt port 7688), never to your data on
7687. With ``CI`` set an unreachable server fails the run; locally the skip reason names the
command that starts it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from medtwin.loaders.limits import current_limits, set_process_limits

_TEST_BOLT = os.environ.get("MEDTWIN_TEST_BOLT_PORT", "7688")
_TEST_DEFAULTS = {
    "MEDTWIN_HOME": ".medtwin/test",
    "MEDTWIN_BOLT_PORT": _TEST_BOLT,
    "MEDTWIN_HTTP_PORT": "7475",
    "MEDTWIN_NEO4J_URI": f"bolt://127.0.0.1:{_TEST_BOLT}",
}
for _k, _v in _TEST_DEFAULTS.items():
    os.environ.setdefault(_k, _v)

START_HINT = (
    "start the test server with `make test-neo4j` (it runs `medtwin db start` on port 7688)"
)


# Tests here never talk to the test server: under `make test` (`pytest -n 2`) they run on a
# second worker beside the one that runs every other test, in the order pytest-randomly chose.
STANDALONE = ("tests/unit/", "src/", "tests/api/memory/")
# Files beside the server tests that never talk to the server either (the app without a
# database, pure helpers, Chromium on the offline docs): they run on the second worker too, so
# the server worker, which sets the suite's wall time, does not wait for them (~18 s).
STANDALONE_FILES = frozenset(
    {
        "tests/api/test_docs_offline.py",
        "tests/api/test_errors_audit_unit.py",
        "tests/api/test_render_summary.py",
        "tests/api/test_resilience.py",
        "tests/api/test_security_unit.py",
        "tests/browser/test_docs.py",
        "tests/reliability/test_memory.py",
    }
)


def is_standalone(nodeid: str) -> bool:
    """Whether a test runs on the worker without the server (by its path).

    >>> is_standalone("tests/api/test_security_unit.py::test_a"), is_standalone("tests/api/x.py")
    (True, False)
    """
    path = nodeid.split("::", 1)[0]
    return path.startswith(STANDALONE) or path in STANDALONE_FILES


def runs_last(nodeid: str) -> bool:
    """A ``test_zz_*`` file replaces the test database's files (bulk import, restore): after every
    other test, whatever order pytest-randomly chose.

    >>> runs_last("tests/reliability/test_zz_backup.py::test_x"), runs_last("tests/unit/test_a.py")
    (True, False)
    """
    return nodeid.split("::", 1)[0].rsplit("/", 1)[-1].startswith("test_zz_")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``test_zz_*`` files last (pytest-randomly shuffles before this hook; a stable sort keeps
    its order otherwise). A standalone test (see :func:`is_standalone`) that needs the server
    would race the other worker: marked ``neo4j`` or using the ``neo4j_driver`` fixture
    (directly or through another fixture, e.g. ``client``)."""
    items.sort(key=lambda item: runs_last(item.nodeid))
    for item in items:
        if is_standalone(item.nodeid) and (
            item.get_closest_marker("neo4j") or "neo4j_driver" in getattr(item, "fixturenames", ())
        ):
            where = item.nodeid.split("::", 1)[0]
            fix = (
                "take it out of STANDALONE_FILES in tests/conftest.py"
                if where in STANDALONE_FILES
                else f"move it out of {' or '.join(STANDALONE)}"
            )
            raise pytest.UsageError(f"{item.nodeid} needs the test server: {fix}")


def xdist_scope(nodeid: str) -> str:
    """The scope xdist sends to one worker as a whole: "server", or a standalone test's file.

    >>> xdist_scope("tests/api/test_auth.py::test_scope[GET]")
    'server'
    >>> xdist_scope("tests/unit/test_x.py::test_a")
    'tests/unit/test_x.py'
    """
    return nodeid.split("::", 1)[0] if is_standalone(nodeid) else "server"


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """One scope for every test that may use the server, one per file for the standalone ones."""
    from xdist.scheduler import LoadScopeScheduling

    class ServerScope(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return xdist_scope(nodeid)

    return ServerScope(config, log)


@pytest.fixture(autouse=True)
def _input_limits_per_test() -> Iterator[None]:
    """The input limits in force before each test, again after it: a CLI run sets them for the
    whole process from the settings, so one test's ``MEDTWIN_MAX_INPUT_ROWS=10`` refused the
    10-row files of tests after it on the same worker (stop 60's CI run: 4 failures)."""
    before = current_limits()
    yield
    set_process_limits(before)


@pytest.fixture(scope="session")
def test_settings() -> Any:
    from medtwin.settings import Settings

    return Settings()


@pytest.fixture(scope="session")
def neo4j_driver(test_settings: Any) -> Iterator[Any]:
    """A Driver to the test server; fails in CI, skips locally when it does not answer."""
    from medtwin.errors import GraphStoreError
    from medtwin.store.connection import open_driver

    try:
        driver = open_driver(test_settings)
    except GraphStoreError as e:
        if os.environ.get("CI"):
            pytest.fail(f"Neo4j test server unreachable in CI: {e}")
        pytest.skip(f"Neo4j test server not running ({e}); {START_HINT}")
    from medtwin.store.testing import empty_large_test_database

    if empty_large_test_database(driver, test_settings):  # left full by a benchmark
        driver.close()
        driver = open_driver(test_settings)
    yield driver
    driver.close()


@pytest.fixture
def clean_db(neo4j_driver: Any, test_settings: Any) -> Iterator[Any]:
    """Empty the *test* database before and after a test (refuses any other server)."""
    from medtwin.store.testing import wipe_test_database

    wipe_test_database(neo4j_driver, test_settings)
    yield neo4j_driver
    wipe_test_database(neo4j_driver, test_settings)
