"""The regulator-era methods in words for one drug: what each one that scored it found.

``medtwin explain P DRUG`` printed the proximity, direction and paths of a drug but not why the
regulator methods scored it: thalidomide's ``regulator +19.08`` came with no word that it
inhibits NFKB1, the patient's 6th upstream regulator, nor vemurafenib's ``driver 0.5`` with the
patient's BRAF mutation. :func:`method_lines` gives one line per method of the ranking that
scored the drug (``regulator``, ``driver``, ``pathway``, ``reversal``, ``target_expression``,
``regulator_network``, ``pathway_proximity``), with the value the ranking stored (the same as
``--json``) and, where the rule is a sum over the drug's targets, each target's part, taken from
what the twin stores (its upstream regulators, drivers and pathway activities) and the regulon
edges of the drug's targets. Pure: the reads are in :mod:`medtwin.platform.explain`.

The rules are those of the ranking methods (:mod:`medtwin.platform.ranking`); their constants
are repeated here so that explaining does not import the ranking stack (scipy), and
``tests/unit/ranking/test_method_words.py`` keeps them equal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from medtwin.platform.gene_evidence import driver_words
from medtwin.platform.models import DrugScore, RankParams
from medtwin.platform.regulator_views import ordinal, p_words
from medtwin.platform.twin_models import UpstreamRegulator

__all__ = ["method_lines"]

REGULATOR_SIGN = {"inhibit": -1.0, "activate": 1.0}
"""``regulator_rank._SIGN``: a drug's action on a TF as a sign."""
UPSTREAM_WEIGHT = 0.5
"""``RegulatorParams.upstream_weight``: the weight of a UR one regulon step below a target."""
UR_Q = 0.05
"""``RegulatorParams.ur_q``: a TF is an upstream regulator at activity q at most this."""
DRIVER_ACTION = {"inhibit": 1.0, "activate": -1.0, "unknown": 0.5}
"""``driver_rank._ACTION``: a drug's action on a driver."""

_VERB = {"inhibit": "inhibits", "activate": "activates"}
_SHOWN = 4


def method_lines(
    score: DrugScore,
    params: RankParams,
    targets: Sequence[Mapping[str, Any]],
    regulators: Sequence[UpstreamRegulator],
    pathways: Mapping[str, Mapping[str, Any]],
    regulons: Mapping[str, Mapping[str, float]],
    cores: Mapping[str, frozenset[str]],
) -> tuple[str, ...]:
    """One line per method of ``params`` that scored the drug (module docstring).

    ``targets``: the explanation's targets (entrez, symbol, direction, used_for_ranking);
    ``regulators``: the twin's stored URs (most central first); ``pathways``: pathway -> its
    stored activity (score, q); ``regulons``: TF -> {target: mor} for the drug's targets;
    ``cores``: pathway -> the symbols of its signalling core.
    """
    used = [t for t in targets if t.get("used_for_ranking")]
    lines = []
    if "regulator" in params.methods and score.regulator is not None:
        lines.append(_regulator(score.regulator, used, regulators, regulons))
    if "regulator_network" in params.methods and score.regulator_network is not None:
        lines.append(
            f"regulator_network {score.regulator_network:.2g}: the strongest degree-normalised "
            "visit, at one of its targets, of a random walk from the twin's upstream regulators "
            "and drivers (closeness, not direction)"
        )
    if "driver" in params.methods and score.driver is not None:
        lines.append(_driver(score.driver, used, regulators))
    if "pathway" in params.methods and score.pathway is not None:
        lines.append(_pathway(score.pathway, used, pathways, cores))
    if "pathway_proximity" in params.methods and score.pathway_proximity is not None:
        lines.append(
            f"pathway_proximity {score.pathway_proximity:+.2f}: the patient's PROGENy pathway "
            "activities, each weighted by how much closer its targets sit to the pathway's "
            "footprint than random targets"
        )
    if "reversal" in params.methods and score.reversal is not None:
        sig = _q_words(score.reversal_q)
        lines.append(
            f"reversal {score.reversal:+.2f}{sig}: minus the Spearman correlation of its LINCS "
            "L1000 signature with the patient's landmark genes (+ = it pushes them back)"
        )
    if "activity_reversal" in params.methods and score.activity_reversal is not None:
        sig = _q_words(score.activity_reversal_q)
        lines.append(
            f"activity_reversal {score.activity_reversal:+.2f}{sig}: minus the Spearman "
            "correlation of the TF and pathway activities of its LINCS L1000 signature with the "
            "patient's (+ = it pushes the patient's regulators back)"
        )
    if "target_expression" in params.methods and score.target_expression is not None:
        acted = [str(t["symbol"]) for t in used if t.get("direction") in REGULATOR_SIGN]
        lines.append(
            f"target_expression {score.target_expression:+.2f}: z of its targets' own "
            "statistics against its action (+ = it inhibits over-expressed or activates "
            "under-expressed targets), vs degree-matched genes of this patient; targets of "
            f"known action: {', '.join(acted[:6]) or '—'}"
        )
    return tuple(lines)


def _state(u: UpstreamRegulator) -> str:
    a = u.activity or 0.0
    return f"{'active' if a > 0 else 'inactive'}, t {a:.1f}"


def _joined(value_words: str, parts: list[tuple[float, str]], total: float, value: float) -> str:
    parts.sort(key=lambda p: -abs(p[0]))
    shown = "; ".join(text for _, text in parts[:_SHOWN])
    more = f"; and {len(parts) - _SHOWN} more" if len(parts) > _SHOWN else ""
    off = (
        ""
        if abs(total - value) <= 1e-6 * max(1.0, abs(value))
        else f" (the parts shown sum to {total:+.2f}: the twin's regulators differ from the "
        "ranking's; rank again)"
    )
    return f"{value_words}: {shown or '—'}{more}{off}"


def _regulator(
    value: float,
    used: Sequence[Mapping[str, Any]],
    regulators: Sequence[UpstreamRegulator],
    regulons: Mapping[str, Mapping[str, float]],
) -> str:
    urs = {
        u.entrez: u
        for u in regulators
        if u.activity is not None and u.q is not None and u.q <= UR_Q
    }
    parts: list[tuple[float, str]] = []
    for t in used:
        s = REGULATOR_SIGN.get(str(t.get("direction")))
        if s is None:
            continue
        gene, verb = str(t["entrez"]), _VERB[str(t["direction"])]
        if gene in urs:
            u = urs[gene]
            c = -s * (u.activity or 0.0)
            parts.append(
                (c, f"{verb} {u.symbol}, the {ordinal(u.rank)} upstream regulator "
                    f"({_state(u)}): {c:+.2f}")
            )  # fmt: skip
        for ur, mor in sorted(regulons.get(gene, {}).items()):
            if ur in urs and ur != gene:
                u = urs[ur]
                c = UPSTREAM_WEIGHT * -s * mor * (u.activity or 0.0)
                how = "activates" if mor > 0 else "represses"
                parts.append(
                    (c, f"{verb} {t['symbol']}, which {how} {u.symbol} (the "
                        f"{ordinal(u.rank)} upstream regulator, {_state(u)}), at half weight: "
                        f"{c:+.2f}")
                )  # fmt: skip
    total = sum(c for c, _ in parts)
    return _joined(f"regulator {value:+.2f}", parts, total, value)


def _driver(
    value: float, used: Sequence[Mapping[str, Any]], regulators: Sequence[UpstreamRegulator]
) -> str:
    drivers = {u.entrez: u for u in regulators if u.driver is not None}
    parts: list[tuple[float, str]] = []
    for t in used:
        u = drivers.get(str(t["entrez"]))
        if u is None or u.driver is None:
            continue
        action = str(t.get("direction") or "unknown")
        c = u.driver * DRIVER_ACTION.get(action, DRIVER_ACTION["unknown"])
        verb = _VERB.get(action, "acts on (action unknown, half weight)")
        parts.append(
            (c, f"{verb} {u.symbol}, a driver of this patient "
                f"({driver_words(u.driver, u.driver_call)}): {c:+.2f}")
        )  # fmt: skip
    total = sum(c for c, _ in parts)
    return _joined(f"driver {value:+.2f}", parts, total, value)


def _pathway(
    value: float,
    used: Sequence[Mapping[str, Any]],
    pathways: Mapping[str, Mapping[str, Any]],
    cores: Mapping[str, frozenset[str]],
) -> str:
    symbols = {str(t["symbol"]) for t in used}
    parts = []
    for name, core in sorted(cores.items()):
        hit = sorted(symbols & core)
        a = pathways.get(name)
        if hit and a is not None and a.get("score") is not None:
            q = f", q {p_words(float(a['q']))}" if a.get("q") is not None else ""
            parts.append(f"{name} t {float(a['score']):+.1f}{q} (via {', '.join(hit)})")
    return (
        f"pathway {value:+.2f}: mean PROGENy activity of the pathways whose signalling core it "
        f"targets, whatever its action (a dependence rule): {'; '.join(parts) or '—'}"
    )


def _q_words(q: float | None) -> str:
    """A q in words after a score (`` (q 0.003)``, `` (q 0.2, not significant)``), or nothing."""
    return "" if q is None else f" (q {p_words(q)}{'' if q < 0.05 else ', not significant'})"
