"""The cohort summary page is serialised one patient at a time, into the same bytes (issue 21).

``render_summary`` splits pydantic's one long call (which holds the GIL) into one call per
patient; the body must stay byte for byte what ``model_dump_json`` gives.
"""

from __future__ import annotations

import math

from medtwin.api.routers.cohorts import render_summary
from medtwin.platform.cohort import CohortSummary, DrugCount, PatientTop


def _summary(patients: int) -> CohortSummary:
    per = tuple(
        PatientTop.model_construct(
            patient_id=f"P{i}",
            ranking_id=f"r-{i}",
            targets=None if i % 2 else "drugbank",
            drugs=tuple(
                {
                    "rank": k + 1,
                    "drug_id": f"DB{k:05d}",
                    "drug_name": None if k == 1 else f'Ωmega "{k}"\n',
                    "q": math.nan if k == 2 else 0.01 * k,
                    "direction": None if k == 3 else -0.5,
                }
                for k in range(5)
            ),
        )
        for i in range(patients)
    )
    drugs = (
        DrugCount(drug_id="DB00001", drug_name="a", top_k=2, significant=1, counteracting=0,
                  best_rank=1),
    )  # fmt: skip
    return CohortSummary.model_construct(
        cohort="trial-7",
        top=5,
        patients=patients + 1,
        ranked=patients,
        drugs=drugs,
        per_patient=per,
    )


def test_the_page_is_the_models_json_byte_for_byte():
    for n in (0, 1, 3):
        page = _summary(n)
        assert render_summary(page) == page.model_dump_json().encode()
