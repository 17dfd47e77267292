// Cypher projection of a multicellular twin's cell-type signalling network (directed, weighted by pairs).
// Parameters: $graph_name, $twin_id. Returns: the gds.graph.project aggregation result.
MATCH (:Twin {id: $twin_id})-[:HAS_CELL_TYPE]->(a:CellType)
OPTIONAL MATCH (a)-[s:SIGNALS_TO]->(b:CellType)
RETURN gds.graph.project($graph_name, a, b, {relationshipProperties: {weight: toFloat(coalesce(s.weight, 1))}})
