// The latest ranking of the latest twin of each patient, for a cohort summary whose top k is
// deeper than the stored SCORES relationships: the ranking's table (decoded by the caller), or,
// for a ranking stored before tables, its relationships' ranks 1..top.
// Parameters: $ids (list<string>: patient ids), $top (int). Returns: patient_id, twin_id,
// ranking_id, targets, rules (int or null: the ranking rules it was made under), table (bytes or
// null), rows (list<map: drug_name, score>).
UNWIND $ids AS pid
MATCH (:Patient {id: pid})-[:HAS_TWIN]->(t:Twin)
WITH pid, t ORDER BY t.version DESC
WITH pid, collect(t)[0] AS t
MATCH (t)-[:HAS_RANKING]->(r:Ranking)
WITH pid, t, r ORDER BY r.created_at DESC
WITH pid, t, collect(r)[0] AS r
RETURN pid AS patient_id, t.id AS twin_id, r.id AS ranking_id, r.targets AS targets,
       r.rules AS rules, r.score_table AS table,
       CASE WHEN r.table_rows IS NULL
            THEN [(r)-[s:SCORES]->(d) WHERE s.rank <= $top | {drug_name: d.name, score: properties(s)}]
            ELSE [] END AS rows
ORDER BY patient_id
