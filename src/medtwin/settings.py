"""The one settings object, read from ``MEDTWIN_*`` environment variables and an optional ``.env``.

Only entry points (``cli``, ``api``) call :func:`get_settings`; everything below them takes
arguments, so tests build ``Settings(...)`` directly.

The precedence is ``pydantic-settings``' (which this module used before): arguments, then
environment variables (``MEDTWIN_<FIELD>``, any case), then ``.env`` in the working folder, then
the defaults; values are validated by the field types (``"8"`` → 8, ``"true"`` → True), unknown
variables ignored. Read here in a dozen lines instead: importing ``pydantic_settings`` (its CLI,
cloud and secrets sources included) cost every command ≈ 50–90 ms of CPU (``python -X importtime``,
issue 21), and ``python-dotenv`` is imported only when a ``.env`` file exists.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from medtwin.errors import ConfigError

__all__ = ["BOLT_SCHEMES", "ENV_FILE", "ENV_PREFIX", "Settings", "get_settings"]

LOCAL_URI = "bolt://127.0.0.1:7687"
ENV_PREFIX = "MEDTWIN_"
ENV_FILE = Path(".env")


def _env_file_values() -> dict[str, str | None]:
    if not ENV_FILE.is_file():
        return {}
    from dotenv import dotenv_values

    return dict(dotenv_values(ENV_FILE, encoding="utf-8"))


def _from_environment(fields: Any) -> dict[str, Any]:
    """``{field: text}`` from ``MEDTWIN_*`` variables, then ``.env`` (case-insensitive names)."""
    found: dict[str, Any] = {}
    for source in (dict(os.environ), _env_file_values()):
        named = {k.upper(): v for k, v in source.items() if k.upper().startswith(ENV_PREFIX)}
        for name in fields:
            value = named.get(ENV_PREFIX + name.upper())
            if name not in found and value is not None:
                found[name] = value
    return found


def _shared_data() -> Path | None:
    """``../shared/data`` beside the working folder or the checkout, if one exists."""
    checkout = Path(__file__).resolve().parents[2]  # src/medtwin/settings.py -> the checkout
    for base in (Path.cwd(), checkout):
        candidate = base.parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return None


BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
"""The URI schemes of the Neo4j driver (``neo4j.GraphDatabase.driver``)."""


class Settings(BaseModel):
    """medtwin configuration; every field can be set as ``MEDTWIN_<FIELD>``."""

    model_config = ConfigDict(extra="ignore", validate_default=True)

    def __init__(self, **values: Any) -> None:
        super().__init__(**{**_from_environment(type(self).model_fields), **values})

    home: Path = Field(
        default=Path(".medtwin"),
        description="State folder: local Neo4j server, password file, caches, fetched data.",
    )
    neo4j_uri: str = Field(
        default=LOCAL_URI,
        description="Bolt URI of the database; neo4j://, neo4j+s:// (Aura) and bolt:// all work.",
    )

    @field_validator("neo4j_uri")
    @classmethod
    def _bolt_uri(cls, uri: str) -> str:
        # The driver's own error for another scheme names no setting (an http:// URI even asked
        # for aiohttp); the schemes are the driver's.
        scheme, sep, rest = uri.partition("://")
        if not sep or not rest or scheme not in BOLT_SCHEMES:
            raise ValueError(
                f"not a Neo4j URI: give {', '.join(s + '://' for s in BOLT_SCHEMES)} and a host, "
                "e.g. bolt://127.0.0.1:7687"
            )
        return uri

    neo4j_user: str = Field(default="neo4j", description="Database user.")
    neo4j_password: SecretStr | None = Field(
        default=None,
        description="Database password. Unset: the local server's generated password is read "
        "from <home>/neo4j-password (mode 0600).",
    )
    neo4j_database: str = Field(default="neo4j", description="Database name.")
    bolt_port: int = Field(default=7687, description="Bolt port of the project-managed server.")
    http_port: int = Field(default=7474, description="HTTP (Browser) port of the local server.")
    heap_size: str = Field(default="4g", description="JVM heap of the local server.")
    pagecache_size: str = Field(default="2g", description="Page cache of the local server.")
    neo4j_cds: bool = Field(
        default=True,
        description="Start the local server from a class-data-sharing archive of its classes "
        "(built in the background after its first start; see medtwin.store.server_cds).",
    )
    start_timeout_s: float = Field(default=120.0, description="Seconds to wait for the server.")
    data_mirror: Path | None = Field(
        default_factory=lambda: _shared_data(),
        description="Folder laid out as <source>/<file> that pinned reference files are copied "
        "from (nothing is downloaded at run time); default ../shared/data of the working "
        "folder or of the checkout, when it exists.",
    )
    batch_size: int = Field(default=20_000, ge=100, description="Rows per write transaction.")
    api_keys: str = Field(
        default="",
        description="API keys as 'name:scope:sha256hex' entries separated by commas; "
        "scope is 'read' or 'write'. See `medtwin api-key new`.",
    )
    max_upload_mb: int = Field(
        default=50, ge=1, description="Largest accepted request body / upload (MiB)."
    )
    max_input_mb: int = Field(
        default=128,
        ge=1,
        description="Largest decompressed size of one input (MiB): .gz text, and an h5ad "
        "matrix as shape x dtype; checked while reading.",
    )
    max_input_rows: int = Field(
        default=500_000, ge=10, description="Most lines of one patient table (read whole)."
    )
    max_line_kb: int = Field(
        default=1024, ge=1, description="Longest line (KiB) of a patient text input."
    )
    cors_origins: str = Field(default="", description="Allowed CORS origins (comma separated).")
    audit_journal: bool = Field(
        default=True,
        description="Journal queued audit events in <home>/audit-journal.jsonl until written, "
        "so a killed API process loses none (the next start writes them).",
    )
    api_body_idle_s: float = Field(
        default=30.0,
        gt=0,
        description="Seconds a request body may send nothing before it is answered 408 "
        "(frees its key's slot; api/body_pace.py).",
    )
    api_body_min_rate_kb: float = Field(
        default=1.0,
        ge=0,
        description="KiB per second a request body must average after its first "
        "MEDTWIN_API_BODY_IDLE_S seconds; slower: 408 (0: no minimum).",
    )
    api_concurrency_per_key: int = Field(
        default=4,
        ge=1,
        description="Requests one API key may have in progress at once; more answer 429.",
    )
    api_busy_share_per_key: int = Field(
        default=1,
        ge=1,
        description="Requests one API key may run while another key is busy (has a request in "
        "progress, or had one in the last 2 s), in each of two lanes: reads, and writes (builds, "
        "rankings, adds, deletes); its further requests within MEDTWIN_API_CONCURRENCY_PER_KEY "
        "wait their turn in their lane instead (api/key_share.py).",
    )
    api_share_wait_s: float = Field(
        default=30.0,
        gt=0,
        description="Seconds a request may wait for its key's turn beside other keys' requests "
        "before it is answered 429.",
    )
    api_rate_per_key: float = Field(
        default=50.0, gt=0, description="Requests per second one API key may make (sustained)."
    )
    api_burst_per_key: int = Field(
        default=100, ge=1, description="Requests one API key may make at once above its rate."
    )
    api_concurrency_per_ip: int = Field(
        default=2,
        ge=1,
        description="Requests without a valid key one client address may have in progress.",
    )
    api_rate_per_ip: float = Field(
        default=5.0, gt=0, description="Requests per second without a valid key, per address."
    )
    api_burst_per_ip: int = Field(
        default=20, ge=1, description="Requests at once above that rate without a valid key."
    )

    @property
    def data_dir(self) -> Path:
        """Folder holding fetched reference files."""
        return self.home / "data"

    @property
    def cache_dir(self) -> Path:
        """Folder holding derived caches (e.g. interactome distance matrices)."""
        return self.home / "cache"

    @property
    def is_local(self) -> bool:
        """Whether the URI points at the project-managed loopback server."""
        return self.neo4j_uri.rstrip("/") in {
            LOCAL_URI,
            f"bolt://127.0.0.1:{self.bolt_port}",
            f"bolt://localhost:{self.bolt_port}",
            f"neo4j://127.0.0.1:{self.bolt_port}",
            f"neo4j://localhost:{self.bolt_port}",
        }


def setting_problem(err: Any, *, env: bool = True) -> str:
    """``MEDTWIN_X='value': reason`` (a secret's value is not shown).

    With ``env`` false the field is named as a keyword (``x='value': …``), as
    ``medtwin.connect(x=...)`` takes it.
    """
    field = str(err["loc"][0]) if err["loc"] else "?"
    secret = "password" in field or "key" in field
    shown = "" if secret else f"={err['input']!r}"
    return f"{f'MEDTWIN_{field.upper()}' if env else field}{shown}: {err['msg']}"


@functools.cache
def get_settings() -> Settings:
    """Return the process-wide settings (cached).

    Raises
    ------
    ConfigError
        A ``MEDTWIN_*`` variable (or ``.env`` entry) has a value the field refuses, named with
        the value and the reason (it was pydantic's traceback on every command).
    """
    try:
        return Settings()
    except ValidationError as e:
        raise ConfigError(
            "; ".join(setting_problem(err) for err in e.errors(include_url=False)),
            hint="fix or unset the variable (`.env.example` lists every setting)",
        ) from None
