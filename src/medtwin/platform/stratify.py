"""Patient stratification: a similarity graph of twins and its GDS Louvain communities.

Each patient is a gene set from its latest twin: the module genes (``--genes module``) or every
gene of the twin (``--genes twin``, the default: seeds plus expansion; on the PEAC cohort most
modules are one or two genes, so module overlap is almost always empty). Two patients A, B are
compared by

* ``jaccard``: ``|A ∩ B| / |A ∪ B|``;
* ``signed_jaccard``: the same over genes tagged with the sign of the patient's change (an
  up-regulated gene in A and a down-regulated one in B do not match; expansion genes carry 0);
* ``separation``: the network separation of Menche et al. 2015,
  ``s_AB = <d_AB> - (<d_AA> + <d_BB>) / 2`` on the interactome (genes outside it dropped; sets
  with fewer than two genes left get no similarity), turned into a score ``exp(-s_AB)``.

Each patient is joined to its ``k`` most similar patients (score > 0); the union of these pairs
is stored as ``(:Patient)-[:SIMILAR_TO {score, method}]->(:Patient)`` (one relationship per pair,
``method`` = ``<method>:<genes>``). GDS Louvain (concurrency 1, hence deterministic) on that
graph, weighted by score, gives the communities: candidate endotypes, written on each
``Patient`` as ``endotype`` with the run's id and the command that computes them again;
deleting one patient of the run marks the others' endotypes as predating it
(:mod:`medtwin.platform.endotypes`).

When patients carry a known grouping in their metadata (``--labels pathotype``), the
communities are compared with it by the adjusted Rand index (Hubert & Arabie 1985) and a
seeded permutation p-value: ``(1 + #{ARI(perm) >= ARI}) / (1 + n_perm)`` with the known labels
shuffled.

References
----------
Blondel V.D. et al. Fast unfolding of communities in large networks. J Stat Mech P10008 (2008).
doi:10.1088/1742-5468/2008/10/P10008
Menche J. et al. Science 347, 1257601 (2015). doi:10.1126/science.1257601 (separation)
Hubert L., Arabie P. Comparing partitions. J Classif 2, 193-218 (1985). doi:10.1007/BF01908075
"""

from __future__ import annotations

import logging
import math
import shlex
import uuid
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from medtwin.errors import InputError
from medtwin.platform.algorithms.agreement import permutation_p
from medtwin.platform.algorithms.distances import UNREACHABLE
from medtwin.platform.algorithms.nulls import resolve_seed
from medtwin.platform.context import reference_context
from medtwin.platform.python_audit import audited
from medtwin.platform.similar_patients import SimilarPatient, similar_patients
from medtwin.platform.stratify_features import correlation_similarity, feature_matrix
from medtwin.platform.stratify_labels import known_labels
from medtwin.platform.twin_currency import cohort_currency
from medtwin.store.base import GraphStore

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SimilarPatient",
    "Stratification",
    "similar_patients",
    "stratify_cohort",
]

log = logging.getLogger(__name__)

METHODS = ("jaccard", "signed_jaccard", "separation")
GENE_SETS = ("twin", "module")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Stratification(_Model):
    """Result of :func:`stratify_cohort`."""

    cohort: str | None
    method: str
    k: int
    patients: int = Field(description="Patients with a twin (the graph's nodes).")
    without_twin: tuple[str, ...]
    similarities: int = Field(description="SIMILAR_TO relationships stored.")
    communities: dict[str, int] = Field(description="Patient id → community.")
    sizes: tuple[int, ...] = Field(description="Community sizes, largest first.")
    labels_key: str | None = None
    contingency: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="community → known label → patients."
    )
    ari: float | None = None
    p_value: float | None = None
    permutations: int = 0
    seed: int = 0
    stale_twins: int = Field(default=0, description="Patients whose twin predates their inputs.")
    stale_note: str | None = Field(
        default=None,
        description="Set when stale_twins > 0: how many, a few ids, and the step that builds "
        "their twins again, in the caller's words (`medtwin cohort run ...`, `run_cohort`).",
    )
    completeness_note: str | None = Field(
        default=None,
        description="Set when the cohort, or some of its patients, came from a `patient "
        "add-cohort` without a record (added before they were recorded): whether it is whole is "
        "not known; how many patients, and how to record them.",
    )

    def to_frame(self) -> pd.DataFrame:
        """The patients as a pandas DataFrame (``patient_id``, ``community``), by community and id.

        ``patients`` rows, the columns even when there is none.
        """
        import pandas as pd  # for who asks for a frame, as frame_of

        rows = sorted(self.communities.items(), key=lambda item: (item[1], item[0]))
        return pd.DataFrame(rows, columns=["patient_id", "community"])


# -- pure functions -------------------------------------------------------------------------
def jaccard_matrix(sets: Sequence[frozenset[Hashable]]) -> np.ndarray:
    """Pairwise Jaccard overlap ``|A ∩ B| / |A ∪ B|`` (0 for two empty sets; diagonal 0).

    >>> jaccard_matrix([frozenset("ab"), frozenset("bc"), frozenset()]).round(3).tolist()
    [[0.0, 0.333, 0.0], [0.333, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """
    vocab = {x: i for i, x in enumerate(sorted({x for s in sets for x in s}, key=str))}
    m = np.zeros((len(sets), max(len(vocab), 1)), dtype=np.float64)
    for row, s in enumerate(sets):
        m[row, [vocab[x] for x in s]] = 1.0
    inter = m @ m.T
    size = m.sum(axis=1)
    union = size[:, None] + size[None, :] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        sim = np.where(union > 0, inter / union, 0.0)
    np.fill_diagonal(sim, 0.0)
    return sim


def separation_matrix(
    dist: npt.NDArray[np.uint8], sets: Sequence[npt.NDArray[np.intp]]
) -> np.ndarray:
    """Pairwise ``exp(-s_AB)`` (Menche 2015) of node-index sets; 0 where a set has < 2 nodes.

    Path 0-1-...-9, A = {0, 1}, B = {4, 5}: s_AB = 3.5 - 1 = 2.5.

    >>> from medtwin.platform.algorithms.distances import all_pairs_distances
    >>> from medtwin.platform.algorithms.network import Network
    >>> d = all_pairs_distances(Network.from_edges([(str(i), str(i + 1)) for i in range(9)]))
    >>> m = separation_matrix(d, [np.array([0, 1]), np.array([4, 5]), np.array([9])])
    >>> round(float(-np.log(m[0, 1])), 3), float(m[0, 2])
    (2.5, 0.0)
    """
    n = len(sets)
    within = np.full(n, np.nan)
    for i, a in enumerate(sets):
        if a.size >= 2:
            sub = dist[np.ix_(a, a)].copy()
            np.fill_diagonal(sub, UNREACHABLE)
            closest = sub.min(axis=1)
            if (closest < UNREACHABLE).all():
                within[i] = float(closest.astype(np.int64).mean())
    out = np.zeros((n, n))
    for i in range(n):
        if np.isnan(within[i]):
            continue
        for j in range(i + 1, n):
            if np.isnan(within[j]):
                continue
            cross = dist[np.ix_(sets[i], sets[j])]
            ra, rb = cross.min(axis=1), cross.min(axis=0)
            if ra.max() == UNREACHABLE or rb.max() == UNREACHABLE:
                continue
            d_ab = (ra.astype(np.int64).sum() + rb.astype(np.int64).sum()) / (ra.size + rb.size)
            out[i, j] = out[j, i] = math.exp(-(d_ab - (within[i] + within[j]) / 2))
    return out


def knn_pairs(ids: Sequence[str], sim: np.ndarray, k: int) -> list[dict[str, object]]:
    """Each patient's ``k`` most similar patients (score > 0, ties by id), one row per pair.

    >>> s = np.array([[0, .5, .1], [.5, 0, 0], [.1, 0, 0]])
    >>> knn_pairs(["a", "b", "c"], s, 1)
    [{'a': 'a', 'b': 'b', 'score': 0.5}, {'a': 'a', 'b': 'c', 'score': 0.1}]
    """
    if k < 1:
        raise InputError("k must be >= 1")
    pairs: dict[tuple[int, int], float] = {}
    order = sorted(range(len(ids)), key=lambda i: ids[i])
    for i in range(len(ids)):
        cand = sorted((j for j in order if j != i and sim[i, j] > 0), key=lambda j: -sim[i, j])
        for j in cand[:k]:
            pairs[(min(i, j), max(i, j))] = float(sim[i, j])
    return [
        {"a": ids[i], "b": ids[j], "score": round(s, 6)}
        for (i, j), s in sorted(pairs.items(), key=lambda kv: (ids[kv[0][0]], ids[kv[0][1]]))
    ]


def _module_sets(rows: list[dict[str, object]], method: str) -> dict[str, frozenset[Hashable]]:
    out: dict[str, frozenset[Hashable]] = {}
    for r in rows:
        genes = list(r["genes"])  # type: ignore[call-overload]
        if method != "signed_jaccard":
            out[str(r["patient_id"])] = frozenset(genes)
        else:
            fcs = list(r["log2fc"])  # type: ignore[call-overload]
            out[str(r["patient_id"])] = frozenset(
                (g, 0 if fc is None or fc == 0 else int(math.copysign(1, fc)))
                for g, fc in zip(genes, fcs, strict=False)
            )
    return out


# -- use cases -------------------------------------------------------------------------------
@audited("write")
def stratify_cohort(
    store: GraphStore,
    ids: Sequence[str],
    *,
    method: str = "jaccard",
    genes: str = "twin",
    k: int = 10,
    cache_dir: Path | None = None,
    cohort: str | None = None,
    labels_key: str | None = None,
    permutations: int = 1000,
    seed: int = 0,
    features: str = "genes",
) -> Stratification:
    """Build and store the similarity graph of ``ids``, find its communities, compare to labels.

    Parameters
    ----------
    store
        The store.
    ids
        Patient ids; those without a twin are listed in ``without_twin`` and left out.
    method
        ``jaccard``, ``signed_jaccard`` or ``separation`` (see the module docstring).
    genes
        ``twin`` (every gene of the twin) or ``module`` (its module genes).
    k
        Neighbours kept per patient.
    cache_dir
        Where the interactome's distance matrix is cached (``separation`` only); default the
        store's.
    cohort
        Name, for the report only.
    labels_key
        Patient metadata key with a known grouping (e.g. ``pathotype``) to compare with.
    permutations, seed
        Permutation test of the ARI.
    features
        ``genes`` (gene sets compared by ``method``), or ``activities`` / ``pathways``: the
        correlation of TF / pathway activity vectors
        (:mod:`medtwin.platform.stratify_features`; ``method`` and ``genes`` are then unused).
    """
    if labels_key is not None and permutations < 1:
        raise InputError(f"permutations must be 1 or more for the ARI p-value, got {permutations}")
    resolve_seed(seed)  # a negative seed refused before the similarity graph is stored
    if labels_key is not None:  # before the similarity graph is built (seconds to minutes)
        known_labels(store, ids, labels_key)
    if features != "genes":
        with_twin, _, matrix = feature_matrix(store, list(ids), features)
        if len(with_twin) < 2:
            raise InputError(
                f"stratification needs at least 2 patients with {features}; got {len(with_twin)}",
                hint="build the twins with the regulator layers loaded: `medtwin cohort run`",
            )
        if matrix.shape[1] < 2:
            raise InputError(
                f"only {matrix.shape[1]} {features} scored in these twins; a correlation of "
                "patients needs at least 2",
                hint="too few footprint genes measured (see `medtwin cohort activities`)",
            )
        got = set(with_twin)
        without = tuple(i for i in ids if i not in got)
        sim = correlation_similarity(matrix)
        return _communities(
            store, with_twin, without, sim, f"correlation:{features}", k, cohort, labels_key,
            permutations, seed,
        )  # fmt: skip
    if method not in METHODS:
        raise InputError(f"unknown similarity method {method!r}; valid: {', '.join(METHODS)}")
    if genes not in GENE_SETS:
        raise InputError(f"unknown gene set {genes!r}; valid: {', '.join(GENE_SETS)}")
    cs = store.cohorts
    rows = [r for r in cs.twin_modules(ids, module_only=genes == "module") if r["genes"]]
    sets = _module_sets(rows, method)
    with_twin = [i for i in ids if i in sets]
    without = tuple(i for i in ids if i not in sets)
    if len(with_twin) < 2:
        raise InputError(
            f"stratification needs at least 2 patients with a twin; got {len(with_twin)}",
            hint="build the twins first: `medtwin cohort run --cohort NAME`",
        )
    if method == "separation":
        ctx = reference_context()
        network = ctx.interactome(store)
        dist = ctx.distances(network, store.cache_dir if cache_dir is None else cache_dir)
        idx = [network.indices_of([str(g) for g in sets[i]])[0] for i in with_twin]
        sim = separation_matrix(dist, idx)
    else:
        sim = jaccard_matrix([sets[i] for i in with_twin])
    return _communities(
        store, with_twin, without, sim, f"{method}:{genes}", k, cohort, labels_key,
        permutations, seed,
    )  # fmt: skip


def _communities(
    store: GraphStore,
    with_twin: list[str],
    without: tuple[str, ...],
    sim: np.ndarray,
    name: str,
    k: int,
    cohort: str | None,
    labels_key: str | None,
    permutations: int,
    seed: int,
) -> Stratification:
    """Store the kNN graph of ``sim``, its Louvain communities, and compare them to labels."""
    cs = store.cohorts
    pairs = knn_pairs(with_twin, sim, k)
    stored = cs.replace_similarities(with_twin, name, pairs)
    communities = cs.communities(with_twin, name)
    # Renumber communities by size (largest 0) then smallest member, so output is stable.
    members: dict[int, list[str]] = {}
    for pid, c in communities.items():
        members.setdefault(c, []).append(pid)
    order = sorted(members, key=lambda c: (-len(members[c]), min(members[c])))
    renum = {old: new for new, old in enumerate(order)}
    communities = {pid: renum[c] for pid, c in sorted(communities.items())}
    cs.set_endotypes(name, communities, run=uuid.uuid4().hex, refresh=_refresh(name, k, cohort))
    currency = cohort_currency(store, with_twin, cohort=cohort)  # compared as they are now
    result = Stratification(
        cohort=cohort,
        method=name,
        k=k,
        patients=len(with_twin),
        without_twin=without,
        similarities=stored,
        communities=communities,
        sizes=tuple(len(members[c]) for c in order),
        seed=seed,
        stale_twins=len(currency.stale),
        stale_note=currency.note,
        completeness_note=currency.completeness,
    )
    if labels_key is None:
        return result
    labels = known_labels(store, with_twin, labels_key, who="its patients with a twin")
    a = [communities[i] for i in labels]
    b = list(labels.values())
    r = permutation_p(a, b, n=permutations, seed=seed)
    table: dict[str, dict[str, int]] = {}
    for c, lab in zip(a, b, strict=True):
        row = table.setdefault(str(c), {})
        row[lab] = row.get(lab, 0) + 1
    log.info("stratify %s: ARI %.3f vs %s, permutation p %.3g", cohort, r.ari, labels_key, r.p)
    return result.model_copy(
        update={
            "labels_key": labels_key,
            "contingency": table,
            "ari": round(r.ari, 4),
            "p_value": r.p,
            "permutations": permutations,
        }
    )


def _refresh(name: str, k: int, cohort: str | None) -> str:
    """The command that computes stratification ``name`` again (what a stale endotype names).

    >>> _refresh("jaccard:twin", 10, "trial 7")
    "medtwin cohort stratify --cohort 'trial 7' --similarity jaccard --genes twin -k 10"
    >>> _refresh("correlation:activities", 5, None)
    'medtwin cohort stratify (the same patients) --features activities -k 5'
    """
    kind, _, detail = name.partition(":")
    flags = (
        ["--features", detail]
        if kind == "correlation"
        else ["--similarity", kind, "--genes", detail]
    )
    who = f"--cohort {shlex.quote(cohort)}" if cohort else "(the same patients)"
    return f"medtwin cohort stratify {who} {shlex.join([*flags, '-k', str(k)])}"
