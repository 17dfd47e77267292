// One page of the latest complete ranking of a patient's latest (or given) complete twin, in one
// round trip (the API's hot read).
// Parameters: $patient_id (string), $version (int or null), $offset (int), $limit (int),
//   $drug_id (string or null: one drug).
// Returns: twin (map: id, module_z, module_p), ranking (map of properties or null),
//   page (list of {drug_name, score}; Drug nodes, or CustomDrug nodes of a targets file).
MATCH (:Patient {id: $patient_id})-[:HAS_TWIN]->(t:Twin {status: 'complete'})
WHERE $version IS NULL OR t.version = $version
WITH t ORDER BY t.version DESC LIMIT 1
OPTIONAL MATCH (t)-[:HAS_RANKING]->(r:Ranking {status: 'complete'})
WITH t, r ORDER BY r.created_at DESC LIMIT 1
CALL (r) {
  MATCH (r)-[s:SCORES]->(d)
  WHERE (d:Drug OR d:CustomDrug) AND ($drug_id IS NULL OR s.drug_id = $drug_id)
  WITH s, d ORDER BY s.rank SKIP $offset LIMIT $limit
  RETURN collect({drug_name: d.name, score: properties(s)}) AS page
}
RETURN t {.id, .module_z, .module_p} AS twin, properties(r) AS ranking, page
