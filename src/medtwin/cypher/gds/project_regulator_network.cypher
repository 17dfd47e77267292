// Cypher projection of the regulatory + PPI network shared by every twin's upstream-regulator
// ranking: every protein with an INTERACTS_WITH or REGULATES edge to another protein, each
// unordered pair once (a PPI edge and a regulon edge between the same two proteins are one edge),
// undirected, unweighted; self-loops dropped.
// Parameters: $graph_name. Returns: the gds.graph.project aggregation result.
// Each pair is taken once as (lower id, higher id) and the rows are ordered by id: GDS numbers
// the nodes in the order they arrive, and its Louvain (concurrency 1) is deterministic only for
// one numbering. Before, the rows followed the store order and each pair's direction followed
// elementId, so the same reference written in another order (a reload, `load --bulk`, another
// database) could get other communities; as gds/project_twin
// (tests/integration/test_regulator_projection_order.py).
MATCH (a:Protein)-[:INTERACTS_WITH|REGULATES]-(b:Protein)
  WHERE a.id < b.id
WITH DISTINCT a, b ORDER BY a.id, b.id
RETURN gds.graph.project($graph_name, a, b, {}, {undirectedRelationshipTypes: ['*']})
