"""The Python call that does what a hint's ``medtwin …`` command does, for notebook users.

Errors name their next step as a CLI command (``run `medtwin twin build P1```): the CLI prints
the hint, the API's clients read it. A notebook user got only that command. One table here maps
the commands of the use cases to their Python calls, and :class:`~medtwin.errors.MedtwinError`
adds the call to the hint's note, which only a traceback shows (the CLI prints ``hint``, the API
sends the message), so their words are unchanged::

    NotFoundError: patient P1 has no twin
    hint: build one with `medtwin twin build P1` (Python: `twins.build_twin(store, "P1")`)

No ``medtwin`` import: :mod:`medtwin.errors` imports this module.
"""

from __future__ import annotations

import re

__all__ = ["PYTHON_CALLS", "python_calls"]

_ID = r"(?P<id>[A-Za-z0-9<][A-Za-z0-9_.<>-]*)"  # an id, not `...`
_EVERY = "cohort.cohort_patients(store, all_patients=True)"
_COHORT = 'cohort.cohort_patients(store, cohort="{id}")'

PYTHON_CALLS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), call)
    for pattern, call in (
        (r"^twin build --all\b", f"twin_batch.build_twins(store, {_EVERY})"),
        (rf"^twin build {_ID}", 'twins.build_twin(store, "{id}")'),
        (rf"^twin diseases {_ID}", 'insights.twin_diseases(store, "{id}")'),
        (rf"^twin trajectory {_ID}", 'insights.twin_trajectory(store, "{id}")'),
        (rf"^twin regulators {_ID}", 'twin_regulators.twin_regulators(store, "{id}")'),
        (rf"^biomarkers {_ID}", 'insights.twin_biomarkers(store, "{id}")'),
        (rf"^rank {_ID}\b.*--out (?P<out>\S+)", 'rankings.export_ranking(store, "{id}", "{out}")'),
        (rf"^rank {_ID}", 'rankings.rank_drugs(store, "{id}")'),
        (rf"^patient add {_ID}", 'patients.add_patient_files(store, "{id}", ...)'),
        (r"^patient add\b", "patients.add_patient_files(store, patient_id, ...)"),
        (rf"^cohort run --cohort {_ID}", f"cohort.run_cohort(store, None, {_COHORT})"),
        (
            rf"^cohort stratify --cohort {_ID}",
            f'stratify.stratify_cohort(store, {_COHORT}, cohort="{{id}}")',
        ),
        (r"^db repair\b", "datasets.repair(store)"),
    )
)  # fmt: skip
"""(pattern of the command after ``medtwin ``, its Python call); the first that matches wins."""

_COMMAND = re.compile(r"`medtwin ([^`]+)`")


def python_calls(text: str) -> list[str]:
    """The Python calls of the ``medtwin`` commands quoted in ``text``, each once, in order.

    Commands without a use case (``db start``, ``data fetch``) have none.

    >>> python_calls("build one with `medtwin twin build P1`, then `medtwin rank P1 --rerank`")
    ['twins.build_twin(store, "P1")', 'rankings.rank_drugs(store, "P1")']
    >>> python_calls("start it with `medtwin db start`")
    []
    """
    found: list[str] = []
    for command in _COMMAND.findall(text):
        for pattern, call in PYTHON_CALLS:
            if match := pattern.search(command):
                found.append(call.format(**match.groupdict()))
                break
    return list(dict.fromkeys(found))
