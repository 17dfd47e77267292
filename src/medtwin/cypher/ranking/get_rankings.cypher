// Complete rankings of one twin, newest first ('building' ones are hidden).
// Parameters: $twin_id. Returns: ranking (map of properties).
MATCH (:Twin {id: $twin_id})-[:HAS_RANKING]->(r:Ranking {status: 'complete'})
RETURN properties(r) AS ranking
ORDER BY r.created_at DESC
