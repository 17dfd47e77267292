r"""The two linear models of footprint activity (decoupler's ULM and MLM): t-values and p.

Gene statistics :math:`y_g` over the measured genes :math:`g = 1..n` are regressed on footprint
weights :math:`x_{gs}` (0 outside a regulator's footprint; :mod:`.footprint` builds them).

**ULM** (one regulator at a time):

.. math:: y_g = \beta_0 + \beta_1 x_{gs} + \varepsilon_g, \qquad
          t_s = \frac{\hat\beta_1}{\mathrm{SE}(\hat\beta_1)}
              = r\sqrt{\frac{n-2}{(1-r)(1+r)}}

with :math:`r` the Pearson correlation of :math:`y` and :math:`x_{\cdot s}`; computed here from
the footprint's own entries only (:math:`\sum x, \sum x^2, \sum xy` over its targets), so the
cost is the number of footprint edges, not genes × regulators.

**MLM** (all regulators jointly): :math:`y = X\beta + \varepsilon` with an intercept column,
:math:`\hat\beta = (X^\top X)^{-1}X^\top y`,
:math:`\mathrm{SE}(\hat\beta_j) = \sqrt{\hat\sigma^2 [(X^\top X)^{-1}]_{jj}}`,
:math:`\hat\sigma^2 = \mathrm{SSE}/(n - k - 1)`.

In both the p-value is two-sided from Student's t with the model's degrees of freedom,
:math:`p = 2\,F_t(-|t|;\ \mathrm{df})`. Equality with decoupler's ``ulm``/``mlm``
(``decoupler.mt``; its ULM p-values are already BH-adjusted, its MLM p-values are raw) is tested
in ``tests/unit/algorithms/test_footprint.py``.

References
----------
Badia-i-Mompel P. et al. decoupleR: ensemble of computational methods to infer biological
activities from omics data. Bioinformatics Advances 2, vbac016 (2022). doi:10.1093/bioadv/vbac016
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import stdtr

from medtwin.errors import InputError

__all__ = ["MlmDesign", "mlm", "ulm"]


def ulm(
    y: npt.ArrayLike, x: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    r"""Univariate linear model of ``y`` on each column of ``x``: t-values and two-sided p.

    Parameters
    ----------
    y
        Gene statistics, shape ``(n,)``.
    x
        Footprint weights, shape ``(n, k)`` (0 outside the footprint).

    Returns
    -------
    (t, p)
        Arrays of shape ``(k,)``; df = n - 2 (module docstring).

    Examples
    --------
    Hand-computed: y = (1, 2, 3, 5), x = (0, 0, 1, 1): centred sums S_xy = 2.5, S_xx = 1,
    S_yy = 8.75, so r² = 6.25/8.75 = 5/7 and t² = 2 r²/(1 − r²) = 5, t = √5.

    >>> t, p = ulm([1.0, 2.0, 3.0, 5.0], [[0.0], [0.0], [1.0], [1.0]])
    >>> round(float(t[0]), 3), round(float(p[0]), 3)
    (2.236, 0.155)
    """
    yv = np.asarray(y, dtype=np.float64)
    xm = np.asarray(x, dtype=np.float64)
    if xm.ndim != 2 or xm.shape[0] != yv.shape[0]:
        raise InputError(f"x must be (n, k) with n = {yv.shape[0]}, got {xm.shape}")
    n = yv.shape[0]
    sx, sxx, sxy = xm.sum(axis=0), (xm * xm).sum(axis=0), xm.T @ yv
    return ulm_from_sums(n, float(yv.sum()), float(yv @ yv), sx, sxx, sxy)


def ulm_from_sums(
    n: int,
    sy: float,
    syy: float,
    sx: npt.NDArray[np.float64],
    sxx: npt.NDArray[np.float64],
    sxy: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """:func:`ulm` from the sums of ``y``, ``y²`` and of each column's ``x``, ``x²``, ``xy``.

    A footprint's sums run over its own genes only (:mod:`.footprint`), so a sample costs the
    footprint's edges, not genes × regulators.
    """
    df = n - 2
    if df < 1:
        raise InputError(f"a linear model needs at least 3 genes, got {n}")
    vy = n * syy - sy * sy
    vx = n * sxx - sx * sx
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (n * sxy - sx * sy) / np.sqrt(vx * vy)
    r = np.clip(np.nan_to_num(r, nan=0.0), -1.0, 1.0)
    # decoupler adds 2.2e-16 to both factors so that |r| = 1 stays finite
    t = r * np.sqrt(df / ((1.0 - r + 2.2e-16) * (1.0 + r + 2.2e-16)))
    p = 2.0 * stdtr(df, -np.abs(t))  # = 2 t.sf(|t|, df), without importing scipy.stats
    return t, p


def mlm(
    y: npt.ArrayLike, x: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    r"""Multivariate linear model of ``y`` on all columns of ``x`` jointly: t-values and p.

    Parameters
    ----------
    y
        Gene statistics, shape ``(n,)``.
    x
        Footprint weights, shape ``(n, k)``; an intercept is added.

    Returns
    -------
    (t, p)
        Arrays of shape ``(k,)``; df = n - k - 1.

    Raises
    ------
    InputError
        If there are not more genes than regulators + 1 or the design is singular.

    Examples
    --------
    With one column MLM is ULM:

    >>> t, _ = mlm([1.0, 2.0, 3.0, 5.0], [[0.0], [0.0], [1.0], [1.0]])
    >>> round(float(t[0]), 3)
    2.236
    """
    yv = np.asarray(y, dtype=np.float64)
    xm = np.asarray(x, dtype=np.float64)
    if xm.ndim != 2 or xm.shape[0] != yv.shape[0]:
        raise InputError(f"x must be (n, k) with n = {yv.shape[0]}, got {xm.shape}")
    return MlmDesign.of(xm).fit(yv)


@dataclass(frozen=True)
class MlmDesign:
    """MLM's design (intercept and weights) and its inverse Gram matrix, fitted to any ``y``.

    They depend on the measured genes only, so samples measuring the same genes share them.
    """

    design: npt.NDArray[np.float64]
    inv: npt.NDArray[np.float64]
    df: int

    @classmethod
    def of(cls, xm: npt.NDArray[np.float64]) -> MlmDesign:
        """The design of the weights ``xm`` (genes × regulators) with its intercept column."""
        n, k = xm.shape
        df = n - k - 1
        if df < 1:
            raise InputError(f"MLM with {k} regulators needs more than {k + 1} genes, got {n}")
        design = np.column_stack((np.ones(n), xm))
        gram = design.T @ design
        try:
            inv = np.linalg.inv(gram).astype(np.float64, copy=False)
        except np.linalg.LinAlgError as e:
            raise InputError(f"MLM design is singular ({k} regulators on {n} genes): {e}") from e
        return cls(design, inv, df)

    def fit(
        self, yv: npt.NDArray[np.float64]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """The regulators' t-values and two-sided p for one sample's statistics ``yv``."""
        coef = self.inv @ (self.design.T @ yv)
        resid = yv - self.design @ coef
        sigma2 = float(resid @ resid) / self.df
        se = np.sqrt(np.clip(np.diag(self.inv) * sigma2, 0.0, None))
        with np.errstate(divide="ignore", invalid="ignore"):
            t = coef / se
        t = np.nan_to_num(t[1:], nan=0.0)
        p = 2.0 * stdtr(self.df, -np.abs(t))  # = 2 t.sf(|t|, df), without importing scipy.stats
        return t, p
