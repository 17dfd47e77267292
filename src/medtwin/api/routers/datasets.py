"""``/v1/datasets``: the loaded reference sources (provenance) and graph counts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from medtwin.api.deps import StoreDep, require_scope
from medtwin.platform import services

router = APIRouter(
    prefix="/v1/datasets", tags=["datasets"], dependencies=[Depends(require_scope("read"))]
)


def _plain(value: Any) -> Any:
    """JSON-ready copy: database temporal values (anything with ``iso_format``) become text."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    iso = getattr(value, "iso_format", None)
    return iso() if callable(iso) else value


@router.get("", summary="Reference datasets loaded, with versions, licences and checksums")
def list_datasets(store: StoreDep) -> list[dict[str, Any]]:
    return [_plain(d) for d in services.list_datasets(store)]


@router.get("/summary", summary="Node and relationship counts per label/type and source")
def describe(store: StoreDep) -> dict[str, Any]:
    summary: dict[str, Any] = _plain(services.describe(store))
    return summary
