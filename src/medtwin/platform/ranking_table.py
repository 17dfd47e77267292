"""A ranking as a table a user can take away: ``medtwin rank --out FILE.tsv``.

One row per drug of the ranking (every drug, not a page), best first, with the columns of
:data:`COLUMNS`:

========================  ========================================================================
column                    meaning
========================  ========================================================================
rank                      1 = best combined score
drug_id, drug_name        the drug (DrugBank id, or the id of a ``--targets FILE`` row)
approved                  ``true`` / ``false`` (DrugBank group approved); empty when unknown
n_targets                 distinct targets of the drug in its source
n_targets_in_network      of those, targets in the interactome (0: no network method scores it)
d_c, z, p, q              proximity: closest distance to the twin module, its z against
                          degree-matched random targets and modules, empirical p, BH q
n_samples                 null samples drawn for this drug's p
centrality                centrality coverage of the twin reached by the targets
disruption                module disruption z (``DrugScore.disruption_z``)
direction                 action direction in [-1, 1]
direction_word            ``counteracts`` (+), ``aggravates`` (-), ``mixed`` (0), ``unknown``;
                          ``not computed (add --method direction)`` when the ranking did not run it
regulator                 upstream-regulator activity the drug counteracts (``regulator``)
regulator_network         RWR p/k from the URs and drivers at its targets (``regulator_network``)
pathway                   mean activity of the PROGENy pathways whose core it targets, whatever
                          its action (dependence: an agonist of an active pathway scores high)
driver                    driver evidence (mutation / copy number) the drug counteracts
reversal, reversal_q      −Spearman of patient and LINCS drug signature, its BH q
activity_reversal(_q)     −Spearman of the patient's TF and pathway activities and those of the
                          drug's LINCS signature (``activity_reversal``), its BH q
pathway_proximity         Σ over PROGENy pathways of the targets' footprint closeness × activity
target_expression         z of the targets' own statistics against their action (matched null)
degree_baseline_rank      rank by the targets' degree alone (hub-bias check)
combined                  the combined score the rank orders by
targets_in_module         Entrez ids of targets inside the twin's module, ``;``-separated
targets_in_module_symbols their symbols, ``;``-separated
placed_by                 which evidence placed the drug, as ``rank`` prints it (priors named as
                          priors); empty when the ranking was not read back from the store
========================  ========================================================================

An undefined value is an empty cell. Floats are written in full (shortest round-trip) precision
so the file reproduces the stored ranking. Text cells (ids, names, symbols) that a spreadsheet
would open as a formula (leading ``=``, ``+``, ``-``, ``@``, tab, CR) get a leading ``'``
(:func:`medtwin.platform.safe_text.table_text`); numbers are written as they are. The file
is written to a temporary file in the same folder and renamed over ``out``, so a reader never
sees half a ranking.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from medtwin.atomic import PATIENT_FILE_MODE, atomic_output
from medtwin.errors import InputError
from medtwin.outputs import output_path
from medtwin.platform.arguments import as_path
from medtwin.platform.models import DrugScore, RankingResult
from medtwin.platform.safe_text import table_text

__all__ = ["COLUMNS", "ranking_rows", "write_ranking_tsv"]

COLUMNS: tuple[str, ...] = (
    "rank",
    "drug_id",
    "drug_name",
    "approved",
    "n_targets",
    "n_targets_in_network",
    "d_c",
    "z",
    "p",
    "q",
    "n_samples",
    "centrality",
    "disruption",
    "direction",
    "direction_word",
    "regulator",
    "regulator_network",
    "pathway",
    "driver",
    "reversal",
    "reversal_q",
    "activity_reversal",
    "activity_reversal_q",
    "pathway_proximity",
    "target_expression",
    "degree_baseline_rank",
    "combined",
    "targets_in_module",
    "targets_in_module_symbols",
    "placed_by",
)
"""Columns of :func:`write_ranking_tsv`, in order."""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "" if value != value else repr(value)  # NaN -> empty
    if isinstance(value, tuple | list):
        return table_text(";".join(str(v) for v in value))
    if isinstance(value, str):
        return table_text(value)
    return str(value)


def _row(d: DrugScore) -> dict[str, object]:
    return {
        "rank": d.rank,
        "drug_id": d.drug_id,
        "drug_name": d.drug_name,
        "approved": d.approved,
        "n_targets": d.n_targets,
        "n_targets_in_network": d.n_targets_in_network,
        "d_c": d.d_c,
        "z": d.z,
        "p": d.p,
        "q": d.q,
        "n_samples": d.n_samples,
        "centrality": d.centrality,
        "disruption": d.disruption_z,
        "direction": d.direction,
        "direction_word": d.direction_word,
        "regulator": d.regulator,
        "regulator_network": d.regulator_network,
        "pathway": d.pathway,
        "driver": d.driver,
        "reversal": d.reversal,
        "reversal_q": d.reversal_q,
        "activity_reversal": d.activity_reversal,
        "activity_reversal_q": d.activity_reversal_q,
        "pathway_proximity": d.pathway_proximity,
        "target_expression": d.target_expression,
        "degree_baseline_rank": d.degree_baseline_rank,
        "combined": d.combined,
        "targets_in_module": d.targets_in_module,
        "targets_in_module_symbols": d.targets_in_module_symbols,
        "placed_by": d.placed_by,
    }


def ranking_rows(ranking: RankingResult) -> Iterator[tuple[str, ...]]:
    """The ranking's drugs as text cells in :data:`COLUMNS` order, best first.

    Parameters
    ----------
    ranking
        A ranking holding every drug (``rankings.full_ranking``).

    Yields
    ------
    tuple of str
        One row per drug.

    Examples
    --------
    >>> from datetime import datetime
    >>> from medtwin.platform.models import RankParams
    >>> r = RankingResult(id="P@v1/x", twin_id="P@v1", params=RankParams(),
    ...     created_at=datetime(2026, 1, 1), n_drugs=1, seconds=0.1,
    ...     drugs=(DrugScore(rank=1, drug_id="DB1", drug_name=None, n_targets=2,
    ...                      n_targets_in_network=1, direction=1.0, combined=0.5),))
    >>> row = dict(zip(COLUMNS, next(ranking_rows(r))))
    >>> row["direction_word"], row["d_c"], row["combined"]
    ('counteracts', '', '0.5')
    """
    for d in sorted(ranking.drugs, key=lambda d: d.rank):
        cells = _row(d)
        yield tuple(_cell(cells[c]) for c in COLUMNS)


def write_ranking_tsv(ranking: RankingResult, out: Path | str) -> int:
    """Write every drug of ``ranking`` to ``out`` as TSV, atomically (temporary file + rename).

    Parameters
    ----------
    ranking
        A ranking holding every drug (``len(ranking.drugs) == ranking.total``).
    out
        The output file; missing folders are made (:func:`medtwin.outputs.output_path`).

    Returns
    -------
    int
        Rows written (drugs).

    Raises
    ------
    InputError
        The ranking holds only a page of its drugs.
    OSError
        The folder of ``out`` cannot be made or written (a file in the way is named).
    """
    out = as_path(out, "out")
    if ranking.total and len(ranking.drugs) != ranking.total:
        raise InputError(
            f"ranking {ranking.id} holds {len(ranking.drugs)} of {ranking.total} drugs; "
            "export the full ranking (rankings.full_ranking)"
        )
    output_path(out)  # as `rank --out`: a missing folder is made (the Python call refused it)
    n = 0
    # 0600 whatever the umask: the table holds the patient's ranking (docs/api.md "Files")
    with atomic_output(out, text=True, fsync=True, mode=PATIENT_FILE_MODE) as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in ranking_rows(ranking):
            writer.writerow(row)
            n += 1
    return n
