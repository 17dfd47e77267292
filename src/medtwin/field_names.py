"""Unknown parameter names: refused with the closest valid one, never silently ignored.

Pydantic ignores keyword arguments that are no field: ``RankParams(n_sample=10)`` ranked with the
default 1,000 samples and ``TwinParams(padj_maxx=1)`` built the default twin, with no word. The
parameter models (:class:`~medtwin.domain.TwinParams`,
:class:`~medtwin.platform.models.RankParams`) derive from :class:`KnownFields`, which refuses an
unknown name with one :class:`~medtwin.errors.InputError` line that names it and, when one is
close enough (:mod:`difflib`) or a known synonym, the field meant.

Parameters read back from the database are not the user's typing: a twin or ranking stored by
another medtwin may carry a field this one no longer has. Those reads pass
:data:`STORED_CONTEXT` and the extra names are dropped, as before.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from pydantic import BaseModel, ValidationInfo, model_validator

from medtwin.errors import InputError

__all__ = ["STORED_CONTEXT", "KnownFields", "closest_name", "unknown_fields_error"]

STORED_CONTEXT: Mapping[str, bool] = {"stored": True}
"""Validation context of parameters read back from storage (unknown names dropped, not refused)."""


def closest_name(
    name: str, fields: Sequence[str], synonyms: Mapping[str, str] | None = None
) -> str | None:
    """The field ``name`` was probably meant to be, or ``None`` when none is close.

    A misspelt field (difflib ratio ≥ 0.6) or a word other tools use for one (``synonyms``,
    e.g. ``n_permutations`` → ``n_samples``), misspelt or not.

    >>> closest_name("n_sample", ["methods", "n_samples", "max_samples"])
    'n_samples'
    >>> closest_name("n_permutation", ["n_samples"], {"n_permutations": "n_samples"})
    'n_samples'
    >>> closest_name("colour", ["n_samples"]) is None
    True
    """
    words = {**(synonyms or {}), **{f: f for f in fields}}
    found = difflib.get_close_matches(name, list(words), n=1, cutoff=0.6)
    return words[found[0]] if found else None


def unknown_fields_error(
    owner: str,
    unknown: Sequence[str],
    fields: Sequence[str],
    synonyms: Mapping[str, str] | None = None,
) -> InputError:
    """The error for names ``unknown`` that ``owner`` (``"RankParams"``) has no field of.

    >>> str(unknown_fields_error("RankParams", ["n_sample"], ["methods", "n_samples"]))
    "RankParams has no field 'n_sample' (did you mean 'n_samples'?)"
    >>> e = unknown_fields_error("TwinParams", ["colour"], ["seed", "layers"])
    >>> str(e), e.hint
    ("TwinParams has no field 'colour'", 'its fields: seed, layers')
    """
    named = []
    for name in unknown:
        meant = closest_name(name, fields, synonyms)
        named.append(f"{name!r}" + (f" (did you mean {meant!r}?)" if meant else ""))
    return InputError(
        f"{owner} has no field {', '.join(named)}", hint=f"its fields: {', '.join(fields)}"
    )


class KnownFields(BaseModel):
    """Base of parameter models: a keyword that is no field is an :class:`InputError`.

    Subclasses may name words users reach for in :attr:`FIELD_SYNONYMS`. A subclass that sets
    ``extra="forbid"`` itself (the API's request models) keeps pydantic's own 422 answer.

    >>> class Params(KnownFields):
    ...     n_samples: int = 10
    >>> try:
    ...     Params(n_sample=5)
    ... except InputError as e:
    ...     print(e)
    Params has no field 'n_sample' (did you mean 'n_samples'?)
    >>> Params.model_validate({"n_sample": 5}, context=STORED_CONTEXT)
    Params(n_samples=10)
    """

    FIELD_SYNONYMS: ClassVar[Mapping[str, str]] = {}
    """Words for a field that are not its name (``{"n_permutations": "n_samples"}``)."""

    @model_validator(mode="before")
    @classmethod
    def _refuse_unknown_fields(cls, data: Any, info: ValidationInfo) -> Any:
        # An InputError, not a ValueError: pydantic lets it through as raised (one line)
        # instead of wrapping it in a several-line ValidationError.
        stored = bool(info.context and info.context.get("stored"))
        if stored or not isinstance(data, dict) or cls.model_config.get("extra") == "forbid":
            return data
        unknown = [str(k) for k in data if k not in cls.model_fields]
        if unknown:
            raise unknown_fields_error(
                cls.__name__, unknown, list(cls.model_fields), cls.FIELD_SYNONYMS
            )
        return data
