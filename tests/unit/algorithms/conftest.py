from __future__ import annotations

import os
from pathlib import Path

import networkx as nx
import pytest

from medtwin.platform.algorithms.network import Network


def data_root() -> Path:
    mirror = os.environ.get("MEDTWIN_DATA_MIRROR")
    if mirror:
        return Path(mirror)
    return Path(__file__).resolve().parents[4] / "shared" / "data"


def network_of(graph: nx.Graph) -> Network:
    return Network.from_edges((str(u), str(v)) for u, v in graph.edges())


@pytest.fixture
def path10() -> Network:
    return Network.from_edges([(str(i), str(i + 1)) for i in range(9)])


@pytest.fixture
def star() -> Network:
    return Network.from_edges([("hub", leaf) for leaf in ("a", "b", "c", "d", "e")])
