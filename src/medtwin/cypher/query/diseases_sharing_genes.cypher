// Browser example: diseases sharing associated genes with a disease (by id or MeSH name).
// Parameters: $disease (string: "mesh:arthritis, rheumatoid" or "arthritis, rheumatoid").
// Returns: disease, n_shared, genes (first 10 symbols).
MATCH (d:Disease) WHERE d.id = $disease OR toLower(d.name) = toLower($disease)
MATCH (d)-[:ASSOCIATED_WITH]->(p:Protein)<-[:ASSOCIATED_WITH]-(o:Disease)
WHERE o <> d
WITH o, collect(DISTINCT coalesce(p.symbol, p.id)) AS shared
RETURN o.name AS disease, size(shared) AS n_shared, shared[..10] AS genes
ORDER BY n_shared DESC, disease
LIMIT 25
