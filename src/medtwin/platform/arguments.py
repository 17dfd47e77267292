"""Arguments of the public use cases, checked once where a notebook hands them over.

The CLI and the API give the use cases typed values (click and pydantic convert them). A Python
caller may not: ``"out.tsv"`` where a :class:`~pathlib.Path` is expected, ``"10"`` for a limit,
``"P1"`` for a list of ids (which Python happily iterates as ``P``, ``1``). Each public function
converts such an argument at its top with one of these helpers, so a wrong type is one
:class:`~medtwin.errors.InputError` naming the argument, not a Python error deep inside.

The choices:

- a path may be a ``str`` or any ``os.PathLike``: converting is unambiguous;
- a switch must be a ``bool`` (``skip_current="no"`` acted as true);
- a number must be an ``int`` or a numpy integer (``bool``, ``10.0`` and ``"10"`` refused): a
  string there is a mistake that a silent conversion would hide;
- a twin version is such a number from 1 to :data:`~medtwin.command_lines.MAX_TWIN_VERSION`, as
  the CLI's and the API's (:func:`twin_version`);
- a list of ids must not be a bare ``str``: read as one id it would make ``"P1,P2"`` one patient
  id, read as characters it is nonsense, so it is refused with the fix (``["P1"]``);
- parameters (``TwinParams``, ``RankParams``) may be given as a dict of their fields;
- text a patient's add stores (a note, a file name, metadata) must be UTF-8 (:func:`utf8_only`).
"""

from __future__ import annotations

import dataclasses
import operator
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar, overload

from pydantic import BaseModel, ValidationError

from medtwin.command_lines import in_callers_words, patient_command, twin_version_refusal
from medtwin.errors import InputError
from medtwin.field_names import unknown_fields_error
from medtwin.loaders.patient_rows import PatientProfile
from medtwin.platform.safe_text import utf8_text

__all__ = [
    "MAX_INT",
    "as_path",
    "callback",
    "count",
    "flag",
    "id_list",
    "names_file",
    "utf8_only",
    "optional_count",
    "params_of",
    "twin_version",
    "validation_words",
]

M = TypeVar("M")
C = TypeVar("C", bound=Callable[..., object])

MAX_INT = 2**63 - 1
"""The largest integer Neo4j (and numpy's int64) hold: a larger limit was an OverflowError."""


def _shown(value: object) -> str:
    return f"{value!r} ({type(value).__name__})"


def validation_words(e: ValidationError) -> str:
    """Pydantic's errors as one line: each field, the value given and what is wrong.

    ``str(e)`` is several lines ending in an errors.pydantic.dev link per error, which read as a
    traceback in a notebook's error message.

    Examples
    --------
    >>> from pydantic import BaseModel, Field
    >>> class P(BaseModel):
    ...     fdr: float = Field(le=1)
    >>> try:
    ...     P(fdr=5)
    ... except ValidationError as e:
    ...     print(validation_words(e))
    fdr 5: Input should be less than or equal to 1
    """
    return "; ".join(
        f"{'.'.join(map(str, err['loc'])) or 'value'} {err['input']!r}: {err['msg']}"
        for err in e.errors(include_url=False)
    )


def as_path(value: str | os.PathLike[str], name: str) -> Path:
    """``value`` as a :class:`~pathlib.Path` (from a ``str`` or any path-like)."""
    if isinstance(value, Path):
        return value
    if isinstance(value, str | os.PathLike) and not isinstance(value, bytes):
        return Path(value)
    raise InputError(f"{name} must be a file path (str or pathlib.Path), got {_shown(value)}")


def names_file(value: str | os.PathLike[str], *, or_other: bool = False) -> bool:
    """Whether ``value`` names a regular file (``or_other``: or anything that exists).

    False for text that can name nothing: ``Path.is_file`` raises on a name longer than the file
    system's 255 bytes (``ENAMETOOLONG``; Python 3.11 ignores only "no such file" errors), so
    ``patient add --symptoms`` with 24 comma-separated HPO ids (263 characters, which it tries
    as a file of them first) ended in "OSError: HP:0001945,…: File name too long", as did a
    long ``--targets`` word. Empty text names nothing either, although ``Path("")`` is the
    current folder: ``rank --targets ''`` said ``SourceFormatError: .: is a folder, not a file``.

    >>> names_file("HP:0001945," * 30), names_file("/"), names_file("/", or_other=True)
    (False, False, True)
    >>> names_file("", or_other=True)
    False
    """
    if not os.fspath(value):
        return False
    try:
        return Path(value).exists() if or_other else Path(value).is_file()
    except (OSError, ValueError):  # ValueError: a NUL in the text
        return False


def count(value: int, name: str, *, minimum: int = 0) -> int:
    """``value`` if it is a whole number (a numpy integer too) of at least ``minimum``."""
    try:
        if isinstance(value, bool):
            raise TypeError
        value = operator.index(value)
    except TypeError:
        raise InputError(f"{name} must be a whole number (int), got {_shown(value)}") from None
    if value < minimum:
        raise InputError(f"{name} must be >= {minimum}, got {value}")
    if value > MAX_INT:
        raise InputError(f"{name} must be below 2**63 (what the database stores), got {value}")
    return value


@overload
def twin_version(value: int, patient_id: str, name: str = ...) -> int: ...
@overload
def twin_version(value: None, patient_id: str, name: str = ...) -> None: ...
def twin_version(value: int | None, patient_id: str, name: str = "version") -> int | None:
    """``value`` if it is ``None`` (the latest twin) or a twin version, else an :class:`InputError`.

    The bound of the CLI's ``--version`` and the API's ``version``
    (:data:`~medtwin.command_lines.MAX_TWIN_VERSION`), so that a notebook's ``version=0`` or
    ``version=10**20`` is refused in the CLI's words before any read: before, the first read
    "patient P1 has no twin version 0" and the second an integer overflow in the database driver.
    ``patient_id`` names the call that lists the patient's versions in the hint.

    >>> twin_version(2, "P1"), twin_version(None, "P1")
    (2, None)
    >>> twin_version(0, "P1")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    medtwin.errors.InputError: version 0 is below 1: a twin version is a whole number from 1 to ...
    """
    if value is None:
        return None
    try:
        if isinstance(value, bool):
            raise TypeError
        number: int | None = operator.index(value)
    except TypeError:
        number = None
    why = twin_version_refusal(f"{name} {_shown(value) if number is None else number}", number)
    if why is not None:
        # the patient id is checked after this (by the store): a wrong one must not fail here
        pid = patient_id if isinstance(patient_id, str) and patient_id else "PATIENT"
        step = patient_command("twin list", pid)
        raise InputError(why, hint=in_callers_words(f"`{step}` lists the patient's versions"))
    return number


def optional_count(value: int | None, name: str, *, minimum: int = 0) -> int | None:
    """As :func:`count`, ``None`` allowed (no limit)."""
    return None if value is None else count(value, name, minimum=minimum)


def flag(value: bool, name: str) -> bool:
    """``value`` if it is a ``bool`` (a numpy bool too): ``"no"`` is a non-empty, true string."""
    kind = type(value)
    if isinstance(value, bool) or (
        kind.__module__ == "numpy" and kind.__name__ in {"bool", "bool_"}
    ):
        return bool(value)
    raise InputError(f"{name} must be True or False, got {_shown(value)}")


def callback(value: C | None, name: str) -> C | None:
    """``value`` if it is callable or ``None`` (``progress=True`` would fail deep inside)."""
    if value is None or callable(value):
        return value
    raise InputError(
        f"{name} must be a function or None, got {_shown(value)}",
        hint=f"e.g. {name}=lambda step, done, total: print(step, done, total)",
    )


def id_list(value: Iterable[str], name: str) -> list[str]:
    """``value`` as a list of strings; a bare ``str`` is refused (see the module docstring)."""
    if isinstance(value, str | bytes):
        raise InputError(
            f"{name} must be a list, not the string {value!r}",
            hint=f"give a list, e.g. [{value!r}]",
        )
    if not isinstance(value, Iterable) or isinstance(value, Mapping | BaseModel):
        raise InputError(f"{name} must be a list of ids (strings), got {_shown(value)}")
    out = list(value)
    wrong = [v for v in out if not isinstance(v, str)]
    if wrong:
        raise InputError(f"{name} must hold ids as strings, got {_shown(wrong[0])}")
    return out


def params_of(value: M | Mapping[str, object] | None, model: type[M], name: str) -> M | None:
    """``value`` as ``model``: the model itself, a dict of its fields, or ``None``.

    ``model``: a pydantic model (``TwinParams``, ``RankParams``) or a dataclass
    (``InputOptions``).
    """
    if value is None or isinstance(value, model):
        return value
    article = "an" if model.__name__[0] in "AEIOU" else "a"
    if not isinstance(value, Mapping):
        raise InputError(
            f"{name} must be {article} {model.__name__} or a dict of its fields, "
            f"got {_shown(value)}"
        )
    fields = _fields(model)
    unknown = sorted(str(k) for k in value if k not in fields)
    if unknown:
        # pydantic ignores unknown keys: {"n_sample": 200} ran with the default n_samples
        e = unknown_fields_error(
            model.__name__, unknown, fields, getattr(model, "FIELD_SYNONYMS", None)
        )
        raise InputError(f"{name}: {e.message}", hint=e.hint)
    try:
        if issubclass(model, BaseModel):
            return model.model_validate(dict(value))
        return model(**value)
    except ValidationError as e:
        raise InputError(
            f"{name}: invalid {model.__name__}: {validation_words(e)}",
            hint=f"see help({model.__name__}) for each field's range",
        ) from None
    except (TypeError, ValueError) as e:
        raise InputError(f"{name}: invalid {model.__name__}: {e}") from None


def _fields(model: type[Any]) -> list[str]:
    if issubclass(model, BaseModel):
        return list(model.model_fields)
    return [f.name for f in dataclasses.fields(model)]


def utf8_only(
    pid: str, profiles: Iterable[tuple[str, PatientProfile]], edits: Mapping[str, str]
) -> None:
    """Refuse a patient's add whose stored text is not UTF-8 (an :class:`InputError`).

    The text: the inputs' file names, their metadata and the patient's own ``edits``
    (``note``). A lone surrogate (undecodable bytes of a path or an argument, Python's
    ``surrogateescape``) stored inside a JSON property (``json.dumps`` escapes it) came back from
    every later read as a string no JSON answer can encode: ``GET /v1/patients`` answered 500 to
    every reader, for the whole list (``tests/unit/services/test_patient_text.py``).
    """
    named = [(f"{kind} input name", n) for kind, p in profiles for n in p.input_checksums]
    for key, value in [*(m for _, p in profiles for m in p.metadata.items()), *edits.items()]:
        named += [(f"metadata '{utf8_text(key)}'", key), (f"metadata '{utf8_text(key)}'", value)]
    for what, text in named:
        if utf8_text(text) != text:
            raise InputError(
                f"patient {pid}: {what} is not UTF-8 text ('{utf8_text(text)[:200]}'); give "
                "it as UTF-8 (rename a file whose name is not)"
            )
