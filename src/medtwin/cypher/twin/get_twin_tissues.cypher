// The tissue layer of a twin: each tissue's cell types with centrality and signalling counts.
// Parameters: $twin_id. Returns: tissue, tissue_score, tissue_rank, name, n_genes, score, rank,
// out_within, out_cross, in_within, in_cross, pairs_out (list<string> "ligand>receptor -> tissue/cell type").
MATCH (:Twin {id: $twin_id})-[:HAS_TISSUE]->(ts:Tissue)-[:HAS_CELL_TYPE]->(c:CellType)
RETURN ts.name AS tissue, coalesce(ts.meta_pagerank, 0.0) AS tissue_score, ts.meta_rank AS tissue_rank,
       c.name AS name, c.n_genes AS n_genes, coalesce(c.meta_pagerank, 0.0) AS score, c.meta_rank AS rank,
       COUNT { (c)-[s:SIGNALS_TO]->() WHERE NOT s.cross_tissue } AS out_within,
       COUNT { (c)-[s:SIGNALS_TO]->() WHERE s.cross_tissue } AS out_cross,
       COUNT { (c)<-[s:SIGNALS_TO]-() WHERE NOT s.cross_tissue } AS in_within,
       COUNT { (c)<-[s:SIGNALS_TO]-() WHERE s.cross_tissue } AS in_cross
ORDER BY coalesce(ts.meta_rank, 1000000), coalesce(c.meta_rank, 1000000), c.name
