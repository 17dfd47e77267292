// All Dataset nodes (the provenance of every loaded source).
// Parameters: none. Returns: dataset (map of properties), ordered by id.
MATCH (d:Dataset)
RETURN properties(d) AS dataset
ORDER BY d.id
