"""How a hint writes the ``medtwin`` command for a patient, so that it runs as written.

A patient id may start with ``-`` (ids are ``[A-Za-z0-9_.-]{1,64}``), which click reads as an
option: ``medtwin patient show -P1`` is a usage error. Such an id goes after ``--``, behind the
command's options (``medtwin rank --rerank -- -P1``); any other id goes where the usage puts it.
No ``medtwin`` import: :mod:`medtwin.store` and :mod:`medtwin.platform` both use it.
"""

from __future__ import annotations

import shlex

__all__ = ["patient_command"]


def patient_command(command: str, patient_id: str, *options: str) -> str:
    """``medtwin <command> <patient_id> <options>`` as it must be typed (without backticks).

    ``options`` are written as given (``"--top 10"``, ``"..."``).

    >>> patient_command("rank", "P1", "--rerank")
    'medtwin rank P1 --rerank'
    >>> patient_command("rank", "-P1", "--rerank")
    'medtwin rank --rerank -- -P1'
    >>> patient_command("patient add", "-P1", "...")
    'medtwin patient add ... -- -P1'
    """
    pid = shlex.quote(patient_id)
    if patient_id.startswith("-"):
        return " ".join(["medtwin", command, *options, "--", pid])
    return " ".join(["medtwin", command, pid, *options])
