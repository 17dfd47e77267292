// Cypher projection of the patient similarity graph of a cohort (undirected, weighted by score).
// Parameters: $graph_name, $ids (list<string>: patient ids), $method (string).
// Returns: the gds.graph.project aggregation result.
// The rows are ordered before the projection: GDS numbers the nodes in the order they arrive, and
// Louvain (concurrency 1) is deterministic only for one numbering. Unordered, the rows followed the
// relationships' store order, which each `cohort stratify` rewrites, so reruns over the same twins
// gave other communities (tests/integration/test_stratify_determinism.py).
MATCH (a:Patient) WHERE a.id IN $ids
OPTIONAL MATCH (a)-[s:SIMILAR_TO {method: $method}]->(b:Patient) WHERE b.id IN $ids
WITH a, s, b ORDER BY a.id, b.id, s.score
RETURN gds.graph.project($graph_name, a, b, {relationshipProperties: {score: coalesce(s.score, 0.0)}},
                         {undirectedRelationshipTypes: ['*']})
