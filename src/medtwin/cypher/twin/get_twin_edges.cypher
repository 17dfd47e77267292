// Edges of a twin drawing: PPI among its proteins and signalling among its cell types.
// Parameters: $twin_id. Returns: source, target, kind, weight.
MATCH (t:Twin {id: $twin_id})-[:INCLUDES]->(a:Protein)-[:INTERACTS_WITH]->(b:Protein)<-[:INCLUDES]-(t)
RETURN a.id AS source, b.id AS target, 'INTERACTS_WITH' AS kind, null AS weight
UNION ALL
MATCH (:Twin {id: $twin_id})-[:HAS_CELL_TYPE]->(a:CellType)-[s:SIGNALS_TO]->(b:CellType)
RETURN a.id AS source, b.id AS target, 'SIGNALS_TO' AS kind, toFloat(s.weight) AS weight
