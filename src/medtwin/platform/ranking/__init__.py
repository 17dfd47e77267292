"""Drug-ranking methods: one module per method, a registry, and the combined rank.

===============  ==========================================  ===================  =============
name             module                                      value                better
===============  ==========================================  ===================  =============
``proximity``    :mod:`.proximity_rank`                      proximity z          lower
``centrality``   :mod:`.centrality_rank`                     PageRank mass share  higher
``disruption``   :mod:`.disruption_rank`                     module LCC-loss z    higher
``direction``    :mod:`.direction_rank`                      action vs change     higher
``degree``       :mod:`.degree_baseline`                     mean target degree   higher
``regulator``    :mod:`.regulator_rank`                      UR activity opposed  higher
``regulator_network`` :mod:`.regulator_network_rank`         RWR p/k from URs     higher
``pathway``      :mod:`.pathway_rank`                        pathway activity     higher
``driver``       :mod:`.driver_rank`                         driver evidence hit  higher
``reversal``     :mod:`.reversal_rank`                       −Spearman (LINCS)    higher
``pathway_proximity`` :mod:`.pathway_proximity_rank`       Σ closeness·activity higher
``target_expression`` :mod:`.target_expression_rank`       targets' z vs action higher
``activity_reversal`` :mod:`.activity_reversal_rank`       −Spearman TF/pathway higher
===============  ==========================================  ===================  =============

:func:`rank_all` runs the requested methods on a :class:`RankContext` and combines them
(:mod:`.combine` defines the combined rank exactly); the degree-only baseline is always
reported beside it. The registry is :mod:`.registry`.
"""

from __future__ import annotations

from medtwin.platform.ranking.base import DrugTargets, MethodScore, RankContext, RankingMethod
from medtwin.platform.ranking.combine import combine, rank_all
from medtwin.platform.ranking.registry import REGISTRY, get_method

__all__ = [
    "REGISTRY",
    "DrugTargets",
    "MethodScore",
    "RankContext",
    "RankingMethod",
    "combine",
    "get_method",
    "rank_all",
]
