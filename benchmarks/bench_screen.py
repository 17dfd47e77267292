"""Time the all-pairs distances and the vectorised proximity screen on the real interactome.

Run from the repository root::

    uv run python -m benchmarks.bench_screen [--json out.json] [--n-modules 78]

Data: ``$MEDTWIN_DATA_MIRROR`` or ``../shared/data`` (Menche 2015 interactome, Guney 2016 drug
targets and disease genes). The 78 gene sets are the first 78 Menche et al. (2015) DataS2
diseases in alphabetical order (their gene sets equal Guney's for those names).
The baseline is a straightforward per-drug networkx implementation, NetMedPy-style: one BFS per
target for the real set and for every random sample (same degree-binned samples), timed on a few
drugs x 100 samples and extrapolated linearly to 1,000 samples and to all drugs.
``rank``'s proximity step with its resampling, before vs after a change (``--before REF``):
:mod:`benchmarks.bench_proximity_step` (``make bench-proximity BEFORE=REF``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform as std_platform
import time
import warnings
from collections import defaultdict
from pathlib import Path

import networkx as nx
import numpy as np

from medtwin.loaders import (
    disease_genes_guney2016,
    disease_genes_menche2015,
    drug_targets_guney2016,
    drugs_drugbank,
    ppi_menche2015,
)
from medtwin.loaders.fetch import locate
from medtwin.loaders.gmt import GeneSet
from medtwin.platform.algorithms.distances import all_pairs_distances
from medtwin.platform.algorithms.network import MissingNodesWarning, Network
from medtwin.platform.algorithms.nulls import (
    degree_bins,
    sample_matched,
    signature,
    signature_rng,
)
from medtwin.platform.algorithms.proximity import proximity, screen
from medtwin.platform.ranking import DrugTargets, RankContext, get_method, rank_all
from medtwin.platform.screen import screen_gene_sets

# ------------------------------------------------------------------ data, through the loaders


def data_root() -> Path:
    mirror = os.environ.get("MEDTWIN_DATA_MIRROR")
    return Path(mirror) if mirror else Path(__file__).resolve().parents[2] / "shared" / "data"


def read_interactome(root: Path) -> Network:
    path = locate(root, ppi_menche2015.SOURCE.name, "DataS1_interactome.tsv")
    return Network.from_edges((r.a, r.b) for r in ppi_menche2015.read_interactions(path))


def read_drug_targets(root: Path) -> dict[str, list[str]]:
    """Guney 2016 drug -> Entrez targets, exactly as in drug_to_geneids.tsv."""
    path = locate(root, drug_targets_guney2016.SOURCE.name, "drug_to_geneids.tsv")
    out: dict[str, list[str]] = defaultdict(list)
    for row in drug_targets_guney2016.read_drug_targets(path):
        out[row.drug_id].append(row.entrez)
    return dict(out)


def read_drugbank(root: Path) -> dict[str, DrugTargets]:
    """DrugBank (dhimmel 4.2) drugs with human targets and action directions."""
    source = drugs_drugbank.SOURCE.name
    names = {
        r.id: r.name for r in drugs_drugbank.read_drugs(locate(root, source, "drugbank_drugs.tsv"))
    }
    targets: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in drugs_drugbank.read_drug_targets(locate(root, source, "proteins.tsv")):
        targets[row.drug_id].append((row.entrez, row.direction))
    return {
        d: DrugTargets(names.get(d), tuple(t for t, _ in pairs), tuple(a for _, a in pairs))
        for d, pairs in targets.items()
    }


def read_disease_genes(root: Path) -> dict[str, list[str]]:
    """Guney 2016 disease name -> Entrez genes."""
    path = locate(root, disease_genes_guney2016.SOURCE.name, "disease_genes.tsv")
    names = {r.id: r.name for r in disease_genes_guney2016.read_diseases(path)}
    out: dict[str, list[str]] = defaultdict(list)
    for row in disease_genes_guney2016.read_disease_genes(path):
        out[names[row.disease_id]].append(row.entrez)
    return dict(out)


def read_menche_diseases(root: Path) -> list[str]:
    path = locate(root, disease_genes_menche2015.SOURCE.name, "DataS2_disease_genes.tsv")
    return sorted(r.name for r in disease_genes_menche2015.read_diseases(path))


# ------------------------------------------------------------------ NetMedPy-style baseline


def closest_by_bfs(graph: nx.Graph, targets: list[str], genes: set[str]) -> float:
    total = 0
    for t in targets:
        lengths = nx.single_source_shortest_path_length(graph, t)
        total += min(lengths[s] for s in genes)
    return total / len(targets)


def networkx_proximity(
    graph: nx.Graph, net: Network, targets: list[str], genes: list[str], n_samples: int, seed: int
) -> float:
    bins = degree_bins(net, 100)
    t_idx = np.array(sorted(net.index[t] for t in targets))
    s_idx = np.array(sorted(net.index[g] for g in genes))
    d = closest_by_bfs(graph, targets, set(genes))
    t_sig, s_sig = signature(bins, t_idx), signature(bins, s_idx)
    t_null = sample_matched(bins, t_sig, n_samples, signature_rng(seed, 2, t_sig))
    s_null = sample_matched(bins, s_sig, n_samples, signature_rng(seed, 1, s_sig))
    null = [
        closest_by_bfs(graph, [net.nodes[i] for i in t_row], {net.nodes[i] for i in s_row})
        for t_row, s_row in zip(t_null, s_null, strict=True)
    ]
    return (d - float(np.mean(null))) / float(np.std(null))


def rank_twin(
    net: Network, dist: np.ndarray, drugbank: dict[str, DrugTargets], n_samples: int, seed: int
) -> dict[str, object]:
    """Time every ranking method on a 300-gene twin-like module x all DrugBank drugs.

    The module is the 300 nodes closest to TNF (Entrez 7124) in BFS order: connected and
    hub-rich, a hard case for disruption. Seeds (log2fc +-1.5) on its first 100 genes and
    uniform random PageRank scores stand in for a twin; they only matter for direction and
    centrality, whose cost does not depend on them.
    """
    rng = np.random.default_rng(seed)
    order = np.argsort(dist[net.index["7124"]], kind="stable")[:300]
    module = tuple(net.nodes[i] for i in order)
    seeds = {g: float(rng.choice([-1.5, 1.5])) for g in module[:100]}
    centrality = {g: float(rng.random()) for g in module}
    ctx = RankContext(net, dist, module, seeds, centrality, drugbank, n_samples=n_samples)
    out: dict[str, object] = {"module_genes": len(module), "drugs": len(drugbank)}
    for name in ("proximity", "centrality", "disruption", "direction", "degree"):
        t = time.perf_counter()
        scored = get_method(name).rank(ctx, seed=seed)
        out[f"{name}_s"] = time.perf_counter() - t
        out[f"{name}_scored"] = len(scored)
    methods = ["proximity", "centrality", "disruption", "direction"]
    t = time.perf_counter()
    ranked = rank_all(ctx, methods, seed=seed)
    out["rank_all_s"] = time.perf_counter() - t
    out["rank_all_methods"] = methods
    out["top5"] = [s.drug_name or s.drug_id for s in ranked[:5]]
    print(f"twin (300 genes near TNF) x {len(drugbank)} DrugBank drugs x {n_samples} samples: "
          + ", ".join(f"{m} {out[f'{m}_s']:.2f} s" for m in
                      ("proximity", "centrality", "disruption", "direction", "degree"))
          + f"; rank_all({', '.join(methods)}) {out['rank_all_s']:.2f} s")  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--n-modules", type=int, default=78)
    parser.add_argument("--n-samples", type=int, default=1000)
    parser.add_argument("--baseline-drugs", type=int, default=5)
    parser.add_argument("--baseline-samples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", MissingNodesWarning)
    root = data_root()
    fig: dict[str, object] = {
        "machine": {"python": std_platform.python_version(), "cpus": os.cpu_count()},
        "n_samples": args.n_samples,
        "seed": args.seed,
    }

    t = time.perf_counter()
    net = read_interactome(root).largest_component()
    fig["load_network_s"] = time.perf_counter() - t
    fig["lcc_nodes"], fig["lcc_edges"] = net.n_nodes, net.n_edges
    drugs = read_drug_targets(root)
    modules = read_disease_genes(root)
    print(f"LCC {net.n_nodes} nodes, {net.n_edges} edges; {len(drugs)} drugs")

    t = time.perf_counter()
    dist = all_pairs_distances(net)
    fig["distances_s"] = time.perf_counter() - t
    fig["distances_mb"] = dist.nbytes / 1e6
    print(f"distances: {fig['distances_s']:.2f} s, {fig['distances_mb']:.0f} MB")

    module = modules["arthritis, rheumatoid"]
    t = time.perf_counter()
    results = screen(dist, net, module, drugs, n_samples=args.n_samples, seed=args.seed)
    one = time.perf_counter() - t
    fig["one_module_s"], fig["one_module_drugs"] = one, len(results)
    print(f"1 module x {len(results)} drugs x {args.n_samples} samples: {one:.2f} s")

    # the same null, one drug at a time from the distance matrix (no vectorisation over drugs)
    loop_drugs = [r.drug for r in results[:100] if r.drug is not None]
    t = time.perf_counter()
    for drug in loop_drugs:
        proximity(dist, net, drugs[drug], module, n_samples=args.n_samples, seed=args.seed)
    loop = (time.perf_counter() - t) / len(loop_drugs) * len(results)
    fig["one_module_per_drug_matrix_loop_extrapolated_s"] = loop
    fig["speedup_vs_matrix_loop"] = loop / one
    print(
        f"per-drug loop over the distance matrix: {loop:.1f} s extrapolated "
        f"({len(loop_drugs)} drugs timed) -> screen is {loop / one:.0f}x faster"
    )

    names = read_menche_diseases(root)[: args.n_modules]
    gene_sets = [GeneSet(name=n, description="", genes=tuple(modules[n]), unmapped=())
                 for n in names]  # fmt: skip
    guney = {d: DrugTargets(None, tuple(dict.fromkeys(ts))) for d, ts in drugs.items()}
    t = time.perf_counter()
    screened = screen_gene_sets(net, dist, gene_sets, guney, n_samples=args.n_samples,
                                seed=args.seed)  # fmt: skip
    many = time.perf_counter() - t
    n_pairs = sum(1 for r in screened.rows if r.rank is not None)
    fig["modules"] = names
    fig["n_modules_s"], fig["n_module_drug_pairs"] = many, n_pairs
    fig["n_modules_rows"] = len(screened.rows)
    print(f"{len(names)} modules x all drugs x {args.n_samples} samples: {many:.2f} s "
          f"({n_pairs} pairs; {len(screened.rows)} rows incl. drugs outside the LCC)")  # fmt: skip

    fig["twin"] = rank_twin(net, dist, read_drugbank(root), args.n_samples, args.seed)

    graph = net.to_networkx()
    in_net = [d for d in sorted(drugs) if all(t in net.index for t in drugs[d])]
    picked = in_net[: args.baseline_drugs]
    genes = [g for g in module if g in net.index]
    t = time.perf_counter()
    for drug in picked:
        networkx_proximity(graph, net, drugs[drug], genes, args.baseline_samples, args.seed)
    base = time.perf_counter() - t
    per_drug = base / len(picked) * args.n_samples / args.baseline_samples
    extrapolated = per_drug * len(results)
    fig["baseline"] = {
        "drugs": picked,
        "targets": [len(drugs[d]) for d in picked],
        "samples": args.baseline_samples,
        "measured_s": base,
        "per_drug_1000_samples_s": per_drug,
        "one_module_all_drugs_extrapolated_s": extrapolated,
    }
    fig["speedup_one_module"] = extrapolated / one
    print(f"networkx per-drug baseline: {base:.2f} s for {len(picked)} drugs x "
          f"{args.baseline_samples} samples -> {per_drug:.1f} s per drug x {args.n_samples}; "
          f"{extrapolated / 3600:.1f} h for one module x {len(results)} drugs")  # fmt: skip
    print(f"speed-up (one module, all drugs, screen vs per-drug networkx): "
          f"{fig['speedup_one_module']:.0f}x")  # fmt: skip
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(fig, indent=2))
        print(f"wrote {args.json}")
    return fig


if __name__ == "__main__":
    main()
