"""Typed results of the use cases (what the CLI prints, the API serves and Python users get).

Frozen pydantic models, so they serialise to the stable JSON that ``--json`` and the API return.
They live by noun, and this module re-exports them so ``from medtwin.platform.models import …``
(the notebooks', the API's and Python users' import) keeps working:

- :mod:`medtwin.platform.patient_models`: patients, twin versions, what ``patient delete`` removed;
- :mod:`medtwin.platform.ranking_models`: the ranking parameters and results, explanations;
- :mod:`medtwin.platform.graph_models`: twin drawings, explanation paths, disease matches;
- :mod:`medtwin.platform.gating`: the module gate every result of a twin carries
  (:class:`~medtwin.platform.gating.ModuleGated`).

What a twin holds inside (genes, tissues, phenotype module, regulators; ``twin show`` and
``twin diff``) is in :mod:`medtwin.platform.twin_models`.
"""

from __future__ import annotations

from medtwin.domain import TwinParams
from medtwin.platform.frozen_model import FrozenModel
from medtwin.platform.gating import ModuleGated as ModuleGated  # importable here as before
from medtwin.platform.graph_models import (
    DiseaseMatch,
    ExplanationPath,
    GraphEdge,
    GraphNode,
    TwinGraph,
)
from medtwin.platform.patient_models import (
    DeleteReport,
    InputRemoved,
    InputSummary,
    PatientSummary,
    TwinSummary,
)

# DEFAULT_METHODS and DEFAULT_ORDER are constants, not models: exported by ranking_models (where
# they are defined and where their users import them from), still importable here as before.
from medtwin.platform.ranking_models import DEFAULT_METHODS as DEFAULT_METHODS
from medtwin.platform.ranking_models import DEFAULT_ORDER as DEFAULT_ORDER
from medtwin.platform.ranking_models import (
    DrugExplanation,
    DrugScore,
    RankingResult,
    RankParams,
)

__all__ = [
    "DeleteReport",
    "DiseaseMatch",
    "DrugExplanation",
    "DrugScore",
    "ExplanationPath",
    "FrozenModel",
    "GraphEdge",
    "GraphNode",
    "InputRemoved",
    "InputSummary",
    "PatientSummary",
    "RankParams",
    "RankingResult",
    "TwinGraph",
    "TwinParams",
    "TwinSummary",
]
