r"""Activities and upstream regulators per cell type and per tissue (multicellular URs).

A twin built from single-cell data (``.h5ad``, :mod:`medtwin.platform.singlecell`) carries its
changes per cell type, and a multi-tissue twin (:mod:`medtwin.platform.tissues`) per tissue.
Each **context** gets its own gene statistics and its own activities:

* ``cell_type``: every measured gene's statistic of one cell type (within one tissue when the
  cells came from several) when the input kept it (``.h5ad``: the Wilcoxon z of each gene,
  :class:`~medtwin.loaders.patient_rows.CellTypeStats`, times the expression layer weight); else
  :func:`~medtwin.platform.gene_evidence.gene_statistics` of *c*'s changes only (twins whose
  inputs were added before the full vectors were kept);
* ``tissue``: every measured gene's statistic of one tissue, when its inputs kept it
  (:func:`~medtwin.platform.activity_inputs.tissue_statistics`: the rule of the twin-level
  activities, per tissue). A tissue without one gets no activities, and the twin says why
  (``tissue_activity_note``): its changes are the genes that passed a threshold (the multi-tissue
  demo's blood: 288 up-regulated markers of 10 cell types), and a footprint regression over them
  compares the changes with each other, not with the unchanged genes. Before, a tissue's
  activities were computed from those changes.

TF activity (ULM on DoRothEA) and pathway activity (MLM on PROGENy) of each context are computed
with :func:`~medtwin.platform.regulators.patient_activity`, exactly as for the patient, and stored
as ``(:Twin)-[:ACTIVITY {score, p, q, method, n_targets, context, cell_type, tissue}]->`` edges on
the twin version (so versioned and deleted with it and with the patient). Patient-level edges
carry no ``context``.

The **upstream regulators of a context** (:func:`context_regulators`, ``medtwin twin regulators P
--by cell-type|tissue``) are its TFs with :math:`q \le 0.05`, ranked within the context by
personalised PageRank on the interactome joined with the regulon edges, the restart vector
proportional to :math:`|a_u|` (restart 0.3; Haveliwala 2002, doi:10.1145/511446.511513), as
:mod:`medtwin.platform.twin_regulators` ranks the patient's. The changes of a single-cell twin
are only the genes that passed the cell type's test (``padj`` ≤ 0.05 and the per-cell-type cap),
so from them few TFs reach the minimum of measured targets; the full vectors score every TF with
enough measured targets (``make bench-cell-activities`` prints both on the demo's PBMC 68k; a
context where no TF and no pathway is scored has no edge and is not listed).

References
----------
Garcia-Alonso L. et al. Genome Res 29, 1363 (2019). doi:10.1101/gr.240663.118
Schubert M. et al. Nat Commun 9, 20 (2018). doi:10.1038/s41467-017-02391-6
Badia-i-Mompel P. et al. Bioinformatics Advances 2, vbac016 (2022). doi:10.1093/bioadv/vbac016
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from medtwin.command_lines import next_step, patient_command
from medtwin.domain import TwinParams
from medtwin.errors import InputError, NotFoundError
from medtwin.loaders.patient_rows import CellTypeStats, GeneChange
from medtwin.platform.algorithms.network import Network
from medtwin.platform.arguments import twin_version
from medtwin.platform.context import ReferenceContext, reference_context
from medtwin.platform.gene_evidence import gene_statistics
from medtwin.platform.models import FrozenModel
from medtwin.platform.patient_reads import patients_twin
from medtwin.platform.python_audit import audited
from medtwin.platform.regulator_centrality import RESTART, regulatory_network, seed_pagerank
from medtwin.platform.regulator_views import ordinal, p_words
from medtwin.platform.regulators import RegulatorReference, patient_activity
from medtwin.platform.twin_models import UpstreamRegulator
from medtwin.store.base import GraphStore

__all__ = [
    "Context",
    "ContextRegulatorReport",
    "ContextRegulators",
    "context_regulators",
]

ContextKind = Literal["cell_type", "tissue"]
CONTEXTS: tuple[ContextKind, ...] = ("cell_type", "tissue")


@dataclass(frozen=True)
class Context:
    """One cell type (optionally within a tissue) or one tissue of a twin."""

    kind: ContextKind
    tissue: str | None
    cell_type: str | None

    @property
    def label(self) -> str:
        """``tissue / cell type``, the cell type, or the tissue."""
        parts = [p for p in (self.tissue, self.cell_type) if p]
        return " / ".join(parts)

    @property
    def key(self) -> tuple[str, str, str]:
        """Sort key: kind, tissue, cell type (``None`` first)."""
        return (self.kind, self.tissue or "", self.cell_type or "")


def context_statistics(
    changes: Sequence[GeneChange],
    params: TwinParams,
    cell_stats: Sequence[CellTypeStats] = (),
    tissues: Mapping[str, Mapping[str, float]] | None = None,
) -> dict[Context, dict[str, float]]:
    """Gene statistics of each cell type of the twin's selected changes, and of each tissue.

    The selection is the twin's (its layers and time point); variants are not expression and
    carry no statistic. A cell type with a full vector in ``cell_stats`` (expression, no time
    point) takes it instead of its changes' statistics (module docstring); several vectors of
    one cell type keep each gene's largest ``|value|``. A tissue's statistics are its vector of
    every measured gene in ``tissues`` (:func:`~medtwin.platform.activity_inputs.
    tissue_statistics`), never its changes: a tissue not in it has none.

    Examples
    --------
    >>> ch = [GeneChange(entrez="1", log2fc=2.0, cell_type="B"),
    ...       GeneChange(entrez="1", log2fc=-1.0, cell_type="T"),
    ...       GeneChange(entrez="2", log2fc=0.5, cell_type="T", tissue="blood"),
    ...       GeneChange(entrez="3", log2fc=0.9, tissue="synovium")]
    >>> got = context_statistics(ch, TwinParams(), tissues={"synovium": {"3": 2.5, "4": -0.1}})
    >>> for c, s in got.items():
    ...     print(c.kind, c.label, s)
    cell_type B {'1': 2.0}
    cell_type T {'1': -1.0}
    cell_type blood / T {'2': 0.5}
    tissue synovium {'3': 2.5, '4': -0.1}
    """
    groups: dict[Context, list[GeneChange]] = {}
    for c in changes:
        if c.layer not in params.layers or c.layer == "variant":
            continue
        if params.time_point is not None and c.time_point != params.time_point:
            continue
        if c.cell_type:
            groups.setdefault(Context("cell_type", c.tissue, c.cell_type), []).append(c)
    out = {k: gene_statistics(v, params.layer_weights) for k, v in groups.items()}
    out.update(_full_vectors(cell_stats, params))
    out.update({Context("tissue", t, None): dict(s) for t, s in (tissues or {}).items() if s})
    return dict(sorted(out.items(), key=lambda kv: kv[0].key))


def _full_vectors(
    cell_stats: Sequence[CellTypeStats], params: TwinParams
) -> dict[Context, dict[str, float]]:
    if "expression" not in params.layers or params.time_point is not None:
        return {}
    weight = (params.layer_weights or {}).get("expression", 1.0)
    out: dict[Context, dict[str, float]] = {}
    for cs in cell_stats:
        got = out.setdefault(Context("cell_type", cs.tissue, cs.cell_type), {})
        for g, v in cs.stats.items():
            if g not in got or abs(v * weight) > abs(got[g]):
                got[g] = v * weight
    return out


def context_activity_rows(
    stats: Mapping[Context, Mapping[str, float]], ref: RegulatorReference
) -> list[dict[str, Any]]:
    """ACTIVITY rows (kind, id, score, p, q, method, n_targets, context, cell_type, tissue)."""
    rows: list[dict[str, Any]] = []
    for context, s in stats.items():
        act = patient_activity(s, ref)
        for kind, acts in (("tf", act.tf), ("pathway", act.pathway)):
            rows.extend(
                {"kind": kind, "id": k, "score": a.score, "p": a.p, "q": a.q,
                 "method": a.method, "n_targets": a.n_targets, "context": context.kind,
                 "cell_type": context.cell_type, "tissue": context.tissue}
                for k, a in acts.items()
            )  # fmt: skip
    return rows


def store_context_activity(
    store: GraphStore,
    ctx: ReferenceContext,
    twin_id: str,
    changes: Sequence[GeneChange],
    params: TwinParams,
    cell_stats: Sequence[CellTypeStats] = (),
    tissues: Mapping[str, Mapping[str, float]] | None = None,
) -> int:
    """Compute and store the twin's activities per cell type and tissue (0 without contexts).

    ``tissues``: each tissue's vector of every measured gene (tissues without one: none).
    """
    stats = context_statistics(changes, params, cell_stats, tissues)
    if not stats:
        return 0
    ref = ctx.regulators(store, warn=False)
    if ref is None:
        return 0
    return store.twins.save_context_activity(twin_id, context_activity_rows(stats, ref))


# -- upstream regulators per context ---------------------------------------------------------
class ContextRegulators(FrozenModel):
    """The upstream regulators and pathway activities of one cell type or tissue."""

    context: str = Field(description="'tissue / cell type', the cell type, or the tissue.")
    cell_type: str | None
    tissue: str | None
    n_tfs_scored: int
    n_regulators: int = Field(description="Upstream regulators found (``regulators``: the top).")
    regulators: tuple[UpstreamRegulator, ...]
    pathways: dict[str, dict[str, float]] = Field(
        description="PROGENy pathway -> score (MLM t), p, q."
    )


class ContextRegulatorReport(FrozenModel):
    """Upstream regulators of a twin per cell type or per tissue."""

    twin_id: str
    by: str = Field(description="'cell_type' or 'tissue'.")
    q_max: float
    restart: float
    contexts: tuple[ContextRegulators, ...]
    seconds: float
    note: str | None = Field(
        default=None,
        description="by='tissue': why a tissue of the twin has no activities (no vector of every "
        "measured gene in it; what would give one), or that the twin was built when a tissue's "
        "activities came from its thresholded changes; null when every tissue has them.",
    )


def _ranked(
    label: str, tfs: list[dict[str, Any]], q: float, network: Network | None
) -> list[UpstreamRegulator]:
    urs = {r["id"]: r for r in tfs if r["q"] <= q}
    ppr = dict.fromkeys(urs, 0.0)
    if network is not None:
        ppr.update(seed_pagerank(network, {g: abs(r["score"]) for g, r in urs.items()}))
    order = sorted(urs, key=lambda g: (-ppr[g], -abs(urs[g]["score"]), g))
    out = []
    for rank, g in enumerate(order, start=1):
        r = urs[g]
        state = "active" if r["score"] > 0 else "inactive"
        out.append(
            UpstreamRegulator(
                entrez=g, symbol=r["name"], activity=r["score"], p=r["p"], q=r["q"],
                n_targets=r["n_targets"], driver=None, pagerank=ppr[g], rank=rank,
                words=(f"{r['name']} {state} in {label} (t {r['score']:.1f}, q {p_words(r['q'])}), "
                       f"{ordinal(rank)} most central there"),
            )
        )  # fmt: skip
    return out


@audited("read")
def context_regulators(
    store: GraphStore,
    patient_id: str,
    by: str,
    *,
    version: int | None = None,
    q: float = 0.05,
    top: int | None = None,
    ctx: ReferenceContext | None = None,
) -> ContextRegulatorReport:
    """Upstream regulators of each cell type (``by="cell_type"``) or tissue of a twin.

    Read from the twin's stored ACTIVITY edges of that context (module docstring); ``top`` keeps
    the first regulators of each context (``None``: all).

    Raises
    ------
    InputError
        ``by`` is not ``cell_type`` or ``tissue``.
    NotFoundError
        No twin, or the twin has no activities per ``by``.
    """
    version = twin_version(version, patient_id)
    t0 = time.perf_counter()
    by = by.replace("-", "_")
    if by not in CONTEXTS:
        raise InputError(f"unknown context {by!r}; valid: cell-type, tissue")
    ctx = ctx or reference_context()
    twin = patients_twin(store, patient_id, version)
    rows = store.twins.context_activity(twin["id"], by)
    note = _tissue_note(patient_id, twin) if by == "tissue" else None
    if note is not None and not rows:  # a multi-tissue twin none of whose tissues has a vector
        return ContextRegulatorReport(
            twin_id=twin["id"], by=by, q_max=q, restart=RESTART, contexts=(),
            seconds=round(time.perf_counter() - t0, 3), note=note,
        )  # fmt: skip
    if not rows:
        what = "cell type" if by == "cell_type" else "tissue"
        raise NotFoundError(
            f"twin {twin['id']} has no activities per {what}",
            hint="they exist for twins built from single-cell (.h5ad) or multi-tissue inputs "
            f"with the regulator layers loaded; rebuild with "
            f"`{patient_command('twin build', patient_id)}` if it was built before they were",
        )
    groups: dict[Context, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(Context(by, r["tissue"], r["cell_type"]), []).append(r)
    ref = ctx.regulators(store, warn=False)
    network = regulatory_network(ctx.interactome(store), ref) if ref is not None else None
    contexts = []
    for c, got in sorted(groups.items(), key=lambda kv: kv[0].key):
        tfs = [r for r in got if r["kind"] == "tf"]
        ranked = _ranked(c.label, tfs, q, network)
        contexts.append(
            ContextRegulators(
                context=c.label,
                cell_type=c.cell_type,
                tissue=c.tissue,
                n_tfs_scored=len(tfs),
                n_regulators=len(ranked),
                regulators=tuple(ranked[:top]),
                pathways={
                    r["name"]: {"score": r["score"], "p": r["p"], "q": r["q"]}
                    for r in sorted(got, key=lambda r: r["name"])
                    if r["kind"] == "pathway"
                },
            )
        )
    return ContextRegulatorReport(
        twin_id=twin["id"],
        by=by,
        q_max=q,
        restart=RESTART,
        contexts=tuple(contexts),
        seconds=round(time.perf_counter() - t0, 3),
        note=note,
    )


TISSUE_RULE = "every measured gene"
"""``tissue_activities`` of a twin built since a tissue's activities need a vector of every
measured gene (:func:`~medtwin.platform.activity_inputs.tissue_statistics`)."""


def _tissue_note(patient_id: str, twin: Mapping[str, Any]) -> str | None:
    """Why some tissue of ``twin`` has no activities, or that they are from its changes; None."""
    if not twin.get("n_tissues"):
        return None
    if twin.get("tissue_activities") != TISSUE_RULE:
        return (
            f"twin v{twin.get('version', '?')} was built when a tissue's activities came from its "
            "thresholded changes (compared with each other, not with the unchanged genes); "
            f"{next_step(patient_command('twin build', patient_id))} for activities only where a "
            "tissue has a vector of every measured gene"
        )
    note = twin.get("tissue_activity_note")
    return str(note) if note else None
