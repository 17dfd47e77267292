from __future__ import annotations

import pytest

from medtwin.platform.algorithms.distances import all_pairs_distances
from medtwin.platform.algorithms.network import Network
from medtwin.platform.ranking import DrugTargets, RankContext


@pytest.fixture
def path10() -> Network:
    return Network.from_edges([(str(i), str(i + 1)) for i in range(9)])


@pytest.fixture
def star() -> Network:
    return Network.from_edges([("hub", leaf) for leaf in ("a", "b", "c", "d")])


def context(
    net: Network,
    module: tuple[str, ...],
    drugs: dict[str, DrugTargets],
    *,
    seeds: dict[str, float] | None = None,
    centrality: dict[str, float] | None = None,
    n_samples: int = 50,
) -> RankContext:
    return RankContext(
        network=net,
        dist=all_pairs_distances(net),
        module=module,
        seeds=seeds or {},
        centrality=centrality or {},
        drugs=drugs,
        n_samples=n_samples,
    )
