// Cypher projection of the patient similarity graph of a cohort (undirected, weighted by score).
// Parameters: $graph_name, $ids (list<string>: patient ids), $method (string).
// Returns: the gds.graph.project aggregation result.
MATCH (a:Patient) WHERE a.id IN $ids
OPTIONAL MATCH (a)-[s:SIMILAR_TO {method: $method}]->(b:Patient) WHERE b.id IN $ids
RETURN gds.graph.project($graph_name, a, b, {relationshipProperties: {score: coalesce(s.score, 0.0)}},
                         {undirectedRelationshipTypes: ['*']})
