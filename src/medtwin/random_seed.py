"""The one bound on a random seed, for the CLI, the API, the Python use cases and the models.

No pydantic here: a CLI ``--help`` reads this module (the pydantic type is
:data:`medtwin.domain.Seed`).

A seed is handed to numpy's ``default_rng`` (any integer >= 0), may reach GDS as ``randomSeed``
(a Java long: up to 2**63 - 1), and travels as JSON in API requests, responses, stored twin and
ranking parameters and exports. JSON is the narrowest: RFC 8259 section 6 promises integers only
within +-(2**53 - 1), the doubles a browser's ``JSON.parse`` (the viewer, ``/docs``) reads
exactly; 2**53 + 1 comes back as 2**53. So :data:`MAX_SEED` is 2**53 - 1, the widest bound every
consumer takes correctly. The API took up to 2**31 - 1 and the CLI and models up to 2**63 - 1
before, so a twin seeded from the CLI above 2**31 - 1 could not be repeated through the API.
"""

from __future__ import annotations

import operator

from medtwin.errors import InputError

__all__ = ["MAX_SEED", "SEED_RULE", "check_seed", "seed_or_value_error"]

MAX_SEED = 2**53 - 1
"""The largest seed taken anywhere (9007199254740991): see the module docstring for why."""

SEED_RULE = f"must be a whole number from 0 to 2**53 - 1 ({MAX_SEED}, what JSON carries exactly)"
"""The one wording of a refused seed, after the option or field name."""


def seed_or_value_error(value: object) -> int:
    """``value`` as a seed, or a ``ValueError`` worded by :data:`SEED_RULE` (pydantic, click)."""
    try:
        if isinstance(value, bool):  # True is an int to Python, not a seed
            raise TypeError
        seed = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise ValueError(f"{SEED_RULE}, got {value!r}") from None
    if not 0 <= seed <= MAX_SEED:
        raise ValueError(f"{SEED_RULE}, got {seed}")
    return seed


def check_seed(value: object, name: str = "seed") -> int:
    """``value`` as a seed, or an :class:`~medtwin.errors.InputError` naming ``name``.

    >>> check_seed(MAX_SEED) == MAX_SEED
    True
    >>> check_seed(MAX_SEED + 1)
    Traceback (most recent call last):
    ...
    medtwin.errors.InputError: seed must be a whole number from 0 to 2**53 - 1 \
(9007199254740991, what JSON carries exactly), got 9007199254740992
    """
    try:
        return seed_or_value_error(value)
    except ValueError as e:
        raise InputError(f"{name} {e}") from None
