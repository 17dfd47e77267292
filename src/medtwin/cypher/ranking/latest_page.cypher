// One page of the latest complete ranking of a patient's latest (or given) complete twin, in one
// round trip (the API's hot read).
// Parameters: $patient_id (string), $version (int or null), $offset (int), $limit (int),
//   $drug_id (string or null: one drug).
// Returns: twin_id, ranking (map of properties or null), page (list of {drug_name, score}).
MATCH (:Patient {id: $patient_id})-[:HAS_TWIN]->(t:Twin {status: 'complete'})
WHERE $version IS NULL OR t.version = $version
WITH t ORDER BY t.version DESC LIMIT 1
OPTIONAL MATCH (t)-[:HAS_RANKING]->(r:Ranking {status: 'complete'})
WITH t, r ORDER BY r.created_at DESC LIMIT 1
CALL (r) {
  MATCH (r)-[s:SCORES]->(d:Drug)
  WHERE $drug_id IS NULL OR d.id = $drug_id
  WITH s, d ORDER BY s.rank SKIP $offset LIMIT $limit
  RETURN collect({drug_name: d.name, score: properties(s)}) AS page
}
RETURN t.id AS twin_id, properties(r) AS ranking, page
