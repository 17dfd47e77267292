"""Ask the local server for its versions over Neo4j's HTTP API, with the standard library only.

``medtwin db status`` uses this instead of the Bolt driver: importing the driver (which imports
numpy and pandas when they are installed) costs over a second, the HTTP request a few
milliseconds. The statements are the same catalogued ``health/*`` files the Bolt probe runs.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from typing import Any

from medtwin.cypher.catalog import query
from medtwin.errors import GdsNotInstalled, GraphStoreUnavailable, QueryFailed

__all__ = ["probe_http"]


def _run(base: str, database: str, statements: list[str], auth: str, timeout: float) -> list[Any]:
    """Run ``statements`` in one request; return the first value of each one's first row."""
    body = json.dumps({"statements": [{"statement": s} for s in statements]}).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL is the loopback server's
        f"{base}/db/{database}/tx/commit",
        data=body,
        headers={
            "Authorization": f"Basic {auth}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            answer = json.load(response)
    except urllib.error.HTTPError as e:
        if e.code in (401, 403):
            raise GraphStoreUnavailable(f"Neo4j at {base} refused the credentials") from e
        raise GraphStoreUnavailable(f"Neo4j at {base} answered HTTP {e.code}") from e
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise GraphStoreUnavailable(f"Neo4j at {base} does not answer ({e})") from e
    errors = answer.get("errors") or []
    if errors:
        code, message = str(errors[0].get("code")), str(errors[0].get("message"))
        if "ProcedureNotFound" in code or "Unknown function 'gds." in message:
            raise GdsNotInstalled(f"the database at {base} has no Graph Data Science plugin")
        raise QueryFailed(f"query failed: {code}: {message}")
    return [result["data"][0]["row"][0] for result in answer["results"]]


def probe_http(
    port: int, user: str, password: str, *, database: str = "neo4j", timeout: float = 5.0
) -> tuple[str, str]:
    """Return ``(neo4j_version, gds_version)`` of the server on ``127.0.0.1:port`` (HTTP).

    Raises
    ------
    GraphStoreUnavailable
        When nothing answers, or the server refuses the credentials.
    GdsNotInstalled
        When the server has no GDS plugin.
    """
    base = f"http://127.0.0.1:{port}"
    auth = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    # One request: dbms.components() answers on any database, not only `system`.
    statements = [query("health/components"), query("health/gds_version")]
    neo4j_version, gds_version = _run(base, database, statements, auth, timeout)
    return str(neo4j_version), str(gds_version)
