// Delete a stored ranking (replaced when the same twin is ranked again with the same parameters),
// with the (:CustomDrug) nodes of a ranking from a user's targets file.
// Parameters: $id (string). Returns: deleted (int).
MATCH (r:Ranking {id: $id})
OPTIONAL MATCH (r)-[:SCORES]->(c:CustomDrug)
WITH r, collect(c) AS custom
FOREACH (c IN custom | DETACH DELETE c)
DETACH DELETE r
RETURN count(*) AS deleted
