// The twin's stored activities per cell type or tissue, by context then strongest |score|.
// Parameters: $twin_id, $context ('cell_type' | 'tissue'). Returns: kind ('tf' | 'pathway'), id,
// name, score, p, q, method, n_targets, cell_type, tissue.
MATCH (:Twin {id: $twin_id})-[a:ACTIVITY {context: $context}]->(n)
RETURN CASE WHEN n:Pathway THEN 'pathway' ELSE 'tf' END AS kind, n.id AS id,
       coalesce(n.symbol, n.name, n.id) AS name, a.score AS score, a.p AS p, a.q AS q,
       a.method AS method, a.n_targets AS n_targets, a.cell_type AS cell_type,
       a.tissue AS tissue
ORDER BY coalesce(a.tissue, ''), coalesce(a.cell_type, ''), abs(a.score) DESC, id
