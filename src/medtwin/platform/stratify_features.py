r"""Patient similarity from numeric features: TF or pathway activities (``--features``).

``medtwin cohort stratify --features activities|pathways`` compares patients by the activity
vectors of their latest twins (:mod:`medtwin.platform.cohort_activities`): TF activity (ULM on
DoRothEA) or PROGENy pathway activity (MLM), instead of their gene sets (``--features genes``,
:mod:`medtwin.platform.stratify`). The kNN graph, its GDS Louvain communities and the ARI against
known labels are the same as for gene sets.

Similarity (:func:`correlation_similarity`): each feature is standardised across the cohort
(:math:`x'_{pj} = (x_{pj} - \bar x_j) / s_j`; a regulator a twin did not score, or one with no
spread, counts as the cohort mean, i.e. 0), then two patients are compared by the Pearson
correlation of their standardised vectors, :math:`r_{ab}`; only positive correlations join
patients (``knn_pairs`` keeps scores > 0). Standardising first keeps a few high-variance
regulators from deciding every pair, as the cohort-wide z of gene-expression clustering does.

References
----------
Blondel V.D. et al. Fast unfolding of communities in large networks. J Stat Mech P10008 (2008).
doi:10.1088/1742-5468/2008/10/P10008 (the communities of the kNN graph)
Hubert L., Arabie P. Comparing partitions. J Classif 2, 193-218 (1985). doi:10.1007/BF01908075
(the ARI against known labels)
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from medtwin.errors import InputError
from medtwin.platform.cohort_activities import activity_matrix
from medtwin.store.base import GraphStore

__all__ = ["FEATURES", "correlation_similarity", "feature_matrix", "standardise"]

FEATURES = ("genes", "activities", "pathways")
"""``genes``: gene sets (the similarity methods of :mod:`~medtwin.platform.stratify`);
``activities``: TF activity vectors; ``pathways``: PROGENy pathway activity vectors."""

FloatMatrix = npt.NDArray[np.float64]


def standardise(x: FloatMatrix) -> FloatMatrix:
    """Column z-scores (ddof 1), NaN and zero-spread columns set to 0.

    >>> standardise(np.array([[1.0, 5.0, np.nan], [3.0, 5.0, 2.0], [5.0, 5.0, 4.0]])).round(3)
    array([[-1.   ,  0.   ,  0.   ],
           [ 0.   ,  0.   , -0.707],
           [ 1.   ,  0.   ,  0.707]])
    """
    if x.ndim != 2 or x.shape[0] < 2:
        raise InputError(f"need a patients x features matrix with >= 2 patients, got {x.shape}")
    seen = ~np.isnan(x)
    n = seen.sum(axis=0)
    filled = np.where(seen, x, 0.0)
    mean = filled.sum(axis=0) / np.maximum(n, 1)
    dev = np.where(seen, x - mean, 0.0)
    sd = np.sqrt((dev**2).sum(axis=0) / np.maximum(n - 1, 1))
    ok = (n >= 2) & (sd > 1e-12)
    z = np.zeros_like(x)
    np.divide(dev, sd, out=z, where=ok & seen)
    return z


def correlation_similarity(x: FloatMatrix) -> FloatMatrix:
    r"""Pearson correlation of patients' standardised feature vectors, diagonal 0.

    With :math:`c_a = z_a - \bar z_a` (patient :math:`a`'s standardised row, centred),
    :math:`r_{ab} = c_a \cdot c_b / (\lVert c_a \rVert\, \lVert c_b \rVert)` (Pearson K., Note
    on regression and inheritance in the case of two parents. Proc R Soc Lond 58, 240–242
    (1895), doi:10.1098/rspl.1895.0041). A patient whose standardised vector is all 0
    correlates 0 with everyone.

    >>> s = correlation_similarity(np.array([[1.0, 2, 3], [2, 4, 7], [3, 2, 1], [9, 9, 9]]))
    >>> s.round(3)
    array([[ 0.   ,  1.   , -0.986, -0.944],
           [ 1.   ,  0.   , -0.988, -0.94 ],
           [-0.986, -0.988,  0.   ,  0.875],
           [-0.944, -0.94 ,  0.875,  0.   ]])
    """
    z = standardise(x)
    c = z - z.mean(axis=1, keepdims=True)
    norm = np.linalg.norm(c, axis=1)
    ok = norm > 1e-12
    c[ok] /= norm[ok, None]
    c[~ok] = 0.0
    sim = c @ c.T
    np.fill_diagonal(sim, 0.0)
    return np.asarray(np.clip(sim, -1.0, 1.0), dtype=np.float64)


def feature_matrix(
    store: GraphStore, ids: list[str], features: str
) -> tuple[list[str], list[str], FloatMatrix]:
    """(patients with activities, columns, matrix with NaN where not scored) of ``features``.

    The activities are read once (:func:`~medtwin.platform.cohort_activities.activity_matrix`);
    before, once for the columns and again for the rows.
    """
    if features not in FEATURES[1:]:
        raise InputError(f"no feature matrix for {features!r}; valid: activities, pathways")
    kind = "tf" if features == "activities" else "pathway"
    columns, matrix = activity_matrix(store, ids, kind)
    rows, values = [], []
    for r in matrix:
        rows.append(r.patient_id)
        values.append([np.nan if v is None else v for v in r.values])
    return rows, columns, np.array(values, dtype=np.float64).reshape(len(rows), len(columns))
