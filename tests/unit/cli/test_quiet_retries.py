"""The driver's transient-retry warnings stay out of a normal run's output, not out of ``-v``."""

from __future__ import annotations

import logging

from medtwin.cli import _quiet_retries


def _record(message: str) -> logging.LogRecord:
    return logging.LogRecord("neo4j.session", logging.WARNING, __file__, 1, message, None, None)


def test_retry_notices_hidden_at_the_default_level_shown_with_verbose():
    root = logging.getLogger()
    before = root.level
    retry = _record("Transaction failed and will be retried in 0.8s (DeadlockDetected)")
    try:
        root.setLevel(logging.WARNING)
        assert not _quiet_retries(retry)
        assert _quiet_retries(_record("Failed to read from defunct connection"))
        root.setLevel(logging.INFO)  # medtwin -v
        assert _quiet_retries(retry)
    finally:
        root.setLevel(before)
