// Cell types of a twin ranked by PageRank in the signalling network.
// Parameters: $twin_id. Returns: name, n_genes, pagerank, out_signals, in_signals.
MATCH (:Twin {id: $twin_id})-[:HAS_CELL_TYPE]->(c:CellType)
RETURN c.name AS name, c.n_genes AS n_genes, coalesce(c.pagerank, 0.0) AS pagerank,
       COUNT { (c)-[:SIGNALS_TO]->() } AS out_signals, COUNT { (c)<-[:SIGNALS_TO]-() } AS in_signals
ORDER BY pagerank DESC, name
