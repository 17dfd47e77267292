"""Ranking output a user can take away, on the real server: custom drugs, --out, paging, gating."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.errors import ExploratoryModuleError, NotFoundError
from medtwin.platform import patients, rankings, twins
from medtwin.platform.models import RankParams, TwinParams
from medtwin.platform.ranking_table import COLUMNS
from tests.integration.conftest import up_in_first_clique

pytestmark = pytest.mark.neo4j

NOTE = "exploratory: this twin's module is not more connected than random genes"

# G2 and G3 sit in the patient's up-regulated cluster (genes 1..14); 45 is in the far cluster.
TARGETS = (
    "drug_id\tgene\tdrug_name\taction\n"
    "NEAR\tG2\tnear inhibitor\tinhibitor\n"
    "NEAR\t3\tnear inhibitor\tinhibitor\n"
    "AGGR\tG2\tnear agonist\tagonist\n"
    "FAR\t45\tfar drug\tinhibitor\n"
    "COMBO\tG2\tnear+far\tinhibitor\n"
    "COMBO\tG45\tnear+far\tinhibitor\n"
    "GHOST\tNOSUCHGENE\tunmapped only\tinhibitor\n"
)


@pytest.fixture
def twin(tiny_reference, tmp_path):
    store, g = tiny_reference
    patients.add_patient(store, up_in_first_clique("PR1"))
    twins.build_twin(store, "PR1", TwinParams(module_samples=50, expand=0))
    path = tmp_path / "trial.tsv"
    path.write_text(TARGETS)
    return store, path, tmp_path


def _count(store, label):
    return store.driver.execute_query(
        f"MATCH (n:{label}) RETURN count(n) AS n", database_=store.database
    ).records[0]["n"]


def _set_module(store, z, p):
    store.driver.execute_query(
        "MATCH (t:Twin {id: 'PR1@v1'}) SET t.module_z = $z, t.module_p = $p",
        z=z,
        p=p,
        database_=store.database,
    )


def test_custom_targets_file_is_ranked_stored_and_reproducible(twin, caplog):
    store, path, cache = twin
    params = RankParams(targets=str(path), n_samples=100, seed=1)
    result = rankings.rank_drugs(store, "PR1", params, cache_dir=cache)
    assert result.params.targets.startswith("trial.tsv sha256:")
    assert result.n_drugs == 5
    by_id = {d.drug_id: d for d in rankings.full_ranking(store, "PR1").drugs}
    assert set(by_id) == {"NEAR", "AGGR", "FAR", "COMBO", "GHOST"}
    assert by_id["NEAR"].drug_name == "near inhibitor"
    assert by_id["NEAR"].n_targets == 2
    assert by_id["NEAR"].direction_word == "counteracts"  # inhibits up-regulated G2, G3
    assert by_id["AGGR"].direction_word == "aggravates"  # activates up-regulated G2
    assert by_id["NEAR"].d_c == 0.0
    assert by_id["COMBO"].n_targets == 2  # union of G2 and G45
    assert by_id["GHOST"].n_targets_in_network == 0  # kept and reported, not dropped
    assert by_id["NEAR"].rank < by_id["FAR"].rank
    assert "NOSUCHGENE" in caplog.text
    # the same file again replaces the ranking and its CustomDrug nodes (nothing left over)
    rankings.rank_drugs(store, "PR1", params, cache_dir=cache)
    assert _count(store, "Ranking") == 1
    assert _count(store, "CustomDrug") == 5
    assert _count(store, "Drug") == 3  # the reference drug layer is untouched
    # custom drugs have no targets in the database to explain; the error says where the row is
    # (before: "no drug NEAR", as for a typo)
    with pytest.raises(NotFoundError, match="comes from a targets file .*no targets of NEAR"):
        rankings.explain_drug(store, "PR1", "NEAR")
    patients.delete_patient(store, "PR1")
    assert _count(store, "CustomDrug") == 0


def test_a_database_drug_is_explained_after_a_ranking_of_a_targets_file(twin):
    """A "what if" ranking of trial drugs does not hide the DrugBank ranking from `explain`.

    Before, every database drug was refused ("comes from a targets file") until the patient was
    ranked again with a loaded source.
    """
    store, path, cache = twin
    # unranked: explained with DrugBank's targets, no row and no note
    plain = rankings.explain_drug(store, "PR1", "DB00001")
    assert plain.score is None
    assert plain.ranking_note is None
    drugbank = rankings.rank_drugs(store, "PR1", RankParams(n_samples=50, seed=2), cache_dir=cache)
    row = next(d for d in rankings.full_ranking(store, "PR1").drugs if d.drug_id == "DB00001")
    assert rankings.explain_drug(store, "PR1", "DB00001").ranking_note is None
    trial = rankings.rank_drugs(
        store, "PR1", RankParams(targets=str(path), n_samples=50), cache_dir=cache
    )
    e = rankings.explain_drug(store, "PR1", "DB00001")
    assert e.score is not None
    assert e.score.rank == row.rank
    assert e.score.z == row.z
    assert e.ranking_note is not None
    assert trial.id in e.ranking_note
    assert "(trial.tsv)" in e.ranking_note
    assert f"shown: ranking {drugbank.id} (drugbank_dhimmel)" in e.ranking_note
    assert {t["entrez"] for t in e.targets} == {"2", "3"}
    # the file's own drugs still say where their row is
    with pytest.raises(NotFoundError, match="comes from a targets file"):
        rankings.explain_drug(store, "PR1", "NEAR")
    # the CLI prints the note
    out = CliRunner().invoke(cli, ["explain", "PR1", "DB00001"])
    assert out.exit_code == 0, out.output
    assert "note: the latest ranking" in out.output


def test_paging_the_whole_ranking_returns_each_drug_once(twin):
    store, path, cache = twin
    rankings.rank_drugs(store, "PR1", RankParams(targets=str(path), n_samples=50), cache_dir=cache)
    seen = []
    offset = 0
    while True:
        page = rankings.get_ranking(store, "PR1", offset=offset, limit=2)
        assert page.total == 5
        if not page.drugs:
            break
        seen.extend(d.drug_id for d in page.drugs)
        offset += len(page.drugs)
    assert len(seen) == len(set(seen)) == 5
    assert [d.drug_id for d in rankings.full_ranking(store, "PR1").drugs] == seen


def test_require_module_refuses_an_exploratory_twin(twin):
    store, _, cache = twin
    params = RankParams(targets="drugbank", n_samples=50)
    _set_module(store, -0.5, 0.62)
    assert twins.show_twin(store, "PR1").twin.module_note.startswith(NOTE)
    with pytest.raises(ExploratoryModuleError, match=NOTE) as info:
        rankings.rank_drugs(store, "PR1", params, cache_dir=cache, require_module=True)
    assert "module z = -0.50, p = 0.62" in str(info.value)
    assert _count(store, "Ranking") == 0  # refused before anything was stored
    ranking = rankings.rank_drugs(store, "PR1", params, cache_dir=cache)
    assert ranking.module_significant is False
    assert ranking.module_note.startswith(NOTE)
    _set_module(store, 4.0, 0.01)
    ranking = rankings.rank_drugs(store, "PR1", params, cache_dir=cache, require_module=True)
    assert (ranking.module_significant, ranking.module_note) == (True, None)


def test_cli_out_writes_every_drug_and_json_honours_top(twin):
    store, path, tmp = twin
    out = tmp / "ranking.tsv"
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "rank",
            "PR1",
            "--targets",
            str(path),
            "--samples",
            "50",
            "--out",
            str(out),
            "--top",
            "2",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data[0]["drugs"]) == 2  # --top honoured
    assert data[0]["drugs"][0]["direction_word"] in {"counteracts", "aggravates", "unknown"}
    assert "module_significant" in data[0]
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert list(rows[0]) == list(COLUMNS)
    assert sorted(r["drug_id"] for r in rows) == ["AGGR", "COMBO", "FAR", "GHOST", "NEAR"]
    assert [int(r["rank"]) for r in rows] == [1, 2, 3, 4, 5]
    ghost = next(r for r in rows if r["drug_id"] == "GHOST")
    assert (ghost["n_targets_in_network"], ghost["d_c"]) == ("0", "")
    again = tmp / "again.tsv"  # the ranking it made is the one stored: the file reads back equal
    rankings.export_ranking(store, "PR1", again)
    assert again.read_bytes() == out.read_bytes()
    every = runner.invoke(cli, ["rank", "PR1", "--samples", "50", "--top", "0", "--json"])
    assert every.exit_code == 0, every.output
    assert len(json.loads(every.stdout)[0]["drugs"]) == 3  # the three DrugBank drugs
    table = runner.invoke(cli, ["rank", "PR1", "--samples", "50"])
    assert "counteracts" in table.output
    assert "direction: counteracts = the drug pushes its targets against" in table.output


def test_cli_require_module_exits_non_zero_with_the_note(twin):
    store, _, _ = twin
    _set_module(store, -0.5, 0.62)
    result = CliRunner().invoke(cli, ["rank", "PR1", "--samples", "50", "--require-module"])
    assert result.exit_code == 1
    assert result.output.startswith("ExploratoryModuleError:")
    assert NOTE in result.output
    assert "Traceback" not in result.output
    shown = CliRunner().invoke(cli, ["twin", "show", "PR1"])
    assert shown.exit_code == 0, shown.output
    assert NOTE in shown.output
    table = CliRunner().invoke(cli, ["rank", "PR1", "--samples", "50"])
    assert f"NOTE {NOTE}" in table.output


def test_cli_rejects_an_unknown_targets_value(twin):
    result = CliRunner().invoke(cli, ["rank", "PR1", "--targets", "no/such/file.tsv"])
    assert result.exit_code == 1  # the readers' line, as --de says it
    assert result.output == "SourceFormatError: no/such/file.tsv: file not found; check the path\n"
    result = CliRunner().invoke(cli, ["rank", "PR1", "--targets", "nosuch"])
    assert result.exit_code == 2
    assert "unknown target source 'nosuch'" in result.output


def test_cli_out_needs_one_patient_and_a_file_takes_no_approved_only(twin):
    store, path, tmp = twin
    result = CliRunner().invoke(cli, ["rank", "PR1", "PR2", "--out", str(tmp / "x.tsv")])
    assert result.exit_code == 2  # usage error: --out writes one patient's ranking
    assert "--out writes one patient's ranking" in result.output
    result = CliRunner().invoke(
        cli, ["rank", "PR1", "--targets", str(path), "--approved-only", "--samples", "50"]
    )
    assert result.exit_code == 1
    assert "does not apply to a targets file" in result.output
    assert not (tmp / "x.tsv").exists()
