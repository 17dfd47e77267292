// The whole interactome as an edge list (for the in-process network and its distance cache).
// Parameters: none. Returns: a, b (Entrez ids).
MATCH (a:Protein)-[:INTERACTS_WITH]->(b:Protein)
RETURN a.id AS a, b.id AS b
