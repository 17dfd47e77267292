"""Fault and concurrency suite (issue 10): fixtures shared with the API and integration tests."""

from __future__ import annotations

from tests.api.conftest import client, seeded  # noqa: F401
from tests.integration.conftest import tiny_reference  # noqa: F401
