"""``/v1/datasets``: the loaded reference sources (provenance) and graph counts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from medtwin.api.deps import StoreDep, require_scope
from medtwin.api.schemas import ERROR_RESPONSES
from medtwin.platform import datasets

router = APIRouter(
    prefix="/v1/datasets",
    tags=["datasets"],
    dependencies=[Depends(require_scope("read"))],
    responses={code: spec for code, spec in ERROR_RESPONSES.items() if code != 422},  # no input
)


@router.get("", summary="Reference datasets loaded, with versions, licences and checksums")
def list_datasets(store: StoreDep) -> list[dict[str, Any]]:
    return datasets.list_datasets(store)


@router.get("/summary", summary="Node and relationship counts per label/type and source")
def describe(store: StoreDep) -> dict[str, Any]:
    return datasets.describe(store)
