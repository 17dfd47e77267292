r"""Module gating: is a twin's module more connected than random genes, in words.

A twin's module is *significant* when Menche's largest-connected-component z-score against
degree-matched random gene sets of the same size is at least 1.6 **and** its empirical p is at
most 0.05 (Menche et al. 2015 call a module with :math:`z > 1.6` significant). Otherwise the
ranking of that twin is *exploratory*: drugs are still ranked, but the CLI, the API and the
report say, in the same words, that the module is no more connected than chance, and
``medtwin rank --require-module`` refuses to rank such a twin.

References
----------
Menche J. et al. Uncovering disease-disease relationships through the incomplete interactome.
Science 347, 1257601 (2015). doi:10.1126/science.1257601
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pydantic import computed_field

from medtwin.platform.frozen_model import FrozenModel

__all__ = ["MODULE_P_MAX", "MODULE_Z_MIN", "ModuleGate", "ModuleGated", "module_gate"]

MODULE_Z_MIN = 1.6
"""Smallest module z-score called significant (Menche et al. 2015)."""
MODULE_P_MAX = 0.05
"""Largest empirical module p-value called significant."""


@dataclass(frozen=True)
class ModuleGate:
    """Whether a twin's module is significant, and the words to show when it is not.

    Attributes
    ----------
    significant
        ``True`` when ``z >= 1.6`` and ``p <= 0.05``.
    note
        ``None`` when significant; otherwise the sentence the CLI, API and report show.
    """

    significant: bool
    note: str | None


def _defined(x: float | None) -> bool:
    return x is not None and math.isfinite(x)


def module_gate(module_z: float | None, module_p: float | None) -> ModuleGate:
    """Gate a twin's module on its connectivity z-score and empirical p.

    Parameters
    ----------
    module_z
        The module's largest-connected-component z-score against degree-matched random gene sets
        (``None`` or NaN when it could not be computed).
    module_p
        The empirical p of that z-score (``None`` or NaN when unknown).

    Returns
    -------
    ModuleGate
        Significant when ``module_z >= 1.6`` and ``module_p <= 0.05``; otherwise not, with a note.

    Examples
    --------
    >>> module_gate(3.2, 0.001)
    ModuleGate(significant=True, note=None)
    >>> gate = module_gate(-0.5, 0.62)
    >>> gate.significant, gate.note.endswith("random genes (module z = -0.50, p = 0.62)")
    (False, True)
    >>> module_gate(None, None).significant
    False
    """
    if not (_defined(module_z) and _defined(module_p)):
        return ModuleGate(
            significant=False,
            note=(
                "exploratory: this twin's module significance could not be assessed "
                "(no module z or p), so it is not known to be more connected than "
                "random genes"
            ),
        )
    assert module_z is not None
    assert module_p is not None
    if module_z >= MODULE_Z_MIN and module_p <= MODULE_P_MAX:
        return ModuleGate(significant=True, note=None)
    return ModuleGate(
        significant=False,
        note=(
            "exploratory: this twin's module is not more connected than random genes "
            f"(module z = {module_z:.2f}, p = {module_p:.3g})"
        ),
    )


class ModuleGated(FrozenModel):
    """Adds ``module_significant`` and ``module_note`` (:func:`module_gate`) to a result model.

    The base of every result shown with its twin's module gate: twin summaries, rankings,
    biomarker reports and trajectory points.
    """

    module_z: float | None = None
    module_p: float | None = None

    @computed_field(  # type: ignore[prop-decorator]
        description="True when the twin's module is more connected than random genes "
        "(module z >= 1.6 and p <= 0.05); otherwise the ranking is exploratory."
    )
    @property
    def module_significant(self) -> bool:
        """Whether the module passes the gate."""
        return module_gate(self.module_z, self.module_p).significant

    @computed_field(  # type: ignore[prop-decorator]
        description="Why the ranking is exploratory (module not more connected than random "
        "genes, or not assessable); null when the module is significant."
    )
    @property
    def module_note(self) -> str | None:
        """The gate's note (``None`` when significant)."""
        return module_gate(self.module_z, self.module_p).note
