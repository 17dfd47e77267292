"""A user's own drug–target TSV: rows, gene mapping, combinations, clear errors."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from medtwin.errors import SourceFormatError
from medtwin.loaders.drug_targets_custom import read_custom_targets, resolve_custom_targets
from medtwin.platform.algorithms.direction import action_direction, direction_word
from medtwin.platform.custom_targets import custom_candidates, is_targets_file, targets_label


class Genes:
    """TNF, IL6, CD4 by symbol or Entrez id."""

    _ids = {"TNF": "7124", "IL6": "3569", "CD4": "920"}

    def resolve(self, name: str) -> str | None:
        if name in self._ids.values():
            return name
        return self._ids.get(name.upper())


def test_rows_as_written(data):
    rows = read_custom_targets(data / "custom_targets" / "trial_drugs.tsv")
    assert [(r.drug_id, r.gene, r.direction, r.line) for r in rows] == [
        ("TRIAL-1", "TNF", "inhibit", 3),
        ("TRIAL-1", "7124", "inhibit", 4),
        ("TRIAL-2", "IL6", "activate", 5),
        ("TRIAL-2", "NOTAGENE", "activate", 6),
        ("COMBO+1", "TNF", "inhibit", 7),
        ("COMBO+1", "CD4", "unknown", 8),
        ("COMBO+1", "TNF", "activate", 9),
        ("GHOST", "NOSUCHGENE", "inhibit", 10),
    ]
    assert rows[0].drug_name == "anti-TNF trial"
    assert rows[2].drug_name is None
    assert rows[2].actions == ("Agonist, partial",)


def test_resolved_drugs_combinations_and_unmapped(data, caplog):
    path = data / "custom_targets" / "trial_drugs.tsv"
    with caplog.at_level(logging.WARNING):
        got = resolve_custom_targets(read_custom_targets(path), Genes(), source=path.name)
    by_id = {d.drug_id: d for d in got.drugs}
    assert list(by_id) == ["TRIAL-1", "TRIAL-2", "COMBO+1", "GHOST"]
    # the symbol and the Entrez id of TNF are one target
    assert by_id["TRIAL-1"].targets == ("7124",)
    assert by_id["TRIAL-1"].directions == ("inhibit",)
    assert by_id["TRIAL-2"].targets == ("3569",)
    assert by_id["TRIAL-2"].unmapped == ("NOTAGENE",)
    # a combination is the union of its targets; inhibit + activate on TNF is unknown
    assert by_id["COMBO+1"].targets == ("7124", "920")
    assert by_id["COMBO+1"].directions == ("unknown", "unknown")
    assert by_id["COMBO+1"].name == "two-drug combination"
    # kept, with no target, rather than dropped
    assert by_id["GHOST"].targets == ()
    assert got.unmapped == ("NOSUCHGENE", "NOTAGENE")
    assert got.n_rows == 8
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    unmapped = [w for w in warnings if "did not resolve" in w]
    assert len(unmapped) == 1
    assert "2 gene(s)" in unmapped[0]
    assert "NOSUCHGENE, NOTAGENE" in unmapped[0]
    assert "1 drug(s) keep no target" in unmapped[0]
    assert any("substrate" in w and "unknown" in w for w in warnings)  # the word, once


def test_two_names_for_one_drug_names_file_line_and_fix(data):
    with pytest.raises(SourceFormatError) as info:
        read_custom_targets(data / "custom_targets" / "malformed.tsv")
    assert info.value.line == 3
    message = str(info.value)
    assert "malformed.tsv:3" in message
    assert "'second name'" in message
    assert "'first name' on line 2" in message
    assert "one drug_name per drug_id" in message


@pytest.mark.parametrize(
    ("text", "line", "match"),
    [
        ("drug\tgene\n\tTNF\n", 2, "drug_id '' is empty or malformed"),
        ("drug_id\tgene\nbad id!\tTNF\n", 2, "drug_id 'bad id!' is empty or malformed"),
        ("drug_id\tgene\nX\t\n", 2, "empty gene for drug 'X'"),
        ("drug_id\tsymbol\nX\tTNF\tIL6\n", 2, "3 fields but the header"),
        ("drug_id\tgene\nX\tTNF\nY\tIL6\tZ\n", 3, "expected 2 fields"),
        ("drug_id\taction\nX\tinhibitor\n", 1, "no 'gene' column"),
        ("gene\nTNF\n", 1, "no 'drug_id' column"),
        ("drug_id\tgene\n", None, "no drug–target rows"),
    ],
)
def test_malformed_files(tmp_path: Path, text, line, match):
    path = tmp_path / "t.tsv"
    path.write_text(text)
    with pytest.raises(SourceFormatError, match=match) as info:
        read_custom_targets(path)
    assert info.value.line == line


def test_csv_by_extension(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('drug_id,gene,action\nX,TNF,"inhibitor, competitive"\n')
    rows = read_custom_targets(path)
    assert [(r.gene, r.direction) for r in rows] == [("TNF", "inhibit")]


def test_candidates_carry_file_name_and_sha256(data):
    path = data / "custom_targets" / "trial_drugs.tsv"
    got = custom_candidates(path, Genes())
    assert got.label == targets_label(path)
    assert got.label.startswith("trial_drugs.tsv sha256:")
    assert len(got.label.split("sha256:")[1]) == 64
    assert got.drugs["GHOST"].targets == ()
    assert got.drugs["TRIAL-1"].approved is None
    assert is_targets_file(str(path), {"drugbank"})
    assert not is_targets_file("drugbank", {"drugbank"})
    assert not is_targets_file("no/such/file.tsv", {"drugbank"})


def test_inhibitor_on_an_up_regulated_gene_counteracts_end_to_end(tmp_path):
    """Hand-made case: the file says inhibitor, the patient has TNF up → counteracts."""
    path = tmp_path / "one.tsv"
    path.write_text("drug_id\tgene\taction\nX\tTNF\tinhibitor\nY\tTNF\tagonist\n")
    drugs = custom_candidates(path, Genes()).drugs
    sign = {"inhibit": -1, "activate": 1}
    patient_log2fc = {"7124": 2.0}  # TNF up-regulated
    x = action_direction({t: sign[d] for t, d in drugs["X"].direction_of().items()}, patient_log2fc)
    y = action_direction({t: sign[d] for t, d in drugs["Y"].direction_of().items()}, patient_log2fc)
    assert (x.score, direction_word(x.score)) == (1.0, "counteracts")
    assert (y.score, direction_word(y.score)) == (-1.0, "aggravates")
    assert direction_word(action_direction({"TNF": "inhibitor"}, {"TNF": 2.0}).score) == (
        "counteracts"
    )
