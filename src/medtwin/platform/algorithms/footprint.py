r"""Regulator activity from footprints: univariate and multivariate linear models (decoupler).

A *footprint* of a regulator :math:`s` is a set of genes with weights :math:`x_{gs}` (a TF's
targets signed by their mode of regulation, DoRothEA; a pathway's consensus response genes
weighted by their coefficient, PROGENy). The patient's gene statistics :math:`y_g` (e.g. DE z,
over every measured gene :math:`g = 1..n`) are regressed on the weights; genes outside the
footprint have :math:`x_{gs} = 0`.

Two linear models of :math:`y` on the weights: one regulator at a time (**ULM**) or all jointly
(**MLM**); their formulas are in :mod:`~medtwin.platform.algorithms.footprint_models` (e.g. ULM's
:math:`t_s = r\sqrt{(n-2)/((1-r)(1+r))}`, :math:`r` the Pearson correlation of :math:`y` and
:math:`x_{\cdot s}`).

In both, the activity score is the slope's t-value (positive = the regulator's footprint moves
the way its activity would move it: active), the p-value is two-sided from Student's t with the
model's degrees of freedom, and q is the Benjamini–Hochberg adjustment across the regulators of
one call. Regulators with fewer than ``tmin`` footprint genes among the measured genes are not
scored (decoupler's ``tmin``, default 5). Genes whose statistic is not finite are not features.
A p below the smallest double (|t| above ~38 with thousands of genes, e.g. STAT1 at t 63.7) is 0
here and in JSON; every printed surface says ``< 1e-300`` instead
(:func:`medtwin.platform.regulator_views.p_words`).

Equality with decoupler's ``ulm``/``mlm`` is tested in ``tests/unit/algorithms/test_footprint.py``.

References
----------
Badia-i-Mompel P. et al. decoupleR: ensemble of computational methods to infer biological
activities from omics data. Bioinformatics Advances 2, vbac016 (2022). doi:10.1093/bioadv/vbac016

Garcia-Alonso L. et al. Benchmark and integration of resources for the estimation of human
transcription factor activities. Genome Res 29, 1363-1375 (2019). doi:10.1101/gr.240663.118

Schubert M. et al. Perturbation-response genes reveal signaling footprints in cancer gene
expression. Nat Commun 9, 20 (2018). doi:10.1038/s41467-017-02391-6
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from medtwin.errors import InputError
from medtwin.platform.algorithms.footprint_models import MlmDesign, ulm_from_sums
from medtwin.platform.algorithms.stats import bh_qvalues

__all__ = ["Activity", "FootprintMethod", "footprint_activities", "footprint_activity"]

FootprintMethod = Literal["ulm", "mlm"]
"""The linear models of :func:`footprint_activity`."""

Footprints = Mapping[str, Mapping[str, float]]
"""Regulator -> {gene: weight}."""


@dataclass(frozen=True)
class Activity:
    """Activity of one regulator in one sample.

    Attributes
    ----------
    score
        t-value of the slope (> 0: active, < 0: inactive/repressed).
    p
        Two-sided p-value (Student's t, the model's degrees of freedom).
    q
        Benjamini–Hochberg q-value across the regulators of the same call.
    n_targets
        Footprint genes among the measured genes.
    method
        ``"ulm"`` or ``"mlm"``.
    """

    score: float
    p: float
    q: float
    n_targets: int
    method: str


def footprint_activity(
    stats: Mapping[str, float],
    footprints: Footprints,
    *,
    method: FootprintMethod = "ulm",
    tmin: int = 5,
) -> dict[str, Activity]:
    """Activity of every regulator with at least ``tmin`` footprint genes among ``stats``.

    Parameters
    ----------
    stats
        Gene -> statistic of one sample (non-finite values are dropped).
    footprints
        Regulator -> {gene: weight}.
    method
        ``"ulm"`` or ``"mlm"`` (module docstring).
    tmin
        Minimum footprint genes among the measured genes.

    Returns
    -------
    dict
        Regulator -> :class:`Activity`, in the order of ``footprints``; empty if no regulator
        has ``tmin`` measured genes.

    Raises
    ------
    InputError
        On an unknown method or too few genes for the model.

    Examples
    --------
    >>> y = {"a": 3.0, "b": 2.5, "c": -2.0, "d": 0.1, "e": -0.2, "f": 0.3, "g": 0.0}
    >>> tf = {"T": {"a": 1.0, "b": 1.0, "c": -1.0}}
    >>> act = footprint_activity(y, tf, tmin=3)["T"]
    >>> round(act.score, 2), act.n_targets, act.method
    (14.16, 3, 'ulm')
    """
    _check_method(method)
    genes, y = _finite(stats)
    return _GeneSetModel.of(genes, footprints, method, tmin).activity(y)


def footprint_activities(
    samples: Mapping[str, Mapping[str, float]],
    footprints: Footprints,
    *,
    method: FootprintMethod = "ulm",
    tmin: int = 5,
) -> dict[str, dict[str, Activity]]:
    """:func:`footprint_activity` of many samples, the work on their genes done once.

    What depends on the measured genes alone (which footprint genes are measured, ULM's sums of
    the weights, MLM's design and its inverse) is computed once per set of measured genes and
    shared by the samples measuring it (all LINCS drugs: the 978 landmark genes); each sample
    then costs its own products only. Computed sample by sample, the footprint look-up took
    most of the seconds the ~1,170 LINCS drugs cost once per process. Each sample's values are
    the very floats of :func:`footprint_activity` (the same operations in the same order): a
    matrix product over the samples would round differently, and two TFs whose t-values are
    equal up to rounding in one path tie exactly in the other, which moves Spearman ranks.

    Parameters
    ----------
    samples
        Sample -> {gene: statistic} (non-finite values are dropped, as one sample's are).
    footprints, method, tmin
        As in :func:`footprint_activity`.

    Returns
    -------
    dict
        Sample -> regulator -> :class:`Activity`, samples in the order given.

    Raises
    ------
    InputError
        As :func:`footprint_activity` raises for any one sample.

    Examples
    --------
    >>> y = {"a": 3.0, "b": 2.5, "c": -2.0, "d": 0.1, "e": -0.2, "f": 0.3, "g": 0.0}
    >>> tf = {"T": {"a": 1.0, "b": 1.0, "c": -1.0}}
    >>> out = footprint_activities({"s": y, "minus": {g: -v for g, v in y.items()}}, tf, tmin=3)
    >>> round(out["s"]["T"].score, 2), round(out["minus"]["T"].score, 2)
    (14.16, -14.16)
    """
    _check_method(method)
    models: dict[tuple[str, ...], _GeneSetModel] = {}
    out: dict[str, dict[str, Activity]] = {}
    for name, stats in samples.items():
        genes, y = _finite(stats)
        key = tuple(genes)
        model = models.get(key)
        if model is None:
            model = models[key] = _GeneSetModel.of(genes, footprints, method, tmin)
        out[name] = model.activity(y)
    return out


def _check_method(method: str) -> None:
    if method not in ("ulm", "mlm"):
        raise InputError(f"unknown footprint method {method!r}; use 'ulm' or 'mlm'")


def _finite(stats: Mapping[str, float]) -> tuple[list[str], npt.NDArray[np.float64]]:
    """The genes with a finite statistic, in the order of ``stats``, and their statistics."""
    values = np.fromiter(stats.values(), dtype=np.float64, count=len(stats))
    finite = np.isfinite(values)
    if finite.all():
        return list(stats), values
    return [g for g, keep in zip(stats, finite.tolist(), strict=True) if keep], values[finite]


_Kept = list[tuple[str, npt.NDArray[np.intp], npt.NDArray[np.float64]]]
"""Each scored regulator with the positions of its measured footprint genes and their weights."""


@dataclass(frozen=True)
class _GeneSetModel:
    """What a footprint model needs of the measured genes, before any sample's values."""

    n: int
    kept: _Kept
    method: str
    sx: npt.NDArray[np.float64] | None = None
    sxx: npt.NDArray[np.float64] | None = None
    mlm: MlmDesign | None = None

    @classmethod
    def of(cls, genes: list[str], footprints: Footprints, method: str, tmin: int) -> _GeneSetModel:
        index = {g: i for i, g in enumerate(genes)}
        kept: _Kept = []
        for source, fp in footprints.items():
            pairs = [(index[g], w) for g, w in fp.items() if g in index and w != 0.0]
            if len(pairs) >= tmin:
                idx = np.fromiter((i for i, _ in pairs), dtype=np.intp, count=len(pairs))
                kept.append((source, idx, np.fromiter((w for _, w in pairs), dtype=np.float64)))
        if not kept:
            return cls(len(genes), kept, method)
        if method == "ulm":
            sx = np.array([w.sum() for _, _, w in kept])
            sxx = np.array([(w * w).sum() for _, _, w in kept])
            return cls(len(genes), kept, method, sx=sx, sxx=sxx)
        x = np.zeros((len(genes), len(kept)))
        for j, (_, i, w) in enumerate(kept):
            x[i, j] = w
        return cls(len(genes), kept, method, mlm=MlmDesign.of(x))

    def activity(self, y: npt.NDArray[np.float64]) -> dict[str, Activity]:
        """Each kept regulator's activity in one sample's statistics ``y`` (of these genes)."""
        kept = self.kept
        if not kept:
            return {}
        if self.mlm is not None:
            t, p = self.mlm.fit(y)
        else:
            assert self.sx is not None
            assert self.sxx is not None
            sxy = np.array([float(w @ y[i]) for _, i, w in kept])
            t, p = ulm_from_sums(self.n, float(y.sum()), float(y @ y), self.sx, self.sxx, sxy)
        q = bh_qvalues(np.clip(p, 0.0, 1.0))
        method = self.method
        return {
            source: Activity(tj, pj, qj, int(i.size), method)
            for (source, i, _), tj, pj, qj in zip(
                kept, t.tolist(), p.tolist(), q.tolist(), strict=True
            )
        }
