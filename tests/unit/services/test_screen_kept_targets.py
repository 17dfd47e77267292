"""``screen_gmt`` takes the drugs' targets from the process's kept table, as ``rank`` does.

Before, every screen read the whole target source from the store again (the ~4,700 DrugBank
drugs: 0.45-0.56 s of each ``medtwin screen`` on the demo), although ``rank`` keeps that table
per process and on disk (:func:`medtwin.platform.treatment.kept_candidate_drugs`).
"""

from __future__ import annotations

from pathlib import Path

from medtwin.platform.context import reference_context
from medtwin.platform.screen import screen_gmt
from tests.unit.services.conftest import reference_store


def test_a_second_screen_reads_no_drug_targets_again(tmp_path: Path, monkeypatch) -> None:
    store = reference_store()
    reads: list[str] = []
    read = store.reference.drug_targets

    def counted(source: str, **kwargs: object) -> object:
        reads.append(source)
        return read(source, **kwargs)

    monkeypatch.setattr(store.reference, "drug_targets", counted)
    reference_context().clear()
    gmt = tmp_path / "sets.gmt"
    gmt.write_text("SET1\tna\tG1\tG2\tG3\n", encoding="utf-8")
    outs = [tmp_path / f"screen{i}.tsv" for i in (1, 2)]
    for out in outs:
        got = screen_gmt(store, gmt, "drugbank", n_samples=20, seed=1, out=out)
        assert (got.rows, got.drugs) == (1, 1)
    assert reads == ["drugbank_dhimmel"]
    assert outs[0].read_bytes() == outs[1].read_bytes()
    assert outs[0].read_text().splitlines()[1].startswith("SET1\tDB1\tdrug one\t1\t1\t3\t")
