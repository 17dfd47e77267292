"""`patient add` / `add-cohort` refuse a file past the input limits before the store is opened.

Before, the store was opened (the driver's import, the connection) and the gene index loaded
first, ~7 s, then the reader refused the file once it had parsed 500,000 of its rows (stop 60:
the CLI probe's 137 MiB table, not refused within 180 s on a busy machine).
"""

from __future__ import annotations

import contextlib
import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.cli import cli, patients
from medtwin.settings import get_settings


@pytest.fixture
def no_store(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A store that records being opened and fails, as an unreachable server would."""
    opened: list[str] = []

    @contextlib.contextmanager
    def refuse(**_: object) -> Iterator[object]:
        opened.append("store")
        raise AssertionError("the store was opened")
        yield  # pragma: no cover

    monkeypatch.setattr(patients, "open_store", refuse)
    return opened


@pytest.fixture
def ten_rows(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("MEDTWIN_MAX_INPUT_ROWS", "10")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _table(path: Path, rows: int) -> Path:
    text = "gene\tlog2fc\tpadj\n" + "TNF\t1.5\t0.01\n" * rows
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text)
    return path


@pytest.mark.parametrize("name", ["de.tsv", "de.tsv.gz"])
@pytest.mark.parametrize("option", ["--de", "--proteins", "--symptoms"])
def test_patient_add_refuses_a_file_past_the_row_limit_before_the_store(
    no_store, ten_rows, tmp_path, option, name
) -> None:
    path = _table(tmp_path / name, 20)
    result = CliRunner().invoke(cli, ["patient", "add", "P1", option, str(path)])
    assert result.exit_code == 1, result.output
    assert result.output.strip() == (
        f"InputTooLarge: {name}: more than 10 lines, the input limit (MEDTWIN_MAX_INPUT_ROWS)"
    )
    assert no_store == []
    within = _table(tmp_path / f"ok_{name}", 10)  # header and 10 rows: within, to the store
    result = CliRunner().invoke(cli, ["patient", "add", "P1", option, str(within)])
    assert no_store == ["store"]
    assert isinstance(result.exception, AssertionError)


def test_add_cohort_refuses_a_matrix_past_the_row_limit_before_the_store(
    no_store, ten_rows, tmp_path
) -> None:
    matrix = _table(tmp_path / "expr.tsv", 20)
    sheet = tmp_path / "samples.tsv"
    sheet.write_text("sample\tgroup\nS1\tRA\n")
    result = CliRunner().invoke(
        cli,
        ["patient", "add-cohort", "--expression", str(matrix), "--sample-sheet", str(sheet)],
    )
    assert result.exit_code == 1, result.output
    assert "InputTooLarge: expr.tsv: more than 10 lines" in result.output
    assert no_store == []


def test_patient_add_refuses_a_vcf_past_the_row_limit_in_its_readers_words(
    no_store, ten_rows, tmp_path
) -> None:
    path = tmp_path / "p.vcf"
    record = "1\t5\t.\tG\tA\t60\tPASS\tANN=A|missense_variant|MODERATE|PTPN22\n"
    path.write_text("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
    with path.open("a") as out:
        out.write(record * 20)
    result = CliRunner().invoke(cli, ["patient", "add", "P1", "--vcf", str(path)])
    assert result.exit_code == 1, result.output
    assert result.output.strip() == (
        "InputTooLarge: p.vcf: more than 10 VCF records, the input limit (MEDTWIN_MAX_INPUT_ROWS)"
    )
    assert no_store == []


def _h5ad(path: Path, cells: int, genes: int) -> Path:
    """An AnnData layout whose X declares ``cells x genes`` float32, none of it written."""
    import h5py

    with h5py.File(path, "w") as handle:
        handle.create_dataset("X", shape=(cells, genes), dtype="f4")
        handle.create_group("obs")
        handle.create_group("var")
    return path


def test_patient_add_refuses_an_h5ad_past_the_size_limit_before_the_store(
    no_store, monkeypatch, tmp_path
) -> None:
    """Its reader's check of shape x dtype runs before the store too (before: after it, ~7 s)."""
    from medtwin.errors import InputTooLarge
    from medtwin.loaders.limits import InputLimits, input_limits
    from medtwin.loaders.patient_singlecell import read_anndata

    monkeypatch.setenv("MEDTWIN_MAX_INPUT_MB", "1")
    get_settings.cache_clear()
    try:
        big = _h5ad(tmp_path / "big.h5ad", 2000, 1000)  # 7.6 MiB declared, a few kB on disk
        result = CliRunner().invoke(cli, ["patient", "add", "P1", "--h5ad", str(big)])
        assert result.exit_code == 1, result.output
        with input_limits(InputLimits(max_bytes=2**20)), pytest.raises(InputTooLarge) as e:
            read_anndata(big, cell_type_key="cell_type")
        assert result.output.strip() == f"InputTooLarge: {e.value}"  # the reader's own words
        assert str(e.value).startswith("big.h5ad: the array 'X' (2000 x 1000, 8 MiB) exceeds")
        assert no_store == []
        within = _h5ad(tmp_path / "small.h5ad", 20, 10)
        result = CliRunner().invoke(cli, ["patient", "add", "P1", "--h5ad", str(within)])
        assert no_store == ["store"]
        assert isinstance(result.exception, AssertionError)
    finally:
        get_settings.cache_clear()
