"""Twins of many patients: build a batch past failures, and tell which twins are current.

Use cases (the public Python API; ``medtwin twin build --all`` calls :func:`build_twins`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from medtwin.errors import GraphStoreUnavailable, MedtwinError, NotFoundError
from medtwin.platform.arguments import flag, id_list, params_of
from medtwin.platform.context import ReferenceContext
from medtwin.platform.frozen_model import FrozenModel
from medtwin.platform.models import TwinParams, TwinSummary
from medtwin.platform.patient_reads import get_patient
from medtwin.platform.python_audit import audited
from medtwin.platform.step_times import StepProgress
from medtwin.platform.twin import params_hash
from medtwin.platform.twin_currency import older_rules
from medtwin.platform.twins import build_twin, twin_summary
from medtwin.store.base import GraphStore

__all__ = [
    "TwinBuildOutcome",
    "build_twins",
    "twin_is_current",
]

log = logging.getLogger(__name__)


class TwinBuildOutcome(FrozenModel):
    """What building one patient's twin in a batch did (:func:`build_twins`).

    ``built``: a new version (``twin``); ``current``: skipped, the newest version (``twin``) was
    built from the same inputs, parameters and reference data; ``failed``: ``error`` says why
    (``error_type``: the error's class, e.g. ``NotFoundError``).
    """

    patient_id: str
    status: Literal["built", "current", "failed"]
    twin: TwinSummary | None = None
    error: str | None = None
    error_type: str | None = None
    hint: str | None = None

    @property
    def failed(self) -> bool:
        """The build failed (``error`` says why)."""
        return self.status == "failed"


@audited("write")
def build_twins(
    store: GraphStore,
    patient_ids: Sequence[str],
    params: TwinParams | None = None,
    *,
    skip_current: bool = False,
    ctx: ReferenceContext | None = None,
    on_done: Callable[[TwinBuildOutcome], None] | None = None,
    progress: StepProgress | None = None,
) -> list[TwinBuildOutcome]:
    """Build the twins of several patients (``medtwin twin build --all``); one failure stops none.

    A patient whose build raises a user error (no inputs, an unknown id, a build already
    running: :class:`~medtwin.errors.MedtwinError`) is ``failed`` with its message and the others
    go on. An unreachable database and bugs stop the batch: every later build would fail the
    same way. ``skip_current``: a patient whose newest twin is current (:func:`twin_is_current`)
    keeps it, so rerunning a batch that failed halfway builds what is missing instead of a second
    version of every twin. ``on_done`` is called after each patient (progress); ``progress`` is
    :func:`~medtwin.platform.twins.build_twin`'s, passed to each build (its steps).
    """
    params = params_of(params, TwinParams, "params") or TwinParams()
    outcomes: list[TwinBuildOutcome] = []
    patient_ids = list(dict.fromkeys(id_list(patient_ids, "patient_ids")))  # once each
    skip_current = flag(skip_current, "skip_current")
    loaded = reference_loaded(store) if skip_current else []  # once for the batch
    for pid in patient_ids:
        try:
            current = twin_is_current(store, pid, params, loaded=loaded) if skip_current else None
            if current is not None:
                outcome = TwinBuildOutcome(patient_id=pid, status="current", twin=current)
            else:
                built = build_twin(store, pid, params, ctx=ctx, progress=progress)
                outcome = TwinBuildOutcome(patient_id=pid, status="built", twin=built)
        except GraphStoreUnavailable:
            raise
        except MedtwinError as e:
            log.info("patient %s: twin not built: %s", pid, e.message)
            outcome = TwinBuildOutcome(
                patient_id=pid, status="failed", error=e.message,
                error_type=type(e).__name__, hint=e.hint,
            )  # fmt: skip
        outcomes.append(outcome)
        if on_done is not None:
            on_done(outcome)
    return outcomes


def twin_is_current(
    store: GraphStore,
    patient_id: str,
    params: TwinParams | None = None,
    *,
    loaded: list[datetime] | None = None,
) -> TwinSummary | None:
    """The patient's newest twin if a build with ``params`` now would repeat it, else None.

    See :func:`stale_reason`; ``loaded``: :func:`reference_loaded`, read here when not given
    (a batch reads it once). ``get_patient`` errors as usual.
    """
    get_patient(store, patient_id)
    try:
        t = store.twins.twin(patient_id)
    except NotFoundError:
        return None
    inputs = {i["id"]: i["sha256"] for i in store.twins.inputs(patient_id)}
    params = params_of(params, TwinParams, "params") or TwinParams()
    if loaded is None:
        loaded = reference_loaded(store)
    why = stale_reason(t, inputs, params_hash(params), loaded)
    return None if why else twin_summary(t)


def stale_reason(
    twin: Mapping[str, Any], inputs: Mapping[str, str], wanted_hash: str, loaded: list[datetime]
) -> str:
    """Why a build now would not repeat a stored twin; ``""`` when it is current.

    Current means: complete, built with the same parameters (``params_hash`` =
    ``wanted_hash``) under today's twin rules (:data:`~medtwin.domain.TWIN_RULES`), from
    exactly the patient's inputs now (``inputs``: id -> sha256), and after every reference
    dataset was loaded (``loaded``: :func:`reference_loaded`; a reload changes the network the
    twin was cut from).
    """
    if not twin.get("complete", True):
        return "latest twin incomplete"
    if twin["params_hash"] != wanted_hash:
        return "twin parameters differ"
    if older_rules(twin, "twin"):
        return "twin built under older twin rules"
    if json.loads(twin.get("input_checksums_json") or "{}") != dict(inputs):
        return "inputs changed"
    built = _moment(twin["created_at"])
    if any(at > built for at in loaded):
        return "reference data loaded after the twin"
    return ""


def reference_loaded(store: GraphStore) -> list[datetime]:
    """When each loaded reference dataset was loaded."""
    return [_moment(d["loaded_at"]) for d in store.datasets() if d.get("loaded_at")]


def _moment(value: Any) -> datetime:
    """A stored time as an aware datetime.

    The store gives a datetime (its rows are plain Python: ``store/base.py``) or, for a
    dataset's ``loaded_at``, ISO text.
    """
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise TypeError(f"not a time: {value!r}")
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
