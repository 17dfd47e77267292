// Edges of a twin drawing: PPI among its proteins, signalling among its cell types, and each cell
// type's (direct or in a tissue) changed proteins among the twin's (EXPRESSES_CHANGE: only to drawn nodes).
// Parameters: $twin_id. Returns: source, target, kind, weight.
MATCH (t:Twin {id: $twin_id})-[:INCLUDES]->(a:Protein)-[:INTERACTS_WITH]->(b:Protein)<-[:INCLUDES]-(t)
RETURN a.id AS source, b.id AS target, 'INTERACTS_WITH' AS kind, null AS weight
UNION ALL
MATCH (:Twin {id: $twin_id})-[:HAS_CELL_TYPE]->(a:CellType)-[s:SIGNALS_TO]->(b:CellType)
RETURN a.id AS source, b.id AS target, 'SIGNALS_TO' AS kind, toFloat(s.weight) AS weight
UNION ALL
MATCH (t:Twin {id: $twin_id})-[:INCLUDES]->(p:Protein)
// the twin's proteins once: half the time of a per-edge INCLUDES check (pbmc68k_donorA, 367 edges)
WITH t, collect(p) AS proteins
MATCH (t)-[:HAS_CELL_TYPE|HAS_TISSUE]->{1,2}(c:CellType)-[:EXPRESSES_CHANGE]->(g:Protein)
  WHERE g IN proteins
RETURN c.id AS source, g.id AS target, 'EXPRESSES_CHANGE' AS kind, null AS weight
