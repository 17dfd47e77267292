"""/docs and /redoc load their scripts from the app, never from a CDN (no database needed)."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from medtwin.api import create_app
from medtwin.errors import GraphStoreUnavailable
from medtwin.settings import Settings
from tests.api.conftest import api_settings


def _no_database(_: Any) -> Any:
    raise GraphStoreUnavailable("no database here")


def test_docs_pages_use_only_assets_served_by_the_app():
    app = create_app(api_settings(Settings()), store_opener=_no_database)
    with TestClient(app) as client:
        for page in ("/docs", "/redoc"):
            response = client.get(page)
            assert response.status_code == 200
            urls = re.findall(r'(?:src|href)="([^"]+)"', response.text)
            urls += re.findall(r"url: '([^']+)'", response.text)
            assert urls, page
            assert all(u.startswith("/") for u in urls), urls
            for url in urls:
                if url.endswith((".js", ".css")):
                    asset = client.get(url)
                    assert asset.status_code == 200, url
                    assert len(asset.content) > 10_000, url
