"""The API docs (Swagger UI at /docs, ReDoc at /redoc) render offline in headless Chromium.

Every request that leaves the app is aborted, as on a hospital network without internet access;
the assets come from the package, so both pages still draw every operation. No database is
needed: the app starts without one and the docs do not touch it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from medtwin.api import create_app
from medtwin.errors import GraphStoreUnavailable
from tests.api.conftest import api_settings
from tests.api.live_uvicorn import serving

pytestmark = pytest.mark.browser


def _no_database(_: Any) -> Any:
    raise GraphStoreUnavailable("no database in the docs test")


@pytest.fixture(scope="module")
def docs_api() -> Iterator[tuple[str, int]]:
    """The API on a free loopback port (no database); yields its URL and operation count."""
    import uvicorn

    from medtwin.settings import Settings

    app = create_app(api_settings(Settings()), store_opener=_no_database)
    operations = sum(
        1
        for item in app.openapi()["paths"].values()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    )
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error", lifespan="on")
    with serving(config) as port:
        yield f"http://127.0.0.1:{port}", operations


def _offline_page(browser: Any, base: str) -> tuple[Any, list[str], list[str]]:
    """A page whose requests outside ``base`` are aborted (and recorded), and its JS errors."""
    context = browser.new_context()
    page = context.new_page()
    outside: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(base) or url.startswith("data:") or url.startswith("blob:"):
            r.continue_()
        else:
            outside.append(url)
            r.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, outside, errors


def test_swagger_ui_renders_every_operation_offline(browser: Any, docs_api: tuple[str, int]):
    base, operations = docs_api
    page, outside, errors = _offline_page(browser, base)
    page.goto(f"{base}/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    assert operations > 10
    assert page.locator(".swagger-ui .opblock").count() == operations
    assert page.locator(".swagger-ui .opblock-summary-path").first.inner_text().startswith("/")
    assert "medtwin" in page.locator(".swagger-ui .info .title").inner_text()
    assert outside == []
    assert errors == []
    page.context.close()


def test_redoc_renders_every_operation_offline(browser: Any, docs_api: tuple[str, int]):
    base, operations = docs_api
    page, outside, errors = _offline_page(browser, base)
    page.goto(f"{base}/redoc")
    page.wait_for_selector('[data-section-id^="operation/"]', timeout=30_000)
    assert page.locator('[data-section-id^="operation/"]').count() == operations
    # The one outside request is the logo of ReDoc's "API docs by Redocly" footer link, which
    # the bundle always asks for and hides when it does not load; nothing the page needs.
    assert set(outside) <= {"https://cdn.redoc.ly/redoc/logo-mini.svg"}
    # removed once its blocked load fails, which may come after the operations render (a
    # loaded machine once saw it still there): wait for that, up to 10 s
    page.wait_for_selector('img[alt="redocly logo"]', state="detached", timeout=10_000)
    assert page.locator('img[alt="redocly logo"]').count() == 0
    assert errors == []
    page.context.close()
