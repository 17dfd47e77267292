"""schema.py is the graph's vocabulary: checked against the constraints and every .cypher file."""

from __future__ import annotations

import re
from pathlib import Path

from medtwin.schema import ID_NAMESPACE, LAYER_OF, PATIENT_LABELS, Label, Layer, RelType

CYPHER = Path(__file__).resolve().parents[2] / "src" / "medtwin" / "cypher"
# not graph data (store/locks.py, store/graph_counts.py, store/cohorts.py: how an add-cohort went)
COORDINATION = {"Lock", "CountCache", "CohortLoad"}


def _constrained_labels() -> set[str]:
    text = (CYPHER / "schema" / "constraints.cypher").read_text()
    return set(re.findall(r"FOR \(n:(\w+)\) REQUIRE n\.id IS UNIQUE", text))


def test_every_label_has_a_uniqueness_constraint_and_an_id_namespace():
    assert _constrained_labels() == {str(x) for x in Label} | COORDINATION
    assert set(ID_NAMESPACE) == set(Label)


def test_every_relationship_type_has_a_layer():
    assert set(LAYER_OF) == set(RelType)


def _used_in_cypher() -> tuple[set[str], set[str]]:
    labels: set[str] = set()
    types: set[str] = set()
    for path in CYPHER.rglob("*.cypher"):
        text = "\n".join(
            line for line in path.read_text().splitlines() if not line.lstrip().startswith("//")
        )
        text = re.sub(r"'[^']*'", "''", text)  # string literals are not patterns
        labels |= set(re.findall(r"\(\w*:(\w+)", text))
        labels |= set(re.findall(r"\bn:(\w+)", text))
        for group in re.findall(r"\[\w*:([\w|]+)", text):
            types |= set(group.split("|"))
    return labels, types


def test_cypher_files_use_only_schema_labels_and_types():
    labels, types = _used_in_cypher()
    assert labels - ({str(x) for x in Label} | COORDINATION) == set()
    assert types - {str(x) for x in RelType} == set()
    assert {"Protein", "Twin", "Patient"} <= labels
    assert {"INTERACTS_WITH", "INCLUDES", "HAS_TWIN"} <= types


def test_the_detector_sees_an_unknown_label():
    assert re.findall(r"\(\w*:(\w+)", "MATCH (x:Gene)-[:FOO]->(y)") == ["Gene"]


def _matched_names(statement: str) -> set[str]:
    text = (CYPHER / "query" / statement).read_text()
    pattern = next(line for line in text.splitlines() if line.startswith("MATCH"))
    return set(re.findall(r"[A-Za-z_]+", pattern.split(":", 1)[1].split(")", 1)[0]))


def test_describe_counts_patients_by_the_schema_s_patient_labels_and_types():
    # store/graph_counts.py counts these live and keeps every other figure from the last load
    assert _matched_names("count_patient_labels.cypher") == {str(x) for x in PATIENT_LABELS}
    patient_types = {str(t) for t, layer in LAYER_OF.items() if layer is Layer.PATIENT}
    assert _matched_names("count_patient_relationships.cypher") == patient_types
