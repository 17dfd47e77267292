"""How a hint or a note writes its next step, in the words of the surface the user is on.

Notes in results (a stale twin's ``stale_note``, a cohort's ``rankings_note``) name the step
that brings the result up to date. The CLI user runs a command, the API client calls a route,
the notebook user calls a function: :func:`next_step` words it for the surface of the current
call (:func:`speaking_to`: the CLI's group and the API's
:class:`~medtwin.api.middleware.SurfaceMiddleware` set it; unset, a call from Python).

Commands are written as they must be typed: a patient id may start with ``-`` (ids are
``[A-Za-z0-9_.-]{1,64}``), which click reads as an option, so such an id goes after ``--``,
behind the command's options (``medtwin rank --rerank -- -P1``). No ``medtwin`` import but
:mod:`medtwin.python_calls`: :mod:`medtwin.store` uses it too.
"""

from __future__ import annotations

import contextvars
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from medtwin.python_calls import python_calls

__all__ = ["Surface", "next_step", "patient_command", "speaking_to", "surface"]

Surface = Literal["cli", "api", "python"]
"""Where the current call came from: the ``medtwin`` command, an HTTP request, or Python."""

# A context variable: the API serves requests on many threads, and a test process runs CLI,
# API and Python calls one after the other.
_surface: contextvars.ContextVar[Surface] = contextvars.ContextVar(
    "medtwin_surface", default="python"
)


@contextmanager
def speaking_to(where: Surface) -> Iterator[None]:
    """Word the next steps of the calls made inside for ``where``."""
    token = _surface.set(where)
    try:
        yield
    finally:
        _surface.reset(token)


def surface() -> Surface:
    """The surface of the current call (``"python"`` unless :func:`speaking_to` says else)."""
    return _surface.get()


def patient_command(command: str, patient_id: str, *options: str) -> str:
    """``medtwin <command> <patient_id> <options>`` as it must be typed (without backticks).

    ``options`` are written as given (``"--top 10"``, ``"..."``).

    >>> patient_command("rank", "P1", "--rerank")
    'medtwin rank P1 --rerank'
    >>> patient_command("rank", "-P1", "--rerank")
    'medtwin rank --rerank -- -P1'
    >>> patient_command("patient add", "-P1", "...")
    'medtwin patient add ... -- -P1'
    """
    pid = shlex.quote(patient_id)
    if patient_id.startswith("-"):
        return " ".join(["medtwin", command, *options, "--", pid])
    return " ".join(["medtwin", command, pid, *options])


def next_step(command: str, *, route: str | None = None, call: str | None = None) -> str:
    """The step as the surface words it: ``run `<command>` ``, ``call <route>`` or a Python call.

    ``command``: the ``medtwin`` command line; ``route``: what the API client calls instead
    (``None``: the API has none, the command is named); ``call``: the Python call (``None``: the
    one :func:`~medtwin.python_calls.python_calls` maps the command to, if any).

    >>> step = "medtwin twin build P1"
    >>> next_step(step, route="POST /v1/patients/P1/twins")
    'call `twins.build_twin(store, "P1")`'
    >>> with speaking_to("api"):
    ...     next_step(step, route="POST /v1/patients/P1/twins")
    'call POST /v1/patients/P1/twins'
    >>> with speaking_to("cli"):
    ...     next_step(step, route="POST /v1/patients/P1/twins")
    'run `medtwin twin build P1`'
    """
    where = surface()
    if where == "api" and route is not None:
        return f"call {route}"
    if where == "python":
        python = call or next(iter(python_calls(f"`{command}`")), None)
        if python is not None:
            return f"call `{python}`"
    return f"run `{command}`"
