"""API-only request and response models (``platform.models`` results are served as they are).

Request models bound the work a single call may ask for (sample counts, seed-set sizes), which
the service parameter models leave open for the CLI.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator, model_validator

from medtwin.platform.models import RankingResult, RankParams, TwinParams
from medtwin.platform.ranking_models import DEFAULT_METHODS
from medtwin.platform.read_warnings import RankingMade

__all__ = [
    "BUSY_RESPONSES",
    "ERROR_RESPONSES",
    "NOT_FOUND_RESPONSES",
    "RETRY_AFTER_HEADER",
    "TOO_MANY_RESPONSES",
    "BODY_RESPONSES",
    "UNAVAILABLE_RESPONSES",
    "MAX_DIAMOND_EXPAND",
    "MAX_EXPAND",
    "MAX_MODULE_SAMPLES",
    "MAX_TIME_POINTS",
    "AuditEventOut",
    "CustomRankingResult",
    "ErrorBody",
    "Health",
    "RankRequest",
    "Ready",
    "TwinBuildRequest",
    "location_header",
]


MAX_MODULE_SAMPLES = 2000
"""Most null samples of the module-significance test in one API build (CLI: no limit)."""
MAX_EXPAND = 500
"""Most genes an API build may add by RWR expansion."""
MAX_DIAMOND_EXPAND = 200
"""Most genes an API build may add by DIAMOnD (each one a pass over the module's neighbours)."""
MAX_TIME_POINTS = 6
"""Most time points of one ``POST .../trajectory`` (each may be a build and a ranking)."""


class ErrorBody(BaseModel):
    """Every 4xx/5xx body."""

    error: str = Field(description="Error type, e.g. NotFoundError, ValidationError.")
    detail: str = Field(description="What failed, which value, and how to fix it.")


RETRY_AFTER_HEADER: dict[str, object] = {
    "Retry-After": {
        "description": "Seconds after which the same request may succeed (the detail then ends "
        "with '; retry after N s'). Sent only where waiting helps: not for a cohort whose add was "
        "killed (rerun the add), a server without GDS, refused credentials or a database restored "
        "under the API, whose detail says what to do instead.",
        "schema": {"type": "integer", "minimum": 1},
    }
}
"""The ``Retry-After`` header of a refusal for a passing condition (:mod:`medtwin.api.errors`)."""

TOO_MANY_RESPONSES: dict[int | str, dict[str, object]] = {
    429: {
        "model": ErrorBody,
        "description": "Too many requests from this API key (or, without one, this address) "
        "at once or per second",
        "headers": RETRY_AFTER_HEADER,
    },
}
"""The 429 of the per-client limits (:mod:`medtwin.api.resilience`): every route but /health."""

UNAVAILABLE_RESPONSES: dict[int | str, dict[str, object]] = {
    503: {
        "model": ErrorBody,
        "description": "Database unavailable (or the audit log cannot be written)",
        "headers": RETRY_AFTER_HEADER,
    },
}
"""The 503 of a route that uses the database."""

BUSY_RESPONSES: dict[int | str, dict[str, object]] = {
    409: {
        "model": ErrorBody,
        "description": "Another operation on the patient (or an add of the cohort) is running",
        "headers": RETRY_AFTER_HEADER,
    },
}
"""The 409 of a route that takes a patient's lock (every write) or waits for a cohort's add."""

BODY_RESPONSES: dict[int | str, dict[str, object]] = {
    400: {
        "model": ErrorBody,
        "description": "The body cannot be read: not UTF-8, JSON nested too deeply or with a "
        "number of too many digits, a form without its boundary",
    },
    408: {
        "model": ErrorBody,
        "description": "The body stopped (no byte for MEDTWIN_API_BODY_IDLE_S) or arrived under "
        "MEDTWIN_API_BODY_MIN_RATE_KB KiB/s (medtwin.api.body_pace)",
    },
    415: {
        "model": ErrorBody,
        "description": "A body of another Content-Type than the route reads (application/json, "
        "or a form for the upload routes), or sent with a Content-Encoding (gzip): no route "
        "decodes one",
    },
    413: {
        "model": ErrorBody,
        "description": "The body is over MEDTWIN_MAX_UPLOAD_MB (a JSON body over 1 MiB)",
    },
}
"""The 400, 408, 413 and 415 of a route that takes a body (:mod:`medtwin.api.body_pace`,
:class:`medtwin.api.body_guard.BodyGuardMiddleware`, :func:`medtwin.api.deps.body_media_type`)."""

ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody, "description": "No or unknown API key"},
    403: {"model": ErrorBody, "description": "The key's scope does not allow this"},
    414: {
        "model": ErrorBody,
        "description": "A URL over 65,535 bytes (answered by `medtwin serve`'s HTTP parser)",
    },
    422: {"model": ErrorBody, "description": "Invalid input"},
    **TOO_MANY_RESPONSES,
    **UNAVAILABLE_RESPONSES,
}
"""OpenAPI responses every data route can give (``responses=`` of a route or router)."""
NOT_FOUND_RESPONSES: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorBody, "description": "Unknown patient"},
    **ERROR_RESPONSES,
}
""":data:`ERROR_RESPONSES` and 404, for routes under ``/v1/patients/{patient_id}``."""


def location_header(what: str) -> dict[str, object]:
    """The OpenAPI ``Location`` header of a 201: where the created resource is read."""
    return {"description": f"{what} (a path on this server)", "schema": {"type": "string"}}


class Health(BaseModel):
    """Liveness."""

    status: str = "ok"
    version: str


class Ready(BaseModel):
    """Readiness: database and GDS reachable (versions only for a request with a valid key)."""

    status: str
    neo4j: str | None = None
    gds: str | None = None


class TwinBuildRequest(TwinParams):
    """Twin parameters with API bounds (see :class:`~medtwin.platform.models.TwinParams`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    layers: tuple[str, ...] = Field(
        default=("expression", "protein", "variant"), min_length=1, max_length=3
    )
    max_seeds: int = Field(default=400, ge=1, le=5000)
    expand: int = Field(
        default=0,
        ge=0,
        le=MAX_EXPAND,
        description=f"Genes added by the expansion (DIAMOnD: at most {MAX_DIAMOND_EXPAND}).",
    )
    min_seeds: int = Field(default=20, ge=1, le=5000)
    module_samples: int = Field(default=1000, ge=10, le=MAX_MODULE_SAMPLES)
    time_point: str | None = Field(
        default=None, max_length=64, description="Use only inputs of this time point ('' = all)."
    )

    @field_validator("time_point")
    @classmethod
    def _blank_is_all(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @model_validator(mode="after")
    def _bounded_diamond(self) -> TwinBuildRequest:
        if self.expansion == "diamond" and self.expand > MAX_DIAMOND_EXPAND:
            raise ValueError(
                f"expand is at most {MAX_DIAMOND_EXPAND} with the diamond expansion over the "
                f"API (got {self.expand}); use rwr, or the CLI for larger ones (`medtwin twin "
                "build --expansion diamond --expand N`, unbounded)"
            )
        return self

    def params(self) -> TwinParams:
        """As the service's parameter model."""
        return TwinParams(**self.model_dump())


class RankRequest(RankParams):
    """Ranking parameters with API bounds (see :class:`~medtwin.platform.models.RankParams`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    methods: tuple[str, ...] = Field(default=DEFAULT_METHODS, min_length=1, max_length=8)
    targets: str = Field(
        default="drugbank_dhimmel",
        max_length=64,
        description="A loaded drug-target source: drugbank, drugcentral, guney2016 (or its "
        "dataset id). Your own drugs: POST a targets file to /rankings/custom.",
    )
    n_samples: int = Field(default=1000, ge=10, le=10_000)
    max_samples: int = Field(default=100_000, ge=10, le=100_000)
    approved_only: StrictBool = Field(
        default=False, description="Only drugs in DrugBank group approved (true/false, not 0/1)."
    )
    require_module: bool = Field(
        default=False,
        description="Refuse (422) a twin whose module is not more connected than random genes "
        "(module z < 1.6 or p > 0.05) instead of returning an exploratory ranking.",
    )

    @field_validator("targets")
    @classmethod
    def _known_source(cls, value: str) -> str:
        # Never a server path: a file of drugs is uploaded to /rankings/custom.
        from medtwin.platform.rank_params import TARGET_SOURCES, is_loaded_source

        if not is_loaded_source(value):
            raise ValueError(
                f"unknown target source; use one of {', '.join(sorted(TARGET_SOURCES))}, or "
                "upload your own drugs to /rankings/custom"
            )
        return value

    def params(self) -> RankParams:
        """As the use case's parameter model (:func:`~medtwin.platform.rank_params.rank_params`)."""
        from medtwin.platform.rank_params import rank_params

        return rank_params(**self.model_dump(exclude={"require_module"}))


class AuditEventOut(BaseModel):
    """One audit event."""

    id: str
    at: str
    actor: str
    action: str
    patient_id: str | None
    route: str
    status: int


class CustomRankingResult(RankingMade):
    """``POST .../rankings/custom``'s ranking, with what the targets file's reader said."""

    @classmethod
    def of(cls, ranking: RankingResult, warnings: tuple[str, ...]) -> CustomRankingResult:
        """``ranking`` with ``warnings`` (naming the client's file)."""
        fields = {name: getattr(ranking, name) for name in RankingResult.model_fields}
        return cls(**fields, warnings=warnings)
