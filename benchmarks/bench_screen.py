"""Time the all-pairs distances and the vectorised proximity screen on the real interactome.

Run from the repository root::

    uv run python -m benchmarks.bench_screen [--json out.json] [--n-modules 78]

Data: ``$MEDTWIN_DATA_MIRROR`` or ``../shared/data`` (Menche 2015 interactome, Guney 2016 drug
targets and disease genes). The 78 gene sets are the first 78 Menche et al. (2015) DataS2
diseases in alphabetical order (their gene sets equal Guney's for those names).
The baseline is a straightforward per-drug networkx implementation, NetMedPy-style: one BFS per
target for the real set and for every random sample (same degree-binned samples), timed on a few
drugs x 100 samples and extrapolated linearly to 1,000 samples and to all drugs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform as std_platform
import time
import warnings
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from medtwin.platform.algorithms.distances import all_pairs_distances
from medtwin.platform.algorithms.network import MissingNodesWarning, Network
from medtwin.platform.algorithms.nulls import (
    degree_bins,
    sample_matched,
    signature,
    signature_rng,
)
from medtwin.platform.algorithms.proximity import proximity, screen

# ------------------------------------------------------------------ private data helpers
# (to be replaced by medtwin.loaders once they exist)


def data_root() -> Path:
    mirror = os.environ.get("MEDTWIN_DATA_MIRROR")
    return Path(mirror) if mirror else Path(__file__).resolve().parents[2] / "shared" / "data"


def read_interactome(root: Path) -> Network:
    path = root / "menche2015_interactome" / "DataS1_interactome.tsv"
    edges = pd.read_csv(path, sep="\t", comment="#", header=None, dtype=str, usecols=[0, 1])
    return Network.from_edges(zip(edges[0], edges[1], strict=True))


def read_drug_targets(root: Path) -> dict[str, list[str]]:
    table = pd.read_csv(
        root / "guney2016_network_medicine" / "drug_to_geneids.tsv", sep="\t", dtype=str
    )
    return {str(k): list(v) for k, v in table.groupby("drugbank_id")["entrez_gene_id"]}


def read_disease_genes(root: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with open(root / "guney2016_network_medicine" / "disease_genes.tsv") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            out[fields[1]] = [g for g in fields[2:] if g]
    return out


def read_menche_diseases(root: Path) -> list[str]:
    path = root / "menche2015_interactome" / "DataS2_disease_genes.tsv"
    names = []
    with open(path) as handle:
        for line in handle:
            if not line.startswith("#") and line.strip():
                names.append(line.split("\t")[0])
    return sorted(names)


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
    t = time.perf_counter()
    n_pairs = 0
    for name in names:
        n_pairs += len(screen(dist, net, modules[name], drugs, n_samples=args.n_samples,
                              seed=args.seed))  # fmt: skip
    many = time.perf_counter() - t
    fig["modules"] = names
    fig["n_modules_s"], fig["n_module_drug_pairs"] = many, n_pairs
    print(f"{len(names)} modules x all drugs x {args.n_samples} samples: {many:.2f} s "
          f"({n_pairs} pairs)")  # fmt: skip

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
