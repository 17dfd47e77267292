"""``medtwin data fetch``'s progress names each file and its size.

Before, its lines said ``fetch 1/22 (0.3 s)``: which of the 22 files (and whether a minute-long
copy was the 400 MB one) was left to guess. The pins and the mirror here are two small files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.cli import cli, reference
from medtwin.loaders import fetch
from medtwin.settings import Settings

FILES = {"small.tsv": b"a\tb\n1\t2\n", "big.tsv": b"x" * 2_500_000}


@pytest.fixture
def pinned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    mirror = tmp_path / "mirror"
    (mirror / "demo").mkdir(parents=True)
    lines = []
    for name, data in FILES.items():
        (mirror / "demo" / name).write_bytes(data)
        sha = hashlib.sha256(data).hexdigest()
        lines += [
            "[[file]]",
            'source = "demo"',
            f'name = "{name}"',
            f'url = "https://example.invalid/{name}"',
            f'sha256 = "{sha}"',
            'licence = "CC0"',
            'version = "1"',
        ]
    pins = tmp_path / "sources.toml"
    pins.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(fetch, "default_pins_path", lambda: pins)
    got = Settings(home=tmp_path / "home", data_mirror=mirror)
    monkeypatch.setattr(reference, "settings", lambda: got)
    return tmp_path


def _details(stderr: str) -> list[str]:
    """Each progress line without its timestamp and its step time."""
    return [line.split(" ", 2)[2].rpartition(" (")[0] for line in stderr.splitlines()]


def test_each_line_names_the_file_its_size_and_what_was_done(pinned: Path) -> None:
    first = CliRunner().invoke(cli, ["data", "fetch"])
    assert first.exit_code == 0, first.output
    assert _details(first.stderr) == [
        "fetch 1/2 demo/small.tsv (8 B, copied)",
        "fetch 2/2 demo/big.tsv (2.5 MB, copied)",
    ]
    again = CliRunner().invoke(cli, ["data", "fetch"])
    assert _details(again.stderr)[1] == "fetch 2/2 demo/big.tsv (2.5 MB, present)"
    quiet = CliRunner().invoke(cli, ["data", "fetch", "--json"])
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stderr == ""
