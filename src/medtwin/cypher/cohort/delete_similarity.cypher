// Delete the SIMILAR_TO relationships of one method that touch any of the given patients.
// Parameters: $ids (list<string>: patient ids), $method (string). Returns: deleted (int).
MATCH (a:Patient)-[s:SIMILAR_TO {method: $method}]-(:Patient)
WHERE a.id IN $ids
WITH DISTINCT s
DELETE s
RETURN count(*) AS deleted
