"""Audit of the platform's public algorithms (``python -m benchmarks.algorithm_audit``).

STYLE.md §7 and §12 ask each algorithm for a docstring with its formula and a DOI, a ``seed``
that its result records when it is stochastic, and a test against an independent implementation
(decoupler, networkx, NetMedPy, scipy, scikit-learn, statsmodels) or a hand-computed toy case.
This lists every public function of :data:`MODULES` (``__all__``) and every registered ranking
method with four columns, read off the code and the tests, never declared by hand:

- ``formula``: ``F`` the function's (or method class's) docstring holds one (``:math:``, a
  ``.. math::`` block, a sum/product sign, or ``name = expression``), ``M`` only its module's;
- ``doi``: ``F``/``M`` alike, for a ``doi:`` or ``doi.org`` reference;
- ``seed``: ``-`` not stochastic (no random number generator in its source, nor in a medtwin
  function it calls, at any depth); else ``seed`` it takes one, ``+rec`` its result records it
  (the returned type, or the item type of a returned list, has a seed field; or a ``return``
  passes ``seed=``, or a dict literal it stores has a ``"seed"`` key), ``NO`` it takes none,
  ``caller`` one of :data:`SEED_RECORDED_BY_CALLER` (it returns no statistic; the callers hold
  and record the seed);
- ``oracle``: the test files with a test that names the function (or the method's registry
  name) *and* compares it with an independent implementation or a hand-computed value
  (:data:`ORACLE_MARKERS`); else ``doctest (hand)`` when its docstring's examples say they are
  computed by hand, ``doctest`` when they do not (a gap: examples, maybe from the code itself).

Heuristics, so a row is a pointer for review, not a verdict: a formula in words (no ``=``) is
missed, and a test file that names the function and, for another purpose, calls scipy counts.
``--gaps`` prints only rows missing something; ``tests/unit/test_algorithm_audit.py`` keeps the
ranking methods and the statistics free of gaps, every stochastic row's seed recorded, and the
rows without a formula or a DOI from growing.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import importlib
import inspect
import re
import sys
import textwrap
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PLATFORM = ROOT / "src" / "medtwin" / "platform"

MODULES = (
    *sorted(f"algorithms.{p.stem}" for p in (PLATFORM / "algorithms").glob("[a-z]*.py")),
    "gene_evidence",
    "regulators",
    "regulator_centrality",
    "cell_regulators",
    "force_layout",
    "twin_layout",
    "stratify",
    "stratify_features",
    "resemblance",
    "similar_patients",
    "endotypes",
    "phenotype_module",
    "pathway_cores",
    "cooccurrence",
    "biomarkers",
)
"""Platform modules (under ``medtwin.platform``) whose public functions are algorithms: every
network measure and statistic, plus activities, centrality, layout, stratification."""

FORMULA = re.compile(
    r":math:|\.\. math::|[Σ∑∏√]|\\(?:frac|sum|prod|sqrt|log|cdot)\b"
    r"|\b[A-Za-z][\w()]*\s*=\s*[^=\n]*[-+*/^·×]"
)
DOI = re.compile(r"doi:\s*10\.|doi\.org/10\.", re.IGNORECASE)
RANDOM = re.compile(
    r"\brng\b|np\.random|\brandom\.|default_rng|\.shuffle\(|\.permutation\(|louvain_communities"
    r"|sample_matched|signature_rng|resolve_seed|\.choice\("
)
ORACLE_MARKERS = re.compile(
    r"\bdc\.(?:mt|run_|get_)|decoupler|netmedpy|scipy|statsmodels|multipletests|sklearn"
    r"|roc_auc_score|average_precision_score|\b(?:spearmanr|kendalltau|pearsonr|rankdata"
    r"|mannwhitneyu|false_discovery_control|concordance_index)\("
    r"|\bnx\.(?:pagerank|betweenness|closeness|community|shortest_path|modularity|all_pairs"
    r"|average_|degree_centrality|eigenvector|spring_layout|kamada|connected_components"
    r"|single_source|jaccard|clustering|neighbors)"
    r"|by hand|hand[-_ ](?:computed|values?|worked|counted|examples?)|independent implementation"
    r"|oracle|brute[-_ ]?force|_brute\(|exact[-_ ](?:count|enumeration)"
)
"""What a test function (its name or body) must show to count as an oracle of a function it
names: a call of an independent implementation, a hand-computed value said so, or the exact
count of a resampling p over every permutation, sign pattern or resample it enumerates."""


@dataclass(frozen=True)
class Row:
    """One audited algorithm."""

    name: str
    formula: str
    doi: str
    seed: str
    oracle: str

    def gaps(self) -> list[str]:
        """What the row lacks (STYLE.md §7, §12)."""
        out = []
        if self.formula == "-":
            out.append("formula")
        if self.doi == "-":
            out.append("doi")
        if self.seed in {"NO", "seed"}:
            out.append("seed" if self.seed == "NO" else "seed recorded")
        if self.oracle in {"-", "doctest"}:
            out.append("oracle")
        return out


HAND_DOCTEST = re.compile(r"hand[- ]computed|by hand|hand[- ]worked", re.IGNORECASE)


def _oracle(found: list[str], doc: str) -> str:
    """The oracle column: test files, else ``doctest (hand)`` for a docstring example said to be
    computed by hand (a toy case), else ``doctest`` (examples only: a gap) or ``-``."""
    if found:
        return ", ".join(Path(f).name for f in found)
    if ">>>" in doc:
        return "doctest (hand)" if HAND_DOCTEST.search(doc) else "doctest"
    return "-"


def _where(pattern: re.Pattern[str], own: str, module: str) -> str:
    if pattern.search(own):
        return "F"
    return "M" if pattern.search(module) else "-"


@cache
def _oracle_tests() -> tuple[tuple[str, str], ...]:
    """(file, source) of every test function under ``tests/`` that shows an oracle marker (the
    audit's own test names algorithms and says "oracle": left out)."""
    out = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        text = path.read_text()
        if path.name == "test_algorithm_audit.py" or not ORACLE_MARKERS.search(text):
            continue
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                body = "\n".join(lines[node.lineno - 1 : node.end_lineno])
                if ORACLE_MARKERS.search(body):
                    out.append((str(path.relative_to(ROOT)), body))
    return tuple(out)


def _oracles(words: tuple[str, ...]) -> list[str]:
    """Test files with a test that names one of ``words`` and shows an oracle marker."""
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in words))
    return sorted({path for path, body in _oracle_tests() if pattern.search(body)})


SEED_RECORDED_BY_CALLER = {
    "algorithms.nulls.resolve_seed": "returns the seed itself (a fresh one for None)",
    "algorithms.nulls.signature_rng": "returns a generator made from its caller's seed",
    "algorithms.nulls.sample_matched": "draws from its caller's generator, returns node indices",
    "twin_layout.twin_layout": "returns node places; callers pass the twin's stored seed",
    "twin_layout.place": "returns node places; callers pass the twin's stored seed",
}
"""Stochastic functions whose result is no statistic to record a seed in: a seed, a generator,
random node indices for a null, or the places of a drawing. Their callers hold the seed and
record it (``proximity``, ``module_significance``, ... in their results; the twin drawing's seed
is the twin's, stored with its parameters). Their ``seed`` column reads ``caller``, no gap; each
docstring says "the caller records the seed" and why (``tests/unit/test_algorithm_audit.py``).
A name here is a reviewed exception, not a pattern."""


def _returned_type(obj: Callable[..., Any]) -> Any:
    """The return annotation as a class; a ``list[X]``/``tuple[X, ...]`` gives ``X`` (a result
    per item). An annotation that does not resolve at run time (a name imported only for type
    checking elsewhere in it) is looked up by its own name in the function's module."""
    try:
        returned = typing.get_type_hints(obj).get("return")
    except Exception:
        text = str(inspect.signature(obj).return_annotation)
        returned = getattr(sys.modules[obj.__module__], text, None)
    if typing.get_origin(returned) in (list, tuple) and typing.get_args(returned):
        returned = typing.get_args(returned)[0]
    return returned


def _writes_seed(source: str) -> bool:
    """A ``return`` passes a ``seed=`` keyword (``return Result(..., seed=seed)``), or a dict
    literal has a ``"seed"`` key (the properties a use case stores). A ``seed=`` handed to a
    call whose result is then unpacked into bare numbers is no record."""
    for node in ast.walk(ast.parse(textwrap.dedent(source))):
        if isinstance(node, ast.Return) and node.value is not None:
            calls = (n for n in ast.walk(node.value) if isinstance(n, ast.Call))
            if any("seed" in (k.arg or "") for c in calls for k in c.keywords):
                return True
        if isinstance(node, ast.Dict) and any(
            isinstance(k, ast.Constant) and isinstance(k.value, str) and "seed" in k.value
            for k in node.keys
        ):
            return True
    return False


def _records_seed(obj: Callable[..., Any], source: str) -> bool:
    """Its returned type has a field named like ``seed`` (a dataclass or a pydantic model), or
    its source writes one (:func:`_writes_seed`)."""
    returned = _returned_type(obj)
    fields: list[str] = []
    if dataclasses.is_dataclass(returned):
        fields = [f.name for f in dataclasses.fields(returned)]
    elif isinstance(returned, type) and hasattr(returned, "model_fields"):
        fields = list(returned.model_fields)
    return any("seed" in f for f in fields) or _writes_seed(source)


def _draws(obj: Callable[..., Any], source: str, seen: frozenset[str] = frozenset()) -> bool:
    """``source`` uses a random number generator, or calls a function of medtwin that does
    (through any depth: ``bootstrap_own_swapped`` draws in its module's ``_resamples``)."""
    if RANDOM.search(source):
        return True
    scope = vars(sys.modules[obj.__module__])
    for node in ast.walk(ast.parse(textwrap.dedent(source))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        callee = inspect.unwrap(scope[node.func.id]) if node.func.id in scope else None
        key = f"{getattr(callee, '__module__', '')}.{node.func.id}"
        if not inspect.isfunction(callee) or not key.startswith("medtwin.") or key in seen:
            continue
        try:
            inner = inspect.getsource(callee)
        except (OSError, TypeError):
            continue
        if _draws(callee, inner, seen | {key}):
            return True
    return False


def _seed(name: str, obj: Callable[..., Any], source: str) -> str:
    if not _draws(obj, source):
        return "-"
    if name in SEED_RECORDED_BY_CALLER:
        return "caller"
    try:
        params = inspect.signature(obj).parameters
    except (TypeError, ValueError):
        params = {}  # type: ignore[assignment]
    takes = any(p in params for p in ("seed", "rng", "random_state")) or "seed" in source
    if not takes:
        return "NO"
    return "seed+rec" if _records_seed(obj, source) else "seed"


def _row(name: str, obj: Any, module_doc: str, words: tuple[str, ...]) -> Row:
    doc = inspect.getdoc(obj) or ""
    try:
        source = inspect.getsource(obj)
    except (OSError, TypeError):
        source = ""
    oracle = _oracle(_oracles(words), doc)
    return Row(
        name=name,
        formula=_where(FORMULA, doc, module_doc),
        doi=_where(DOI, doc, module_doc),
        seed=_seed(name, obj, source),
        oracle=oracle,
    )


def _public_functions(module: Any) -> Iterator[tuple[str, Any]]:
    for name in getattr(module, "__all__", ()):
        obj = getattr(module, name)
        if inspect.isfunction(obj) and obj.__module__ == module.__name__:
            yield name, obj


def _ranking_rows() -> Iterator[Row]:
    from medtwin.platform.ranking.registry import REGISTRY

    for key, method in REGISTRY.items():
        cls = type(method)
        module = sys.modules[cls.__module__]
        source = inspect.getsource(module)
        doc = "\n".join(filter(None, [inspect.getdoc(cls), inspect.getdoc(cls.rank)]))
        found = _oracles((cls.__name__, f'"{key}"'))
        # a method's randomness lives in the module's helpers it calls: read the module. Every
        # method takes `rank(ctx, *, seed)` and the Ranking stores the seed (rankings.py)
        seed = "seed+rec" if RANDOM.search(source) else "-"
        yield Row(
            name=f"ranking:{key} ({cls.__name__})",
            formula=_where(FORMULA, doc, module.__doc__ or ""),
            doi=_where(DOI, doc, module.__doc__ or ""),
            seed=seed,
            oracle=_oracle(found, doc),
        )


@cache
def audit() -> tuple[Row, ...]:
    """Every audited algorithm's row: the ranking methods first, then :data:`MODULES`."""
    rows = list(_ranking_rows())
    for short in MODULES:
        module = importlib.import_module(f"medtwin.platform.{short}")
        for name, fn in _public_functions(module):
            rows.append(_row(f"{short}.{name}", fn, module.__doc__ or "", (name,)))
    return tuple(rows)


def main(argv: list[str] | None = None) -> int:
    """Print the audit table (``--gaps``: only rows with a gap) and a summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gaps", action="store_true", help="print only rows with a gap")
    args = parser.parse_args(argv)
    rows = audit()
    shown = [r for r in rows if r.gaps()] if args.gaps else rows
    width = max(len(r.name) for r in rows)
    print(f"{'algorithm':{width}}  formula doi seed     oracle")
    for r in shown:
        print(f"{r.name:{width}}  {r.formula:7} {r.doi:3} {r.seed:8} {r.oracle}")
    keys = ("formula", "doi", "seed", "oracle")
    counts = {k: sum(any(g.startswith(k) for g in r.gaps()) for r in rows) for k in keys}
    print(
        f"{len(rows)} algorithms; without a formula {counts['formula']}, without a DOI "
        f"{counts['doi']}, stochastic without a recorded seed {counts['seed']}, without an "
        f"oracle test {counts['oracle']}; {sum(not r.gaps() for r in rows)} without a gap"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
