"""Opening the Neo4j driver and translating driver errors into medtwin errors.

One Driver per process (Drivers are thread-safe, sessions are not); entry points open it with
:func:`open_driver` and close it on exit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import neo4j
from neo4j import exceptions as nx

from medtwin.cypher.catalog import query
from medtwin.errors import (
    ConfigError,
    GdsNotInstalled,
    GraphStoreError,
    GraphStoreUnavailable,
    QueryFailed,
)
from medtwin.settings import Settings
from medtwin.store.password import read_or_create_password

__all__ = ["open_driver", "password_for", "probe", "translate_errors"]

_START_HINT = (
    "start the local server with `medtwin db start` (or `make db`), or set MEDTWIN_NEO4J_URI"
)
GDS_INSTALL_HINT = (
    "install the plugin: `medtwin db install` for the local server, or see "
    "https://neo4j.com/docs/graph-data-science/current/installation/ for other servers"
)

DATABASE_HINT = (
    "set MEDTWIN_NEO4J_DATABASE (connect(neo4j_database=...)) to an existing database, e.g. the "
    "default `neo4j`; `SHOW DATABASES` in cypher-shell or the Neo4j Browser lists them"
)


def password_for(settings: Settings) -> str:
    """Return the configured password, or the local server's generated one."""
    if settings.neo4j_password is not None:
        return settings.neo4j_password.get_secret_value()
    return read_or_create_password(settings.home.resolve())


@contextmanager
def translate_errors(uri: str) -> Iterator[None]:
    """Turn driver exceptions into :class:`~medtwin.errors.GraphStoreError` subclasses."""
    try:
        yield
    except (nx.ServiceUnavailable, nx.SessionExpired, ConnectionError, OSError) as e:
        raise GraphStoreUnavailable(
            f"the Neo4j database at {uri} does not answer ({e.__class__.__name__})",
            hint=_START_HINT,
        ) from e
    except nx.AuthError as e:
        raise GraphStoreUnavailable(
            f"Neo4j at {uri} refused the credentials",
            hint="set MEDTWIN_NEO4J_PASSWORD (the local server's is in <home>/neo4j-password)",
            retry_after=None,  # a setting to fix: asking again is refused again
        ) from e
    except nx.ClientError as e:
        if e.code and "ProcedureNotFound" in e.code and "gds." in (e.message or ""):
            raise GdsNotInstalled(
                f"the database at {uri} has no Graph Data Science plugin", hint=GDS_INSTALL_HINT
            ) from e
        if e.code == "Neo.ClientError.Database.DatabaseNotFound":
            # A wrong MEDTWIN_NEO4J_DATABASE is a setting to fix, not a failed query. Opening
            # the driver does not see it (bolt:// verify_connectivity checks no database), and a
            # check there would cost every command a round trip: the first query reports it.
            raise ConfigError(
                f"Neo4j at {uri} has no such database ({e.message})",
                hint=DATABASE_HINT,
            ) from e
        raise QueryFailed(f"query failed: {e.code}: {e.message}") from e
    except nx.Neo4jError as e:
        if e.code == "Neo.TransientError.Transaction.BookmarkTimeout":
            # This process saw a transaction the database no longer has: it was restored from an
            # older backup (or replaced) since the process connected. Every later query waits
            # for that transaction in vain; only a new connection helps. (Was a 500 "query
            # failed" from the API after each request had waited minutes.)
            raise GraphStoreUnavailable(
                f"the Neo4j database at {uri} is behind what this process has seen: it was "
                "restored or replaced since this process connected",
                hint="restart this process (the API: restart `medtwin serve`) after `db restore`",
                retry_after=None,  # only a new connection helps
            ) from e
        raise QueryFailed(f"query failed: {e.code}: {e.message}") from e
    except nx.DriverError as e:
        raise GraphStoreError(f"driver error talking to {uri}: {e}") from e


def open_driver(settings: Settings) -> neo4j.Driver:
    """Open and verify the process's Driver.

    Raises
    ------
    GraphStoreUnavailable
        When the server does not answer or refuses the credentials.
    """
    driver = neo4j.GraphDatabase.driver(
        settings.neo4j_uri,
        auth=(settings.neo4j_user, password_for(settings)),
        notifications_min_severity="OFF",
    )
    try:
        with translate_errors(settings.neo4j_uri):
            driver.verify_connectivity()
    except GraphStoreError:
        driver.close()
        raise
    return driver


def probe(uri: str, user: str, password: str) -> tuple[str, str]:
    """Return ``(neo4j_version, gds_version)`` of the server, raising medtwin errors."""
    # Short timeouts and no retries: a health probe must answer fast when nothing listens.
    with (
        neo4j.GraphDatabase.driver(
            uri, auth=(user, password), connection_timeout=5.0, max_transaction_retry_time=0.0
        ) as driver,
        translate_errors(uri),
    ):
        driver.verify_connectivity()
        records, _, _ = driver.execute_query(query("health/components"), database_="system")
        neo4j_version = str(records[0]["v"])
        records, _, _ = driver.execute_query(query("health/gds_version"))
        return neo4j_version, str(records[0]["v"])
