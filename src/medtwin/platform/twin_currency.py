"""Whether a stored twin predates its patient's inputs: the note shown with the twin and rankings.

A twin is built from the patient's inputs of that moment (their digests are stored on it as
``input_checksums_json``). An input added afterwards, or a file added again with other content,
leaves the twin as it was: ``twin show``, ``rank``, the report and the API would present the old
twin as the patient's without this note. Only the inputs are compared here (a cheap read of
their ids and digests); :func:`medtwin.platform.twin_batch.stale_reason` also compares the
parameters and the reference data, for deciding whether to build again.

Results stored under older rules carry a note too, naming what changed since
(:data:`RULE_CHANGES`): a drug list made by an earlier medtwin is not presented as today's
answer. Twins and rankings have a rules version each (:data:`medtwin.domain.TWIN_RULES`,
:data:`medtwin.domain.RANKING_RULES`; both stored as ``rules``, on the Twin and on the
Ranking): a twin of older twin rules needs ``medtwin twin build P`` (which also gives it a new
ranking), a ranking of older ranking rules only ``medtwin rank P --rerank``. A note names that
step in the caller's words (:func:`medtwin.command_lines.next_step`): the command for the CLI,
the route for the API (``POST /v1/patients/P/twins``), the use case for Python
(``twins.build_twin(store, "P")``).

Where a user looks at a twin (``twin show``, ``twin list``, ``twin diff``, ``rank``, the report,
the API) the note is :func:`stale_note`; where a cohort view lists many patients (``cohort
summary``, ``cohort activities``, ``cohort stratify``) it is one line, :func:`cohort_stale_note`:
how many patients' twins predate their inputs and the command that builds them again; ``cohort
summary``, which lists rankings, adds :func:`cohort_rankings_note` for rankings of older ranking
rules.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from medtwin.command_lines import next_step, patient_command, version_option
from medtwin.domain import RANKING_RULES, TWIN_RULES
from medtwin.platform.cohort_loads import completeness_note
from medtwin.platform.safe_text import shortened
from medtwin.store.base import GraphStore

__all__ = [
    "RULES",
    "RULE_CHANGES",
    "CohortCurrency",
    "UNRECORDED_REASONS",
    "RuleKind",
    "cohort_currency",
    "cohort_rankings_note",
    "cohort_stale_note",
    "inputs_changed",
    "older_rules",
    "rules_fix",
    "stale_note",
    "stale_patients",
]

RuleKind = Literal["twin", "ranking"]
"""Which rules a stored result was made under: a Twin's or a Ranking's ``rules``."""

RULES: Mapping[RuleKind, int] = {"twin": TWIN_RULES, "ranking": RANKING_RULES}
"""Today's version of each kind (:data:`medtwin.domain.TWIN_RULES`, ``RANKING_RULES``)."""

RULE_CHANGES: Mapping[RuleKind, Mapping[int, str]] = {
    "twin": {
        1: (
            "twin-level activities are scored only from a full statistics vector (not the "
            "thresholded changes), and a module tie between equally large components goes to "
            "the strongest seed"
        ),
        2: (
            "a deleted exon, transcript or gene (exon_loss_variant, transcript_ablation, "
            "feature_ablation) is a driver loss of weight 1, not a coding change of unknown "
            "direction at weight 0.5: the upstream regulators are ranked from it at full weight "
            "and name it a loss"
        ),
        3: (
            "a VEP/SnpEff consequence of several &-joined terms counts by its most severe term "
            "(stop_gained&splice_region_variant is a driver loss, not a change of unknown "
            "direction): the upstream regulators are ranked from it at full weight; "
            "the twin's Louvain communities come from a projection in protein id order, so the "
            "same twin gets the same communities and community ids in any database (before, "
            "they followed the order the graph was written in)"
        ),
        4: (
            "the upstream regulators' Louvain communities (community, community_size, "
            "group_with) come from the shared regulatory network projected in protein id "
            "order, so the same reference gives the same groups in any database (before, they "
            "followed the order the reference was written in); their ranks and scores are "
            "unchanged"
        ),
    },
    "ranking": {
        1: (
            "target_expression, regulator, pathway, reversal and pathway_proximity score a twin "
            "only when it has a full statistics vector (not its thresholded changes)"
        ),
        2: (
            "driver and regulator_network count a deleted exon, transcript or gene "
            "(exon_loss_variant, transcript_ablation, feature_ablation) as a driver loss (-1), "
            "not a coding change of unknown direction (+0.5)"
        ),
        3: (
            "driver and regulator_network read a consequence of several &-joined terms by its "
            "most severe term (stop_gained&splice_region_variant: a driver loss, -1, not +0.5)"
        ),
        4: (
            "a drug without a target in the network that an order method scores (reversal, "
            "activity_reversal, regulator, pathway, driver, centrality) is ranked by that "
            "score, not placed last as 'no target in the network'; the default order is "
            "unchanged"
        ),
    },
}
"""What each version of each kind changed (a line per version since 1, the first recorded)."""


def older_rules(props: Mapping[str, Any] | None, kind: RuleKind) -> str:
    """What changed since the ``kind`` rules a stored twin or ranking (its props) was made under.

    ``""`` when it was made under today's rules (or ``props`` is None). ``kind`` says what
    ``props`` are: a twin's ``rules`` count in twin rules, a ranking's in ranking rules.

    >>> older_rules({"rules": RULES["twin"]}, "twin")
    ''
    >>> older_rules({}, "ranking").startswith("made under ranking rules 0 (now ")
    True
    """
    if props is None:
        return ""
    now = RULES[kind]
    made = int(props.get("rules") or 0)
    if made >= now:
        return ""
    since = "; ".join(RULE_CHANGES[kind][v] for v in range(made + 1, now + 1))
    return f"made under {kind} rules {made} (now {now}): since then {since}"


def rules_fix(kind: RuleKind, patient_id: str, *, version: int | None = None) -> str:
    """The step that makes a result of ``kind`` again, in the caller's words (:func:`next_step`).

    The CLI runs a command, the API calls a route, Python calls the use case (before, every
    surface was told the CLI command).

    >>> from medtwin.command_lines import speaking_to
    >>> rules_fix("twin", "P1"), rules_fix("ranking", "P1")  # a call from Python
    ('call `twins.build_twin(store, "P1")`', 'call `rankings.rank_drugs(store, "P1")`')
    >>> with speaking_to("cli"):
    ...     rules_fix("twin", "P1"), rules_fix("ranking", "-P1")
    ('run `medtwin twin build P1`', 'run `medtwin rank --rerank -- -P1`')
    >>> with speaking_to("api"):
    ...     rules_fix("twin", "P1"), rules_fix("ranking", "P1")
    ('call POST /v1/patients/P1/twins', 'call POST /v1/patients/P1/rankings')

    ``version``: the twin version a ranking's rerank is of (a twin build makes a new version);
    ``None``: the latest.

    >>> with speaking_to("cli"):
    ...     rules_fix("ranking", "P1", version=1), rules_fix("twin", "P1", version=1)
    ('run `medtwin rank P1 --rerank --version 1`', 'run `medtwin twin build P1`')
    """
    if kind == "twin":
        command, route = patient_command("twin build", patient_id), "twins"
    else:
        command = patient_command("rank", patient_id, "--rerank", *version_option(version))
        route = "rankings"
    return next_step(command, route=f"POST /v1/patients/{patient_id}/{route}")


def inputs_changed(twin: Mapping[str, Any], inputs: Sequence[Mapping[str, Any]]) -> str:
    """How the patient's inputs (``id``, ``sha256``, ``name`` each) differ from ``twin``'s; ``""``.

    E.g. ``"1 input added since (de2.tsv)"``, ``"1 input removed since"``.
    """
    built = json.loads(twin.get("input_checksums_json") or "{}")
    now = {str(i["id"]): str(i.get("sha256")) for i in inputs}
    added = [i for i in inputs if str(i["id"]) not in built]
    removed = [k for k in built if k not in now]
    changed = [i for i in inputs if built.get(str(i["id"]), now[str(i["id"])]) != now[str(i["id"])]]
    parts = []
    for what, rows in (("added", added), ("changed", changed)):
        if rows:
            # an uploaded file is recorded by its name, up to 255 characters
            names = ", ".join(shortened(str(r.get("name") or r["id"]), 60) for r in rows[:3])
            more = f" and {len(rows) - 3} more" if len(rows) > 3 else ""
            n = len(rows)
            parts.append(f"{n} input{'s' * (n != 1)} {what} since ({names}{more})")
    if removed:
        n = len(removed)
        parts.append(f"{n} input{'s' * (n != 1)} removed since")
    return "; ".join(parts)


def stale_note(
    patient_id: str,
    twin: Mapping[str, Any],
    inputs: Sequence[Mapping[str, Any]] | None,
    ranking: Mapping[str, Any] | None = None,
    *,
    version: int | None = None,
) -> str | None:
    """The one-line note for a twin (and its ``ranking``) that a build now would not repeat.

    Built from other inputs than the patient's now (``inputs``; None: not compared), twin made
    under older twin rules, ranking made under older ranking rules, or ranking without the
    reasons a method scored no drug (:data:`UNRECORDED_REASONS`). None when current. The
    fix is a twin build when the twin is the stale part (a new twin gets a new ranking), else a
    rerank, which keeps the twin: of twin version ``version`` when one was asked for (without
    it, the rerank ranks the latest twin).
    """
    built = twin.get("version", "?")
    notes = []
    why = inputs_changed(twin, inputs) if inputs is not None else ""
    if why:
        notes.append(f"twin v{built} predates the patient's inputs: {why}")
    if older := older_rules(twin, "twin"):
        notes.append(f"twin v{built} was {older}")
    elif older := older_rules(ranking, "ranking"):
        notes.append(f"this ranking was {older}")
    if ranking is not None and ranking.get("no_score_json") is None:
        notes.append(UNRECORDED_REASONS)
    if not notes:
        return None
    kind: RuleKind = "twin" if why or older_rules(twin, "twin") else "ranking"
    return f"{'; '.join(notes)}; {rules_fix(kind, patient_id, version=version)}"


UNRECORDED_REASONS = (
    "this ranking records no reason for a method that scored no drug (made before medtwin "
    "recorded them)"
)
"""Said of a stored ranking without ``no_score_json``: before stop 46 no ranking recorded why
a method scored no drug, and since then every ranking records it (``"{}"`` when every method
scored some). Computing the reasons when such a ranking is read would present today's code and
reference data as the ranking's, and cost a ranking context (the regulator layers, the
patient's inputs) on every read of a page, where reads are kept cheap; the rerank the note
names records them, from the same inputs, at the cost of one ranking."""


def stale_patients(store: GraphStore, ids: Sequence[str]) -> tuple[list[str], list[str]]:
    """``(stale, older)``: the patients of ``ids`` whose latest twin a build now would not repeat.

    Stale: the twin predates the patient's inputs (:func:`inputs_changed`) or today's twin
    rules; ``older``: those made under older twin rules (:func:`older_rules`).
    """
    rows = store.twins.latest_twin_inputs(ids)
    older = sorted(r["id"] for r in rows if older_rules(r, "twin"))
    stale = sorted(r["id"] for r in rows if r["id"] in older or inputs_changed(r, r["inputs"]))
    return stale, older


def cohort_stale_note(
    stale: Sequence[str],
    n_patients: int,
    *,
    cohort: str | None = None,
    older: Sequence[str] = (),
) -> str | None:
    """The cohort views' line for patients whose twins predate their inputs, else None.

    The refresh is ``medtwin cohort run`` over the same patients (it builds a twin again only
    where it is stale, and ranks it): ``--cohort NAME``, the stale ids when few, or ``--all``;
    in Python ``run_cohort`` of the same patients, in the API each one's twin and ranking
    routes (:func:`_cohort_run`).

    Examples
    --------
    >>> from medtwin.command_lines import speaking_to
    >>> with speaking_to("cli"):
    ...     print(cohort_stale_note(["P3", "P1"], 81, cohort="ra synovium"))
    the twins of 2 of 81 patients predate the patients' inputs (P3, P1); run `medtwin cohort run \
--cohort 'ra synovium'`
    >>> with speaking_to("cli"):
    ...     print(cohort_stale_note(["P1"], 2))
    the twin of 1 of 2 patients predates the patient's inputs (P1); run `medtwin cohort run P1`
    >>> print(cohort_stale_note(["P1", "P2"], 2, older=["P1", "P2"]))  # from Python
    ... # doctest: +NORMALIZE_WHITESPACE
    the twins of 2 of 2 patients were made under older twin rules (P1, P2); call
    `cohort.run_cohort(store, None, ["P1", "P2"])`
    >>> with speaking_to("api"):
    ...     print(cohort_stale_note(["P1"], 2))
    ... # doctest: +NORMALIZE_WHITESPACE
    the twin of 1 of 2 patients predates the patient's inputs (P1); call POST
    /v1/patients/{id}/twins, then POST /v1/patients/{id}/rankings for each of them
    >>> cohort_stale_note([], 2) is None
    True
    """
    n = len(stale)
    if not n:
        return None
    twins, verb, whose = (
        ("twin", "predates", "patient's") if n == 1 else ("twins", "predate", "patients'")
    )
    why = f"{verb} the {whose} inputs"
    if older and len(older) == n:
        why = f"{'was' if n == 1 else 'were'} made under older twin rules"
    elif older:
        why += f" or were made under older twin rules ({len(older)})"
    return (
        f"the {twins} of {n} of {n_patients} patients {why} ({_names(stale)}); "
        f"{_cohort_run(stale, cohort, twins=True)}"
    )


def cohort_rankings_note(
    older: Sequence[str], n_patients: int, *, cohort: str | None = None
) -> str | None:
    """The cohort summary's line for patients whose ranking is of older ranking rules, else None.

    Such a ranking was made by an earlier medtwin (:func:`older_rules`): ``medtwin cohort run``
    over the same patients ranks them again (keeping each twin that is current), as
    :func:`cohort_stale_note` says for twins.

    Examples
    --------
    >>> from medtwin.command_lines import speaking_to
    >>> with speaking_to("cli"):
    ...     print(cohort_rankings_note(["P3", "P1"], 81, cohort="ra synovium"))
    ... # doctest: +NORMALIZE_WHITESPACE +ELLIPSIS
    the rankings of 2 of 81 patients were made under older ranking rules (P3, P1; now ...); run
    `medtwin cohort run --cohort 'ra synovium'`
    >>> print(cohort_rankings_note(["P3", "P1"], 81, cohort="ra synovium"))  # from Python
    ... # doctest: +NORMALIZE_WHITESPACE +ELLIPSIS
    the rankings of 2 of 81 patients were made under older ranking rules (P3, P1; now ...); call
    `cohort.run_cohort(store, None, cohort.cohort_patients(store, cohort="ra synovium"))`
    >>> with speaking_to("api"):
    ...     print(cohort_rankings_note(["P3", "P1"], 81, cohort="ra synovium"))
    ... # doctest: +NORMALIZE_WHITESPACE +ELLIPSIS
    the rankings of 2 of 81 patients were made under older ranking rules (P3, P1; now ...); call
    POST /v1/patients/{id}/rankings for each of them
    >>> cohort_rankings_note([], 2) is None
    True
    """
    n = len(older)
    if not n:
        return None
    rankings, verb = ("ranking", "was") if n == 1 else ("rankings", "were")
    return (
        f"the {rankings} of {n} of {n_patients} patients {verb} made under older ranking rules "
        f"({_names(older)}; now {RULES['ranking']}); {_cohort_run(older, cohort, twins=False)}"
    )


def _names(ids: Sequence[str]) -> str:
    """The first 3 of ``ids`` and how many more."""
    return ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")


def _cohort_run(ids: Sequence[str], cohort: str | None, *, twins: bool) -> str:
    """``cohort run`` of the same patients, in the caller's words (:func:`next_step`).

    The command: ``--cohort NAME``, the ids when few, or ``--all``; Python: ``run_cohort`` of
    the same patients; the API has no cohort run: each patient's twin build (``twins``) and
    ranking routes.
    """
    if cohort is not None:
        selection = f"--cohort {shlex.quote(cohort)}"
        who = f"cohort.cohort_patients(store, cohort={json.dumps(cohort)})"
    elif len(ids) <= 5:
        dashes = ["--"] if any(s.startswith("-") for s in ids) else []  # ids read as options
        selection = " ".join([*dashes, *(shlex.quote(s) for s in ids)])
        who = json.dumps(list(ids))
    else:
        selection = "--all"
        who = "cohort.cohort_patients(store, all_patients=True)"
    routes = "POST /v1/patients/{id}/twins, then POST /v1/patients/{id}/rankings"
    return next_step(
        f"medtwin cohort run {selection}",
        route=f"{routes if twins else routes.split(', then ')[1]} for each of them",
        call=f"cohort.run_cohort(store, None, {who})",
    )


@dataclass(frozen=True)
class CohortCurrency:
    """A cohort view's patients whose twins are stale (:func:`stale_patients`), and its note."""

    stale: tuple[str, ...]
    note: str | None
    completeness: str | None = None
    """:func:`~medtwin.platform.cohort_loads.completeness_note` of the view's cohort."""
    older: tuple[str, ...] = ()
    """Those of ``stale`` whose twin was made under older twin rules."""


def cohort_currency(
    store: GraphStore, ids: Sequence[str], *, cohort: str | None = None
) -> CohortCurrency:
    """:func:`stale_patients` of ``ids``, their :func:`cohort_stale_note` (one read), and more.

    ``completeness``: whether ``cohort``'s adds are recorded (one more read).
    """
    stale, older = stale_patients(store, ids)
    note = cohort_stale_note(stale, len(ids), cohort=cohort, older=older)
    return CohortCurrency(tuple(stale), note, completeness_note(store, cohort), tuple(older))
