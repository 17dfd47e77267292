"""The base of medtwin's result models: frozen pydantic models with a short ``repr``.

Light on purpose (pydantic only): the data commands' models (:mod:`medtwin.platform.cohort_summary`)
share it without importing the ranking models.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict

__all__ = ["REPR_ITEMS", "FrozenModel"]

REPR_ITEMS = 10
"""A tuple field longer than this shows its length and first item in a model's ``repr``."""


class _Shown:
    """A value whose ``repr`` is the given text (for :meth:`FrozenModel.__repr_args__`)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


class FrozenModel(BaseModel):
    """Base of the result models: frozen, so a result is a value.

    Its ``repr`` shortens long tuples: a ranking of 4,706 drugs left as a notebook cell's value
    printed 3.2 MB; now one line (``to_frame()``, ``model_dump()`` and the fields give it all).

    Examples
    --------
    >>> class Ranked(FrozenModel):
    ...     drugs: tuple[str, ...]
    >>> Ranked(drugs=tuple(f"DB{i:05d}" for i in range(4706)))
    Ranked(drugs=<4706 items, the first 'DB00000'>)
    >>> Ranked(drugs=("DB1", "DB2"))
    Ranked(drugs=('DB1', 'DB2'))
    """

    model_config = ConfigDict(frozen=True)

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            if isinstance(value, tuple) and len(value) > REPR_ITEMS:
                value = _Shown(f"<{len(value)} items, the first {value[0]!r}>")
            yield name, value
