"""atomic_output: the new file whole on success; on an error the old file and no temporary."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from medtwin.atomic import atomic_output


def test_success_replaces_the_file_with_the_mode_asked_for(tmp_path: Path) -> None:
    out = tmp_path / "ranking.tsv"
    out.write_text("old\n")
    with atomic_output(out, text=True, fsync=True, mode=0o644) as fh:
        fh.write("new\n")
        assert out.read_text() == "old\n"  # not visible before the rename
    assert out.read_text() == "new\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["ranking.tsv"]


def test_an_error_keeps_the_old_file_and_removes_the_temporary(tmp_path: Path) -> None:
    out = tmp_path / "cache.npy"
    out.write_bytes(b"old")

    def half_written() -> None:
        with atomic_output(out) as fh:
            fh.write(b"half")
            raise RuntimeError("killed mid-write")

    with pytest.raises(RuntimeError):
        half_written()
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["cache.npy"]


def test_a_path_that_is_no_regular_file_is_written_in_place(tmp_path: Path) -> None:
    """``--out /dev/null`` (or a named pipe) was renamed over: /dev/null became a regular file
    holding the output (as root, for every process on the machine)."""
    import os

    pipe = tmp_path / "out.fifo"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # so the write's open does not wait
    try:
        with atomic_output(pipe, text=True, mode=0o600) as fh:
            fh.write("drug\tscore\n")
        assert stat.S_ISFIFO(pipe.stat().st_mode)  # still the pipe, its mode untouched
        assert os.read(reader, 100) == b"drug\tscore\n"
    finally:
        os.close(reader)
    assert [p.name for p in tmp_path.iterdir()] == ["out.fifo"]  # no temporary left
