// One Dataset node's provenance and status.
// Parameters: $id (string). Returns: dataset (map of all properties).
MATCH (d:Dataset {id: $id})
RETURN properties(d) AS dataset
