"""Each row model is written by its catalog statement; co-occurrence rows by their label's."""

from __future__ import annotations

import pytest

from medtwin.errors import InputError
from medtwin.loaders import rows as R
from medtwin.store.row_queries import query_for_row


def _pair(label: str) -> R.CoOccurrenceRow:
    return R.CoOccurrenceRow.model_construct(
        a="A", b="B", label=label, weight=0.5, shared=2, method="jaccard"
    )


def test_cooccurrence_rows_go_to_their_labels_statement():
    assert query_for_row(_pair("Symptom")) == "load/merge_symptom_cooccurrence"
    assert query_for_row(_pair("Phenotype")) == "load/merge_phenotype_cooccurrence"


def test_a_fresh_edge_set_is_created_and_an_unknown_row_refused():
    row = R.InteractionRow.model_construct()
    assert query_for_row(row) == "load/merge_interactions"
    assert query_for_row(row, fresh=True) == "load/create_interactions"
    with pytest.raises(InputError, match="no load statement for rows of type IndicationRow"):
        query_for_row(R.IndicationRow.model_construct())
