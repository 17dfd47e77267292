"""The base of medtwin's result models: frozen pydantic models with a short ``repr``.

Light on purpose (pydantic only): the data commands' models (:mod:`medtwin.platform.cohort_summary`)
share it without importing the ranking models.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["REPR_ITEMS", "FrozenModel", "Rows", "frame_of"]

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

    model_config = ConfigDict(frozen=True, defer_build=True)

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            if isinstance(value, tuple) and len(value) > REPR_ITEMS:
                value = _Shown(f"<{len(value)} items, the first {value[0]!r}>")
            yield name, value


def frame_of(rows: Iterable[BaseModel], model: type[BaseModel]) -> pd.DataFrame:
    """``rows`` (of ``model``) as a pandas DataFrame: one row each, one column per field.

    What a result's ``to_frame()`` returns for its main table. No rows is an empty frame with
    the columns still there, so ``frame[["rank", "symbol"]]`` works on it too.

    Examples
    --------
    >>> class Row(FrozenModel):
    ...     id: str
    ...     z: float
    >>> frame_of([Row(id="a", z=1.5), Row(id="b", z=-2.0)], Row).to_dict("records")
    [{'id': 'a', 'z': 1.5}, {'id': 'b', 'z': -2.0}]
    >>> list(frame_of([], Row).columns)
    ['id', 'z']
    """
    import pandas as pd  # pandas only for who asks for a frame (CLI start-up)

    columns = [*model.model_fields, *model.model_computed_fields]
    return pd.DataFrame([r.model_dump() for r in rows], columns=columns)


R = TypeVar("R", bound=BaseModel)


class Rows(list[R]):
    """A use case's list of result rows that also gives a DataFrame: :meth:`to_frame`.

    Still a plain ``list`` to every caller (equality, JSON, the API's response models); the
    model is kept so that no row still gives the columns.

    >>> class Row(FrozenModel):
    ...     id: str
    >>> rows = Rows(Row, [Row(id="a")])
    >>> rows == [Row(id="a")], list(rows.to_frame().columns), len(Rows(Row).to_frame().columns)
    (True, ['id'], 1)
    """

    def __init__(self, model: type[R], rows: Iterable[R] = ()) -> None:
        super().__init__(rows)
        self.model = model

    def to_frame(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame, one row each in this order, one column per field."""
        return frame_of(self, self.model)
