"""What the readers said about a user's files, returned with the result as well as logged.

The readers (``medtwin.loaders``, and the h5ad and cohort readers of ``medtwin.platform``) log a
WARNING for what they did with a file beyond reading it: a differing FHIR ``Patient.id``, skipped
resources, another sample's rows, ``NA`` gene cells, merged duplicates, unresolved genes, counts
read as log2(x + 1). The CLI shows them on stderr; an API caller saw none (they went to the
server log) and a notebook user only if logging was set up. Now the platform's read functions
collect them and put them on what they return (``PatientProfile.warnings``), and the add use
cases on theirs (:class:`PatientAdded`, ``CohortAdded.warnings``), as do the use cases that read
a user's drug-target or gene-set file (:class:`RankingMade` of ``rank_drugs``,
``CohortRun.warnings``, ``ScreenSummary.warnings``), so the CLI's ``--json``, the API's responses
and the Python return values carry the same list.

One mechanism for all three, and why it is this one: a :mod:`logging` handler on the ``medtwin``
logger that copies WARNING records into the list of the innermost :func:`collected_warnings`
block of the calling context (a :class:`contextvars.ContextVar`). The readers keep logging as
they did (the CLI's stderr is unchanged, no reader's signature changes) and every warning a
reader logs, today's and any added later, is caught without being listed anywhere. A context
variable is local to its thread (and asyncio task): the API runs each request's route in a worker
thread with its own copy of the context, so two concurrent uploads never see each other's
warnings (``tests/api/test_read_warnings_live.py``); outside a block nothing is collected.
Records below the ``medtwin`` logger's level are not made at all, so a process that raises that
level above WARNING collects nothing (the CLI and the API keep WARNING).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from pydantic import Field, computed_field

from medtwin.loaders.patient_rows import PatientProfile
from medtwin.platform.frozen_model import FrozenModel
from medtwin.platform.patient_models import (
    AddOutcome,
    InputSummary,
    PatientStored,
    PatientSummary,
    add_outcome,
)
from medtwin.platform.ranking_models import RankingResult

__all__ = [
    "TARGETS_FILE_WARNINGS",
    "CohortAdded",
    "TARGETS_READER",
    "WARNINGS_DESCRIPTION",
    "PatientAdded",
    "RankingMade",
    "collected_warnings",
    "merged_warnings",
    "patient_added",
    "ranking_made",
    "renamed",
    "summary_only",
    "targets_file_warnings",
    "with_warnings",
]

WARNINGS_DESCRIPTION = (
    "What the readers did with the given files beyond reading them (rows skipped, values "
    "reinterpreted, genes not resolved, another subject's data left out), one message each, "
    "files named as given. Also logged; empty when there was nothing to say."
)


class PatientAdded(PatientStored):
    """A :class:`~medtwin.platform.models.PatientSummary` with the warnings of the add.

    Returned by the add use cases (``add_patient_inputs``, ``add_patient_files``,
    ``add_patient``), ``patient add --json`` and ``POST /v1/patients``. The warnings are of
    this add only: they are not stored (``GET /v1/patients/{id}`` has none).
    """

    warnings: tuple[str, ...] = Field(default=(), description=WARNINGS_DESCRIPTION)


class CohortAdded(FrozenModel):
    """What ``patient add-cohort`` stored: each sample's patient, and the samples that kept no gene.

    A rerun of the same files is a no-op, and says so: ``0 added, 18 unchanged`` (before, "18
    patients added" whatever was stored).
    """

    added: tuple[PatientStored, ...] = Field(
        description="Every sample's patient, in the sample sheet's order, each with what this "
        "add did to it (`outcome`: added, unchanged or replaced, and the inputs `replaced`)."
    )
    no_gene_kept: tuple[str, ...]
    """Case samples with no changed gene at the thresholds: not added (without symptoms), or added
    with their symptoms only; no twin can be built for them."""
    warnings: tuple[str, ...] = Field(default=(), description=WARNINGS_DESCRIPTION)
    """The readers' warnings about the cohort's files (once here, not per patient)."""

    def count(self, outcome: AddOutcome) -> int:
        """How many patients had ``outcome`` (``added``, ``unchanged``, ``replaced``)."""
        return sum(1 for p in self.added if p.outcome == outcome)

    @computed_field(description="Patients given a new input.")  # type: ignore[prop-decorator]
    @property
    def n_added(self) -> int:
        """Patients given a new input."""
        return self.count("added")

    @computed_field(  # type: ignore[prop-decorator]
        description="Patients whose input was stored already (same content, same slot)."
    )
    @property
    def n_unchanged(self) -> int:
        """Patients whose input was stored already."""
        return self.count("unchanged")

    @computed_field(description="Patients whose earlier inputs were replaced.")  # type: ignore[prop-decorator]
    @property
    def n_replaced(self) -> int:
        """Patients whose earlier inputs were replaced."""
        return self.count("replaced")


TARGETS_READER = "medtwin.loaders.drug_targets_custom"
"""The logger of the targets-file reader (``rank --targets FILE``): its warnings are a ranking's."""


def targets_file_warnings() -> AbstractContextManager[list[str]]:
    """:func:`collected_warnings` of the targets-file reader only (:data:`TARGETS_READER`).

    A ranking's own notes are in its fields; only what the reader said of the file is returned.
    """
    return collected_warnings(loggers=(TARGETS_READER,))


TARGETS_FILE_WARNINGS = (  # CohortRun.warnings
    WARNINGS_DESCRIPTION + " Here: what the reader of the rankings' targets file said, once "
    "per run (the file is read when the run is planned)."
)


class RankingMade(RankingResult):
    """A :class:`~medtwin.platform.models.RankingResult` with the warnings of its targets file.

    Returned by ``rank_drugs`` (``rank --json``, ``POST .../rankings/custom``): what the reader
    of a targets file (``--targets FILE``) said about it, e.g. action words of no known
    direction, genes not in the database. Empty for a loaded source. Of this ranking only: not
    stored (``GET .../rankings/latest`` has none).
    """

    warnings: tuple[str, ...] = Field(default=(), description=WARNINGS_DESCRIPTION)


@dataclass
class _Scope:
    """One :func:`collected_warnings` block: its messages, loggers and enclosing block.

    The enclosing block gets the records this one does not take.
    """

    messages: list[str] = field(default_factory=list)
    loggers: tuple[str, ...] = ("medtwin",)
    outer: _Scope | None = None

    def takes(self, name: str) -> bool:
        return any(name == prefix or name.startswith(prefix + ".") for prefix in self.loggers)


_scope: ContextVar[_Scope | None] = ContextVar("medtwin_read_warnings", default=None)
_install_lock = threading.Lock()


class _Collector(logging.Handler):
    """Copies WARNING records of the ``medtwin`` loggers into the caller's open block, if any."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        scope = _scope.get()
        while scope is not None and not scope.takes(record.name):
            scope = scope.outer
        if scope is None:
            return
        try:
            scope.messages.append(record.getMessage())
        except Exception:  # noqa: BLE001 - a bad log call must not fail the read
            self.handleError(record)


def _install() -> None:
    """Put the one :class:`_Collector` on the ``medtwin`` logger (on first use, not on import)."""
    logger = logging.getLogger("medtwin")
    if any(isinstance(h, _Collector) for h in logger.handlers):
        return
    with _install_lock:
        if not any(isinstance(h, _Collector) for h in logger.handlers):
            logger.addHandler(_Collector())


@contextmanager
def collected_warnings(loggers: Sequence[str] = ("medtwin",)) -> Iterator[list[str]]:
    """Collect the WARNING messages the block's code logs (in this thread or task), in order.

    ``loggers`` limits them to those loggers and their children (e.g. one reader's module;
    the others' go to the enclosing block, if any). The yielded list may be rewritten in place
    before the block ends (the API names the client's file instead of its temporary copy); what
    it holds then is added to the enclosing block's list, if any, so nested blocks lose nothing.

    Examples
    --------
    >>> log = logging.getLogger("medtwin.example")
    >>> with collected_warnings() as said:
    ...     log.warning("%s: %d row(s) skipped", "de.tsv", 3)
    ...     log.info("not a warning")
    >>> said
    ['de.tsv: 3 row(s) skipped']
    """
    _install()
    outer = _scope.get()
    scope = _Scope(loggers=tuple(loggers), outer=outer)
    token = _scope.set(scope)
    try:
        yield scope.messages
    finally:
        _scope.reset(token)
        if outer is not None:
            outer.messages.extend(m for m in scope.messages if m not in outer.messages)


def merged_warnings(*groups: Iterable[str]) -> tuple[str, ...]:
    """The messages of ``groups`` in order, each once (a cohort's are on every profile)."""
    return tuple(dict.fromkeys(m for group in groups for m in group))


def with_warnings(profile: PatientProfile, messages: Sequence[str]) -> PatientProfile:
    """``profile`` with ``messages`` added to its warnings (itself when there are none)."""
    if not messages:
        return profile
    return profile.model_copy(update={"warnings": merged_warnings(profile.warnings, messages)})


def renamed(profile: PatientProfile, name: str, shown: str) -> PatientProfile:
    """``profile`` with its warnings that start with the file ``name`` starting with ``shown``.

    The readers name a file by its base name; a DataFrame is read from a temporary
    ``de-dataframe.tsv`` (shown as ``de DataFrame``), an upload from a sanitised copy (shown as
    the client's own name).

    Examples
    --------
    >>> p = PatientProfile(patient_id="P1", warnings=("my_de.tsv: 2 row(s) skipped", "other"))
    >>> renamed(p, "my_de.tsv", "my de.tsv").warnings
    ('my de.tsv: 2 row(s) skipped', 'other')
    """
    if not profile.warnings or name == shown:
        return profile
    said = tuple(shown + m[len(name) :] if m.startswith(name) else m for m in profile.warnings)
    return profile.model_copy(update={"warnings": said})


def patient_added(
    summary: PatientSummary,
    warnings: Iterable[str],
    created: Sequence[bool],
    replaced: Sequence[InputSummary] = (),
) -> PatientAdded:
    """``summary`` as a :class:`PatientAdded`: the add's ``warnings`` and what it did.

    ``created``: per input of the add, whether it was new; ``replaced``: the inputs it removed.
    """
    return PatientAdded(
        **_fields(summary),
        warnings=merged_warnings(warnings),
        outcome=add_outcome(sum(created), len(replaced)),
        inputs_added=sum(created),
        inputs_unchanged=len(created) - sum(created),
        replaced=tuple(replaced),
    )


def ranking_made(ranking: RankingResult, warnings: Iterable[str]) -> RankingMade:
    """``ranking`` as a :class:`RankingMade` with ``warnings`` (each once)."""
    fields = {name: getattr(ranking, name) for name in RankingResult.model_fields}
    return RankingMade(**fields, warnings=merged_warnings(warnings))


def summary_only(added: PatientAdded) -> PatientStored:
    """A :class:`PatientStored` of ``added`` (a cohort says its warnings once).

    Without its ``input_list``: a cohort's patients are listed, as in ``patient list``.
    """
    fields = {name: getattr(added, name) for name in PatientStored.model_fields}
    return PatientStored(**{**fields, "input_list": None})


def _fields(summary: PatientSummary) -> dict[str, object]:
    return {name: getattr(summary, name) for name in PatientSummary.model_fields}
