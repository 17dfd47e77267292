"""The errors of a patient or twin lookup that found nothing, and the check of a version asked for.

Every store raises these, so the CLI, the API and Python users read the same message and hint.
"""

from __future__ import annotations

from collections.abc import Sequence

from medtwin.command_lines import patient_command
from medtwin.errors import InputError, NotFoundError
from medtwin.loaders.gene_names import shown_name

__all__ = ["checked_version", "no_patient", "no_twin"]


def checked_version(version: int | None) -> int | None:
    """``version`` if it is ``None`` or an integer, else an :class:`InputError` naming it.

    A version given as text (``"1"``) matched no twin and read as "has no twin version 1".
    """
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise InputError(f"a twin version is an integer (1, 2, ...), got {version!r}")
    return version


def no_patient(patient_id: str, alike: Sequence[str] = ()) -> NotFoundError:
    """The error for a patient that does not exist, with the command that adds one.

    ``alike``: stored ids equal to ``patient_id`` but for case, named instead (the hint to add
    ``gsm389703`` made a second patient beside ``GSM389703``).

    >>> no_patient("gsm1", ["GSM1"]).hint
    'did you mean GSM1? (patient ids are case-sensitive)'

    An id that would not show where it starts and ends is quoted (``shown_name``): ``cohort
    run ''`` said "no patient" and nothing after it.

    >>> no_patient(" GSM1 ", ["GSM1"]).message
    "no patient ' GSM1 '"
    """
    named = shown_name(patient_id)
    if alike:
        return NotFoundError(
            f"no patient {named}",
            hint=f"did you mean {' or '.join(alike)}? (patient ids are case-sensitive)",
        )
    return NotFoundError(
        f"no patient {named}",
        hint=f"add one with `{patient_command('patient add', patient_id, '...')}`",
    )


def no_twin(
    patient_id: str,
    version: int | None,
    *,
    patient_exists: bool,
    versions: Sequence[int] = (),
) -> NotFoundError:
    """The error for a twin lookup that found nothing: no such patient, or no (such) twin.

    ``versions``: the twin versions the patient has, named when another one was asked for.

    >>> print(no_twin("P1", 4, patient_exists=True, versions=[2, 1]).message)
    patient P1 has no twin version 4; its twin versions: 1, 2 (the latest: 2)
    """
    if not patient_exists:
        return no_patient(patient_id)
    if version is not None and versions:
        have = sorted(versions)
        return NotFoundError(
            f"patient {patient_id} has no twin version {version}; its twin versions: "
            f"{', '.join(map(str, have))} (the latest: {have[-1]})",
            hint=f"give one of them, or build a new one with "
            f"`{patient_command('twin build', patient_id)}`",
        )
    what = "twin" if version is None else f"twin version {version}"
    return NotFoundError(
        f"patient {patient_id} has no {what}",
        hint=f"build one with `{patient_command('twin build', patient_id)}`",
    )
