"""Headless Chromium (Debian's package) driven by Playwright, and the API served by uvicorn."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.conftest import client, seeded  # noqa: F401
from tests.integration.conftest import tiny_reference  # noqa: F401

CHROMIUM = os.environ.get("MEDTWIN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium for one module. Playwright's sync API keeps its event loop marked running in the
    main thread while it is open, so a session-wide one made every later ``asyncio.run`` in the
    process fail ("cannot be called from a running event loop": tests/api/test_bounded_input.py
    after a browser module, in the order pytest-randomly's seed 1139469029 chose)."""
    if shutil.which(CHROMIUM) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} not found in CI (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not found: apt-get install chromium, or set MEDTWIN_CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def live_api(seeded: Any, test_settings: Any) -> Iterator[tuple[str, Any]]:  # noqa: F811
    """The API on a free loopback port (uvicorn in a thread), over the seeded test database."""
    from tests.api.conftest import api_settings

    yield from _serve(api_settings(test_settings), seeded[0])


@pytest.fixture
def live_api_default_limits(seeded: Any, test_settings: Any) -> Iterator[tuple[str, Any]]:  # noqa: F811
    """:func:`live_api` with the per-client limits a user's server has (not the tests' none)."""
    from medtwin.settings import Settings
    from tests.api.conftest import UNLIMITED, api_settings

    defaults = {k: Settings.model_fields[k].default for k in UNLIMITED if k.startswith("api_")}
    yield from _serve(api_settings(test_settings, **defaults), seeded[0])


SETTLED_HOLD_MS = 150
"""How long the viewer's relabel count must hold, with no relabel or refit to come: past
Cytoscape's own 100 ms debounce of a resize of its canvas (which starts a refit)."""


def settled(page: Any, *, timeout_s: float = 60.0) -> None:
    """Wait until the viewer has placed its captions for good: no debounced relabel (after a
    zoom) or refit (after a resize) to come (``window.medtwinIdle()``), and its relabel count
    (``window.medtwinRelabels``) the same over :data:`SETTLED_HOLD_MS`.

    A refit after "drawn" (the status line wraps, the canvas shrinks) zooms, and the relabel
    that follows landed more than 400 ms after "drawn" under load: a test that read the captions
    after a fixed 400 ms read one placement, then the "Numbered captions" list of the next
    (test_viewer_first_view: ``[1] == []``).
    """
    state = "[window.medtwinRelabels, window.medtwinIdle()]"
    deadline = time.monotonic() + timeout_s
    last = None
    while True:
        now = page.evaluate(state)
        if now[1] and now == last:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"the viewer did not settle in {timeout_s} s: {now}")
        last = now
        page.wait_for_timeout(SETTLED_HOLD_MS)


def serve_store(store: Any) -> Iterator[tuple[str, Any]]:
    """The API over ``store`` (e.g. a :class:`~medtwin.store.memory.MemoryStore`): no database.

    For what the pages draw (names, sizes), which does not depend on the store.
    """
    from medtwin.settings import Settings
    from tests.api.conftest import api_settings

    yield from _serve(api_settings(Settings()), store, serve=store)


def _serve(settings: Any, store: Any, serve: Any = None) -> Iterator[tuple[str, Any]]:
    import uvicorn

    from medtwin.api import create_app
    from tests.api.live_uvicorn import serving

    app = create_app(settings, store=serve)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    with serving(config) as port:
        yield f"http://127.0.0.1:{port}", store
