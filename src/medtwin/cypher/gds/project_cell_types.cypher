// Cypher projection of a multicellular twin's cell-type signalling network (directed, weighted by pairs).
// Parameters: $graph_name, $twin_id. Returns: the gds.graph.project aggregation result.
// Rows in id order, as gds/project_twin: GDS numbers the nodes in the order they arrive, so the
// same twin gets the same numbering (and PageRank the same summation order) in any database.
MATCH (:Twin {id: $twin_id})-[:HAS_CELL_TYPE]->(a:CellType)
OPTIONAL MATCH (a)-[s:SIGNALS_TO]->(b:CellType)
WITH a, s, b ORDER BY a.id, b.id
RETURN gds.graph.project($graph_name, a, b, {relationshipProperties: {weight: toFloat(coalesce(s.weight, 1))}})
