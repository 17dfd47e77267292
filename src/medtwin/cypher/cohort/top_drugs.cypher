// The top of the latest ranking of the latest twin of each patient (a cohort summary reads these).
// Parameters: $ids (list<string>: patient ids), $top (int: ranks 1..top). Returns: patient_id,
// twin_id, ranking_id, targets, drug_id, drug_name, rank, q, direction, combined; by patient, rank.
UNWIND $ids AS pid
MATCH (:Patient {id: pid})-[:HAS_TWIN]->(t:Twin)
WITH pid, t ORDER BY t.version DESC
WITH pid, collect(t)[0] AS t
MATCH (t)-[:HAS_RANKING]->(r:Ranking)
WITH pid, t, r ORDER BY r.created_at DESC
WITH pid, t, collect(r)[0] AS r
MATCH (r)-[s:SCORES]->(d)
WHERE s.rank <= $top
RETURN pid AS patient_id, t.id AS twin_id, r.id AS ranking_id, r.targets AS targets,
       s.drug_id AS drug_id, d.name AS drug_name, s.rank AS rank, s.q AS q,
       s.direction AS direction, s.combined AS combined
ORDER BY patient_id, rank
