"""Upstream regulators in words, and the stored UR layer of a twin as read (report, viewer).

Light on purpose (no numpy): :mod:`medtwin.platform.twins` (the viewer's graph), the report and
``medtwin twin regulators`` (:func:`stored_regulator_report`) read a twin's stored
``UPSTREAM_REGULATOR`` and ``ACTIVITY`` edges through here without computing anything;
:mod:`medtwin.platform.twin_regulators` words its live rankings with the same
:func:`regulator_models`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from medtwin.command_lines import next_step, patient_command, version_option
from medtwin.platform.gene_evidence import driver_words
from medtwin.platform.patient_reads import patients_twin
from medtwin.platform.twin_models import RegulatorReport, UpstreamRegulator, panel_note
from medtwin.store.base import GraphStore

__all__ = [
    "StoredRegulators",
    "group_words",
    "no_vector_note",
    "no_vector_report",
    "ordinal",
    "p_words",
    "regulator_models",
    "regulator_report",
    "stored_regulator_report",
    "stored_regulators",
]

ACTIVITY_COUNTS = (
    "activity_genes", "activity_tfs", "regulators_q_max", "regulators_restart", "activity_vector"
)  # fmt: skip
"""Twin properties a build sets when it ranks the URs: genes with a statistic, TFs scored, the q
and restart of its UR ranking (also when it found no UR), and ``activity_vector`` (true: the
statistics were a vector of every measured gene; a twin built before that rule lacks it, and its
report is computed from its inputs under the rule instead of read)."""


def no_vector_note(note: str, patient_id: str, version: int | None = None) -> str:
    """``note`` (why the twin has no vector of every measured gene) and where to look instead.

    ``version``: the twin version read (``None``: the latest), which the step names.

    The step in the caller's words (:func:`~medtwin.command_lines.next_step`)::

    The step ends the note: an API step for a twin version says in parentheses that its route
    reads the latest twin, and the tissue alternative after it was a second parenthesis right
    after the first (``… where the server runs) (or by tissue, …)``).

    >>> from medtwin.command_lines import speaking_to
    >>> with speaking_to("cli"):
    ...     print(no_vector_note("no vector of every measured gene: ...", "P1"))
    ... # doctest: +NORMALIZE_WHITESPACE
    no twin-level regulators: no vector of every measured gene: ...; per-cell-type regulators
    read each cell type's vector of every gene, per-tissue ones each tissue's, where its inputs
    keep one: run `medtwin twin regulators P1 --by cell-type`
    >>> with speaking_to("api"):
    ...     print(no_vector_note("...", "P1").split("one: ")[1])
    call GET /v1/patients/P1/twins/latest/regulators?by=cell_type
    >>> with speaking_to("api"):
    ...     print(no_vector_note("...", "P1", 1).split("one: ")[1])
    ... # doctest: +NORMALIZE_WHITESPACE
    call GET /v1/patients/P1/twins/latest/regulators?by=cell_type (of the latest twin: no route
    does this for twin version 1; medtwin twin regulators P1 --by cell-type --version 1 does,
    where the server runs)
    """
    options = ("--by cell-type", *version_option(version))
    step = next_step(patient_command("twin regulators", patient_id, *options))
    return (
        f"no twin-level regulators: {note}; per-cell-type regulators read each cell type's "
        f"vector of every gene, per-tissue ones each tissue's, where its inputs keep one: {step}"
    )


def no_vector_report(
    twin: Mapping[str, Any],
    q: float,
    restart: float,
    note: str,
    *,
    t0: float,
    version: int | None = None,
) -> RegulatorReport:
    """The empty report of a twin without a vector of every measured gene, saying why.

    ``version``: the twin version asked (``None``: the latest), named by the note's step.
    """
    return RegulatorReport(
        twin_id=twin["id"], n_genes_with_statistic=0, n_tfs_scored=0, q_max=q, restart=restart,
        regulators=(), pathways={}, seconds=round(time.perf_counter() - t0, 3),
        note=no_vector_note(
            note, str(twin.get("patient_id") or twin["id"].split("@")[0]), version
        ),
    )  # fmt: skip


UNDERFLOW = 1e-300
"""Bound printed for a p or q that underflowed to 0 (:func:`p_words`)."""


def p_words(value: float, spec: str = ".2g") -> str:
    """A p-value or q-value for a reader: ``< 1e-300`` where it underflowed to 0.

    The footprint p of a very strong activity (STAT1 at t 63.7) is below the smallest double
    (:mod:`~medtwin.platform.algorithms.footprint_models`: ``2 * stdtr(df, -|t|)``), so it is stored
    as 0, and "q 0" would claim certainty; JSON keeps the number.

    >>> p_words(0.0), p_words(0.00123), p_words(1.0)
    ('< 1e-300', '0.0012', '1')
    """
    return f"< {UNDERFLOW:.0e}" if value <= 0 else format(value, spec)


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``, ...

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 21, 102)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '21st', '102nd']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def group_words(
    group: int | None, others: Sequence[str], size: int | None = None, total: int | None = None
) -> str:
    """The words of a UR's Louvain group: a community of the whole network, with its size.

    A Louvain community of the regulatory + PPI network is no finding about the patient (an IFN
    twin's STAT1 sat in one of 3,649 of 14,150 proteins in GDS, 3,534 of 14,089 in process), and
    the partition depends on the engine (GDS vs networkx with its seed give other groups) and,
    in GDS, on the load (3,683 after a reload), so the words say what it is and
    how big, and name only the other URs in it. ``size``/``total``: nodes of the community and
    of the network (``None`` on a twin built before they were kept).

    >>> group_words(1, ("STAT3", "IRF2", "SP1", "STAT4"), 3649, 14150)
    '; Louvain community 1 of the network (3,649 of 14,150 proteins) with STAT3, IRF2, SP1 and 1 more'
    >>> group_words(2, (), 12, 14150), group_words(2, ("IRF1",))
    ('; Louvain community 2 of the network (12 of 14,150 proteins), no other regulator in it', '; Louvain community 2 of the network with IRF1')
    """  # noqa: E501
    if group is None:
        return ""
    sized = f" ({size:,} of {total:,} proteins)" if size and total else ""
    if not others:
        return f"; Louvain community {group} of the network{sized}, no other regulator in it"
    more = f" and {len(others) - 3} more" if len(others) > 3 else ""
    return f"; Louvain community {group} of the network{sized} with {', '.join(others[:3])}{more}"


def regulator_models(
    rows: Sequence[Mapping[str, Any]],
    names: Mapping[str, str],
    details: Mapping[str, tuple[float | None, int | None]] | None = None,
) -> list[UpstreamRegulator]:
    """Ranked UR rows (id, rank, centrality, community, activity, q, driver) as worded models.

    ``details``: id -> (p, n_targets) of the TF activity, when known.

    >>> rows = [
    ...     {"id": "1", "rank": 1, "centrality": 0.2, "community": 1, "activity": 4.1,
    ...      "q": 0.001, "driver": None},
    ...     {"id": "2", "rank": 2, "centrality": 0.1, "community": 1, "activity": None,
    ...      "q": None, "driver": -1.0},
    ... ]
    >>> for u in regulator_models(rows, {"1": "STAT1", "2": "JAK2"}):
    ...     print(u.words)
    STAT1 active (t 4.1, q 0.001), 1st most central; Louvain community 1 of the network with JAK2
    JAK2 driver (loss, weight 1), 2nd most central; Louvain community 1 of the network with STAT1
    """
    details = details or {}
    members: dict[int, list[str]] = {}
    for r in rows:
        if r["community"] is not None:
            members.setdefault(int(r["community"]), []).append(names.get(r["id"], r["id"]))
    out = []
    for r in rows:
        g = str(r["id"])
        name = names.get(g, g)
        activity, q, driver = r["activity"], r["q"], r["driver"]
        parts = []
        if activity is not None:
            state = "active" if activity > 0 else "inactive"
            # a ULM t-value (twin_models.UpstreamRegulator.activity), not a z-score
            parts.append(f"{state} (t {activity:.1f}, q {p_words(q)})")
        if driver is not None:
            parts.append(f"driver ({driver_words(driver, r.get('driver_call'))})")
        group = None if r["community"] is None else int(r["community"])
        others = tuple(n for n in members.get(group, []) if n != name) if group else ()
        kind = "tf+driver" if activity is not None and driver is not None else "tf"
        if activity is None:
            kind = "driver"
        p, n_targets = details.get(g, (None, None))
        out.append(
            UpstreamRegulator(
                entrez=g,
                symbol=name,
                activity=activity,
                p=p,
                q=q,
                n_targets=n_targets,
                driver=driver,
                driver_call=r.get("driver_call") if driver is not None else None,
                pagerank=float(r["centrality"]),
                rank=int(r["rank"]),
                words=(
                    f"{name} {', '.join(parts)}, {ordinal(int(r['rank']))} most central"
                    + group_words(group, others, r.get("community_size"), r.get("network_size"))
                ),
                kind=kind,
                community=group,
                community_size=r.get("community_size") if group is not None else None,
                network_size=r.get("network_size") if group is not None else None,
                group_with=others,
            )
        )
    return out


@dataclass(frozen=True)
class StoredRegulators:
    """A twin's stored URs (most central first) and pathway activities (strongest first)."""

    twin_id: str
    regulators: tuple[UpstreamRegulator, ...]
    pathways: tuple[dict[str, Any], ...]
    engine: str | None
    note: str | None = None
    """Why the twin has none (:func:`no_vector_note`), when its build said so."""
    gene_set_note: str | None = None
    """:func:`~medtwin.platform.twin_models.panel_note` of the genes the activities rest on."""

    @property
    def empty(self) -> bool:
        """Nothing stored: no UR and no pathway activity."""
        return not self.regulators and not self.pathways


def stored_regulators(
    store: GraphStore,
    twin_id: str,
    *,
    twin: Mapping[str, Any] | None = None,
    version: int | None = None,
    activity: list[dict[str, Any]] | None = None,
) -> StoredRegulators:
    """Read (never compute) the twin's UPSTREAM_REGULATOR and ACTIVITY edges.

    ``activity``: the twin's ACTIVITY rows when the caller has read them already (the twin's
    drawing reads them once for its regulators, pathways and activity edges).

    ``twin``: the stored twin's properties, whose ``activity_note`` (why it has no twin-level
    activity, :attr:`~medtwin.platform.models.TwinSummary.activity_note`) becomes the ``note``,
    worded with :func:`no_vector_note` for the reader; ``version``: the twin version asked
    (``None``: the latest), which the note's step names.
    """
    activity_note = (twin or {}).get("activity_note")
    rows = store.twins.upstream_regulators(twin_id)
    if activity is None:
        activity = store.twins.activity(twin_id)
    details = {a["id"]: (a["p"], a["n_targets"]) for a in activity if a["kind"] == "tf"}
    names = {r["id"]: r.get("symbol") or r["id"] for r in rows}
    return StoredRegulators(
        twin_id=twin_id,
        regulators=tuple(regulator_models(rows, names, details)),
        pathways=tuple(a for a in activity if a["kind"] == "pathway"),
        engine=str(rows[0]["engine"]) if rows else None,
        note=no_vector_note(activity_note, str(twin["patient_id"]), version)
        if twin and activity_note
        else None,
        gene_set_note=panel_note((twin or {}).get("activity_genes")),
    )


def stored_regulator_report(
    store: GraphStore,
    patient_id: str,
    *,
    version: int | None = None,
    q: float,
    top: int | None = None,
) -> RegulatorReport | None:
    """The twin's regulator report from what its build stored, or ``None`` to compute it.

    The same report as :func:`medtwin.platform.twin_regulators.twin_regulators` reading its
    stored ranking, without recomputing the activity (nor importing scipy and networkx, ~0.5 s
    of a command): the URs, TF p-values and target counts, and pathway activities come from the
    twin's ``UPSTREAM_REGULATOR`` and ``ACTIVITY`` edges, the two counts from the twin
    (:data:`ACTIVITY_COUNTS`). ``None`` when the build ranked its URs at another ``q``, was
    built before the counts (or the rule of a vector of every measured gene) were kept, or
    stored no activity for want of such a vector (the live report then says why). A build that
    found no UR gives the live report's "0 upstream regulators" (``stored`` false: no edge was
    read).
    """
    t0 = time.perf_counter()
    twin = patients_twin(store, patient_id, version)
    n_genes, n_tfs, q_built, restart, full = (twin.get(k) for k in ACTIVITY_COUNTS)
    if n_genes is None or n_tfs is None or restart is None or q_built != q or not full:
        return None
    rows = store.twins.upstream_regulators(twin["id"])
    activity = store.twins.activity(twin["id"])
    # the p and target count of a significant TF (the live ranking's URs); drivers have none
    details = {
        a["id"]: (a["p"], a["n_targets"])
        for a in activity
        if a["kind"] == "tf" and a["q"] is not None and a["q"] <= q
    }
    symbols = store.reference.protein_symbols([r["id"] for r in rows])
    names = {r["id"]: symbols.get(r["id"]) or r["id"] for r in rows}
    out = regulator_models(rows, names, details)
    pathways = {
        a["id"]: {"score": a["score"], "p": a["p"], "q": a["q"]}
        for a in sorted((a for a in activity if a["kind"] == "pathway"), key=lambda a: a["id"])
    }
    return regulator_report(
        twin["id"], (int(n_genes), int(n_tfs)), q, float(restart), out, pathways,
        engine=str(rows[0]["engine"]) if rows else "none", stored=bool(rows), top=top, t0=t0,
    )  # fmt: skip


def regulator_report(
    twin_id: str,
    counts: tuple[int, int],
    q: float,
    restart: float,
    regulators: Sequence[UpstreamRegulator],
    pathways: dict[str, dict[str, float]],
    *,
    engine: str,
    stored: bool,
    top: int | None,
    t0: float,
) -> RegulatorReport:
    """The report of ranked URs, read or computed: the first ``top`` shown, all counted.

    ``counts``: genes with a statistic, TFs scored; ``engine``: where the centrality was computed
    (anything but ``gds``/``in_process`` is ``none``: no UR to rank); ``t0``: when it started.
    """
    return RegulatorReport(
        twin_id=twin_id,
        n_genes_with_statistic=counts[0],
        n_tfs_scored=counts[1],
        q_max=q,
        restart=restart,
        regulators=tuple(regulators if top is None else regulators[:top]),
        pathways=pathways,
        seconds=round(time.perf_counter() - t0, 3),
        engine="gds" if engine == "gds" else "in_process" if engine == "in_process" else "none",
        stored=stored,
        n_regulators=len(regulators),
    )
