"""Exception hierarchy of medtwin.

Every error a user can cause is a :class:`MedtwinError`; the CLI prints it as one line
(``ErrorName: message``) and the API maps it to a JSON body. Anything else is a bug.

::

    MedtwinError
    ├── ConfigError
    ├── InputError
    │   ├── SourceFormatError        (a file's line is malformed)
    │   ├── NotFoundError            (unknown patient, twin, drug, dataset)
    │   ├── UnknownMethodError       (unknown ranking method name)
    │   ├── ExploratoryModuleError   (rank --require-module on a twin without a significant module)
    │   └── InputTooLarge            (an input exceeds a size limit; API 413)
    ├── ConflictError                (another operation on the same patient is running; API 409)
    ├── DataFetchError               (a pinned source cannot be fetched or fails its checksum)
    ├── ServerInstallError           (the local Neo4j/GDS cannot be installed or started)
    └── GraphStoreError
        ├── GraphStoreUnavailable    (the server does not answer)
        ├── GdsNotInstalled          (the server answers but has no GDS)
        ├── QueryFailed              (a query failed on the server)
        ├── StoreClosed              (a store used after its close())
        └── UnsupportedByStore       (the store in use lacks a verb: the in-memory store; API 501)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

__all__ = [
    "BUSY_RETRY_S",
    "ConfigError",
    "ConflictError",
    "DataFetchError",
    "ExploratoryModuleError",
    "GdsNotInstalled",
    "GraphStoreError",
    "GraphStoreUnavailable",
    "InputError",
    "InputTooLarge",
    "MedtwinError",
    "NotFoundError",
    "QueryFailed",
    "ServerInstallError",
    "SourceFormatError",
    "StoreClosed",
    "UNAVAILABLE_RETRY_S",
    "UnknownMethodError",
    "UnsupportedByStore",
    "names_patient",
]


class MedtwinError(Exception):
    """Base of every error a user can cause or fix.

    Parameters
    ----------
    message
        What failed, which value, and how to fix it.
    hint
        An optional next step printed on its own line by the CLI. It is also the exception's
        note (PEP 678), so a traceback in a notebook or a script shows it under the message;
        ``str(error)`` stays the message alone.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    @property
    def hint(self) -> str | None:
        """The next step (see the class docstring)."""
        return self._hint

    @hint.setter
    def hint(self, value: str | None) -> None:
        # Before, a notebook showed 'NotFoundError: no patient P1' without the hint, which only
        # the CLI printed. One note for the hint: a hint set again replaces it.
        notes: list[str] = getattr(self, "__notes__", [])
        old = getattr(self, "_note", None)
        if old and old in notes:
            notes.remove(old)
        self._hint = value
        self._note = _note(self.message, value)
        if self._note:
            self.add_note(self._note)

    @property
    def python_calls(self) -> list[str]:
        """The Python calls of the ``medtwin`` commands the message and hint name.

        Shown in the note a traceback prints (:mod:`medtwin.python_calls`); empty when the
        commands have no use case (``medtwin db start``) or none is named.
        """
        from medtwin.python_calls import python_calls  # as in _note: not at start-up

        return python_calls(f"{self.message}\n{self._hint or ''}")

    def __str__(self) -> str:
        return self.message


def _note(message: str, hint: str | None) -> str | None:
    """The note of an error: its hint, and the Python calls of the commands it names."""
    # Imported with the first error, not with this module: every command imports the errors at
    # start-up, and the table of calls compiles ~20 regular expressions (docs/design.md).
    from medtwin.python_calls import python_steps

    steps = python_steps(f"{message}\n{hint or ''}")  # each call, options not in Python named
    python = "Python: " + ", ".join(steps) if steps else None
    if not hint:
        return python
    return f"hint: {hint}" + (f" ({python})" if python else "")


class ConfigError(MedtwinError):
    """A setting is missing or invalid."""


class InputError(MedtwinError):
    """User input (a file, an id, a parameter) is invalid."""


class SourceFormatError(InputError):
    """A line of an input file is malformed.

    Parameters
    ----------
    path
        The file.
    line
        1-based line number (``None`` when the problem is the whole file).
    reason
        What is wrong with that line and how to fix it.
    """

    def __init__(self, path: Path | str, line: int | None, reason: str) -> None:
        self.path = Path(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}" if line is None else f"{self.path}:{line}"
        super().__init__(f"{where}: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        # Its own arguments, not the message: an error raised in another process (the bulk
        # import's aside process, a Dask worker) is pickled on its way back.
        return (type(self), (self.path, self.line, self.reason), self.__dict__)


class NotFoundError(InputError):
    """A named thing (patient, twin version, drug, dataset) does not exist."""


class ExploratoryModuleError(InputError):
    """A significant twin module was required (``rank --require-module``) and is missing."""


class UnknownMethodError(InputError):
    """A ranking method name is not in the registry."""


class InputTooLarge(InputError):
    """An input exceeds a size limit (bytes, decompressed bytes, lines, line length, cells).

    The message names the limit and the setting that raises it.
    """


BUSY_RETRY_S = 5
"""Seconds after which a request refused because a patient is busy may be sent again.

A twin build or a ranking of one patient, the usual holders of its lock, take seconds (the demo:
0.4 s per twin, 4 s per ranking of 1,339 drugs); the API sends it as ``Retry-After``.
"""


class ConflictError(MedtwinError):
    """Another operation on the same patient is running (twin build, ranking, delete, add).

    Parameters
    ----------
    retry_after
        Seconds after which the same request may succeed (the API's ``Retry-After``), or
        ``None`` when waiting does not help: something must be done first (a killed
        ``patient add-cohort`` rerun), which the message says.
    """

    def __init__(
        self, message: str, *, hint: str | None = None, retry_after: int | None = BUSY_RETRY_S
    ) -> None:
        super().__init__(message, hint=hint)
        self.retry_after = retry_after


class DataFetchError(MedtwinError):
    """A pinned reference file cannot be fetched, or its checksum does not match."""


class ServerInstallError(MedtwinError):
    """The project-managed Neo4j server cannot be installed, started or stopped."""


class GraphStoreError(MedtwinError):
    """Base of errors raised while talking to the graph database."""


UNAVAILABLE_RETRY_S = 10
"""Seconds after which a request refused because the database does not answer may be sent again
(the API's ``Retry-After``): the API reconnects on the next request, and ``medtwin db start``
brings the local server up in 10-20 s."""


class GraphStoreUnavailable(GraphStoreError):
    """The database does not answer at the configured URI.

    ``retry_after``: as :class:`ConflictError`'s; ``None`` for a condition that a wait does not
    end (credentials refused, a database restored under a running process).
    """

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        retry_after: int | None = UNAVAILABLE_RETRY_S,
    ) -> None:
        super().__init__(message, hint=hint)
        self.retry_after = retry_after


class GdsNotInstalled(GraphStoreError):
    """The database answers but the Graph Data Science plugin is missing."""


class QueryFailed(GraphStoreError):
    """A query was rejected or failed on the server."""


class StoreClosed(GraphStoreError):
    """A store was used after its ``close()`` (e.g. after a ``with medtwin.connect()`` block)."""


class UnsupportedByStore(GraphStoreError):
    """The store in use does not implement an operation (the in-memory test store's list)."""


def names_patient(text: str, patient_id: str) -> bool:
    """Whether ``text`` (an error's message) names ``patient_id`` as ``patient <id>`` already.

    A batch's report puts ``patient <id>: `` before a failure's message only when the message
    does not say it: ``patient C1: InputError: patient C1: none of …`` named it twice. The id
    must end where a patient id ends (ids are ``[A-Za-z0-9_.-]``), so ``patient P10`` does not
    name ``P1``; a dot ending the sentence (``… of patient P1.``) is not part of the id.

    >>> names_patient("patient P1: no changed gene", "P1"), names_patient("no patient P1.", "P1")
    (True, True)
    >>> names_patient("patient P10 has no twin", "P1"), names_patient("no seed gene", "P1")
    (False, False)
    """
    after_id = r"(?![A-Za-z0-9_-]|\.[A-Za-z0-9_-])"
    return re.search(f"patient {re.escape(patient_id)}{after_id}", text) is not None
