"""One builder of ranking parameters (CLI, API, cohorts) and the tagged targets it parses."""

from __future__ import annotations

import hashlib

import pytest

from medtwin.api.schemas import RankRequest
from medtwin.errors import InputError, SourceFormatError
from medtwin.platform.models import RankParams
from medtwin.platform.rank_params import (
    BuiltinSource,
    DatasetSource,
    TargetsFile,
    parse_targets,
    rank_params,
)


def test_targets_are_a_source_a_dataset_or_a_file_with_its_sha256(tmp_path):
    assert parse_targets("guney2016") == BuiltinSource("guney2016")
    assert parse_targets("guney2016").dataset == "guney2016_network_medicine"
    assert parse_targets("drugbank_dhimmel") == DatasetSource("drugbank_dhimmel")
    path = tmp_path / "mine.tsv"
    path.write_bytes(b"drug_id\tgene\nT1\tTNF\n")
    got = parse_targets(str(path))
    assert got == TargetsFile(path, hashlib.sha256(path.read_bytes()).hexdigest())
    assert got.label == f"mine.tsv sha256:{got.sha256}"
    with pytest.raises(InputError, match="unknown target source"):
        parse_targets(str(path), files=False)  # the API never reads a server path
    # a missing file is the readers' error naming it (stop 59), an unknown word a source error
    with pytest.raises(SourceFormatError, match="missing.tsv: file not found; check the path"):
        parse_targets(str(tmp_path / "missing.tsv"))
    with pytest.raises(InputError, match="valid: drugbank, drugcentral, guney2016"):
        parse_targets("missing")


def test_the_builder_keeps_the_stored_spelling_so_ranking_ids_do_not_change(tmp_path):
    assert rank_params(targets="drugbank").targets == "drugbank"
    assert rank_params().targets == RankParams().targets == "drugbank_dhimmel"
    assert rank_params() == RankParams()


def test_order_methods_are_computed_and_max_samples_is_at_least_n_samples():
    got = rank_params(methods=("centrality",), order=("direction",), n_samples=500, max_samples=10)
    assert got.methods == ("centrality", "direction")
    assert got.order == ("direction",)
    assert got.max_samples == 500
    with pytest.raises(InputError, match="invalid ranking parameters"):
        rank_params(n_samples=1)


def test_the_api_request_builds_through_the_same_builder():
    request = RankRequest(methods=("direction",), targets="drugcentral", n_samples=200, seed=4)
    assert request.params() == rank_params(
        methods=("direction",), targets="drugcentral", n_samples=200, seed=4
    )
    assert request.params().order == ("direction",)
