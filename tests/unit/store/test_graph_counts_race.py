"""describe's totals of patients' labels and types agree with their live rows (a request's audit
event written between the count store's read and the live count made them disagree)."""

from __future__ import annotations

import json
from typing import Any

from medtwin.store import graph_counts

DATASETS = [{"dataset": {"id": "ncbi_gene_info", "status": "complete", "loaded_at": "t"}}]


class _Runner:
    """Answers the reads of graph_counts.counts: count store, kept table, live patient counts."""

    def __init__(self) -> None:
        self.store_nodes = {"Protein": 50, "AuditEvent": 16, "Twin": 2}
        self.store_rels = {"INTERACTS_WITH": 70, "HAS_TWIN": 2}
        self.live_nodes = [
            {"label": "AuditEvent", "source": None, "n": 18},  # two requests later
            {"label": "Patient", "source": None, "n": 1},  # the first patient, just added
        ]
        self.live_rels = [{"type": "HAS_TWIN", "source": None, "n": 2}]
        nodes, rels = self.store_nodes, self.store_rels
        self.kept = {
            "stamp": graph_counts.stamp(nodes, rels, [d["dataset"] for d in DATASETS]),
            "table_json": json.dumps(
                {
                    "nodes": [["Protein", "ncbi_gene_info", 50]],
                    "relationships": [["INTERACTS_WITH", "menche2015_interactome", 70]],
                    "layers": {"interactome_proteins": 50},
                }
            ),
        }

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        answers: dict[str, list[dict[str, Any]]] = {
            "query/list_datasets": DATASETS,
            "query/graph_counts": [
                {
                    "nodes": [{"label": k, "n": n} for k, n in self.store_nodes.items()],
                    "relationships": [{"type": k, "n": n} for k, n in self.store_rels.items()],
                }
            ],
            "query/get_count_cache": [self.kept],
            "query/count_patient_labels": self.live_nodes,
            "query/count_patient_relationships": self.live_rels,
        }
        return answers[name]

    def write(self, name: str, **params: Any) -> list[dict[str, Any]]:
        raise AssertionError("a read never writes")


def test_patient_totals_come_from_the_live_rows() -> None:
    got = graph_counts.counts(_Runner())
    nodes = got["nodes"]
    assert nodes["AuditEvent"] == {"total": 18, "by_source": {"(none)": 18}}  # was total 16
    assert nodes["Patient"] == {"total": 1, "by_source": {"(none)": 1}}  # was left out
    assert "Twin" not in nodes  # none left when counted live
    assert nodes["Protein"] == {"total": 50, "by_source": {"ncbi_gene_info": 50}}  # kept figures
    assert got["relationships"]["HAS_TWIN"] == {"total": 2, "by_source": {"(none)": 2}}
    for entry in [*nodes.values(), *got["relationships"].values()]:
        assert entry["total"] == sum(entry["by_source"].values())
