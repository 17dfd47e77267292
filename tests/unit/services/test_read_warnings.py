"""The Python use cases return the readers' warnings (a notebook needs no logging set up)."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest

from medtwin.errors import InputError
from medtwin.platform import patients, rankings, twins
from medtwin.platform.context import reference_context
from medtwin.platform.models import RankParams, TwinParams
from medtwin.platform.read_warnings import (
    TARGETS_READER,
    PatientAdded,
    RankingMade,
    collected_warnings,
)
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile

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


TARGETS = "drug_id\tgene\taction\nT1\tG1\tinhibitor\nT2\tG2\tfrobnicator\nT3\tNOPE\tagonist\n"


def _ranked_patient(store: MemoryStore) -> None:
    patients.add_patient(store, profile())
    twins.build_twin(store, "P1", TwinParams(module_samples=20, min_seeds=2))


def test_rank_drugs_returns_what_the_targets_reader_said(
    store: MemoryStore, tmp_path: Path, caplog
) -> None:
    """Before, only the API's custom ranking returned them: a notebook got none."""
    _ranked_patient(store)
    path = tmp_path / "trial drugs.tsv"
    path.write_text(TARGETS)
    params = RankParams(targets=str(path), n_samples=20, methods=("proximity",))
    with caplog.at_level(logging.WARNING, logger="medtwin"):
        got = rankings.rank_drugs(store, "P1", params)
    assert isinstance(got, RankingMade)
    logged = [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and r.name == TARGETS_READER
    ]
    assert list(got.warnings) == logged
    assert [w.split(": ")[0] for w in got.warnings] == ["trial drugs.tsv", "trial drugs.tsv"]
    assert "action word(s) frobnicator have no known direction" in got.warnings[0]
    assert "did not resolve to a gene in the database and are left out: NOPE" in got.warnings[1]
    full = rankings.rank_drugs(store, "P1", params, full=True)  # the other return path
    assert full.warnings == got.warnings
    # not stored: the ranking read back has no warnings
    assert "warnings" not in rankings.get_ranking(store, "P1").model_dump()


def test_a_loaded_source_has_nothing_to_say(store: MemoryStore) -> None:
    _ranked_patient(store)
    got = rankings.rank_drugs(store, "P1", RankParams(n_samples=20, methods=("proximity",)))
    assert got.warnings == ()


def test_the_ranking_records_the_targets_file_by_the_name_given(
    store: MemoryStore, tmp_path: Path
) -> None:
    _ranked_patient(store)
    path = tmp_path / "upload_copy_1_.tsv"
    path.write_text(TARGETS)
    params = RankParams(targets=str(path), n_samples=20, methods=("proximity",))
    got = rankings.rank_drugs(store, "P1", params, targets_name="my drugs (1).tsv")
    assert got.params.targets.startswith("my drugs (1).tsv sha256:")
    assert rankings.get_ranking(store, "P1").params.targets == got.params.targets
    for bad in ("../x.tsv", "C:\\x.tsv", "", "a\nb.tsv"):
        with pytest.raises(InputError, match="is not a file name"):
            rankings.rank_drugs(store, "P1", params, targets_name=bad)
    with pytest.raises(InputError, match="leave targets_name out"):
        rankings.rank_drugs(store, "P1", RankParams(n_samples=20), targets_name="x.tsv")
