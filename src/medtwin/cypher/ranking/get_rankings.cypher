// Rankings of one twin, newest first.
// Parameters: $twin_id. Returns: ranking (map of properties).
MATCH (:Twin {id: $twin_id})-[:HAS_RANKING]->(r:Ranking)
RETURN properties(r) AS ranking
ORDER BY r.created_at DESC
