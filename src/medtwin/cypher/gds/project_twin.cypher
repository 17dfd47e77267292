// Cypher projection of a twin: its proteins and the PPI edges among them (undirected, each pair once).
// Parameters: $graph_name, $twin_id. Returns: the gds.graph.project aggregation result.
// Each pair is taken once as (lower id, higher id) and the rows are ordered by id before the
// projection: GDS numbers the nodes in the order they arrive, and Louvain (concurrency 1) is
// deterministic only for one numbering. Before, the rows followed the store order of INCLUDES and
// INTERACTS_WITH and each pair's direction followed elementId, so the same twin written in another
// order (a reload, another database) got other communities and community ids
// (tests/integration/test_twin_louvain.py); as gds/project_similarity for cohort stratify.
MATCH (t:Twin {id: $twin_id})-[:INCLUDES]->(a:Protein)
OPTIONAL MATCH (a)-[:INTERACTS_WITH]-(b:Protein)<-[:INCLUDES]-(t)
  WHERE a.id < b.id
WITH a, b ORDER BY a.id, b.id
RETURN gds.graph.project($graph_name, a, b, {}, {undirectedRelationshipTypes: ['*']})
