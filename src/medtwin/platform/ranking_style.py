"""A ranking's DataFrame as a notebook shows it: the CLI table's digits, the values untouched.

``RankingResult.to_frame()`` keeps every score at full precision (a frame is for computing),
so a notebook drew ``z`` as ``-2.391846`` and ``q`` as ``0.000999`` (pandas' six decimals).
:func:`styled` gives the same frame a display: ``z`` (and ``d_c`` and the other z's) with 2
decimals and every p and q to 3 significant digits, as ``medtwin rank`` prints its table
(``number(d.z, "6.2f")``, ``number(d.q, "7.3g")``), a missing value as ``—``. The frame under
the display (``styled(df).data``) is the one given, unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd
    from pandas.io.formats.style import Styler

__all__ = ["FORMATS", "styled"]

TWO_DECIMALS = "{:.2f}"
SIGNIFICANT = "{:.3g}"
FORMATS: dict[str, str] = {
    "z": TWO_DECIMALS,
    "d_c": TWO_DECIMALS,
    "disruption_z": TWO_DECIMALS,
    "p": SIGNIFICANT,
    "q": SIGNIFICANT,
    "reversal_q": SIGNIFICANT,
    "activity_reversal_q": SIGNIFICANT,
}
"""Column -> display format (``str.format``) of the columns :func:`styled` formats."""


def styled(frame: pd.DataFrame) -> Styler:
    """``frame`` (a ranking's ``to_frame()``, or some of its rows and columns) for display.

    Parameters
    ----------
    frame
        Columns named as :class:`~medtwin.platform.models.DrugScore`'s fields; those of
        :data:`FORMATS` among them are formatted, the others shown as pandas shows them.

    Returns
    -------
    pandas.io.formats.style.Styler
        Drawn by a notebook (HTML); ``.data`` is ``frame`` itself, ``.to_string()`` the text.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"drug_id": ["DB1", "DB2"], "z": [-2.391846, None],
    ...                    "q": [0.000999001, 0.04123]})
    >>> print(styled(df).hide().to_string(delimiter=" "))
    drug_id z q
    DB1 -2.39 0.000999
    DB2 — 0.0412
    <BLANKLINE>
    >>> styled(df).data is df
    True
    """
    shown: dict[Any, str | Callable[[object], str] | None] = {
        c: f for c, f in FORMATS.items() if c in frame.columns
    }
    return frame.style.format(shown, na_rep="\u2014")
