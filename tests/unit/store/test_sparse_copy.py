"""Sparse copies of the kept database files: same bytes, no disk blocks for zero runs."""

from __future__ import annotations

import os

from medtwin.store.sparse_copy import BLOCK, sparse_copy, sparse_copytree


def _write(path, parts) -> bytes:
    data = b"".join(parts)
    path.write_bytes(data)
    return data


def test_copy_reads_back_identical_with_holes_for_zero_blocks(tmp_path):
    src = tmp_path / "log.db"
    # data, 4 zero blocks, a partly-zero block, data, then zeros to the end (a preallocated log)
    data = _write(
        src,
        [b"head", bytes(4 * BLOCK), b"\x00" * 10 + b"x", b"tail" * 1000, bytes(3 * BLOCK + 7)],
    )
    dst = tmp_path / "copy.db"
    sparse_copy(src, dst)
    assert dst.read_bytes() == data
    assert dst.stat().st_size == src.stat().st_size
    # the zero blocks take no disk space (st_blocks counts 512-byte units actually allocated)
    assert os.stat(dst).st_blocks < os.stat(src).st_blocks - (5 * BLOCK) // 512


def test_all_zero_and_empty_files_keep_their_size(tmp_path):
    zero, empty = tmp_path / "z", tmp_path / "e"
    _write(zero, [bytes(2 * BLOCK + 3)])
    _write(empty, [])
    sparse_copy(zero, tmp_path / "z2")
    sparse_copy(empty, tmp_path / "e2")
    assert (tmp_path / "z2").read_bytes() == bytes(2 * BLOCK + 3)
    assert (tmp_path / "e2").read_bytes() == b""


def test_copytree_copies_every_file_and_mode(tmp_path):
    src = tmp_path / "db"
    (src / "sub").mkdir(parents=True)
    _write(src / "a", [b"a", bytes(BLOCK)])
    _write(src / "sub" / "b", [b"b"])
    (src / "sub" / "b").chmod(0o600)
    sparse_copytree(src, tmp_path / "copy")
    assert (tmp_path / "copy" / "a").read_bytes() == b"a" + bytes(BLOCK)
    assert (tmp_path / "copy" / "sub" / "b").read_bytes() == b"b"
    assert (tmp_path / "copy" / "sub" / "b").stat().st_mode & 0o777 == 0o600
