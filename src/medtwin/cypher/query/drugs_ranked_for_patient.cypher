// Browser example: the best-ranked drugs of the latest ranking of a patient's latest twin: loaded
// drugs (Drug) or the drugs of a user's targets file (`rank --targets FILE`: CustomDrug nodes).
// Parameters: $patient_id (string), $limit (int). Returns: path, rank, drug_id, drug, z, q,
// direction (the word `rank` prints: counteracts, aggravates, mixed, unknown = no target with a
// known action and change, or 'not computed (add --method direction)' when the ranking did not
// run it), direction_score (stored only where scored), targets (the source, or a targets file's
// "<name> sha256:<hex>"), targets_file (true for a targets file's drugs).
MATCH (:Patient {id: $patient_id})-[:HAS_TWIN]->(t:Twin {status: 'complete'})
WITH t ORDER BY t.version DESC LIMIT 1
MATCH (t)-[:HAS_RANKING]->(r:Ranking {status: 'complete'})
WITH t, r ORDER BY r.created_at DESC LIMIT 1
MATCH path = (t)-[:HAS_RANKING]->(r)-[s:SCORES]->(d:Drug|CustomDrug)
RETURN path, s.rank AS rank, s.drug_id AS drug_id, coalesce(d.name, s.drug_id) AS drug, s.z AS z,
       s.q AS q,
       CASE
         WHEN NOT 'direction' IN coalesce(r.methods, []) THEN 'not computed (add --method direction)'
         WHEN s.direction IS NULL THEN 'unknown'
         WHEN s.direction > 0 THEN 'counteracts'
         WHEN s.direction < 0 THEN 'aggravates'
         ELSE 'mixed'
       END AS direction,
       s.direction AS direction_score, r.targets AS targets, d:CustomDrug AS targets_file
ORDER BY rank
LIMIT $limit
