"""How a hint or a note writes its next step, in the words of the surface the user is on.

Notes in results (a stale twin's ``stale_note``, a cohort's ``rankings_note``) name the step
that brings the result up to date. The CLI user runs a command, the API client calls a route,
the notebook user calls a function: :func:`next_step` words it for the surface of the current
call (:func:`speaking_to`: the CLI's group and the API's
:class:`~medtwin.api.surface.SurfaceMiddleware` set it; unset, a call from Python). Work sent
to another thread or process takes the surface along (:func:`in_this_surface`).

Commands are written as they must be typed: a patient id may start with ``-`` (ids are
``[A-Za-z0-9_.-]{1,64}``), which click reads as an option, so such an id goes after ``--``,
behind the command's options (``medtwin rank --rerank -- -P1``). No ``medtwin`` import at the
top (:mod:`medtwin.store` uses it too); :mod:`medtwin.api_routes` and :mod:`medtwin.python_calls`
are imported when a step is worded for the API or Python.
"""

from __future__ import annotations

import contextvars
import functools
import re
import shlex
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal, TypeVar

__all__ = [
    "MAX_TWIN_VERSION",
    "Surface",
    "in_callers_words",
    "in_this_surface",
    "next_step",
    "patient_command",
    "speaking_to",
    "surface",
    "twin_version_refusal",
    "version_option",
]

MAX_TWIN_VERSION = 1_000_000
"""The largest twin version the Python use cases (:func:`~medtwin.platform.arguments.twin_version`),
the CLI's ``--version``/``--from``/``--to`` and the API's ``version``/``from``/``to`` take: one
limit for all three (the CLI took up to 2**63-1, Python any int). Python and the CLI refuse in
:func:`twin_version_refusal`'s words, the API in pydantic's (its 422 and OpenAPI bounds). A patient
is rebuilt far fewer times. Here, not in :mod:`medtwin.domain`: the CLI's options need it without
importing pydantic."""

TWIN_VERSIONS = f"a twin version is a whole number from 1 to {MAX_TWIN_VERSION}"


def twin_version_refusal(given: str, number: int | None) -> str | None:
    """Why a value is not a twin version, in the words Python and the CLI share; ``None``: it is.

    ``given``: the value as the caller wrote it (``'abc'`` on a command line, ``version 0`` in
    Python); ``number``: it as a whole number, ``None`` when it is not one.

    >>> twin_version_refusal("'1.5'", None)
    "'1.5' is not a whole number: a twin version is a whole number from 1 to 1000000"
    >>> twin_version_refusal("version 0", 0)
    'version 0 is below 1: a twin version is a whole number from 1 to 1000000'
    >>> twin_version_refusal("'2000000'", 2_000_000)
    "'2000000' is above 1000000: a twin version is a whole number from 1 to 1000000"
    >>> twin_version_refusal("'3'", 3) is None
    True
    """
    if number is None:
        why = "is not a whole number"
    elif number < 1:
        why = "is below 1"
    elif number > MAX_TWIN_VERSION:
        why = f"is above {MAX_TWIN_VERSION}"
    else:
        return None
    return f"{given} {why}: {TWIN_VERSIONS}"


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


T = TypeVar("T")


def in_this_surface(fn: Callable[..., T], where: Surface | None = None) -> Callable[..., T]:
    """``fn`` to run elsewhere (a pool's thread, a worker process) speaking to ``where``.

    A context variable does not cross to another thread (a ``ThreadPoolExecutor``'s threads
    start from an empty context) nor to another process, so work sent there spoke Python under
    the CLI. ``where``: the current :func:`surface` by default, taken now, when the work is sent.
    The result pickles when ``fn`` does.

    >>> from concurrent.futures import ThreadPoolExecutor
    >>> with speaking_to("cli"), ThreadPoolExecutor(1) as pool:
    ...     pool.submit(surface).result(), pool.submit(in_this_surface(surface)).result()
    ('python', 'cli')
    """
    return functools.partial(_speaking, where or surface(), fn)


def _speaking(where: Surface, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    with speaking_to(where):
        return fn(*args, **kwargs)


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


def version_option(version: int | None) -> tuple[str, ...]:
    """The options naming twin version ``version`` (``None``: the latest, named by none).

    A hint printed with a result of twin version N names its next commands with it: without it,
    a command reads the latest twin, not the one the result came from.

    >>> patient_command("rank", "P1", "--rerank", *version_option(2))
    'medtwin rank P1 --rerank --version 2'
    >>> patient_command("rank", "P1", *version_option(None))
    'medtwin rank P1'
    """
    return () if version is None else (f"--version {version}",)


def next_step(command: str, *, route: str | None = None, call: str | None = None) -> str:
    """The step as the surface words it: ``run `<command>` ``, ``call <route>`` or a Python call.

    ``command``: the ``medtwin`` command line; ``route``: what the API client calls instead
    (``None``: the one :func:`~medtwin.api_routes.api_route` maps the command to; the command
    itself when there is none); ``call``: the Python call (``None``: the one
    :mod:`~medtwin.python_calls` maps the command to, if any).

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
    return _step(command, surface(), route=route, call=call)


def _step(command: str, where: Surface, *, route: str | None, call: str | None) -> str:
    if where == "cli":
        return f"run `{command}`"
    # The tables of routes and calls (~40 regular expressions, compiled at their import) are
    # imported where a step is worded for the API or Python, never for the CLI: every command
    # imports this module at start-up and speaks to the CLI (`make bench-data`, docs/design.md).
    from medtwin.api_routes import api_route
    from medtwin.python_calls import python_step

    words = command.removeprefix("medtwin ")
    if where == "api":
        route = route or api_route(words)
        if route is not None:
            return f"call {route}"
        python = f"`{call}`" if call else python_step(words)
        if python and (why := _no_route(words)):
            # a feature without a route: the client cannot "run" a command, so say where it
            # is done. No "run " before the quoted command: in_callers_words would word it again.
            return f"`{command}` where the server runs, or {python} in Python ({why})"
    if where == "python":
        python = f"`{call}`" if call else python_step(words)
        if python is not None:
            return f"call {python}"
    return f"run `{command}`"


def _no_route(words: str) -> str | None:
    """Why a feature has no route (``None`` too for the server's administration, ``db``...)."""
    from medtwin.api_routes import cli_only_reason  # as in _step: not at start-up

    why = cli_only_reason(words)
    return why if why and why.startswith("no route") else None


_QUOTED = re.compile(r"(?P<run>\brun )?`(?P<command>medtwin [^`]+)`")
"""A command quoted in a text, with the ``run`` before it if any."""


def in_callers_words(text: str, where: Surface | None = None) -> str:
    """``text`` with each ``medtwin`` command it quotes in the words of the surface ``where``.

    For a hint or a note written with its commands (stored on a twin, or an error's, which the
    CLI prints as it is): ``run `medtwin X` `` becomes :func:`next_step`'s step, another quoted
    command its route or Python call alone (in backticks for Python). A command without a route
    or call (``medtwin db start``) stays. ``where``: the current :func:`surface` by default.

    >>> hint = "build one with `medtwin twin build P1`; then run `medtwin rank P1`"
    >>> print(in_callers_words(hint, "api"))
    build one with POST /v1/patients/P1/twins; then call POST /v1/patients/P1/rankings
    >>> print(in_callers_words(hint, "python"))
    build one with `twins.build_twin(store, "P1")`; then call `rankings.rank_drugs(store, "P1")`
    >>> in_callers_words(hint, "cli") == hint
    True
    >>> print(in_callers_words("start it: run `medtwin db start`", "api"))
    start it: run `medtwin db start`
    """
    where = where or surface()
    if where == "cli":
        return text

    def spoken(found: re.Match[str]) -> str:
        command = found["command"]
        step = _step(command, where, route=None, call=None)
        if found["run"]:
            return step
        if step.startswith("call "):
            return step.removeprefix("call ")
        return found[0]

    return _QUOTED.sub(spoken, text)
