// Disease gene sets of one disease–gene source (reference disease modules), for twin resemblance.
// Parameters: $source (string, Dataset id, e.g. 'menche2015_interactome').
// Returns: disease_id, name, genes (list of Entrez ids).
MATCH (d:Disease)-[:ASSOCIATED_WITH {source: $source}]->(p:Protein)
WITH d, collect(DISTINCT p.id) AS genes
RETURN d.id AS disease_id, d.name AS name, genes
ORDER BY disease_id
