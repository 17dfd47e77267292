// Resume state of patients for a cohort run: current input checksums, the latest twin (params hash,
// input checksums, complete or not) and the rankings of that twin with their stored score counts.
// Parameters: $ids (list<string>). Returns: id, inputs (list<map: id, sha256>), twin (map or null:
// id, params_hash, rules, input_checksums_json, created_at, complete), rankings (list<map: id, rules, n_drugs,
// n_scores>; n_scores: rows of the ranking's table, or its SCORES count for a ranking stored before tables).
UNWIND $ids AS pid
MATCH (p:Patient {id: pid})
OPTIONAL MATCH (p)-[:HAS_INPUT]->(i:PatientInput)
WITH p, collect(CASE WHEN i IS NULL THEN null ELSE {id: i.id, sha256: i.sha256} END) AS inputs
OPTIONAL MATCH (p)-[:HAS_TWIN]->(t:Twin)
WITH p, inputs, t ORDER BY t.version DESC
WITH p, inputs, collect(t)[0] AS t
OPTIONAL MATCH (t)-[:HAS_RANKING]->(r:Ranking)
WITH p, inputs, t,
     collect(CASE WHEN r IS NULL THEN null
                  ELSE {id: r.id, rules: r.rules, n_drugs: r.n_drugs,
                        n_scores: coalesce(r.table_rows, COUNT { (r)-[:SCORES]->() })} END)
       AS rankings
RETURN p.id AS id, inputs,
       CASE WHEN t IS NULL THEN null
            ELSE {id: t.id, params_hash: t.params_hash, rules: t.rules,
                  input_checksums_json: t.input_checksums_json, created_at: t.created_at,
                  complete: coalesce(t.status = 'complete', t.build_seconds IS NOT NULL)} END AS twin,
       rankings
