// Symptoms/phenotypes a twin presents, with their links to the twin's genes.
// Parameters: $twin_id. Returns: id, name, kind, genes_in_twin, genes_in_module.
MATCH (:Twin {id: $twin_id})-[r:PRESENTS]->(s)
RETURN s.id AS id, s.name AS name, labels(s)[0] AS kind, r.genes_in_twin AS genes_in_twin,
       r.genes_in_module AS genes_in_module
ORDER BY r.genes_in_module DESC, s.id
