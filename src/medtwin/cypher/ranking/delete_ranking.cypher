// Delete a stored ranking (replaced when the same twin is ranked again with the same parameters).
// Parameters: $id (string). Returns: deleted (int).
MATCH (r:Ranking {id: $id})
DETACH DELETE r
RETURN count(*) AS deleted
