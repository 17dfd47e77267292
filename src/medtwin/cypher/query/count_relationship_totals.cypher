// Relationship count per type.
// Parameters: none. Returns: type, n.
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS n
ORDER BY type
