// Every ligand -> receptor pair of the cell–cell layer.
// Parameters: none. Returns: ligand, receptor (Entrez ids).
MATCH (l:Protein)-[:BINDS]->(r:Protein)
RETURN DISTINCT l.id AS ligand, r.id AS receptor
