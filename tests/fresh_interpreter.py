"""Run a snippet in a new Python interpreter: for what a test process, which has long imported
everything, can no longer show (which modules an import pulls in, a cold start)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import Any


def fresh_json(code: str, timeout: float = 120) -> Any:
    """Run ``code`` (dedented) in a new interpreter; it prints one JSON value last, returned."""
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])
