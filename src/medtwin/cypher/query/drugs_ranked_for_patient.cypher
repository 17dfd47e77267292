// Browser example: the best-ranked drugs of the latest ranking of a patient's latest twin.
// Parameters: $patient_id (string), $limit (int). Returns: path, rank, drug, z, q, direction.
MATCH (:Patient {id: $patient_id})-[:HAS_TWIN]->(t:Twin {status: 'complete'})
WITH t ORDER BY t.version DESC LIMIT 1
MATCH (t)-[:HAS_RANKING]->(r:Ranking {status: 'complete'})
WITH t, r ORDER BY r.created_at DESC LIMIT 1
MATCH path = (t)-[:HAS_RANKING]->(r)-[s:SCORES]->(d:Drug)
RETURN path, s.rank AS rank, d.name AS drug, s.z AS z, s.q AS q, s.direction AS direction
ORDER BY rank
LIMIT $limit
