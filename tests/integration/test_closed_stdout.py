"""``medtwin patient list | head -1``: a real pipe into a real ``head``, which leaves early.

The listing (20,000 patients, ~1.5 MB) is far more than a pipe holds, so the command is still
writing when ``head`` exits: it must end as coreutils do, quietly with status 141 (it exited 1
without a word). The race-free checks of every path are ``tests/unit/cli/test_closed_stdout.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

pytestmark = pytest.mark.neo4j


def test_a_long_listing_piped_into_head_ends_quietly(clean_db: Any, test_settings: Any) -> None:
    clean_db.execute_query(
        "UNWIND range(1, 20000) AS i "
        "CREATE (:Patient {id: 'P' + right('0000' + toString(i), 5), metadata_json: '{}'})",
        database_=test_settings.neo4j_database,
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as by default
    medtwin = f'"{sys.executable}" -m medtwin'
    pipeline = f'{medtwin} patient list | head -1; echo "${{PIPESTATUS[0]}}" >&2'
    got = subprocess.run(
        ["bash", "-c", pipeline], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert got.stdout.startswith("P00001 ")
    assert got.stdout.count("\n") == 1
    assert got.stderr == "141\n"  # medtwin's status; nothing else on stderr: no traceback
