"""The Python use cases return the readers' warnings (a notebook needs no logging set up)."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest

from medtwin.platform import patients
from medtwin.platform.context import reference_context
from medtwin.platform.read_warnings import PatientAdded, collected_warnings
from medtwin.store.memory import MemoryStore

NA_ROW = "gene\tlog2fc\tpadj\nG1\t2.0\t0.001\nNA\t1.0\t0.01\nNOPE\t3.0\t0.001\n"


@pytest.fixture(autouse=True)
def fresh_context() -> None:
    reference_context().clear()  # each test's store has its own gene index


def test_add_patient_files_returns_what_the_log_says(
    store: MemoryStore, tmp_path: Path, caplog
) -> None:
    de = tmp_path / "p1_de.tsv"
    de.write_text(NA_ROW)
    with caplog.at_level(logging.WARNING, logger="medtwin"):
        got = patients.add_patient_files(store, "P1", de=de)
    assert isinstance(got, PatientAdded)
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert list(got.warnings) == logged
    assert [w.split(": ")[0] for w in got.warnings] == ["p1_de.tsv", "p1_de.tsv"]
    # the same file again: a no-op (the warnings are not part of the stored input), said again
    again = patients.add_patient_files(store, "P1", de=de)
    assert again.inputs == 1
    assert again.warnings == got.warnings
    assert "warnings" not in patients.get_patient(store, "P1").model_dump()


def test_a_dataframe_is_named_as_such(store: MemoryStore) -> None:
    frame = pd.DataFrame(
        {"gene": ["G1", None, "NOPE"], "log2fc": [2.0, 1.0, 3.0], "padj": [0.001, 0.01, 0.001]}
    )
    got = patients.add_patient_files(store, "P1", de=frame)
    assert [w.split(": ")[0] for w in got.warnings] == ["de DataFrame", "de DataFrame"]
    assert "de-dataframe.tsv" not in " ".join(got.warnings)


def test_read_then_add_keeps_each_files_warnings(store: MemoryStore, tmp_path: Path) -> None:
    de = tmp_path / "a.tsv"
    de.write_text(NA_ROW)
    proteins = tmp_path / "b.csv"
    proteins.write_text("gene,log2ratio\nG2,1.5\nG2,1.0\n")
    read = patients.read_patient_files(store, "P1", de=de, proteins=proteins)
    assert [(k, len(p.warnings)) for k, p in read] == [("de", 2), ("proteins", 1)]
    got = patients.add_patient_inputs(store, "P1", read)
    assert [w.split(":")[0] for w in got.warnings] == ["a.tsv", "a.tsv", "b.csv"]


def test_blocks_nest_and_stay_apart() -> None:
    log = logging.getLogger("medtwin.loaders.example")
    with collected_warnings() as outer:
        log.warning("outer")
        with collected_warnings(loggers=("medtwin.loaders.other",)) as inner:
            log.warning("not the inner block's logger")
            logging.getLogger("medtwin.loaders.other").warning("x.tsv: inner")
            inner[:] = [m.replace("x.tsv", "the client's x") for m in inner]
        logging.getLogger("medtwin.api").info("below WARNING")
    assert inner == ["the client's x: inner"]
    assert outer == ["outer", "not the inner block's logger", "the client's x: inner"]
    log.warning("outside any block")
    assert outer[-1] == "the client's x: inner"
