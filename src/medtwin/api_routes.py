"""The API route that does what a hint's ``medtwin …`` command does, for API clients.

Hints and notes are written with the CLI command of their next step (``build one with `medtwin
twin build P1```). An API client calls routes, so :func:`medtwin.command_lines.in_callers_words`
words them for it with this table, as :mod:`medtwin.python_calls` does for a notebook user: the
error bodies of the API (:mod:`medtwin.api.errors`) and the notes of its responses name
``POST /v1/patients/P1/twins`` instead. The command's options go with the route as it takes them
(:class:`Carried`): form fields (``patient add P1 --h5ad FILE --tissue NAME`` is ``POST
/v1/patients with patient_id=P1, h5ad=@FILE, tissue=NAME``; before, FILE and NAME were lost), a
JSON body or query parameters.

Some commands have no route (:data:`CLI_ONLY`): the server's own administration (``db``,
``data fetch``, ``load``, ``api-key``) is done where the server runs, and a cohort's add or
stratification has no route; their hints keep the command, which whoever runs the server can run.

No ``medtwin`` import but :mod:`medtwin.python_calls`: :mod:`medtwin.command_lines` imports this.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from medtwin.python_calls import SHELL_WORD, filled, matched, option_words

__all__ = ["API_ROUTES", "CLI_ONLY", "VERSION_QUERY", "Carried", "api_route", "cli_only_reason"]

_ID = r"(?P<id>[A-Za-z0-9<][A-Za-z0-9_.<>-]*)"  # an id, not `...`
_NAME = rf"(?P<id>{SHELL_WORD})"  # a cohort name: free text
_PATIENT = "/v1/patients/{id}"

Field = tuple[str, Literal["file", "text", "int", "flag"]]
"""A CLI option's counterpart: the API's field name, and how its value is written."""


@dataclass(frozen=True)
class Carried:
    """How a route carries the command's options: as form fields, query parameters or JSON.

    ``once``: form fields that are the patient's data besides the files (``symptoms``): when the
    command makes several requests (a field given twice: a form takes each field once), they go
    with the first only, as the files each go with one; the other fields (``padj_max``,
    ``replace``) go with every request.
    """

    style: Literal["form", "query", "json"]
    fields: Mapping[str, Field] = field(default_factory=dict)  # CLI option -> API field
    once: frozenset[str] = frozenset()


_ADD = Carried(
    "form",
    {
        **{f"--{k}": (k, "file") for k in ("de", "proteins", "variants", "vcf", "mutations")},
        **{f"--{k}": (k, "file") for k in ("fhir", "h5ad")},
        "--symptoms": ("symptoms", "text"),
        "--vcf-sample": ("vcf_sample", "text"),
        "--padj-max": ("padj_max", "text"),
        "--cell-type-key": ("cell_type_key", "text"),
        "--condition-key": ("condition_key", "text"),
        "--case": ("case", "text"),
        "--control": ("control", "text"),
        "--tissue": ("tissue", "text"),
        "--tissue-key": ("tissue_key", "text"),
        "--note": ("note", "text"),
        "--replace": ("replace", "flag"),
    },
    once=frozenset({"symptoms"}),
)
_BUILD = Carried(
    "json",
    {
        "--time-point": ("time_point", "text"),
        "--max-seeds": ("max_seeds", "int"),
        "--min-seeds": ("min_seeds", "int"),
        "--expand": ("expand", "int"),
        "--module-samples": ("module_samples", "int"),
        "--seed": ("seed", "int"),
    },
)
_RANK = Carried(
    "json",
    {
        "--targets": ("targets", "text"),
        "--samples": ("n_samples", "int"),
        "--max-samples": ("max_samples", "int"),
        "--seed": ("seed", "int"),
        "--approved-only": ("approved_only", "flag"),
        "--require-module": ("require_module", "flag"),
    },
)
_CUSTOM_RANK = Carried(
    "form",
    {
        "--targets": ("targets", "file"),
        "--samples": ("n_samples", "text"),
        "--max-samples": ("max_samples", "text"),
        "--seed": ("seed", "text"),
        "--require-module": ("require_module", "flag"),
    },
)
_TOP = Carried("query", {"--top": ("top", "int")})
_FILE_NAME = r"\S*[./]\S*|FILE\S*"  # a targets file, not a loaded source (drugbank, guney2016)

API_ROUTES: tuple[tuple[re.Pattern[str], str | None, Carried | None], ...] = tuple(
    (re.compile(pattern), route, carried)
    for pattern, route, carried in (
        (r"^twin build --all\b", None, None),  # every patient: one build route call each
        (rf"^twin build {_ID}", f"POST {_PATIENT}/twins", _BUILD),
        (rf"^twin diseases {_ID}", f"POST {_PATIENT}/twins/latest/diseases", _TOP),
        (rf"^twin trajectory {_ID}", f"POST {_PATIENT}/trajectory", None),
        (
            rf"^twin regulators {_ID}.* --by cell-type\b",  # the API's value is cell_type
            f"GET {_PATIENT}/twins/latest/regulators?by=cell_type",
            None,
        ),
        (
            rf"^twin regulators {_ID}.* --by (?P<by>\S+)",
            f"GET {_PATIENT}/twins/latest/regulators?by={{by}}",
            None,
        ),
        (rf"^twin regulators {_ID}", f"GET {_PATIENT}/twins/latest/regulators", None),
        (
            rf"^twin show {_ID}\b.* --version (?P<version>\d+)",
            f"GET {_PATIENT}/twins/{{version}}",
            None,
        ),
        (rf"^twin show {_ID}", f"GET {_PATIENT}/twins/latest", None),
        (
            rf"^biomarkers {_ID}",
            f"POST {_PATIENT}/twins/latest/biomarkers",
            Carried("query", {"--top": ("top", "int"), "--top-drugs": ("top_drugs", "int")}),
        ),
        (rf"^rank {_ID}\b.* --out\b", f"GET {_PATIENT}/rankings/latest", None),
        (
            rf"^rank {_ID}\b.* --targets (?:{_FILE_NAME})(?: |$)",
            f"POST {_PATIENT}/rankings/custom",
            _CUSTOM_RANK,
        ),
        (rf"^rank {_ID}", f"POST {_PATIENT}/rankings", _RANK),
        (
            rf"^explain {_ID} (?P<drug>[^\s.]\S*)",
            f"GET {_PATIENT}/drugs/{{drug}}/explanation",
            None,
        ),
        (rf"^report {_ID}", f"GET {_PATIENT}/report", None),
        (r"^patient add-cohort\b", None, None),
        (rf"^patient add {_ID}", "POST /v1/patients with patient_id={id}", _ADD),
        (r"^patient add\b", "POST /v1/patients", _ADD),
        (rf"^patient delete {_ID}", f"DELETE {_PATIENT}", None),
        (rf"^patient show {_ID}", f"GET {_PATIENT}", None),
        (
            r"^cohort run\b",
            "POST /v1/patients/{{id}}/twins, then POST /v1/patients/{{id}}/rankings for each "
            "patient",
            None,
        ),
        (
            rf"^cohort summary --cohort {_NAME}",
            "GET /v1/cohorts/{id!u}/summary",
            Carried("query", {"--top-drugs": ("top_drugs", "int")}),  # --top: rows printed
        ),
        (r"^describe\b", "GET /v1/datasets/summary", None),
    )
)  # fmt: skip
"""(pattern of the command after ``medtwin ``, its route or ``None``, how the route carries the
command's options); the first match wins. An option without a counterpart (``rank --rerank``) is
left out."""

CLI_ONLY: dict[str, str] = {
    "db": "administers the server's database where it runs",
    "data": "fetches reference files on the server",
    "load": "loads reference data into the server's database",
    "api-key": "makes API keys, which the server's settings hold",
    "serve": "starts the API itself",
    "demo": "loads the demo into the server's database",
    "query": "runs library queries (the Browser's too)",
    "patient add-cohort": "no route adds a cohort's samples in one request",
    "cohort stratify": "no route stratifies a cohort",
    "cohort activities": "no route lists a cohort's activities",
    "twin build --all": "no route builds every twin in one request",
    "twin build --expansion diamond": "the API bounds a DIAMOnD expansion, the CLI does not",
}
"""Commands a hint may name to an API client too, and why there is no route for them."""

VERSION_QUERY = frozenset(
    {
        f"GET {_PATIENT}/rankings/latest",
        f"GET {_PATIENT}/drugs/{{drug}}/explanation",
        f"GET {_PATIENT}/twins/latest/biomarkers",
        f"GET {_PATIENT}/report",
    }
)
"""Routes that read twin version N with ``?version=N`` (``twin show --version N`` has its path).

A command of a hint after a read of version N carries ``--version N``
(:func:`~medtwin.command_lines.version_option`); its route without ``?version=N`` read or
computed the latest twin, so an API client following the hint of a v1 result got v2's."""


def cli_only_reason(command: str) -> str | None:
    """Why ``command`` (after ``medtwin ``) has no route (:data:`CLI_ONLY`), or ``None``.

    >>> cli_only_reason("cohort stratify --cohort NAME")
    'no route stratifies a cohort'
    >>> cli_only_reason("rank P1") is None
    True
    """
    keys = [k for k in CLI_ONLY if command == k or command.startswith(f"{k} ")]
    return CLI_ONLY[max(keys, key=len)] if keys else None


def api_route(command: str) -> str | None:
    """The route of ``command`` (after ``medtwin ``) with its options, or ``None`` when it has none.

    >>> api_route("twin build P1")
    'POST /v1/patients/P1/twins'
    >>> api_route("twin build --time-point w0 -- -P1")
    'POST /v1/patients/-P1/twins with {"time_point": "w0"}'
    >>> api_route("patient add P1 --h5ad FILE --tissue NAME")
    'POST /v1/patients with patient_id=P1, h5ad=@FILE, tissue=NAME'
    >>> print(api_route("patient add P1 --h5ad A --tissue blood --h5ad B --tissue synovium"))
    ... # doctest: +NORMALIZE_WHITESPACE
    POST /v1/patients with patient_id=P1, h5ad=@A, tissue=blood, then POST /v1/patients with
    patient_id=P1, h5ad=@B, tissue=synovium
    >>> api_route("biomarkers P1 --top 10 --top-drugs 20")
    'POST /v1/patients/P1/twins/latest/biomarkers?top=10&top_drugs=20'
    >>> api_route("rank P1 --targets trial_drugs.tsv --require-module")
    'POST /v1/patients/P1/rankings/custom with targets=@trial_drugs.tsv, require_module=true'
    >>> api_route("cohort summary --cohort 'RA PBMC' --top-drugs 10 --top 5")
    'GET /v1/cohorts/RA%20PBMC/summary?top_drugs=10'
    >>> api_route("db start") is None
    True

    A command of twin version N (``--version N``, :data:`VERSION_QUERY`): the route with
    ``?version=N``, or, when the route has no version, saying that it is the latest twin's:

    >>> api_route("rank P1 --out FILE.tsv --version 2")
    'GET /v1/patients/P1/rankings/latest?version=2'
    >>> api_route("twin show P1 --version 2")
    'GET /v1/patients/P1/twins/2'
    >>> print(api_route("rank P1 --version 2"))  # doctest: +NORMALIZE_WHITESPACE
    POST /v1/patients/P1/rankings (of the latest twin: no route does this for twin version 2;
    medtwin rank P1 --version 2 does, where the server runs)
    """
    found = matched(command, API_ROUTES)
    if found is None:
        return None
    i, groups = found
    _, template, carried = API_ROUTES[i]
    if template is None:
        return None
    route = filled(template, groups)
    if carried is not None:
        route = _with_options(route, carried, _options(command, carried))
    return _of_version(route, template, command)


def _of_version(route: str, template: str, command: str) -> str:
    """``route`` of the twin version that ``command``'s ``--version`` names, if any.

    The note names the command without backticks: :func:`~medtwin.command_lines.in_callers_words`
    would word a quoted one as this route again.
    """
    version = dict(option_words(command)).get("--version")
    if version is None or "{version}" in template:
        return route
    if template in VERSION_QUERY:
        query = urllib.parse.urlencode({"version": version})
        return f"{route}{'&' if '?' in route else '?'}{query}"
    return (
        f"{route} (of the latest twin: no route does this for twin version {version}; "
        f"medtwin {command} does, where the server runs)"
    )


def _options(command: str, carried: Carried) -> list[tuple[str, str | bool]]:
    """The options of ``command`` that ``carried`` knows, as (API field, value), in order."""
    out: list[tuple[str, str | bool]] = []
    for name, value in option_words(command):
        if name not in carried.fields:
            continue
        key, kind = carried.fields[name]
        if kind == "flag":
            out.append((key, True))
        elif value is not None:
            out.append((key, value))
    return out


def _with_options(route: str, carried: Carried, options: Sequence[tuple[str, str | bool]]) -> str:
    """``route`` with ``options`` as its style carries them (nothing added without options)."""
    if not options:
        return route
    kinds = dict(carried.fields.values())
    if carried.style == "query":
        query = urllib.parse.urlencode([(k, "true" if v is True else v) for k, v in options])
        return f"{route}{'&' if '?' in route else '?'}{query}"
    if carried.style == "json":
        body = {k: int(v) if kinds[k] == "int" and str(v).isdigit() else v for k, v in options}
        return f"{route} with {json.dumps(body)}"
    requests = []
    for request in _one_file_each(carried, options):
        fields = ", ".join(
            f"{k}=true" if v is True else f"{k}=@{v}" if kinds[k] == "file" else f"{k}={v}"
            for k, v in request
        )
        requests.append(f"{route}, {fields}" if " with " in route else f"{route} with {fields}")
    return ", then ".join(requests)


def _one_file_each(
    carried: Carried, options: Sequence[tuple[str, str | bool]]
) -> list[list[tuple[str, str | bool]]]:
    """``options`` as the form requests that send them: one per value of a field given twice.

    A form takes each field once (:func:`medtwin.api.uploads.checked_form`), so ``--h5ad A
    --tissue blood --h5ad B --tissue synovium`` is two requests: the n-th value of each repeated
    field goes with the n-th request (the CLI pairs the n-th ``--tissue`` with the n-th
    ``--h5ad``); a field given once goes with every request, a file or a ``once`` field with the
    first only (a second request would add it again).
    """
    counts: dict[str, int] = {}
    for k, _ in options:
        counts[k] = counts.get(k, 0) + 1
    n = max(counts.values(), default=1)
    if n == 1:
        return [list(options)]
    kinds = dict(carried.fields.values())
    requests: list[list[tuple[str, str | bool]]] = [[] for _ in range(n)]
    seen: dict[str, int] = {}
    for k, v in options:
        if counts[k] > 1:
            requests[seen.get(k, 0)].append((k, v))
            seen[k] = seen.get(k, 0) + 1
        elif kinds[k] == "file" or k in carried.once:
            requests[0].append((k, v))
        else:
            for request in requests:
                request.append((k, v))
    return requests
