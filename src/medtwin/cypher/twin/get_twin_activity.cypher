// The twin's stored patient-level activities (TFs and pathways; not those per cell type or
// tissue, which carry `context`), strongest |score| first.
// Parameters: $twin_id. Returns: kind ('tf' | 'pathway'), id, name, score, p, q, method, n_targets.
MATCH (:Twin {id: $twin_id})-[a:ACTIVITY]->(n)
  WHERE a.context IS NULL
RETURN CASE WHEN n:Pathway THEN 'pathway' ELSE 'tf' END AS kind, n.id AS id,
       coalesce(n.symbol, n.name, n.id) AS name, a.score AS score, a.p AS p, a.q AS q,
       a.method AS method, a.n_targets AS n_targets
ORDER BY abs(a.score) DESC, id
