// Genes of a twin with the patient's values and centralities.
// Parameters: $twin_id. Returns: entrez, symbol, degree-free values of INCLUDES (role, log2fc, ..., community).
MATCH (:Twin {id: $twin_id})-[r:INCLUDES]->(g:Protein)
RETURN g.id AS entrez, g.symbol AS symbol, r.role AS role, r.log2fc AS log2fc, r.padj AS padj,
       r.in_module AS in_module, r.pagerank AS pagerank, r.personalised_pagerank AS personalised_pagerank,
       r.betweenness AS betweenness, r.rwr AS rwr, r.community AS community, r.cell_types AS cell_types
ORDER BY coalesce(r.pagerank, 0) DESC, g.id
