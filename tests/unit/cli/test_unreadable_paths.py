"""Every reader of user input, given a path it cannot read, says so in one line: the path, why,
and the fix; the CLI exits 1 with no traceback, and a pipe never hangs it.

Before: a name too long or a path through a file (``de.tsv/x``) said ``cannot read: [Errno 36]
File name too long: '…'`` with no fix, a broken symbolic link "file not found", an empty VCF "is
this a VCF?", an empty h5ad "not an HDF5 file"; a file without read permission was called "not
an HDF5 file" by the h5ad reader; ``sources.toml`` as a folder, or any such path, was a
traceback, and as a pipe it hung; the CLI's path options said "does not exist" (exit 2) of a
broken link, a path through a file and a name too long. The one check is
:func:`medtwin.loaders.limits.require_regular_file`.
"""

from __future__ import annotations

import errno
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.errors import MedtwinError
from medtwin.loaders import (
    drug_targets_custom,
    fetch,
    gmt,
    patient_cohort,
    patient_fhir,
    patient_mutations,
    patient_singlecell,
    patient_tables,
    patient_vcf,
)
from medtwin.loaders.patient_rows import file_sha256
from medtwin.loaders.patient_symptoms import read_symptoms
from tests.unit.patient.conftest import FakeGenes

DATA = Path(__file__).resolve().parents[2] / "data" / "patient"
GENES = FakeGenes({"TNF": "7124", "IL6": "3569"})
CONTENT = "gene\tlog2fc\tpadj\nTNF\t2.5\t0.001\n"
"""What a file of the no-permission case holds: root, who reads it anyway, would read a table."""


def _cohort(matrix: Path | None = None, sheet: Path | None = None) -> Any:
    return patient_cohort.read_cohort_matrix(
        matrix or DATA / "cohort_expression.tsv", sheet or DATA / "cohort_samples.tsv", GENES
    )


READERS: dict[str, tuple[str, Callable[[Path], Any]]] = {
    "de": (".tsv", lambda p: patient_tables.read_de_table(p, "P1", GENES)),
    "proteins": (".csv", lambda p: patient_tables.read_proteins(p, "P1", GENES)),
    "variants": (".tsv", lambda p: patient_tables.read_variants(p, "P1", GENES)),
    "mutations": (".tsv", lambda p: patient_mutations.read_mutations(p, "P1", GENES)),
    "maf": (".maf", lambda p: patient_mutations.read_mutations(p, "P1", GENES)),
    "vcf": (".vcf", lambda p: patient_vcf.read_vcf(p, "P1", GENES)),
    "fhir": (".json", lambda p: patient_fhir.read_fhir_bundle(p, GENES)),
    "h5ad": (".h5ad", lambda p: patient_singlecell.read_anndata(p, cell_type_key="cell_type")),
    "symptoms": (".txt", read_symptoms),
    "cohort matrix": (".tsv", lambda p: _cohort(matrix=p)),
    "cohort sample sheet": (".tsv", lambda p: _cohort(sheet=p)),
    "targets": (".tsv", drug_targets_custom.read_custom_targets),
    "gmt": (".gmt", lambda p: gmt.read_gmt(p, GENES)),
    "sources.toml": (".toml", fetch.load_pins),
    "checksum": (".tsv", file_sha256),
}

CASES = {
    "folder": "is a folder, not a file; give the file in it",
    "pipe": "is a pipe or device, not a regular file; save it to a file and give that",
    "broken link": "which does not exist; point the link at the file, or give the file itself",
    "empty": "empty",
    "inside a file": "a part of the path before the file's name is a file, not a folder; check",
    "name too long": "is longer than the file system allows; rename the file or give a shorter",
    "no permission": "no permission to read it: `chmod u+r` it (or ask its owner)",
}


@pytest.fixture
def unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], Path]:
    """``unreadable(case, suffix)``: a path of that case."""

    def make(case: str, suffix: str) -> Path:
        path = tmp_path / f"input{suffix}"
        if case == "folder":
            path.mkdir()
        elif case == "pipe":
            os.mkfifo(path)
        elif case == "broken link":
            path.symlink_to(tmp_path / f"moved{suffix}")
        elif case == "empty":
            path.write_bytes(b"")
        elif case == "inside a file":
            (tmp_path / "de.tsv").write_text(CONTENT)
            path = tmp_path / "de.tsv" / f"input{suffix}"
        elif case == "name too long":
            path = tmp_path / ("x" * 300 + suffix)
        elif case == "no permission":
            path.write_text(CONTENT)
            path.chmod(0)
            if os.geteuid() == 0:  # root reads it anyway: its open fails as a user's would
                real = os.open

                def refused(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
                    if Path(file) == path:
                        raise PermissionError(errno.EACCES, "Permission denied", str(file))
                    return real(file, flags, *args, **kwargs)

                monkeypatch.setattr(os, "open", refused)
        return path

    return make


@pytest.fixture
def no_hang() -> Iterator[None]:
    """A reader that opened a pipe would block for ever: fail after 60 s instead."""

    def timeout(*_: object) -> None:
        raise TimeoutError("the reader blocked (a pipe opened?)")

    old = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize(
    ("reader", "case"),
    # an empty file has a checksum: file_sha256 reads no content
    [(r, c) for r in sorted(READERS) for c in sorted(CASES) if (r, c) != ("checksum", "empty")],
)
def test_every_reader_names_the_path_why_and_the_fix(
    unreadable: Callable[[str, str], Path], no_hang: None, reader: str, case: str
) -> None:
    suffix, read = READERS[reader]
    path = unreadable(case, suffix)
    with pytest.raises(MedtwinError) as e:
        read(path)
    assert str(path) in str(e.value)
    assert CASES[case] in str(e.value)
    assert "Errno" not in str(e.value)


OPTIONS = ["--de", "--proteins", "--variants", "--mutations", "--vcf", "--fhir", "--h5ad"]


CLI_CASES = ["broken link", "empty", "inside a file", "name too long", "no permission", "pipe"]


@pytest.mark.parametrize(
    ("option", "case"),
    [(o, c) for o in [*OPTIONS, "--expression", "--sample-sheet"] for c in CLI_CASES]
    # --symptoms text that names no file is a list of terms (HPO names may hold a '/')
    + [("--symptoms", c) for c in CLI_CASES if c not in {"inside a file", "name too long"}],
)
def test_the_cli_says_it_in_one_line_and_exits_1(
    memory_cli, unreadable: Callable[[str, str], Path], no_hang: None, option: str, case: str
) -> None:
    store = memory_cli({"7124": "TNF"})
    path = unreadable(case, ".h5ad" if option == "--h5ad" else ".tsv")
    if option in {"--expression", "--sample-sheet"}:
        other = "--sample-sheet" if option == "--expression" else "--expression"
        good = DATA / f"cohort_{'samples' if option == '--expression' else 'expression'}.tsv"
        args = ["patient", "add-cohort", option, str(path), other, str(good)]
    else:
        args = ["patient", "add", "P1", option, str(path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert str(path) in result.output
    assert CASES[case] in result.output
    assert store.patients == {}
